import LedgerLog

/// The exit codes of every command (BSD sysexits where one fits).
public enum ExitCode: Int32, Sendable {
    case success = 0
    /// A check ran and found problems: verify, replay --check, audit --fail-on, restatements.
    case findings = 1
    case usage = 64
    /// Bad data: an invalid or refused event, a log that does not verify or cannot be read as events.
    case dataError = 65
    /// The events directory is not a ledger (`incentives init` makes one).
    case noLedger = 66
    case inputOutputError = 74

    init(_ code: LedgerError.Code) {
        switch code {
        case .badData: self = .dataError
        case .inputOutput: self = .inputOutputError
        case .usage: self = .usage
        case .noLedger: self = .noLedger
        }
    }
}
