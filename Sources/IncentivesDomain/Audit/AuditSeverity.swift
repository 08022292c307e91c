/// How much a finding matters: `--fail-on` compares against this order, info < warning < error.
public enum AuditSeverity: Int, CaseIterable, Comparable, Sendable, CustomStringConvertible {
    /// A figure worth knowing, not a fault (concentration).
    case info = 0
    /// Needs a look; may be legitimate (a late record, a repeated project, money still owed back).
    case warning = 1
    /// Breaks a programme rule or the books do not add up.
    case error = 2

    public var name: String {
        switch self {
        case .info: return "info"
        case .warning: return "warning"
        case .error: return "error"
        }
    }

    public init?(name: String) {
        guard let severity = AuditSeverity.allCases.first(where: { $0.name == name }) else { return nil }
        self = severity
    }

    public var description: String { name }
    public static func < (left: AuditSeverity, right: AuditSeverity) -> Bool { left.rawValue < right.rawValue }
}
