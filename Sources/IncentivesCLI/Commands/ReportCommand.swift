import IncentivesDomain
import LedgerLog

/// `incentives report --html FILE`: the published report as one self-contained, printable HTML page.
enum ReportCommand {
    static let spec = CommandSpec(
        name: "report", summary: "write the report (summary, budget use, tiers, recipients, findings, restatements) as one HTML file",
        usage: "incentives report --html FILE|- [--period YYYY|YYYYQn|YYYY-MM] [--as-of D] [--known-at K] [--since-checkpoint FILE] [--no-verify] [--no-snapshot] [--events DIR]",
        valueOptions: ["events", "as-of", "known-at", "html", "period", "since-checkpoint"], flags: ["no-verify", "no-snapshot"])

    static func run(_ context: CommandContext) throws(LedgerError) -> ExitCode {
        let output = try htmlPath(context)
        let window = try context.window()
        let period = try period(context)
        var checkpoint: Checkpoint? = nil
        if let path = context.arguments.value("since-checkpoint") {
            let parsed = try Checkpoint.parse(try readWholeFile(path), name: path)
            guard parsed.window.knownAt <= window.knownAt else {
                throw .usage("report: the checkpoint \(path) is known at \(parsed.window.knownAt), after --known-at \(window.knownAt); compare with a later time")
            }
            checkpoint = parsed
        }
        let ledgerId = try LedgerManifest.read(directory: context.eventsDirectory)?.ledgerId
        let ledger = try context.loadLedger(.everyEvent(actorsAndSources: false, lookups: []))
        let figures = try ReportFigures(ledger: ledger, window: window, period: period, checkpoint: checkpoint)
        var command = "incentives report --html \(output) --known-at \(window.knownAt)"
        if let asOf = window.asOf { command += " --as-of \(asOf)" }
        if let period { command += " --period \(period)" }
        if let path = context.arguments.value("since-checkpoint") { command += " --since-checkpoint \(path)" }
        if context.eventsDirectory != "Events" { command += " --events \(context.eventsDirectory)" }
        let bytes = ReportPage(figures: figures, ledgerId: ledgerId, command: command).render()
        try deliver(bytes, to: output, context: context)
        return .success
    }

    /// `--html FILE` (required); `-` writes the page to standard output.
    static func htmlPath(_ context: CommandContext) throws(LedgerError) -> String {
        guard let path = context.arguments.value("html"), !path.isEmpty else {
            throw .usage("\(context.command): --html FILE is required (the page to write, or - for standard output)")
        }
        return path
    }

    /// `YYYY`, `YYYYQn`, `YYYY-Qn` or `YYYY-MM`.
    static func period(_ context: CommandContext) throws(LedgerError) -> RestatementPeriod? {
        guard let text = context.arguments.value("period") else { return nil }
        var normalised = text
        if text.count == 7, text.dropFirst(4).first == "-", let letter = text.dropFirst(5).first, letter == "Q" || letter == "q" {
            normalised = String(text.prefix(4)) + String(text.dropFirst(5))
        }
        guard let period = RestatementPeriod(parsing: normalised) else {
            throw .usage("\(context.command): --period \"\(text)\" is not \(RestatementPeriod.forms)")
        }
        return period
    }

    static func deliver(_ bytes: [UInt8], to path: String, context: CommandContext) throws(LedgerError) {
        if path == "-" {
            context.io.write(String(decoding: bytes, as: UTF8.self))
        } else {
            try ReportFile.write(bytes, to: path)
            context.io.writeError("\(context.command): wrote \(path) (\(bytes.count) bytes)\n")
        }
    }
}
