import LedgerLog

/// One thing the audit found: which rule, how serious, what it concerns, the event behind it,
/// and a sentence that names the figures so a person can act on it.
public struct AuditFinding: Sendable, Equatable, Comparable {
    public var rule: AuditRule
    public var severity: AuditSeverity
    /// The grant, enterprise or programme concerned.
    public var subject: String
    /// The id of the event that triggered it; nil for figures about a whole programme-year.
    public var event: String?
    public var effective: CalendarDate
    public var message: String

    public init(rule: AuditRule, subject: String, event: String?, effective: CalendarDate, message: String) {
        self.rule = rule
        severity = rule.severity
        self.subject = subject
        self.event = event
        self.effective = effective
        self.message = message
    }

    /// By rule, effective date, subject; then event and message, so the order is total.
    public static func < (left: AuditFinding, right: AuditFinding) -> Bool {
        if left.rule != right.rule { return left.rule < right.rule }
        if left.effective != right.effective { return left.effective < right.effective }
        if left.subject != right.subject { return left.subject < right.subject }
        if left.event != right.event { return (left.event ?? "") < (right.event ?? "") }
        return left.message < right.message
    }

    public var json: JSONValue {
        .record([
            ("rule", .text(rule.name)), ("severity", .text(severity.name)), ("subject", .text(subject)),
            ("event", event.map { .text($0) } ?? .null), ("effective", .date(effective)), ("message", .text(message)),
        ])
    }
}
