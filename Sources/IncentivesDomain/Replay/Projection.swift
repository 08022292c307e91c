import LedgerLog

/// Replays the ledger's events inside a time window into read models.
public struct Projection: Sendable {
    public let ledger: Ledger
    public let window: TimeWindow

    public init(ledger: Ledger, window: TimeWindow) {
        self.ledger = ledger
        self.window = window
    }

    /// Whether the event at `index` counts in this window: inside it, not retracted by then,
    /// and not itself a retraction (retractions change no state). Reads three columns only.
    @inline(__always)
    public func counts(_ index: Int) -> Bool {
        ledger.events.recorded[index] <= window.knownAt.secondsSinceEpoch
            && ledger.events.effective[index] <= (window.asOf ?? .distantFuture).daysSinceEpoch
            && ledger.retractedAt[index] > window.knownAt
            && !ledger.events.isRetraction(index)
    }

    /// The events that count, in replay order: walked in place (a list of them would be 80 MB
    /// at ten million events).
    public func countedEvents() -> some Sequence<Int> {
        ledger.replayOrder.lazy.map { Int($0) }.filter { counts($0) }
    }

    /// The read models of this window: a replay of the ledger's columns (`Projection+Columns.swift`),
    /// the same whether they were read from the logs or mapped from the reader's snapshot.
    public func run() -> ReadModels {
        replayColumns()
    }

    /// The same models by the plain walk: every event that counts, assembled and applied in replay
    /// order. What `run` must equal; kept for the tests that hold it so.
    func runEventByEvent() -> ReadModels {
        precondition(ledger.unreplayedCodes == 0, "every event of the ledger has its names")
        var models = ReadModels(ledger: ledger)
        for index in ledger.replayOrder where counts(Int(index)) {
            Projection.apply(ledger.events[Int(index)], index: EventIndex(rawValue: index), to: &models)
        }
        return models
    }

    /// Applies one event. Tolerates references a retraction left dangling: such an event changes nothing.
    /// `run` replays the columns without this (`Projection+Columns.swift`), through the same
    /// state changes (`GrantState.disburse` and the like); tests hold the two equal.
    public static func apply(_ event: DomainEvent, index: EventIndex, to models: inout ReadModels) {
        models.appliedEvents += 1
        let date = event.effective
        switch event.payload {
        case .programmeEstablished(let terms):
            // The schema requires an establishing event's name; decoders refuse one without.
            guard let name = terms.name else { return }
            models.programmes[terms.programme] = ProgrammeState(
                established: date, name: name, minTier: terms.minTier, capFen: terms.capFen, capYears: terms.capYears)
        case .programmeAmended(let terms):
            models.programmes[terms.programme]?.amend(
                name: terms.name, minTier: terms.minTier, capFen: terms.capFen, capYears: terms.capYears, on: date)
        case .budgetAppropriated(let programme, let year, let amountFen):
            models.programmes[programme]?.appropriate(year: year, amountFen: amountFen)
        case .grantAwarded(let grant, _, _, _, _), .grantAmended(let grant, _), .grantDisbursed(let grant, _),
             .grantRecovered(let grant, _), .grantRevoked(let grant, _):
            // Changed in place (the table's `_modify`): copying a state out and back would copy it twice.
            apply(grantEvent: event.payload, on: date, index: index, to: &models.grants[grant])
        case .enterpriseRegistered(let enterprise, let name, let sector):
            models.enterprises[enterprise] = EnterpriseState(registered: date, name: name, sector: sector)
        case .capabilityEvaluated(let enterprise, let score):
            models.enterprises[enterprise]?.evaluated(score: score, on: date)
        case .tierPromoted(let enterprise, let tier), .tierDemoted(let enterprise, let tier):
            models.enterprises[enterprise]?.changeTier(to: tier, on: date, event: index)
        case .enterpriseDeregistered(let enterprise, _):
            models.enterprises[enterprise]?.deregister(on: date)
        case .centreOpened(let centre, let name, let kind, let city, let partner):
            models.centres[centre] = CentreState(name: name, kind: kind, city: city, partner: partner, opened: date)
        case .centreClosed(let centre, _):
            models.centres[centre]?.close(on: date)
        case .eventRetracted:
            preconditionFailure("retractions are filtered out before they are applied")
        }
    }

    /// What a grant's event does to its state (nil before the award): `apply` calls this for
    /// the grants' table, and the restatements for one grant refolded on its own.
    @inline(__always)
    static func apply(grantEvent payload: DomainEvent.Payload, on date: CalendarDate, index: EventIndex,
                      to state: inout GrantState?) {
        switch payload {
        case .grantAwarded(_, let enterprise, let programme, let amountFen, let project):
            state = GrantState(enterprise: enterprise, programme: programme, project: project, awarded: date,
                               awardEvent: index, originalFen: amountFen, awardedFen: amountFen)
        case .grantAmended(_, let amountFen):
            state?.amend(to: amountFen)
        case .grantDisbursed(_, let amountFen):
            state?.disburse(amountFen)
        case .grantRecovered(_, let amountFen):
            state?.recover(amountFen)
        case .grantRevoked:
            state?.revoke(on: date)
        default:
            preconditionFailure("only a grant's events change a grant")
        }
    }
}
