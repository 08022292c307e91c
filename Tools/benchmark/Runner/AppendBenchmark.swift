#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import IncentivesDomain
import LedgerLog

/// The durable append rate, measured in this process on a scratch events directory: appends of
/// one event, each synced before it returns, appends of 1,000 events, and a quarter as many
/// appends of 10,000 (two and a half times the events: what a batch's fixed cost, two syncs,
/// weighs; enough appends that one slow sync does not move their median). Twice: through
/// `AppendSession` (validated against the ledger, as `incentives append` does) and through the log
/// layer's `EventWriter` alone. The drafts are built before the clock starts: what is timed is
/// the append call (validate, seal, journal, write, fsync).
struct AppendBenchmark {
    let scratchParent: String
    let singleAppends: Int
    let batchAppends: Int

    static let largeBatchEvents = 10_000
    static let enterprise = "91321204000146472H"
    static let programme = "BENCH-PROGRAMME"
    static let effective = CalendarDate(year: 2024, month: 3, day: 1)!
    static let clock = FixedClock(Timestamp(date: CalendarDate(year: 2024, month: 3, day: 2)!, hour: 9, minute: 0, second: 0)!)
    static let scratchFiles = IncentiveLogs.all.map(\.fileName) + [".ledger-journal", LedgerManifest.fileName]

    func run() throws(LedgerError) -> [AppendResult] {
        // What the queries before wrote (at 10M, a snapshot of over a gigabyte) is written back
        // first: otherwise the appends' own syncs wait on it, and ten batches of 10,000 are enough
        // to move their median by half.
        sync()
        var results: [AppendResult] = []
        results += try measure(layer: .session)
        results += try measure(layer: .writer)
        return results
    }

    private func measure(layer: AppendResult.Layer) throws(LedgerError) -> [AppendResult] {
        guard let directory = BenchmarkFiles.makeScratchDirectory(in: scratchParent, prefix: "appends") else {
            throw .inputOutput("cannot create a scratch directory in \(scratchParent)")
        }
        defer { BenchmarkFiles.removeDirectory(directory, files: AppendBenchmark.scratchFiles) }
        let store = IncentiveLogs.store(directory: directory)
        // As `incentives init` makes one: appends refuse a folder that is not a ledger.
        _ = try store.createLedger(try LedgerManifest(random: .seeded(0), timeZoneOffsetMinutes: 8 * 60))
        var appender = try Appender(layer: layer, store: store)

        var single = AppendResult(layer: layer, eventsPerAppend: 1)
        single.appendSeconds.reserveCapacity(singleAppends)
        for index in 0..<singleAppends {
            let batch = try appender.prepare(prefix: "S", first: index, count: 1)
            try timed(&single) { () throws(LedgerError) in try appender.append(batch) }
        }
        var batches = AppendResult(layer: layer, eventsPerAppend: BenchmarkOptions.batchEvents)
        for index in 0..<batchAppends {
            let batch = try appender.prepare(prefix: "B", first: index * BenchmarkOptions.batchEvents, count: BenchmarkOptions.batchEvents)
            try timed(&batches) { () throws(LedgerError) in try appender.append(batch) }
        }
        var largeBatches = AppendResult(layer: layer, eventsPerAppend: AppendBenchmark.largeBatchEvents)
        for index in 0..<max(1, batchAppends / 4) {
            let batch = try appender.prepare(prefix: "L", first: index * AppendBenchmark.largeBatchEvents, count: AppendBenchmark.largeBatchEvents)
            try timed(&largeBatches) { () throws(LedgerError) in try appender.append(batch) }
        }
        return [single, batches, largeBatches]
    }

    /// Adds the wall and processor time of one append to `result`: their difference is waiting,
    /// mostly for fsync.
    private func timed(_ result: inout AppendResult, _ body: () throws(LedgerError) -> Void) throws(LedgerError) {
        let processorBefore = AppendBenchmark.processorNanoseconds()
        let callerBefore = AppendBenchmark.processorNanoseconds(clock: CLOCK_THREAD_CPUTIME_ID)
        let started = monotonicNanoseconds()
        try body()
        result.appendSeconds.append(Double(monotonicNanoseconds() - started) / 1e9)
        result.processorSeconds += Double(AppendBenchmark.processorNanoseconds() - processorBefore) / 1e9
        result.callerProcessorSeconds += Double(AppendBenchmark.processorNanoseconds(clock: CLOCK_THREAD_CPUTIME_ID) - callerBefore) / 1e9
    }

    /// User and system time of this process so far: a large validated batch is sealed on a
    /// second thread, whose time counts too. With `CLOCK_THREAD_CPUTIME_ID`, the calling thread's
    /// alone (the validating thread of a pipelined batch: the one that bounds its wall time).
    static func processorNanoseconds(clock: clockid_t = CLOCK_PROCESS_CPUTIME_ID) -> UInt64 {
        var now = timespec()
        clock_gettime(clock, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }
}

/// Either door into the log, with the set-up each needs.
private struct Appender {
    enum Prepared {
        case drafts([EventDraft])
        case events([UnsealedEvent])
    }

    let layer: AppendResult.Layer
    var session: AppendSession?
    var writer: EventWriter?

    init(layer: AppendResult.Layer, store: EventStore) throws(LedgerError) {
        self.layer = layer
        switch layer {
        case .session:
            let session = try AppendSession(store: store, clock: AppendBenchmark.clock, notify: { _ in })
            // What an award needs to be accepted: its programme and a registered enterprise.
            let setUp = [
                try EventDraft.make(
                    id: "bench-programme", kind: .programmeEstablished, effective: AppendBenchmark.effective,
                    actor: "benchmark", source: "benchmark",
                    data: ["capFen": .number(JSONNumber(Int64(1_000_000_000_000))), "capYears": .number(JSONNumber(Int64(3))),
                           "name": .string("benchmark programme"), "programme": .string(AppendBenchmark.programme)],
                    origin: "benchmark set-up"),
                try EventDraft.make(
                    id: "bench-enterprise", kind: .enterpriseRegistered, effective: AppendBenchmark.effective,
                    actor: "benchmark", source: "benchmark",
                    data: ["enterprise": .string(AppendBenchmark.enterprise), "name": .string("benchmark enterprise"),
                           "sector": .string("benchmark")],
                    origin: "benchmark set-up"),
            ]
            _ = try session.append(setUp)
            self.session = session
        case .writer:
            writer = try store.openWriter(clock: SystemClock(), notify: { _ in })
        }
    }

    /// The events `first ..< first + count`, as this layer takes them.
    func prepare(prefix: String, first: Int, count: Int) throws(LedgerError) -> Prepared {
        switch layer {
        case .session:
            var drafts: [EventDraft] = []
            drafts.reserveCapacity(count)
            for number in first..<(first + count) {
                let grant = "BENCH-\(prefix)-\(number)"
                drafts.append(try EventDraft.make(
                    id: "bench-\(prefix)-\(number)", kind: .grantAwarded, effective: AppendBenchmark.effective,
                    actor: "benchmark", source: "benchmark",
                    data: ["amountFen": .number(JSONNumber(Int64(100_000 + number % 1_000))),
                           "enterprise": .string(AppendBenchmark.enterprise), "grant": .string(grant),
                           "programme": .string(AppendBenchmark.programme), "project": .string("project \(number)")],
                    origin: "benchmark"))
            }
            return .drafts(drafts)
        case .writer:
            var events: [UnsealedEvent] = []
            events.reserveCapacity(count)
            for number in first..<(first + count) {
                let data = "{\"amountFen\":\(100_000 + number % 1_000),\"enterprise\":\"\(AppendBenchmark.enterprise)\",\"grant\":\"BENCH-\(prefix)-\(number)\",\"programme\":\"\(AppendBenchmark.programme)\",\"project\":\"project \(number)\"}"
                events.append(UnsealedEvent(
                    log: IncentiveLogs.grants, id: EventID(rawValue: "bench-\(prefix)-\(number)")!, type: "GrantAwarded",
                    recorded: AppendBenchmark.clock.now(), effective: AppendBenchmark.effective,
                    actor: "benchmark", source: "benchmark", data: Array(data.utf8)))
            }
            return .events(events)
        }
    }

    mutating func append(_ prepared: Prepared) throws(LedgerError) {
        switch prepared {
        case .drafts(let drafts):
            let outcome = try session!.append(drafts)
            precondition(outcome.appended.count == drafts.count, "every benchmark draft is new")
        case .events(let events):
            let appended = try writer!.append(events)
            precondition(appended.count == events.count, "every benchmark event is appended")
        }
    }
}

/// One append measurement: a series of appends of the same size.
struct AppendResult: Sendable {
    enum Layer: String, Sendable {
        case session = "AppendSession (validated, as `incentives append`)"
        case writer = "EventWriter (log layer only)"
    }

    var layer: Layer
    var eventsPerAppend: Int
    var appendSeconds: [Double] = []
    /// Processor time spent in the appends (all threads); the rest of their wall time is waiting.
    var processorSeconds = 0.0
    /// The part of it on the calling thread (which validates; a second thread seals and decodes).
    var callerProcessorSeconds = 0.0

    var events: Int { eventsPerAppend * appendSeconds.count }
    var totalSeconds: Double { appendSeconds.reduce(0, +) }
    var eventsPerSecond: Double? { BenchmarkStatistics.rate(Double(events), seconds: totalSeconds) }
    var appendsPerSecond: Double? { BenchmarkStatistics.rate(Double(appendSeconds.count), seconds: totalSeconds) }
    var medianSeconds: Double? { BenchmarkStatistics.median(appendSeconds) }
    /// The rate of the median append: the targets speak of medians, and the rate over all appends
    /// also carries the few that pay for the tables' growth.
    var eventsPerSecondAtMedian: Double? { BenchmarkStatistics.rate(Double(eventsPerAppend), seconds: medianSeconds) }
    var percentile99Seconds: Double? { BenchmarkStatistics.percentile(appendSeconds, 0.99) }
    var processorShare: Double? { BenchmarkStatistics.rate(processorSeconds, seconds: totalSeconds) }
}
