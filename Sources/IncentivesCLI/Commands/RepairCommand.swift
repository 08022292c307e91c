import IncentivesDomain
import LedgerLog

/// `incentives repair`: under the directory's exclusive lock, finishes or rolls back an
/// interrupted append and removes a torn last line, each after copying what it removes to
/// `.ledger-quarantine/`; then verifies every log. What every append does first, on its own.
enum RepairCommand {
    static let spec = CommandSpec(
        name: "repair", summary: "finish or roll back an interrupted append (removed bytes kept in .ledger-quarantine/), then verify",
        usage: "incentives repair [--events DIR]",
        valueOptions: ["events"])

    static func run(_ context: CommandContext) throws(LedgerError) -> ExitCode {
        var notices: [String] = []
        do {
            // The lock is released when the writer goes, before the read below takes its own.
            _ = try context.store.openWriter(clock: context.clock, repairing: true) { notices.append($0) }
        }
        for notice in notices { context.io.write("\(notice)\n") }
        if notices.isEmpty { context.io.write("nothing to repair: no interrupted append, no torn line\n") }
        let report = try context.store.verify()
        for problem in report.problems {
            context.io.write("\(problem.log.fileName):\(problem.line): \(problem.problem)\n")
        }
        guard report.isValid else {
            context.io.write("FAILED: \(report.problems.count) problem\(report.problems.count == 1 ? "" : "s") that repair does not touch: run `incentives verify` and restore the damaged log from a copy\n")
            return .findings
        }
        context.io.write("ok: \(report.totalEvents) events in \(report.logs.count) logs verify\n")
        return .success
    }
}
