import LedgerLog

/// Checks a ledger, in one time window, against the programme rules and the books.
///
/// One replay of the window (the same `Projection.apply` the queries use) gathers the state and
/// what each rule needs along the way; then each rule group works on that state with sorts and
/// linear scans, so an audit costs a replay plus a few passes over the grants.
public struct Auditor: Sendable {
    public struct Options: Sendable, Equatable {
        /// The rules to run, in rule order without repeats.
        public var rules: [AuditRule]
        /// `late-recording` fires when an event is recorded more than this many days after it took effect.
        public var lateDays: Int

        public static let defaultLateDays = 90
        public static let lateDaysRange = 0...36_500

        public init(rules: [AuditRule] = AuditRule.allCases, lateDays: Int = Options.defaultLateDays) {
            precondition(Options.lateDaysRange.contains(lateDays), "late days within \(Options.lateDaysRange)")
            self.rules = AuditRule.allCases.filter(rules.contains)
            self.lateDays = lateDays
        }
    }

    public let ledger: Ledger
    public let window: TimeWindow
    public let options: Options

    public init(ledger: Ledger, window: TimeWindow, options: Options = Options()) {
        self.ledger = ledger
        self.window = window
        self.options = options
    }

    public func run() -> AuditReport {
        let replay = AuditReplay(ledger: ledger, window: window,
                                 lateDays: options.rules.contains(.lateRecording) ? options.lateDays : nil)
        var context = AuditContext(ledger: ledger, window: window, options: options, replay: replay)
        context.checkLateRecording()
        context.checkAwards()
        context.checkPayments()
        context.checkEnterpriseCodes()
        context.checkConcentration()
        context.findings.sort()
        return AuditReport(window: window, options: options, findings: context.findings)
    }
}

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
                payments.append((position, models.grants[Int(grant)] == nil))
            }
            Projection.apply(event, index: position, to: &models)
            switch event.payload {
            case .grantAwarded(let grant, _, _, _, _), .grantAmended(let grant, _), .grantDisbursed(let grant, _),
                 .grantRecovered(let grant, _):
                track(grant: grant, after: position)
            case .grantRevoked(let grant, _):
                if models.grants[Int(grant)] != nil { revocationEvent[Int(grant)] = position }
                track(grant: grant, after: position)
            case .enterpriseRegistered(let enterprise, _, _):
                registrationEvent[Int(enterprise)] = position
            default:
                break
            }
        }
    }

    private mutating func track(grant: Int32, after event: Int32) {
        guard let state = models.grants[Int(grant)] else { return }
        let over = state.revoked == nil && state.disbursedFen - state.recoveredFen > state.awardedFen
        if !over {
            overDisbursedSince[Int(grant)] = -1
        } else if overDisbursedSince[Int(grant)] < 0 {
            overDisbursedSince[Int(grant)] = event
        }
    }
}

/// What the rule groups share: the ledger, the replayed window, the findings so far.
struct AuditContext {
    let ledger: Ledger
    let window: TimeWindow
    let options: Options
    let replay: AuditReplay
    var findings: [AuditFinding] = []

    typealias Options = Auditor.Options

    var models: ReadModels { replay.models }

    func runs(_ rule: AuditRule) -> Bool { options.rules.contains(rule) }

    mutating func add(_ rule: AuditRule, subject: String, event: Int32?, effective: CalendarDate, _ message: String) {
        findings.append(AuditFinding(rule: rule, subject: subject, event: event.map { ledger.eventId(of: Int($0)) },
                                     effective: effective, message: message))
    }

    func grantId(_ grant: Int32) -> String { ledger.grants.string(grant) }
    func enterpriseCode(_ enterprise: Int32) -> String { ledger.enterprises.string(enterprise) }
    func programmeId(_ programme: Int32) -> String { ledger.programmes.string(programme) }
    func money(_ fen: Int64) -> String { YuanText.format(fen: fen) }

    /// "as of 2022-12-31, known at …": names the window in messages about what it lacks.
    var windowText: String {
        "as of \(window.asOf?.description ?? "any date"), known at \(window.knownAt)"
    }
}
