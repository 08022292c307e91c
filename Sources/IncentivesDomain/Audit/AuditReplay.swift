import LedgerLog

/// The state of the window and what the rules collect while it is replayed.
struct AuditReplay {
    var models: ReadModels
    /// Per grant: the event after which payments less recoveries have exceeded the award ever
    /// since (-1 when they do not).
    var overDisbursedSince: [Int32]
    /// Per grant: the revocation that counts.
    var revocationEvent: [Int32]
    /// Per enterprise: its registration.
    var registrationEvent: [Int32]
    /// Payments in replay order, and whether each came before any award of its grant (and so
    /// was left out of the grant's figures by the replay).
    var payments: [(event: Int32, beforeAward: Bool)] = []
    /// Events recorded more than the allowed days after they took effect, in replay order.
    var lateEvents: [Int32] = []

    init(ledger: Ledger, window: TimeWindow, lateDays: Int?) {
        models = ReadModels(ledger: ledger)
        overDisbursedSince = Array(repeating: -1, count: ledger.grants.count)
        revocationEvent = Array(repeating: -1, count: ledger.grants.count)
        registrationEvent = Array(repeating: -1, count: ledger.enterprises.count)
        let projection = Projection(ledger: ledger, window: window)
        let lateLimit = Int64(lateDays ?? Int.max / 2)
        for position in ledger.replayOrder {
            let index = Int(position)
            guard projection.counts(index) else { continue }
            let event = ledger.events[index]
            if Int64(event.recorded.date.daysSinceEpoch) - Int64(event.effective.daysSinceEpoch) > lateLimit {
                lateEvents.append(position)
            }
            if case .grantDisbursed(let grant, _) = event.payload {
                payments.append((position, models.grants[grant] == nil))
            }
            Projection.apply(event, index: EventIndex(rawValue: position), to: &models)
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

    private mutating func track(grant: GrantIndex, after event: Int32) {
        guard let state = models.grants[grant] else { return }
        let over = state.revoked == nil && state.disbursedFen - state.recoveredFen > Int128(state.awardedFen)
        if !over {
            overDisbursedSince[grant] = -1
        } else if overDisbursedSince[grant] < 0 {
            overDisbursedSince[grant] = event
        }
    }
}
