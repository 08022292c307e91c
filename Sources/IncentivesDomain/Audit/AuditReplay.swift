import LedgerLog

/// The state of the window and what the rules collect while it is replayed.
///
/// Sized for ten million events: what is kept per grant or enterprise is an `Int32` (an absent
/// event stored as -1, `Optional.storedRawValue`), and what is kept per event is only the few
/// the rules name, so the audit's peak of memory is mostly the read models themselves.
struct AuditReplay: Equatable {
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

    /// The window replayed from the columns, event by event in replay order, each event's fields
    /// read where they lie (no `DomainEvent` assembled) and applied through the replay's own state
    /// changes (`Projection.apply(code:at:of:to:tierChanges:)`); what the rules collect is read
    /// from the same columns. `init(eventByEventOf:window:lateDays:)` is the plain walk it must equal.
    init(ledger: Ledger, window: TimeWindow, lateDays: Int?) {
        self.init(sizedFor: ledger)
        let events = ledger.events
        let projection = Projection(ledger: ledger, window: window)
        let lateLimit = Int64(lateDays ?? Int.max / 2)
        var tierChanges = TierChangeLog()
        let order = ledger.replayOrder, retractedAt = ledger.retractedAt
        let grantCodes = Projection.Piece.grantCodes, enterpriseCodes = Projection.Piece.enterpriseCodes
        for step in 0..<order.count {
            // An event a few steps ahead, and its state, are likely not in the cache: start loading
            // them, as the query's replay does (`Projection.replay(_:through:)`).
            if step + Projection.lookahead < order.count {
                let ahead = Int(order[step + Projection.lookahead])
                events.recorded.prefetch(ahead)
                retractedAt.prefetch(ahead)
                let aheadCode = UInt32(events.code[ahead])
                if grantCodes >> aheadCode & 1 != 0 {
                    models.grants.prefetch(events.subject(at: ahead))
                } else if enterpriseCodes >> aheadCode & 1 != 0 || aheadCode == UInt32(CapabilityEvaluated.recordCode) {
                    models.enterprises.prefetch(events.subject(at: ahead))
                }
            }
            let position = EventIndex(rawValue: order[step])
            let index = position.offset
            guard projection.counts(index) else { continue }
            let code = events.code[index]
            let recordedDays = Int64(Timestamp(secondsSinceEpoch: events.recorded[index]).date.daysSinceEpoch)
            if recordedDays - Int64(events.effective[index]) > lateLimit {
                lateEvents.append(position)
            }
            let subject = events.subject(at: index)
            if code == GrantDisbursed.recordCode {
                payments.append(position)
                if models.grants[subject] == nil { paymentsBeforeAward.append(position) }
            }
            models.appliedEvents += 1
            if code == CapabilityEvaluated.recordCode {
                models.enterprises[subject]?.evaluated(score: events.score(at: index), on: events.effectiveDate(at: index))
            } else {
                Projection.apply(code: code, at: index, of: events, to: &models, tierChanges: &tierChanges)
            }
            switch code {
            case GrantAwarded.recordCode:
                awardEvents.append(position)
                track(grant: GrantIndex(offset: subject), after: position)
            case GrantAmended.recordCode, GrantDisbursed.recordCode, GrantRecovered.recordCode:
                track(grant: GrantIndex(offset: subject), after: position)
            case GrantRevoked.recordCode:
                if models.grants[subject] != nil { revocationEvent[subject] = position.rawValue }
                track(grant: GrantIndex(offset: subject), after: position)
            case EnterpriseRegistered.recordCode:
                registrationEvent[subject] = position.rawValue
            default:
                break
            }
        }
        // The rules read the tier histories only once the walk is done.
        tierChanges.complete(&models.enterprises)
    }

    /// The same replay by the plain walk: every event that counts assembled and applied
    /// (`Projection.apply(_:index:to:)`). What `init(ledger:window:lateDays:)` must equal; kept
    /// for the tests that hold it so.
    init(eventByEventOf ledger: Ledger, window: TimeWindow, lateDays: Int?) {
        self.init(sizedFor: ledger)
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

    /// Empty models and lists for `ledger`'s names and events.
    private init(sizedFor ledger: Ledger) {
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
