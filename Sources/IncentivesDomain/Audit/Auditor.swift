import LedgerColumns
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
        run(withModels: { _ in () }).report
    }

    /// The audit, and what `body` makes of the window's read models: the audit's replay makes
    /// the same models a query's replay does (`ColumnReplayTests`), so a command that states
    /// figures and findings of one window (`report`, `statement`) replays it once, not twice. At
    /// ten million events a second replay's models (about 240 MB) beside the ledger and the
    /// audit's took such a command to its gigabyte. `body` runs before the rules, so that what it
    /// leaves behind it is let go before the rules' sorted copies of the awards are made.
    public func run<Result, Failure: Error>(
        withModels body: (ReadModels) throws(Failure) -> Result
    ) throws(Failure) -> (report: AuditReport, result: Result) {
        let replay = AuditReplay(ledger: ledger, window: window,
                                 lateDays: options.rules.contains(.lateRecording) ? options.lateDays : nil)
        let result = try body(replay.models)
        let context = AuditContext(ledger: ledger, window: window, options: options, replay: replay)
        // Built once for the rule groups on both cores.
        let awards = context.runsAwardRules || context.runs(.concentration) ? context.liveAwards() : []
        // The rule groups only add findings to their own copy of the context, joined in the
        // order they once ran one after another (then sorted by a total order). On one core the
        // rules over groups of awards: caps and duplicates, then the budgets and concentration,
        // which share one copy of the awards sorted by programme and year (made after the first
        // sorted copy is let go); on the other the rules over single events and states: late
        // recording, each award against its enterprise on its date, payments, enterprise codes.
        let parts = ParallelWork.map(count: 2) { side -> [[AuditFinding]] in
            if side == 0 {
                var groups = context, concentration = context
                groups.checkAwardGroups(awards)
                let byYear = context.runs(.budgetExceeded) || context.runs(.concentration)
                    ? AuditContext.sorted(awards, by: .programmeAndYear) : []
                groups.checkBudgets(byYear)
                concentration.checkConcentration(byYear)
                return [groups.findings, concentration.findings]
            }
            var late = context, dates = context, payments = context, codes = context
            late.checkLateRecording()
            dates.checkAwardDates(awards)
            payments.checkPayments()
            codes.checkEnterpriseCodes()
            return [late.findings, dates.findings, payments.findings, codes.findings]
        }
        let (groups, concentration) = (parts[0][0], parts[0][1])
        let (late, dates, payments, codes) = (parts[1][0], parts[1][1], parts[1][2], parts[1][3])
        var findings = late + dates + groups + payments + codes + concentration
        findings.sort()
        return (AuditReport(window: window, options: options, findings: findings), result)
    }
}
