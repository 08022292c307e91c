/// What is measured on each dataset: the same two questions asked of every tool, the floor of
/// reading the bytes, and incentives' own verify, grants by tier, summary, summaries of two windows
/// and an audit of one.
struct BenchmarkPlan: Sendable {
    var options: BenchmarkOptions
    /// Whether this incentives build has a snapshot cache (`--no-snapshot` in `incentives help grants`).
    var incentivesHasSnapshots: Bool

    static let notInstalled = "not installed"
    static let noSnapshots = "no snapshot cache in this build (queries have no --no-snapshot)"

    func commands(for dataset: Dataset) -> [MeasuredCommand] {
        var commands: [MeasuredCommand] = []
        let events = ["--events", dataset.eventsDirectory]
        commands.append(MeasuredCommand(question: .floor, tool: .cat, executable: "cat", arguments: dataset.logPaths))
        commands.append(MeasuredCommand(question: .floor, tool: .sha256sum, executable: "sha256sum", arguments: dataset.logPaths))
        commands.append(MeasuredCommand(question: .verify, tool: .incentivesCold, executable: options.incentives,
                                        arguments: ["verify"] + events))

        let queries: [(MeasuredCommand.Question, [String])] = [
            (.perEnterprise, ["grants", "--by", "enterprise", "--format", "json"]),
            (.perYear, ["grants", "--by", "year", "--format", "json"]),
            // Issue 3's second question; incentives alone (the peers' journal has no tiers).
            (.perTier, ["grants", "--by", "tier", "--format", "json"]),
            (.summary, ["summary", "--format", "json"]),
        ]
        for (question, arguments) in queries {
            commands.append(MeasuredCommand(
                question: question, tool: .incentivesCold, executable: options.incentives,
                arguments: arguments + events + (incentivesHasSnapshots ? ["--no-snapshot"] : [])))
            commands.append(MeasuredCommand(
                question: question, tool: .incentivesWarm, executable: options.incentives, arguments: arguments + events,
                unavailable: incentivesHasSnapshots ? nil : BenchmarkPlan.noSnapshots, primingRuns: 1))
            guard question == .perEnterprise || question == .perYear else { continue }
            let group = question == .perEnterprise ? "enterprise" : "year"
            for (tool, reader) in [(MeasuredCommand.Tool.duckdbGiven, "given"), (.duckdbAuto, "auto")] {
                commands.append(MeasuredCommand(
                    question: question, tool: tool, executable: options.python ?? "python3",
                    arguments: [options.scripts + "/duckdb_query.py", group, reader, dataset.grantsPath],
                    unavailable: options.python == nil ? BenchmarkPlan.notInstalled : nil))
            }
            let hledgerArguments = question == .perEnterprise
                ? ["-f", dataset.journalPath, "balance", "assets:district"]
                : ["-f", dataset.journalPath, "balance", "assets:district", "--yearly", "--depth", "2"]
            commands.append(MeasuredCommand(
                question: question, tool: .hledger, executable: options.hledger ?? "hledger", arguments: hledgerArguments,
                unavailable: options.hledger == nil ? BenchmarkPlan.notInstalled : nil))
            let ledgerArguments = question == .perEnterprise
                ? ["-f", dataset.journalPath, "balance", "--flat", "^assets:district"]
                : ["-f", dataset.journalPath, "register", "^assets:district", "--yearly", "--collapse"]
            commands.append(MeasuredCommand(
                question: question, tool: .ledger, executable: options.ledger ?? "ledger", arguments: ledgerArguments,
                unavailable: options.ledger == nil ? BenchmarkPlan.notInstalled : nil))
        }
        // Windows (issue 13: any --as-of/--known-at under a second at 10M): the snapshot's events
        // replayed, never its kept models; warm only (cold is the summary's full read again).
        let windows: [(MeasuredCommand.Question, [String])] = [
            (.summaryAsOf, ["summary", "--format", "json", "--as-of", "2022-06-30"]),
            (.summaryKnownAt, ["summary", "--format", "json", "--known-at", "2022-12-31T00:00:00Z"]),
            // An audit of a window: the same replay, with what the rules collect, then the rules.
            (.auditKnownAt, ["audit", "--format", "json", "--known-at", "2022-12-31T00:00:00Z"]),
        ]
        for (question, arguments) in windows {
            commands.append(MeasuredCommand(
                question: question, tool: .incentivesWarm, executable: options.incentives, arguments: arguments + events,
                unavailable: incentivesHasSnapshots ? nil : BenchmarkPlan.noSnapshots, primingRuns: 1))
        }
        return commands
    }
}
