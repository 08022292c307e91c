import LedgerLog

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

    mutating func add(_ rule: AuditRule, subject: String, event: EventIndex?, effective: CalendarDate, _ message: String) {
        findings.append(AuditFinding(rule: rule, subject: subject, event: event.map { ledger.eventId(of: $0.offset) },
                                     effective: effective, message: message))
    }

    func grantId(_ grant: GrantIndex) -> String { ledger.grants.string(grant) }
    func enterpriseCode(_ enterprise: EnterpriseIndex) -> String { ledger.enterprises.string(enterprise) }
    func programmeId(_ programme: ProgrammeIndex) -> String { ledger.programmes.string(programme) }
    func money(_ fen: Int64) -> String { YuanText.format(fen: fen) }
    func money(_ amount: Fen) -> String { YuanText.format(fen: amount.rawValue) }
    func money(_ fen: Int128) -> String { YuanText.format(fen: fen) }

    /// "as of 2022-12-31, known at …": names the window in messages about what it lacks.
    var windowText: String {
        "as of \(window.asOf?.description ?? "any date"), known at \(window.knownAt)"
    }
}
