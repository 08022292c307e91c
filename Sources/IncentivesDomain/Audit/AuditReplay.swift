import LedgerLog

/// The state of the window and what the rules collect while it is replayed.
///
/// Sized for ten million events: what is kept per grant or enterprise is an `Int32` (an absent
/// event stored as -1, `Optional.storedRawValue`), and what is kept per event is only the few
/// the rules name, so the audit's peak of memory is mostly the read models themselves.
struct AuditReplay {
    var models: ReadModels
    /// Per grant: the event after which payments less recoveries have exceeded the award ever
    /// since (-1 when they do not).
    private var overDisbursedSince: [Int32]
    /// Per grant: the revocation that counts (-1: none).
    private var revocationEvent: [Int32]
    /// Per enterprise: its registration (-1: none).
    private var registrationEvent: [Int32]
    /// Payments in replay order.
    private(set) var payments: [EventIndex] = []
    /// The payments (of `payments`, in the same order) that came before any award of their
    /// grant, and so were left out of the grant's figures by the replay.
    private(set) var paymentsBeforeAward: [EventIndex] = []
    /// Events recorded more than the allowed days after they took effect, in replay order.
    private(set) var lateEvents: [EventIndex] = []
    /// The awards that made a grant's state, in replay order (a grant awarded again appears
    /// once per award; `AuditContext.liveAwards` keeps the one its state names).
    private(set) var awardEvents: [EventIndex] = []

    init(ledger: Ledger, window: TimeWindow, lateDays: Int?) {
        models = ReadModels(ledger: ledger)
        overDisbursedSince = Array(repeating: -1, count: ledger.grants.count)
        revocationEvent = Array(repeating: -1, count: ledger.grants.count)
        registrationEvent = Array(repeating: -1, count: ledger.enterprises.count)
        // Sized once from the codes (an upper bound: every payment and award of the logs), so
        // that ten million events' lists never pass through twice their size.
        var paymentCount = 0, awardCount = 0
        for code in ledger.events.code {
            if code == GrantDisbursed.recordCode { paymentCount += 1 } else if code == GrantAwarded.recordCode { awardCount += 1 }
        }
        payments.reserveCapacity(paymentCount)
        awardEvents.reserveCapacity(awardCount)
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
                payments.append(position)
                if models.grants[grant] == nil { paymentsBeforeAward.append(position) }
            }
            Projection.apply(event, index: position, to: &models)
            switch event.payload {
            case .grantAwarded(let grant, _, _, _, _):
                // An award always makes its grant's state (`Projection.apply`).
                awardEvents.append(position)
                track(grant: grant, after: position)
            case .grantAmended(let grant, _), .grantDisbursed(let grant, _), .grantRecovered(let grant, _):
                track(grant: grant, after: position)
            case .grantRevoked(let grant, _):
                if models.grants[grant] != nil { revocationEvent[grant] = position.rawValue }
                track(grant: grant, after: position)
            case .enterpriseRegistered(let enterprise, _, _):
                registrationEvent[enterprise] = position.rawValue
            default:
                break
            }
        }
    }

    /// The event after which `grant` has been paid more than its award ever since, if any.
    func overDisbursedSince(_ grant: GrantIndex) -> EventIndex? { EventIndex?(storedRawValue: overDisbursedSince[grant]) }

    /// The revocation of `grant` that counts, if any.
    func revocationEvent(_ grant: GrantIndex) -> EventIndex? { EventIndex?(storedRawValue: revocationEvent[grant]) }

    /// The registration of `enterprise`, if any.
    func registrationEvent(_ enterprise: EnterpriseIndex) -> EventIndex? {
        EventIndex?(storedRawValue: registrationEvent[enterprise])
    }

    private mutating func track(grant: GrantIndex, after event: EventIndex) {
        guard let state = models.grants[grant] else { return }
        let over = state.revoked == nil && state.disbursedFen - state.recoveredFen > Int128(state.awardedFen)
        if !over {
            overDisbursedSince[grant] = -1
        } else if overDisbursedSince[grant] < 0 {
            overDisbursedSince[grant] = event.rawValue
        }
    }
}
