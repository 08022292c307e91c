import IncentivesDomain
import LedgerLog

extension CommandContext {
    /// One line on standard error per log whose tail holds an interrupted append: the answer
    /// comes from the acknowledged events only, and needs no write access to the directory.
    func warnAboutInterruptions(_ ledger: Ledger) {
        for log in ledger.logs {
            guard let interruption = log.interruption else { continue }
            io.writeError("warning: \(log.log.fileName): \(interruption); answering from the acknowledged events\n")
        }
    }
}
