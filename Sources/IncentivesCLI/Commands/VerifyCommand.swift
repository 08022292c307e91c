import IncentivesDomain
import LedgerLog

/// `incentives verify`: checks every log and prints each one's count and head hash.
enum VerifyCommand {
    static let spec = CommandSpec(
        name: "verify", summary: "check every log: syntax, canonical form, seq, prev links, hashes, recorded order, unique ids, each event in its log",
        usage: "incentives verify [--format table|json] [--events DIR]",
        valueOptions: ["events", "format"])

    static func run(_ context: CommandContext) throws(LedgerError) -> ExitCode {
        let format = try context.format()
        guard format != .csv else { throw .usage("verify: --format must be table or json") }
        // The log layer's checks, and the domain's: each event in the log its type belongs in.
        let report = try IncentiveLogs.verify(context.store)
        if format == .json {
            context.printJSON(.record([
                ("ok", .bool(report.isValid)),
                ("logs", .array(report.logs.map {
                    .record([("log", .text($0.log.rawValue)), ("events", .integer($0.events)), ("head", .text($0.head.hex))])
                })),
                ("problems", .array(report.problems.map {
                    .record([("log", .text($0.log.rawValue)), ("line", .integer($0.line)), ("problem", .text($0.problem))])
                })),
            ]))
        } else {
            var table = TextTable(columns: [.init(title: "log"), .init(title: "events", alignment: .right), .init(title: "head")])
            for log in report.logs {
                table.addRow([log.log.rawValue, String(log.events), log.head.hex])
            }
            context.io.write(table.render())
            for problem in report.problems {
                context.io.write("\(problem.log.fileName):\(problem.line): \(problem.problem)\n")
            }
            context.io.write(report.isValid
                ? "ok: \(report.totalEvents) events in \(report.logs.count) logs verify\n"
                : "FAILED: \(report.problems.count) problem\(report.problems.count == 1 ? "" : "s")\n")
        }
        return report.isValid ? .success : .findings
    }
}
