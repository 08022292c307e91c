import LedgerLog

/// What an audit found in one window, sorted by rule, effective date and subject.
public struct AuditReport: Sendable, Equatable {
    public var window: TimeWindow
    public var options: Auditor.Options
    public var findings: [AuditFinding]

    public init(window: TimeWindow, options: Auditor.Options, findings: [AuditFinding]) {
        self.window = window
        self.options = options
        self.findings = findings
    }

    public func count(_ severity: AuditSeverity) -> Int {
        findings.reduce(0) { $0 + ($1.severity == severity ? 1 : 0) }
    }

    /// Whether any finding is at least as serious as `severity` (what `--fail-on` asks).
    public func hasFinding(atLeast severity: AuditSeverity) -> Bool {
        findings.contains { $0.severity >= severity }
    }

    public func findings(of rule: AuditRule) -> [AuditFinding] {
        findings.filter { $0.rule == rule }
    }

    public var json: JSONValue {
        .record([
            ("asOf", .date(window.asOf)),
            ("knownAt", .text(window.knownAt.description)),
            ("rules", .array(options.rules.map { .text($0.name) })),
            ("lateDays", .integer(options.lateDays)),
            ("counts", .record(AuditSeverity.allCases.reversed().map { ($0.name, .integer(count($0))) })),
            ("findings", .array(findings.map(\.json))),
        ])
    }
}
