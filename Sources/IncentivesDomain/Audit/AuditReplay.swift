import LedgerColumns
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

    /// The window replayed from the columns in the query's own two pieces, one on each core
    /// (`Projection.replay(_:through:only:watching:)`: programmes and grants, enterprises and
    /// centres), each telling an `AuditCollector` what it applies: the grants' piece collects the
    /// payments, awards, revocations and over-disbursement, the enterprises' piece the
    /// registrations, and each the late events of its own events, merged into replay order after.
    /// `init(eventByEventOf:window:lateDays:)` is the plain walk it must equal.
    init(ledger: Ledger, window: TimeWindow, lateDays: Int?) {
        let projection = Projection(ledger: ledger, window: window)
        let end = projection.replayEnd()
        var pieces = ParallelWork.map(count: Projection.Piece.allCases.count) { number in
            let piece = Projection.Piece.allCases[number]
            var collector = AuditCollector(piece: piece, ledger: ledger, lateDays: lateDays)
            let result = projection.replay(piece, through: end, watching: &collector)
            return (result: result, collector: collector)
        }
        // Taken out of the list, so that each array has one owner: the enterprises' states are
        // changed in place when their last scores are set, not copied.
        var (enterprisesResult, enterprisesCollector) = pieces.removeLast()
        let (grantsResult, grantsCollector) = pieces.removeLast()
        models = Projection.joined(grants: grantsResult, enterprises: &enterprisesResult)
        overDisbursedSince = grantsCollector.overDisbursedSince
        revocationEvent = grantsCollector.revocationEvent
        registrationEvent = enterprisesCollector.registrationEvent
        payments = grantsCollector.payments
        paymentsBeforeAward = grantsCollector.paymentsBeforeAward
        awardEvents = grantsCollector.awardEvents
        lateEvents = AuditCollector.merged(grantsCollector, enterprisesCollector)
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

    /// Empty models and lists for `ledger`'s names.
    private init(sizedFor ledger: Ledger) {
        models = ReadModels(ledger: ledger)
        overDisbursedSince = Array(repeating: -1, count: ledger.grants.count)
        revocationEvent = Array(repeating: -1, count: ledger.grants.count)
        registrationEvent = Array(repeating: -1, count: ledger.enterprises.count)
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
        AuditCollector.track(&overDisbursedSince[grant], state: models.grants[grant], after: event)
    }
}

/// What the audit collects beside the models from one piece of the replay (`AuditReplay`):
/// sized for the piece's own entities, its lists in replay order.
struct AuditCollector: ReplayWatcher, Sendable {
    private let events: EventTable
    /// Recorded more than this many days after taking effect is late; nil: nothing is.
    private let lateDays: Int64?
    fileprivate var overDisbursedSince: [Int32] = []
    fileprivate var revocationEvent: [Int32] = []
    fileprivate var registrationEvent: [Int32] = []
    fileprivate var payments: [EventIndex] = []
    fileprivate var paymentsBeforeAward: [EventIndex] = []
    fileprivate var awardEvents: [EventIndex] = []
    /// The late events of this piece and their replay positions, side by side.
    private var lateEvents: [EventIndex] = []
    private var latePositions: [Int32] = []

    init(piece: Projection.Piece, ledger: Ledger, lateDays: Int?) {
        events = ledger.events
        self.lateDays = lateDays.map(Int64.init)
        switch piece {
        case .programmesAndGrants:
            overDisbursedSince = Array(repeating: -1, count: ledger.grants.count)
            revocationEvent = Array(repeating: -1, count: ledger.grants.count)
            // Sized once from the codes (an upper bound: every payment and award of the logs), so
            // that ten million events' lists never pass through twice their size.
            var paymentCount = 0, awardCount = 0
            for code in ledger.events.code {
                if code == GrantDisbursed.recordCode { paymentCount += 1 } else if code == GrantAwarded.recordCode { awardCount += 1 }
            }
            payments.reserveCapacity(paymentCount)
            awardEvents.reserveCapacity(awardCount)
        case .enterprisesAndCentres:
            registrationEvent = Array(repeating: -1, count: ledger.enterprises.count)
        }
    }

    @inline(__always)
    mutating func willApply(code: UInt8, at index: Int, position: Int32, models: ReadModels) {
        if let lateDays {
            let recordedDays = Int64(Timestamp(secondsSinceEpoch: events.recorded[index]).date.daysSinceEpoch)
            if recordedDays - Int64(events.effective[index]) > lateDays {
                lateEvents.append(EventIndex(offset: index))
                latePositions.append(position)
            }
        }
        if code == GrantDisbursed.recordCode {
            let event = EventIndex(offset: index)
            payments.append(event)
            if models.grants[events.subject(at: index)] == nil { paymentsBeforeAward.append(event) }
        }
    }

    @inline(__always)
    mutating func didApply(code: UInt8, at index: Int, position: Int32, models: ReadModels) {
        let subject = events.subject(at: index), event = EventIndex(offset: index)
        switch code {
        case GrantAwarded.recordCode:
            awardEvents.append(event)
            track(grant: GrantIndex(offset: subject), after: event, models: models)
        case GrantAmended.recordCode, GrantDisbursed.recordCode, GrantRecovered.recordCode:
            track(grant: GrantIndex(offset: subject), after: event, models: models)
        case GrantRevoked.recordCode:
            if models.grants[subject] != nil { revocationEvent[subject] = event.rawValue }
            track(grant: GrantIndex(offset: subject), after: event, models: models)
        case EnterpriseRegistered.recordCode:
            registrationEvent[subject] = event.rawValue
        default:
            break
        }
    }

    private mutating func track(grant: GrantIndex, after event: EventIndex, models: ReadModels) {
        AuditCollector.track(&overDisbursedSince[grant], state: models.grants[grant], after: event)
    }

    /// After `event` on a grant whose state it left as `state`: the event after which payments
    /// less recoveries have exceeded the award ever since (`since`, -1: they do not).
    static func track(_ since: inout Int32, state: GrantState?, after event: EventIndex) {
        guard let state else { return }
        let over = state.revoked == nil && state.disbursedFen - state.recoveredFen > Int128(state.awardedFen)
        if !over {
            since = -1
        } else if since < 0 {
            since = event.rawValue
        }
    }

    /// The late events of both pieces, in replay order.
    static func merged(_ first: AuditCollector, _ second: AuditCollector) -> [EventIndex] {
        var merged: [EventIndex] = []
        merged.reserveCapacity(first.lateEvents.count + second.lateEvents.count)
        var left = 0, right = 0
        while left < first.lateEvents.count || right < second.lateEvents.count {
            if right == second.lateEvents.count
                || (left < first.lateEvents.count && first.latePositions[left] < second.latePositions[right]) {
                merged.append(first.lateEvents[left])
                left += 1
            } else {
                merged.append(second.lateEvents[right])
                right += 1
            }
        }
        assert(merged.count == first.lateEvents.count + second.lateEvents.count, "every late event once")
        return merged
    }
}

