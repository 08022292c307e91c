/// The version of each tool measured, asked of the tool itself, for the report.
struct ToolVersions: Sendable {
    var incentivesHasSnapshots = false
    var duckdb: String?
    var hledger: String?
    var ledger: String?
    var sha256sum: String?

    static func probe(options: BenchmarkOptions, runner: ProcessRunner, scratch: String) -> ToolVersions {
        var versions = ToolVersions()
        let help = firstLines(of: MeasuredCommand(question: .summary, tool: .incentivesCold, executable: options.incentives,
                                                  arguments: ["help", "grants"]), runner: runner, scratch: scratch, lines: 50)
        versions.incentivesHasSnapshots = help?.contains("--no-snapshot") ?? false
        if let python = options.python {
            versions.duckdb = firstLines(of: MeasuredCommand(question: .floor, tool: .duckdbGiven, executable: python,
                                                             arguments: ["-c", "import duckdb; print('DuckDB', duckdb.__version__)"]),
                                         runner: runner, scratch: scratch)
        }
        if let hledger = options.hledger {
            versions.hledger = firstLines(of: MeasuredCommand(question: .floor, tool: .hledger, executable: hledger, arguments: ["--version"]),
                                          runner: runner, scratch: scratch)
        }
        if let ledger = options.ledger {
            versions.ledger = firstLines(of: MeasuredCommand(question: .floor, tool: .ledger, executable: ledger, arguments: ["--version"]),
                                         runner: runner, scratch: scratch)
        }
        versions.sha256sum = firstLines(of: MeasuredCommand(question: .floor, tool: .sha256sum, executable: "sha256sum", arguments: ["--version"]),
                                        runner: runner, scratch: scratch)
        return versions
    }

    private static func firstLines(of command: MeasuredCommand, runner: ProcessRunner, scratch: String, lines: Int = 1) -> String? {
        let output = scratch + "/version.out"
        guard let run = try? runner.run(command, standardOutput: output, standardError: scratch + "/version.err"),
              run.succeeded, let text = BenchmarkFiles.readText(output, limitBytes: 1 << 16) else { return nil }
        return text.split(separator: "\n").prefix(lines).joined(separator: "\n")
    }
}
