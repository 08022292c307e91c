/// The checks `incentives audit` runs, in the order findings are sorted. Each rule's exact
/// definition is on its case; `Auditor` implements them.
public enum AuditRule: String, CaseIterable, Sendable, Comparable, CustomStringConvertible {
    /// A live grant awarded while the enterprise's tier on the award date (same-day changes
    /// included) is below the `minTier` in force for the programme on that date.
    case tierBelowMinimum = "tier-below-minimum"
    /// A live grant whose amount brings the live awards under its programme to its enterprise,
    /// awarded in the `capYears` years ending on its award date (inclusive, earlier same-day
    /// awards included), above the `capFen` in force on that date. The whole crossing award is the finding.
    case capExceeded = "cap-exceeded"
    /// A grant that is not revoked whose payments less recoveries exceed its awarded amount.
    case overDisbursed = "over-disbursed"
    /// Live awards under a programme in a calendar year exceeding the year's appropriations.
    case budgetExceeded = "budget-exceeded"
    /// A live award, or any payment, effective after the enterprise's deregistration date.
    case afterDeregistration = "after-deregistration"
    /// A revoked grant whose payments exceed its recoveries: money owed back.
    case unrecoveredRevocation = "unrecovered-revocation"
    /// A second live award to one enterprise under one programme for the same project
    /// (names compared ignoring case and white space).
    case duplicateAward = "duplicate-award"
    /// A payment effective before its grant's award, or on a grant with no award in the window.
    case paymentBeforeAward = "payment-before-award"
    /// An event recorded more than `lateDays` days after its effective date.
    case lateRecording = "late-recording"
    /// An enterprise code whose GB 32100-2015 check character is wrong.
    case usccCheckDigit = "uscc-check-digit"
    /// Per programme and year: the top-10 recipients' share and the Herfindahl-Hirschman index.
    case concentration = "concentration"

    public var name: String { rawValue }
    public var description: String { rawValue }

    public init?(name: String) { self.init(rawValue: name) }

    public static let names = AuditRule.allCases.map(\.rawValue)

    public var severity: AuditSeverity {
        switch self {
        case .tierBelowMinimum, .capExceeded, .overDisbursed, .budgetExceeded, .afterDeregistration,
             .paymentBeforeAward, .usccCheckDigit:
            return .error
        case .unrecoveredRevocation, .duplicateAward, .lateRecording:
            return .warning
        case .concentration:
            return .info
        }
    }

    /// Whether a finding's message can name the audit's window (`AuditContext.windowText`: "as
    /// of any date, known at …"), so that the same findings at another known-at, even at the
    /// heads, say something else: a payment with no award in the window. Findings kept at the
    /// heads answer another known-at only when they hold none of these (`KeptAuditFindings`).
    public var messageNamesTheWindow: Bool { self == .paymentBeforeAward }

    /// Position in the sort order of findings.
    public var rank: Int { AuditRule.allCases.firstIndex(of: self)! }

    public static func < (left: AuditRule, right: AuditRule) -> Bool { left.rank < right.rank }
}
