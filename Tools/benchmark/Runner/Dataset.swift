/// One generated events directory and what the benchmark measures it by.
struct Dataset: Sendable {
    /// As given to --sizes: "100k", "1m", "10m".
    var label: String
    /// The events the generator was asked for.
    var requestedEvents: Int
    /// `WORK/LABEL`: the events in `events/`, the peers' journal and the outputs beside them.
    var folder: String
    /// Lines in the three logs, counted here.
    var events: Int
    /// Bytes of the three logs.
    var bytes: Int
    /// Bytes of grants.jsonl, the one log the peers read.
    var grantsBytes: Int

    static let logFiles = ["tiers.jsonl", "centres.jsonl", "grants.jsonl"]

    var eventsDirectory: String { folder + "/events" }
    var journalPath: String { folder + "/grants.journal" }
    var grantsPath: String { eventsDirectory + "/grants.jsonl" }
    var logPaths: [String] { Dataset.logFiles.map { eventsDirectory + "/" + $0 } }
    var outputDirectory: String { folder + "/out" }
    var megabytes: Double { Double(bytes) / 1_000_000 }

    /// "100k" is 100000, "1m" 1000000, "10m" 10000000; a plain number is taken as it is.
    static func parseSize(_ text: String) -> Int? {
        let lower = text.lowercased()
        var digits = lower
        var multiplier = 1
        if lower.hasSuffix("k") { multiplier = 1_000; digits.removeLast() }
        if lower.hasSuffix("m") { multiplier = 1_000_000; digits.removeLast() }
        guard !digits.isEmpty, digits.allSatisfy(\.isNumber), let number = Int(digits),
              number > 0, number <= 100_000_000 / multiplier else { return nil }
        return number * multiplier
    }

    /// Looks at what run.sh generated; the message says what to do when it is not there.
    static func open(label: String, work: String) -> Result<Dataset, BenchmarkFailure> {
        guard let requested = parseSize(label) else {
            return .failure(.usage("size \"\(label)\" is not a number of events like 100k, 1m or 10m"))
        }
        let folder = work + "/" + label
        var dataset = Dataset(label: label, requestedEvents: requested, folder: folder, events: 0, bytes: 0, grantsBytes: 0)
        for path in dataset.logPaths {
            guard let size = BenchmarkFiles.size(path), let lines = BenchmarkFiles.countLines(path) else {
                return .failure(.missingData("\(path) is missing: generate the data with Tools/benchmark/run.sh --sizes \(label)"))
            }
            dataset.bytes += size
            dataset.events += lines
        }
        dataset.grantsBytes = BenchmarkFiles.size(dataset.grantsPath) ?? 0
        guard BenchmarkFiles.makeDirectory(dataset.outputDirectory) else {
            return .failure(.inputOutput("cannot create \(dataset.outputDirectory)"))
        }
        return .success(dataset)
    }
}
