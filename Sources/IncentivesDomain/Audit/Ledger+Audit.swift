import LedgerLog

extension Ledger {
    /// The id of the grant, enterprise, programme or centre an event concerns; for a retraction,
    /// that of its target (or the target's id itself when the target is not in the log).
    public func auditSubject(of event: DomainEvent) -> String {
        switch event.payload {
        case .programmeEstablished(let terms), .programmeAmended(let terms):
            return programmes.string(terms.programme)
        case .budgetAppropriated(let programme, _, _):
            return programmes.string(programme)
        case .grantAwarded(let grant, _, _, _, _), .grantAmended(let grant, _), .grantDisbursed(let grant, _),
             .grantRevoked(let grant, _), .grantRecovered(let grant, _):
            return grants.string(grant)
        case .enterpriseRegistered(let enterprise, _, _), .capabilityEvaluated(let enterprise, _),
             .tierPromoted(let enterprise, _), .tierDemoted(let enterprise, _), .enterpriseDeregistered(let enterprise, _):
            return enterprises.string(enterprise)
        case .centreOpened(let centre, _, _, _, _), .centreClosed(let centre, _):
            return centres.string(centre)
        case .eventRetracted(let target, _):
            return target.map { auditSubject(of: events[$0]) } ?? ""
        }
    }

    /// The grant an event of the grants log changes, or nil for programme events and other logs.
    public func auditGrant(of event: DomainEvent) -> GrantIndex? {
        switch event.payload {
        case .grantAwarded(let grant, _, _, _, _), .grantAmended(let grant, _), .grantDisbursed(let grant, _),
             .grantRevoked(let grant, _), .grantRecovered(let grant, _):
            return grant
        default:
            return nil
        }
    }

    /// Sorts like `replayOrder`: (effective, recorded, log rank), then position in `events`.
    public func replaySortKey(_ index: Int) -> UInt128 {
        replayKey(of: index) << 32 | UInt128(UInt32(truncatingIfNeeded: index))
    }

    /// Sorts in the order the ledger learned events: (recorded, log rank, seq).
    /// Read from the columns alone: sorts call it many times per event.
    public func recordedSortKey(_ index: Int) -> UInt128 {
        let recorded = UInt128(UInt64(bitPattern: events.recorded[index] &+ 3_000_000_000))
        // One look at the runs for both (past a few runs, each look is a search).
        let place = events.logRuns.place(of: index)
        return recorded << 40 | UInt128(place.logRank) << 32 | UInt128(UInt32(bitPattern: place.seq))
    }
}
