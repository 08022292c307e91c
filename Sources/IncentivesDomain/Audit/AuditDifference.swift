import LedgerLog

/// What a batch of drafts would add to the audit: the findings present on the ledger as it would
/// be and absent from it as it is. A finding whose figures change (a grant paid over once more)
/// counts as new, since its message names the new figures. Info findings (statistics) are left out.
public struct AuditDifference: Sendable, Equatable {
    public var added: [AuditFinding]

    /// Everything known, whatever its date: the ledger as it would be, not a window of it.
    public static let window = TimeWindow(asOf: nil, knownAt: Timestamp(secondsSinceEpoch: 253_402_300_799))

    public init(before: [AuditFinding], after: [AuditFinding]) {
        let known = Set(before.filter { $0.severity > .info }.map(Key.init))
        added = after.filter { $0.severity > .info && !known.contains(Key($0)) }
    }

    public var errors: [AuditFinding] { added.filter { $0.severity == .error } }

    /// The rules whose findings a difference keeps: those above info. Each rule finds its own
    /// findings alone, so leaving the others out changes none of these (at ten million events,
    /// the concentration statistics and their sorts were a tenth of an append's time).
    static let rules = AuditRule.allCases.filter { $0.severity > .info }

    /// The options of one side of the comparison: `rules`, the default late-recording threshold.
    static let options = Auditor.Options(rules: rules)

    /// Findings of a whole ledger, for one side of the comparison: those of `rules`.
    public static func findings(of ledger: Ledger) -> [AuditFinding] {
        Auditor(ledger: ledger, window: window, options: options).run().findings
    }

    private struct Key: Hashable {
        var rule: AuditRule, subject: String, event: String?, effective: CalendarDate, message: String
        init(_ finding: AuditFinding) {
            rule = finding.rule
            subject = finding.subject
            event = finding.event
            effective = finding.effective
            message = finding.message
        }
    }
}
