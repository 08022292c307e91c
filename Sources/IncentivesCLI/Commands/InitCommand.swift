import IncentivesDomain
import LedgerLog

/// `incentives init`: makes an empty ledger (its `ledger.json`; each log is created by the first
/// append to it, a missing log being an empty one), or adds
/// `ledger.json` to an older ledger that has logs but none. Never touches an existing ledger.
enum InitCommand {
    static let spec = CommandSpec(
        name: "init", summary: "create an empty ledger: its ledger.json (id and time zone); appends then fill its logs",
        usage: "incentives init [--time-zone ±HH:MM] [--events DIR]",
        valueOptions: ["events", "time-zone"])

    static func run(_ context: CommandContext) throws(LedgerError) -> ExitCode {
        let zoneText = context.arguments.value("time-zone") ?? "+08:00"
        guard let offset = LedgerManifest.parseOffset(zoneText) else {
            throw .usage("init: --time-zone \"\(zoneText)\" is not an offset ±HH:MM within ±14:00 (e.g. +08:00)")
        }
        let manifest = try LedgerManifest(random: context.ledgerIds, timeZoneOffsetMinutes: offset)
        let directory = context.eventsDirectory
        switch try context.store.createLedger(manifest) {
        case .created:
            context.io.write("created an empty ledger in \(directory): id \(manifest.ledgerId), time zone \(manifest.timeZone)\n")
        case .manifestAdded:
            context.io.write("\(directory) already held logs: added \(LedgerManifest.fileName) (id \(manifest.ledgerId), time zone \(manifest.timeZone)); the logs are unchanged\n")
        }
        return .success
    }
}
