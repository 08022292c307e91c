/// The report: Markdown for the README, JSON for machines. Same figures in both.
struct BenchmarkReport {
    var options: BenchmarkOptions
    var machine: MachineDescription
    var versions: ToolVersions
    var datasets: [Dataset]
    var results: [CommandResult]
    var appends: [AppendResult]
    var afterAppends: [AfterAppendResult] = []

    /// Whether a tool read all three logs (so events/s and MB/s of the whole ledger apply).
    static func readsEveryLog(_ tool: MeasuredCommand.Tool) -> Bool {
        switch tool {
        case .cat, .sha256sum, .incentivesCold, .incentivesWarm: return true
        case .duckdbGiven, .duckdbAuto, .hledger, .ledger: return false
        }
    }

    var toolsLine: String {
        var tools = ["incentives (this commit, release build\(versions.incentivesHasSnapshots ? ", with snapshots" : ", no snapshot cache"))"]
        tools.append(versions.duckdb.map { "\($0) (Python)" } ?? "DuckDB not installed")
        tools.append(versions.hledger ?? "hledger not installed")
        tools.append(versions.ledger ?? "ledger-cli not installed")
        if let sha = versions.sha256sum { tools.append(sha) }
        return tools.joined(separator: "; ")
    }

    func markdown() -> String {
        var text = "## Benchmark, \(machine.date)\n\n"
        text += "Machine: \(machine.processors) × \(machine.processorModel), \(machine.memoryDescription), \(machine.kernel); "
        text += "load average at the start \(machine.loadAverage).\n\n"
        text += "Tools: \(toolsLine).\n\n"
        text += "Each time is the median of \(options.runs) runs (fewer where a command's runs passed the \(options.budgetSeconds) s budget: see *runs*); "
        text += "*CPU* is user + system time of the process; *peak memory* is the highest maximum resident set of the runs (never below the benchmark's own, about 12 MB, which the kernel counts for the child it starts). "
        text += "The logs are in the page cache. *Cold* means no snapshot: each query reads, verifies and replays every log. "
        text += "The peers answer a simpler question (the sum of `GrantAwarded` amounts, ignoring amendments, revocations and retractions, "
        text += "verifying nothing) from grants.jsonl alone (DuckDB) or from a journal exported from it (hledger, ledger-cli).\n"

        for dataset in datasets where !results.isEmpty {
            text += "\n### \(dataset.label): \(BenchmarkFormat.grouped(dataset.events)) events, \(BenchmarkFormat.megabytes(dataset.bytes))"
            text += " (grants.jsonl \(BenchmarkFormat.megabytes(dataset.grantsBytes)))\n\n"
            text += "| question | tool | wall | CPU | peak memory | events/s | MB/s | runs | note |\n"
            text += "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n"
            for result in results where result.dataset == dataset.label {
                let wall = result.wallSeconds
                let whole = BenchmarkReport.readsEveryLog(result.command.tool)
                let eventsRate = whole ? BenchmarkStatistics.rate(Double(dataset.events), seconds: wall) : nil
                let bytesRate = whole ? BenchmarkStatistics.rate(dataset.megabytes, seconds: wall) : nil
                var note = ""
                if let query = result.querySeconds { note = "query alone \(BenchmarkFormat.seconds(query))" }
                if let problem = result.problem {
                    note = problem
                    if let detail = result.problemDetail, !detail.isEmpty { note += ": " + detail.replacingPipes() }
                }
                text += "| \(result.command.question.rawValue) | \(result.command.tool.rawValue) | \(BenchmarkFormat.seconds(wall)) "
                text += "| \(BenchmarkFormat.seconds(result.processorSeconds)) | \(BenchmarkFormat.megabytes(result.maximumResidentBytes)) "
                text += "| \(BenchmarkFormat.rate(eventsRate, unit: "events")) "
                text += "| \(bytesRate.map { BenchmarkFormat.decimal($0, digits: 0) } ?? "–") "
                text += "| \(result.measured.count) | \(note) |\n"
            }
        }

        if !datasets.isEmpty, !results.isEmpty {
            text += "\n### Ratios: the peer's wall time ÷ incentives' (above 1, incentives is faster)\n\n"
            text += "| size | question | incentives | compared with | ratio |\n| --- | --- | --- | --- | ---: |\n"
        }
        for dataset in datasets {
            for ratio in BenchmarkRatio.all(in: results, dataset: dataset.label) {
                text += "| \(ratio.dataset) | \(ratio.question.rawValue) | \(ratio.ours.rawValue) | \(ratio.peer) | \(BenchmarkFormat.ratio(ratio.ratio)) |\n"
            }
        }

        if !appends.isEmpty {
            text += "\n### Durable appends (each append synced before it returns; scratch directory on the same disk)\n\n"
            text += "*CPU share* is the processor time of the appends over their wall time: the rest is waiting, mostly for fsync.\n\n"
            text += "*events/s* is over all the appends of the series; *at the median* is the events of one append over the median append's time.\n\n"
            text += "| path | events per append | appends | events/s | events/s at the median | appends/s | median append | 99th percentile | CPU share |\n"
            text += "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n"
            for append in appends {
                text += "| \(append.layer.rawValue) | \(BenchmarkFormat.grouped(append.eventsPerAppend)) | \(BenchmarkFormat.grouped(append.appendSeconds.count)) "
                text += "| \(BenchmarkFormat.rate(append.eventsPerSecond, unit: "events")) | \(BenchmarkFormat.rate(append.eventsPerSecondAtMedian, unit: "events")) "
                text += "| \(BenchmarkFormat.rate(append.appendsPerSecond, unit: "appends")) "
                text += "| \(milliseconds(append.medianSeconds)) | \(milliseconds(append.percentile99Seconds)) "
                text += "| \(append.processorShare.map { BenchmarkFormat.decimal($0 * 100, digits: 0) + " %" } ?? "–") |\n"
            }
        }
        for after in afterAppends {
            text += "\n### After appends, \(after.dataset): a copy of its logs, each step once, in order\n\n"
            text += "A first `summary` saves the snapshot; then appends of one `CapabilityEvaluated` draft in a row (tiers.jsonl, "
            text += "the first log), each `incentives append` its own process; then `summary` twice. The copy's stamps are "
            text += "settled before the first step.\n\n"
            text += "| step | wall | CPU | peak memory | note |\n| --- | ---: | ---: | ---: | --- |\n"
            for step in after.steps {
                var note = step.problem ?? ""
                if let detail = step.detail, !detail.isEmpty { note += ": " + detail.replacingPipes() }
                text += "| \(step.name) | \(BenchmarkFormat.seconds(step.measurement.wallSeconds)) "
                text += "| \(BenchmarkFormat.seconds(step.measurement.processorSeconds)) "
                text += "| \(BenchmarkFormat.megabytes(step.measurement.maximumResidentBytes)) | \(note) |\n"
            }
        }
        if let first = datasets.first, !results.isEmpty {
            text += "\nCommands (WORK is the data folder, Tools/benchmark/work):\n\n"
            for result in results where result.dataset == first.label {
                let line = result.command.displayLine.replacingOccurrences(of: first.folder, with: "WORK/\(first.label)")
                text += "- \(result.command.question.rawValue), \(result.command.tool.rawValue): `\(line)`\n"
            }
        }
        return text
    }

    private func milliseconds(_ seconds: Double?) -> String {
        guard let seconds else { return "–" }
        return BenchmarkFormat.decimal(seconds * 1000, digits: 2) + " ms"
    }

    func json() -> String {
        var writer = BenchmarkJSON()
        writer.object {
            $0.member("date", machine.date)
            $0.member("machine") {
                $0.member("processors", machine.processors)
                $0.member("processorModel", machine.processorModel)
                $0.member("memoryBytes", machine.memoryBytes)
                $0.member("kernel", machine.kernel)
                $0.member("loadAverage", machine.loadAverage)
            }
            $0.member("tools", toolsLine)
            $0.member("runs", options.runs)
            $0.member("budgetSeconds", options.budgetSeconds)
            $0.array("datasets") { list in
                for dataset in datasets {
                    list.element {
                        $0.member("size", dataset.label)
                        $0.member("events", dataset.events)
                        $0.member("bytes", dataset.bytes)
                        $0.member("grantsBytes", dataset.grantsBytes)
                        $0.array("results") { rows in
                            for result in results where result.dataset == dataset.label {
                                rows.element {
                                    $0.member("question", result.command.question.rawValue)
                                    $0.member("tool", result.command.tool.rawValue)
                                    $0.member("command", result.command.displayLine)
                                    $0.member("runs", result.measured.count)
                                    $0.member("wallSeconds", result.wallSeconds)
                                    $0.member("cpuSeconds", result.processorSeconds)
                                    $0.member("peakResidentBytes", result.maximumResidentBytes)
                                    $0.member("querySeconds", result.querySeconds)
                                    $0.member("wallSecondsOfEachRun", result.measured.map(\.wallSeconds))
                                    $0.member("problem", result.problem.map { $0 + (result.problemDetail.map { ": " + $0 } ?? "") })
                                }
                            }
                        }
                        $0.array("ratios") { rows in
                            for ratio in BenchmarkRatio.all(in: results, dataset: dataset.label) {
                                rows.element {
                                    $0.member("question", ratio.question.rawValue)
                                    $0.member("incentives", ratio.ours.rawValue)
                                    $0.member("peer", ratio.peer)
                                    $0.member("peerWallOverIncentivesWall", ratio.ratio)
                                }
                            }
                        }
                    }
                }
            }
            $0.array("appends") { rows in
                for append in appends {
                    rows.element {
                        $0.member("path", append.layer.rawValue)
                        $0.member("eventsPerAppend", append.eventsPerAppend)
                        $0.member("appends", append.appendSeconds.count)
                        $0.member("eventsPerSecond", append.eventsPerSecond)
                        $0.member("appendsPerSecond", append.appendsPerSecond)
                        $0.member("medianSeconds", append.medianSeconds)
                        $0.member("percentile99Seconds", append.percentile99Seconds)
                        $0.member("processorSeconds", append.processorSeconds)
                        $0.member("callerProcessorSeconds", append.callerProcessorSeconds)
                    }
                }
            }
            $0.array("afterAppends") { rows in
                for after in afterAppends {
                    rows.element {
                        $0.member("size", after.dataset)
                        $0.array("steps") { steps in
                            for step in after.steps {
                                steps.element {
                                    $0.member("step", step.name)
                                    $0.member("wallSeconds", step.measurement.wallSeconds)
                                    $0.member("processorSeconds", step.measurement.processorSeconds)
                                    $0.member("maximumResidentBytes", step.measurement.maximumResidentBytes)
                                    $0.member("problem", step.problem)
                                }
                            }
                        }
                    }
                }
            }
        }
        return writer.text + "\n"
    }
}

extension String {
    /// A cell of a Markdown table must not hold a bare `|`.
    func replacingPipes() -> String { replacingOccurrences(of: "|", with: "\\|") }

    func replacingOccurrences(of target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let range = rest.range(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}

extension Substring {
    func range(of target: String) -> Range<Substring.Index>? {
        var start = startIndex
        while start < endIndex {
            if self[start...].hasPrefix(target) {
                return start..<index(start, offsetBy: target.count)
            }
            start = index(after: start)
        }
        return nil
    }
}
