import IncentivesDomain
import LedgerLog

/// `incentives checkpoint > FILE`: the heads and read-model digests to publish with a report.
enum CheckpointCommand {
    static let spec = CommandSpec(
        name: "checkpoint", summary: "write the log heads and read-model digests as JSON, to publish with a report",
        usage: "incentives checkpoint [--as-of D] [--known-at K] [--events DIR] > FILE",
        valueOptions: ["events", "as-of", "known-at"])

    static func run(_ context: CommandContext) throws(LedgerError) -> ExitCode {
        let window = try context.window()
        let manifest = try IncentiveLogs.requireLedger(context.store)
        let ledger = try Ledger.load(store: context.store, scope: Checkpoint.scope(window))
        context.warnAboutInterruptions(ledger)
        let checkpoint = try Checkpoint.taken(store: context.store, ledger: ledger, window: window,
                                              ledgerId: manifest?.ledgerId)
        context.printJSON(checkpoint.json)
        return .success
    }
}
