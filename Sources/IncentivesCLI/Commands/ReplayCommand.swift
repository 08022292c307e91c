import IncentivesDomain
import LedgerLog

/// `incentives replay`: rebuilds every read model and prints timings, digests and log heads;
/// with `--check FILE`, proves this build reproduces a published checkpoint.
enum ReplayCommand {
    static let spec = CommandSpec(
        name: "replay", summary: "rebuild every read model from the logs and print digests; --check FILE re-checks a checkpoint",
        usage: "incentives replay [--check FILE] [--as-of D] [--known-at K] [--format table|json] [--events DIR]",
        valueOptions: ["events", "format", "check", "as-of", "known-at"])

    static func run(_ context: CommandContext) throws(LedgerError) -> ExitCode {
        let format = try context.format()
        guard format != .csv else { throw .usage("replay: --format must be table or json") }
        if let path = context.arguments.value("check") {
            guard context.arguments.value("as-of") == nil, context.arguments.value("known-at") == nil else {
                throw .usage("replay --check takes its window from the checkpoint; drop --as-of and --known-at")
            }
            let checkpoint = try Checkpoint.parse(try readWholeFile(path), name: path)
            let differences = try checkpoint.check(store: context.store,
                                                   ledgerId: try IncentiveLogs.requireLedger(context.store)?.ledgerId)
            if format == .json {
                context.printJSON(.record([("ok", .bool(differences.isEmpty)), ("differences", .array(differences.map { .text($0) }))]))
            } else {
                for difference in differences { context.io.write(difference + "\n") }
                context.io.write(differences.isEmpty
                    ? "ok: this build reproduces every read model of \(path)\n"
                    : "FAILED: \(differences.count) difference\(differences.count == 1 ? "" : "s") from \(path)\n")
            }
            return differences.isEmpty ? .success : .findings
        }
        let window = try context.window()
        let started = monotonicNanoseconds()
        let ledger = try Ledger.load(store: context.store, scope: Checkpoint.scope(window))
        context.warnAboutInterruptions(ledger)
        let loaded = monotonicNanoseconds()
        let checkpoint = Checkpoint(ledger: ledger, window: window,
                                    ledgerId: try IncentiveLogs.requireLedger(context.store)?.ledgerId)
        let finished = monotonicNanoseconds()
        let seconds = Double(finished - started) / 1e9
        let rate = seconds > 0 ? Int(Double(ledger.count) / seconds) : 0
        if format == .json {
            context.printJSON(.record([
                ("events", .integer(ledger.count)),
                ("readMilliseconds", .integer(Int((loaded - started) / 1_000_000))),
                ("replayMilliseconds", .integer(Int((finished - loaded) / 1_000_000))),
                ("eventsPerSecond", .integer(rate)),
                ("checkpoint", checkpoint.json),
            ]))
        } else {
            context.io.write("replayed \(ledger.count) events in \(formatSeconds(seconds)) s (\(rate) events/s: read and verify \(formatSeconds(Double(loaded - started) / 1e9)) s, replay \(formatSeconds(Double(finished - loaded) / 1e9)) s)\n")
            context.io.write("as of \(window.asOf?.description ?? "(no limit)"), known at \(try context.timeZone().format(window.knownAt))\n\n")
            var heads = TextTable(columns: [.init(title: "log"), .init(title: "events", alignment: .right), .init(title: "head")])
            for log in checkpoint.logs { heads.addRow([log.log.rawValue, String(log.events), log.head.hex]) }
            var digests = TextTable(columns: [.init(title: "read model"), .init(title: "version", alignment: .right),
                                              .init(title: "digest (SHA-256 of its RFC 8785 JSON)")])
            for entry in checkpoint.digests { digests.addRow([entry.name, String(entry.version), entry.digest.hex]) }
            context.io.write(heads.render() + "\n" + digests.render())
        }
        return .success
    }

    static func formatSeconds(_ seconds: Double) -> String {
        let milliseconds = Int((seconds * 1000).rounded())
        let fraction = milliseconds % 1000
        return "\(milliseconds / 1000)." + String(repeating: "0", count: 3 - String(fraction).count) + String(fraction)
    }
}
