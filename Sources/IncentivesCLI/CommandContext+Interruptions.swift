import IncentivesDomain
import LedgerLog

extension CommandContext {
    /// One line on standard error per log whose tail holds an interrupted append: the answer
    /// comes from the acknowledged events only, and needs no write access to the directory.
    func warnAboutInterruptions(_ ledger: Ledger) { warnAboutInterruptions(ledger.logs) }

    /// The same for logs read without a ledger (an answer kept at the heads).
    func warnAboutInterruptions(_ logs: [LogSummary]) {
        for log in logs {
            guard let interruption = log.interruption else { continue }
            io.writeError("warning: \(log.log.fileName): \(interruption); answering from the acknowledged events\n")
        }
    }
}
