#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import LedgerLog

/// What appending to a large ledger costs the commands around it, as a clerk meets it: on a copy
/// of a dataset's logs, a first `summary` (it saves the snapshot), then `appends` appends of one
/// draft in a row through the command line (each its own process), then the first `summary`
/// after them and the one after that. Each step runs once, in order: every step depends on the
/// ones before (the second append opens the snapshot with the first one's event after it). The
/// draft is a `CapabilityEvaluated` of the first enterprise registered in tiers.jsonl, the first
/// log: the worst place for a tail, in front of every other log's events.
struct AfterAppendBenchmark {
    let dataset: Dataset
    let incentives: String
    let runner: ProcessRunner
    let scratchParent: String
    let appends: Int

    /// Appends in a row by default: the second is where a tail after the snapshot first shows.
    static let defaultAppends = 3
    /// Stamps of files written less than this long ago prove nothing to the snapshot (its
    /// racy-clean rule): the copy is left to settle first, as logs a clerk appends to have.
    static let settleSeconds: UInt32 = 2
    /// How much of tiers.jsonl is searched for an enterprise's registration.
    static let searchBytes = 1 << 20

    func run() throws(LedgerError) -> AfterAppendResult {
        guard let (enterprise, registered) = AfterAppendBenchmark.firstRegistration(in: dataset.eventsDirectory + "/tiers.jsonl") else {
            throw .badData("no EnterpriseRegistered line in the first MB of \(dataset.eventsDirectory)/tiers.jsonl to append an evaluation to")
        }
        guard let directory = BenchmarkFiles.makeScratchDirectory(in: scratchParent, prefix: "after-append-\(dataset.label)"),
              let cache = BenchmarkFiles.makeScratchDirectory(in: scratchParent, prefix: "after-append-cache") else {
            throw .inputOutput("cannot create a scratch directory in \(scratchParent)")
        }
        let events = directory + "/events"
        defer { for folder in [events, directory, cache] { BenchmarkFiles.removeDirectoryAndItsFiles(folder) } }
        guard BenchmarkFiles.makeDirectory(events) else { throw .inputOutput("cannot create \(events)") }
        for source in BenchmarkFiles.files(in: dataset.eventsDirectory, prefix: "") {
            guard BenchmarkFiles.copy(source, to: events + "/" + BenchmarkFiles.name(source)) else {
                throw .inputOutput("cannot copy \(source) to \(events)")
            }
        }
        sync()
        sleep(AfterAppendBenchmark.settleSeconds)
        // Its own cache: the copy's snapshot (as large as the dataset's) goes with the copy.
        let previousCache = getenv(BenchmarkTool.snapshotCacheVariable).map { String(cString: $0) }
        BenchmarkFiles.setEnvironment(BenchmarkTool.snapshotCacheVariable, to: cache)
        defer { if let previousCache { BenchmarkFiles.setEnvironment(BenchmarkTool.snapshotCacheVariable, to: previousCache) } }

        var result = AfterAppendResult(dataset: dataset.label, steps: [])
        func step(_ name: String, _ arguments: [String]) throws(LedgerError) {
            let output = directory + "/step-\(result.steps.count).out", errors = directory + "/step-\(result.steps.count).err"
            let run = try runner.run(executable: incentives, arguments: arguments, standardOutput: output, standardError: errors)
            var detail: String? = nil
            if !run.succeeded {
                detail = BenchmarkFiles.readText(errors, limitBytes: 2_000).map { $0.split(separator: "\n").last.map(String.init) ?? "" }
            }
            result.steps.append(AfterAppendStep(name: name, measurement: run, problem: run.failureDescription, detail: detail))
        }
        try step("first `summary` (saves the snapshot)", ["summary", "--events", events])
        for number in 1...appends {
            let draft = directory + "/draft-\(number).jsonl"
            let line = "{\"id\":\"benchmark-after-append-\(number)\",\"type\":\"CapabilityEvaluated\",\"effective\":\"\(registered)\","
                + "\"actor\":\"benchmark\",\"source\":\"benchmark\",\"data\":{\"enterprise\":\"\(enterprise)\",\"score\":\(60 + number)}}\n"
            guard BenchmarkFiles.write(Array(line.utf8), to: draft) else { throw .inputOutput("cannot write \(draft)") }
            try step(number == 1 ? "append of one draft" : "append of one draft, \(AfterAppendBenchmark.ordinal(number)) in a row",
                     ["append", draft, "--events", events])
        }
        try step("first `summary` after the appends", ["summary", "--events", events])
        try step("`summary` again", ["summary", "--events", events])
        return result
    }

    static func ordinal(_ number: Int) -> String {
        switch number {
        case 2: return "second"
        case 3: return "third"
        default: return "\(number)th"
        }
    }

    /// The enterprise code and effective date of the first registration among the first lines
    /// of `path`: an evaluation on that date is one the append path accepts.
    static func firstRegistration(in path: String) -> (enterprise: String, effective: String)? {
        guard let bytes = BenchmarkFiles.read(path, limitBytes: searchBytes) else { return nil }
        var lines = bytes.split(separator: UInt8(ascii: "\n"))
        // A line cut by the limit is left out.
        if bytes.last != UInt8(ascii: "\n"), !lines.isEmpty { lines.removeLast() }
        for line in lines {
            guard let event = try? JSONParser.parse(line), event["type"]?.stringValue == "EnterpriseRegistered",
                  let enterprise = event["data"]?["enterprise"]?.stringValue,
                  let effective = event["effective"]?.stringValue else { continue }
            return (enterprise, effective)
        }
        return nil
    }
}

/// One step of `AfterAppendBenchmark`.
struct AfterAppendStep: Sendable {
    var name: String
    var measurement: RunMeasurement
    var problem: String?
    var detail: String?
}

/// The steps of `AfterAppendBenchmark` on one dataset, in order.
struct AfterAppendResult: Sendable {
    var dataset: String
    var steps: [AfterAppendStep]
}
