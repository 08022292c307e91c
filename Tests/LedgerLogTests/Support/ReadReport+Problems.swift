@testable import LedgerLog

/// Reading a report by log, for assertions.
extension ReadReport {
    /// The problems of one log, in the order verify reported them.
    func problems(in log: LogName) -> [LogProblem] {
        problems.filter { $0.log == log }
    }

    func summary(of log: LogName) -> LogSummary? {
        logs.first { $0.log == log }
    }
}
