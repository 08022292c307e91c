import LedgerLog

/// The live events of one enterprise, grant, programme or centre in replay order (effective,
/// recorded, log rank, seq), gathered from the reference index: a handful of events, never a scan
/// of the ledger. Its violations are what `TimelineRule` forbids.
struct EntityTimeline {
    let subject: TimelineSubject
    /// Event indexes in replay order.
    private(set) var events: [EventIndex] = []

    /// Borrowing: an initializer's arguments are owned by default, and the validator's call
    /// copied the ledger and the index (every array retained and released) for each timeline walked.
    init(_ subject: TimelineSubject, ledger: borrowing Ledger, index: borrowing ReferenceIndex) {
        self.subject = subject
        var keys: [UInt128] = []
        func gather<Entity: NameIndex>(_ lists: EntityEvents, _ entity: Entity) {
            for position in ReferenceIndex.events(lists, entity) where ledger.retractedAt[position] == .never {
                keys.append(Ledger.replayKey(ledger.events[position]) << 32 | UInt128(UInt32(position.rawValue)))
            }
        }
        switch subject {
        case .enterprise(let enterprise):
            gather(index.byEnterprise, enterprise)
            gather(index.awardsByEnterprise, enterprise)
            // Payments on its grants too: no money is paid to an enterprise after it left the plan.
            for award in ReferenceIndex.events(index.awardsByEnterprise, enterprise) {
                guard case .grantAwarded(let grant, _, _, _, _) = ledger.events[award].payload else { continue }
                for position in ReferenceIndex.events(index.byGrant, grant)
                where ledger.events[position].kind == .grantDisbursed && ledger.retractedAt[position] == .never {
                    keys.append(Ledger.replayKey(ledger.events[position]) << 32 | UInt128(UInt32(position.rawValue)))
                }
            }
        case .grant(let grant): gather(index.byGrant, grant)
        case .programme(let programme):
            gather(index.byProgramme, programme)
            gather(index.awardsByProgramme, programme)
        case .centre(let centre): gather(index.byCentre, centre)
        }
        // The index's events and replay order share the event index as the last key: ties fall by seq.
        keys.sort()
        events = keys.map { EventIndex(rawValue: Int32(truncatingIfNeeded: $0 & 0xFFFF_FFFF)) }
    }

    func violations(in ledger: Ledger) -> [TimelineViolation] {
        switch subject {
        case .enterprise: return enterpriseViolations(ledger)
        case .grant: return grantViolations(ledger)
        case .programme: return programmeViolations(ledger)
        case .centre: return centreViolations(ledger)
        }
    }

    private func first(_ kind: EventKind, in ledger: Ledger) -> EventIndex? {
        events.first { ledger.events[$0].kind == kind }
    }

    private func enterpriseViolations(_ ledger: Ledger) -> [TimelineViolation] {
        var found: [TimelineViolation] = []
        let registration = first(.enterpriseRegistered, in: ledger)
        let deregistration = first(.enterpriseDeregistered, in: ledger)
        var tier = Tier.none
        var tierSetBy: EventIndex? = nil
        for position in events {
            let event = ledger.events[position]
            if event.kind == .enterpriseRegistered { continue }
            if let registration {
                if event.effective < ledger.events[registration].effective {
                    found.append(TimelineViolation(rule: .afterRegistration, event: position, cause: registration))
                }
            } else {
                found.append(TimelineViolation(rule: .afterRegistration, event: position, cause: nil))
            }
            if let deregistration, position != deregistration, event.kind != .enterpriseDeregistered,
               event.effective > ledger.events[deregistration].effective {
                found.append(TimelineViolation(rule: .beforeDeregistration, event: position, cause: deregistration))
            }
            switch event.payload {
            case .tierPromoted(_, let to):
                if to <= tier { found.append(TimelineViolation(rule: .tierDirection, event: position, cause: tierSetBy, tier: tier)) }
                tier = to
                tierSetBy = position
            case .tierDemoted(_, let to):
                if to >= tier { found.append(TimelineViolation(rule: .tierDirection, event: position, cause: tierSetBy, tier: tier)) }
                tier = to
                tierSetBy = position
            default: break
            }
        }
        return found
    }

    private func grantViolations(_ ledger: Ledger) -> [TimelineViolation] {
        var found: [TimelineViolation] = []
        let award = first(.grantAwarded, in: ledger)
        var awarded = false
        var revocation: EventIndex? = nil
        // 128-bit, as every money total: a log written before the bounds must not trap the check.
        var paidFen: Int128 = 0
        var recoveredFen: Int128 = 0
        for position in events {
            let event = ledger.events[position]
            if position == award { awarded = true; continue }
            if !awarded, event.kind != .grantAwarded {
                found.append(TimelineViolation(rule: .afterAward, event: position, cause: award))
            }
            switch event.payload {
            case .grantDisbursed(_, let amountFen):
                if let revocation { found.append(TimelineViolation(rule: .beforeRevocation, event: position, cause: revocation)) }
                paidFen += Int128(amountFen)
            case .grantAmended:
                if let revocation { found.append(TimelineViolation(rule: .beforeRevocation, event: position, cause: revocation)) }
            case .grantRevoked:
                if revocation == nil { revocation = position }
            case .grantRecovered(_, let amountFen):
                recoveredFen += Int128(amountFen)
                if recoveredFen > paidFen {
                    found.append(TimelineViolation(rule: .recoveryWithinPaid, event: position, cause: nil,
                                                   recoveredFen: recoveredFen, paidFen: paidFen))
                }
            default: break
            }
        }
        return found
    }

    private func programmeViolations(_ ledger: Ledger) -> [TimelineViolation] {
        var found: [TimelineViolation] = []
        let establishment = first(.programmeEstablished, in: ledger)
        for position in events where ledger.events[position].kind != .programmeEstablished {
            guard let establishment else {
                found.append(TimelineViolation(rule: .afterEstablishment, event: position, cause: nil))
                continue
            }
            if ledger.events[position].effective < ledger.events[establishment].effective {
                found.append(TimelineViolation(rule: .afterEstablishment, event: position, cause: establishment))
            }
        }
        return found
    }

    private func centreViolations(_ ledger: Ledger) -> [TimelineViolation] {
        var found: [TimelineViolation] = []
        let opening = first(.centreOpened, in: ledger)
        for position in events where ledger.events[position].kind == .centreClosed {
            guard let opening else {
                found.append(TimelineViolation(rule: .afterOpening, event: position, cause: nil))
                continue
            }
            if ledger.events[position].effective < ledger.events[opening].effective {
                found.append(TimelineViolation(rule: .afterOpening, event: position, cause: opening))
            }
        }
        return found
    }
}
