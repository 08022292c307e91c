import LedgerLog

/// The state of the window and what the rules collect while it is replayed.
struct AuditReplay {
    var models: ReadModels
    /// Per grant: the event after which payments less recoveries have exceeded the award ever
    /// since (nil when they do not).
    var overDisbursedSince: [EventIndex?]
    /// Per grant: the revocation that counts.
    var revocationEvent: [EventIndex?]
    /// Per enterprise: its registration.
    var registrationEvent: [EventIndex?]
    /// Payments in replay order, and whether each came before any award of its grant (and so
    /// was left out of the grant's figures by the replay).
    var payments: [(event: EventIndex, beforeAward: Bool)] = []
    /// Events recorded more than the allowed days after they took effect, in replay order.
    var lateEvents: [EventIndex] = []

    init(ledger: Ledger, window: TimeWindow, lateDays: Int?) {
        models = ReadModels(ledger: ledger)
        overDisbursedSince = Array(repeating: nil, count: ledger.grants.count)
        revocationEvent = Array(repeating: nil, count: ledger.grants.count)
        registrationEvent = Array(repeating: nil, count: ledger.enterprises.count)
        let projection = Projection(ledger: ledger, window: window)
        let lateLimit = Int64(lateDays ?? Int.max / 2)
        for rawPosition in ledger.replayOrder {
            let position = EventIndex(rawValue: rawPosition)
            let index = position.offset
            guard projection.counts(index) else { continue }
            let event = ledger.events[index]
            if Int64(event.recorded.date.daysSinceEpoch) - Int64(event.effective.daysSinceEpoch) > lateLimit {
                lateEvents.append(position)
            }
            if case .grantDisbursed(let grant, _) = event.payload {
                payments.append((position, models.grants[grant] == nil))
            }
            Projection.apply(event, index: position, to: &models)
            switch event.payload {
            case .grantAwarded(let grant, _, _, _, _), .grantAmended(let grant, _), .grantDisbursed(let grant, _),
                 .grantRecovered(let grant, _):
                track(grant: grant, after: position)
            case .grantRevoked(let grant, _):
                if models.grants[grant] != nil { revocationEvent[grant] = position }
                track(grant: grant, after: position)
            case .enterpriseRegistered(let enterprise, _, _):
                registrationEvent[enterprise] = position
            default:
                break
            }
        }
    }

    private mutating func track(grant: GrantIndex, after event: EventIndex) {
        guard let state = models.grants[grant] else { return }
        let over = state.revoked == nil && state.disbursedFen - state.recoveredFen > Int128(state.awardedFen)
        if !over {
            overDisbursedSince[grant] = nil
        } else if overDisbursedSince[grant] == nil {
            overDisbursedSince[grant] = event
        }
    }
}
