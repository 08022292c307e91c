import IncentivesDomain
import LedgerLog

/// `incentives import [FILE|-]`: history kept by another system, into a new, empty ledger, each
/// event at the `recorded` time its draft gives. The one way a draft's own `recorded` is kept:
/// into a ledger that has given no answer yet, so no answer can change.
enum ImportCommand {
    static let spec = CommandSpec(
        name: "import",
        summary: "bring history kept by another system into a new, empty ledger (JSON lines as for append, each with recorded), all or nothing",
        usage: "incentives import [FILE|-] [--verbose] [--format table|json] [--events DIR]",
        valueOptions: ["events", "format"], flags: ["verbose"], positionals: 0...1)

    static func run(_ context: CommandContext) throws(LedgerError) -> ExitCode {
        let format = try context.format()
        guard format != .csv else { throw .usage("import: --format must be table or json") }
        let drafts = try AppendCommand.readDrafts(context, nothing: "nothing was imported")
        return try AppendCommand.commit(drafts, context: context, format: format, recordedTimes: .drafts)
    }
}
