import LedgerLog

/// Replays the ledger's events inside a time window into read models.
public struct Projection {
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

    /// The events that count, in replay order.
    public func countedEvents() -> [Int] {
        var result: [Int] = []
        for index in ledger.replayOrder where counts(Int(index)) { result.append(Int(index)) }
        return result
    }

    /// The read models of this window: one walk of the replay order over the ledger's columns,
    /// the same whether they were read from the logs or mapped from the reader's snapshot.
    public func run() -> ReadModels {
        var models = ReadModels(ledger: ledger)
        for index in ledger.replayOrder where counts(Int(index)) {
            Projection.apply(ledger.events[Int(index)], index: EventIndex(rawValue: index), to: &models)
        }
        return models
    }

    /// Applies one event. Tolerates references a retraction left dangling: such an event changes nothing.
    public static func apply(_ event: DomainEvent, index: EventIndex, to models: inout ReadModels) {
        models.appliedEvents += 1
        let date = event.effective
        switch event.payload {
        case .programmeEstablished(let terms):
            // The schema requires an establishing event's name; decoders refuse one without.
            guard let name = terms.name else { return }
            models.programmes[terms.programme] = ProgrammeState(
                established: date, name: name,
                terms: [(date, terms.minTier, terms.capFen, terms.capYears ?? ProgrammeState.defaultCapYears)],
                budgets: [])
        case .programmeAmended(let terms):
            guard var programme = models.programmes[terms.programme] else { return }
            let current = programme.current
            if let name = terms.name { programme.name = name }
            programme.terms.append((date, terms.minTier ?? current.minTier, terms.capFen ?? current.capFen,
                                    terms.capYears ?? current.capYears))
            models.programmes[terms.programme] = programme
        case .budgetAppropriated(let programme, let year, let amountFen):
            models.programmes[programme]?.budgets.append((year, amountFen))
        case .grantAwarded(let grant, let enterprise, let programme, let amountFen, let project):
            models.grants[grant] = GrantState(
                enterprise: enterprise, programme: programme, project: project, awarded: date,
                awardEvent: index, originalFen: amountFen, awardedFen: amountFen)
        case .grantAmended(let grant, let amountFen):
            guard models.grants[grant] != nil else { return }
            models.grants[grant]!.amendments += 1
            if models.grants[grant]!.revoked == nil { models.grants[grant]!.awardedFen = amountFen }
        case .grantDisbursed(let grant, let amountFen):
            guard models.grants[grant] != nil else { return }
            models.grants[grant]!.disbursedFen += Int128(amountFen)
            models.grants[grant]!.payments += 1
        case .grantRecovered(let grant, let amountFen):
            models.grants[grant]?.recoveredFen += Int128(amountFen)
        case .grantRevoked(let grant, _):
            guard models.grants[grant] != nil else { return }
            models.grants[grant]!.revoked = date
            models.grants[grant]!.awardedFen = 0
        case .enterpriseRegistered(let enterprise, let name, let sector):
            models.enterprises[enterprise] = EnterpriseState(registered: date, name: name, sector: sector)
        // Enterprises are changed in place through optional chaining: copying one out and back
        // would share its tier history with the array and copy that history on every promotion.
        case .capabilityEvaluated(let enterprise, let score):
            models.enterprises[enterprise]?.evaluated(score: score, on: date)
        case .tierPromoted(let enterprise, let tier), .tierDemoted(let enterprise, let tier):
            models.enterprises[enterprise]?.changeTier(to: tier, on: date, event: index)
        case .enterpriseDeregistered(let enterprise, _):
            models.enterprises[enterprise]?.deregistered = date
        case .centreOpened(let centre, let name, let kind, let city, let partner):
            models.centres[centre] = CentreState(name: name, kind: kind, city: city, partner: partner, opened: date)
        case .centreClosed(let centre, _):
            models.centres[centre]?.closed = date
        case .eventRetracted:
            preconditionFailure("retractions are filtered out before they are applied")
        }
    }
}
