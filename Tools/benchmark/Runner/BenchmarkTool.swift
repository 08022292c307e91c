import LedgerLog

/// Runs the whole benchmark: every command of every dataset, round-robin so that a change in the
/// machine's load falls on all tools alike, then the appends, then the report.
enum BenchmarkTool {
    static func main(_ arguments: [String]) -> Int32 {
        let options: BenchmarkOptions
        switch BenchmarkOptions.parse(arguments) {
        case .success(let parsed): options = parsed
        case .failure(let failure): return fail(failure)
        }
        if options.help {
            print(BenchmarkOptions.usage, terminator: "")
            return 0
        }
        guard BenchmarkFiles.makeDirectory(options.work) else { return fail(.inputOutput("cannot create \(options.work)")) }
        // The warm queries' snapshots go to a cache directory of the benchmark's own, read back
        // into the page cache with the logs after a run that held much memory (`measure`).
        let snapshotCache = BenchmarkFiles.absolute(options.work) + "/" + BenchmarkTool.snapshotCacheName
        BenchmarkFiles.setEnvironment(BenchmarkTool.snapshotCacheVariable, to: snapshotCache)
        let machine = MachineDescription.current()
        var datasets: [Dataset] = []
        for label in options.sizes {
            switch Dataset.open(label: label, work: options.work) {
            case .success(let dataset): datasets.append(dataset)
            case .failure(let failure): return fail(failure)
            }
        }
        let runner = ProcessRunner(timeoutSeconds: options.timeoutSeconds,
                                   memoryLimitBytes: options.memoryLimitMegabytes << 20)
        let versions = ToolVersions.probe(options: options, runner: runner, scratch: options.work)
        let plan = BenchmarkPlan(options: options, incentivesHasSnapshots: versions.incentivesHasSnapshots)

        var results: [CommandResult] = []
        var afterAppends: [AfterAppendResult] = []
        var appends: [AppendResult] = []
        for step in options.steps {
            switch step {
            case .queries:
                for dataset in datasets {
                    progress("\(dataset.label): \(dataset.events) events, \(BenchmarkFormat.megabytes(dataset.bytes))")
                    do {
                        results += try measure(plan.commands(for: dataset), on: dataset, snapshotCache: snapshotCache,
                                               options: options, runner: runner)
                    } catch {
                        return fail(.inputOutput(error.message))
                    }
                }
            case .afterAppends:
                for dataset in datasets {
                    progress("\(dataset.label): \(AfterAppendBenchmark.defaultAppends) appends in a row to a copy of the logs, and the queries after")
                    do {
                        afterAppends.append(try AfterAppendBenchmark(dataset: dataset, incentives: options.incentives, runner: runner,
                                                                     scratchParent: options.work,
                                                                     appends: AfterAppendBenchmark.defaultAppends).run())
                    } catch {
                        return fail(.inputOutput("the measurement after appends failed: \(error.message)"))
                    }
                }
            case .appends:
                progress("appends: \(options.singleAppends) of 1 event, \(options.batchAppends) of \(BenchmarkOptions.batchEvents)")
                do {
                    appends = try AppendBenchmark(scratchParent: options.work, singleAppends: options.singleAppends,
                                                  batchAppends: options.batchAppends).run()
                } catch {
                    return fail(.inputOutput("the append measurement failed: \(error.message)"))
                }
            }
        }
        let report = BenchmarkReport(options: options, machine: machine, versions: versions, datasets: datasets,
                                     results: results, appends: appends, afterAppends: afterAppends)
        print(options.json ? report.json() : report.markdown(), terminator: "")
        return 0
    }

    /// Measures every command `options.runs` times, one round at a time; a command stops early
    /// when it fails or when its runs have used up the time budget.
    static func measure(_ commands: [MeasuredCommand], on dataset: Dataset, snapshotCache: String,
                        options: BenchmarkOptions, runner: ProcessRunner) throws(LedgerError) -> [CommandResult] {
        var results = commands.map { CommandResult(command: $0, dataset: dataset.label, problem: $0.unavailable) }
        func paths(_ index: Int) -> (String, String) {
            let base = dataset.outputDirectory + "/" + commands[index].slug
            return (base + ".out", base + ".err")
        }
        // Priming: a warm query writes its snapshot first; the floor's `cat` also brings the logs into the page cache.
        for index in results.indices where results[index].problem == nil {
            for _ in 0..<commands[index].primingRuns {
                let (output, errors) = paths(index)
                let run = try runner.run(commands[index], standardOutput: output, standardError: errors)
                if !run.succeeded { record(failure: run, of: &results[index], errors: errors) }
            }
        }
        // A run that held much memory (hledger and ledger-cli at 10M hold gigabytes) may have pushed
        // the logs and the snapshots out of the page cache: they are read through again, untimed,
        // before the next run, so that every measured run starts with them cached, as the report says.
        var cacheMayBeCold = true
        for round in 0..<options.runs {
            for index in results.indices where results[index].problem == nil {
                if round > 0 && results[index].totalWallSeconds >= Double(options.budgetSeconds) { continue }
                if cacheMayBeCold {
                    let snapshots = BenchmarkFiles.files(in: snapshotCache, prefix: BenchmarkTool.snapshotFilePrefix)
                    for path in dataset.logPaths + snapshots where !BenchmarkFiles.readThrough(path) {
                        progress("\(dataset.label): cannot read \(path) into the page cache")
                    }
                }
                let (output, errors) = paths(index)
                var run = try runner.run(commands[index], standardOutput: output, standardError: errors)
                cacheMayBeCold = run.maximumResidentBytes > BenchmarkTool.cacheRefreshResidentBytes
                guard run.succeeded else {
                    record(failure: run, of: &results[index], errors: errors)
                    continue
                }
                run.reportedQuerySeconds = reportedQuerySeconds(in: errors)
                results[index].runs.append(run)
                progress("\(dataset.label) round \(round + 1): \(commands[index].question.rawValue), \(commands[index].tool.rawValue): \(BenchmarkFormat.seconds(run.wallSeconds)), \(BenchmarkFormat.megabytes(run.maximumResidentBytes))")
            }
        }
        return results
    }

    /// A run whose peak resident memory passes this may have evicted the logs from the page cache.
    static let cacheRefreshResidentBytes = 1 << 30

    /// Where incentives keeps snapshots when told (its `SnapshotCache.directoryVariable`), the
    /// benchmark's own under its work directory, and how their files are named.
    static let snapshotCacheVariable = "INCENTIVES_CACHE_DIR"
    static let snapshotCacheName = "snapshot-cache"
    static let snapshotFilePrefix = "snapshot-"

    private static func record(failure run: RunMeasurement, of result: inout CommandResult, errors: String) {
        result.runs.append(run)
        result.problem = run.failureDescription
        let text = BenchmarkFiles.readText(errors, limitBytes: 1 << 16) ?? ""
        result.problemDetail = String(text.split(separator: "\n").suffix(2).joined(separator: " / ").prefix(300))
        progress("\(result.dataset): \(result.command.question.rawValue), \(result.command.tool.rawValue) failed: \(result.problem ?? "") \(result.problemDetail ?? "")")
    }

    /// DuckDB's script says how long the query took apart from starting Python.
    private static func reportedQuerySeconds(in errors: String) -> Double? {
        guard let text = BenchmarkFiles.readText(errors, limitBytes: 1 << 16) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("benchmark-query-seconds=") {
            return Double(line.dropFirst("benchmark-query-seconds=".count))
        }
        return nil
    }

    static func progress(_ message: String) {
        printToStandardError("benchmark: " + message)
    }

    private static func fail(_ failure: BenchmarkFailure) -> Int32 {
        printToStandardError("benchmark: " + failure.message)
        return failure.exitStatus
    }
}
