#if canImport(Glibc)
import Glibc
#endif
import IncentivesDomain
import IncentivesTestSupport
import LedgerLog
import Testing

/// An events directory for snapshot tests: appended to through `AppendSession` with a fixed
/// clock, its files read and rewritten byte for byte, and removed with everything in it (the
/// shared fixture), its cache too.
final class SnapshotScratchDirectory: @unchecked Sendable {
    let scratch = TemporaryFileFixture(prefix: "incentives-snapshot-tests")
    let cacheScratch = TemporaryFileFixture(prefix: "incentives-snapshot-cache")
    var path: String { scratch.path }
    /// This test's snapshot cache (`INCENTIVES_CACHE_DIR`): the reading user's cache, private.
    var cachePath: String { cacheScratch.file("incentives") }
    var store: EventStore { IncentiveLogs.store(directory: path) }
    var environment: [String: String] { [SnapshotCache.directoryVariable: cachePath] }
    var snapshotPath: String { SnapshotCache.snapshotPath(of: store, environment: environment)! }
    var snapshotName: String { String(snapshotPath.split(separator: "/").last!) }
    /// The clock a query reads the time from (nanoseconds since the epoch): by default a moment
    /// long after any file here changed, so every stamp counts as settled.
    var now: @Sendable () -> Int64

    /// One hour from now, fixed: later than any change a test makes, and the same on every read.
    static func settledClock() -> @Sendable () -> Int64 {
        let moment = LogStamp.nowNanoseconds() + 3_600_000_000_000
        return { moment }
    }

    init() {
        makeLedger(in: scratch.path)
        now = Self.settledClock()
    }

    /// Opens the ledger as a query does, with this directory's cache and clock.
    func open(verify: Bool = true, useSnapshot: Bool = true, scope: LedgerScope = .everything) throws(LedgerError) -> LedgerOpening {
        try Ledger.open(store: store, verify: verify, useSnapshot: useSnapshot, scope: scope, environment: environment, now: now)
    }

    /// The names in the events directory, sorted.
    func fileNames() -> [String] { scratch.names() }

    /// The names in the cache directory, sorted (temporary snapshot files included).
    func cacheFileNames() -> [String] { TemporaryFileFixture.names(in: cachePath) }

    func readSnapshot() -> [UInt8] { readFileBytes(snapshotPath) ?? [] }

    func writeSnapshot(_ bytes: [UInt8]) { write(path: snapshotPath, bytes) }

    /// A ledger of `count` drafts of `ScenarioGenerator(seed:)`, read from its logs (`cold`), its
    /// snapshot saved, and opened from the snapshot (`warm`), with the moment of its heads: the
    /// pair the tests that hold a snapshot's answers to a full read's start from.
    static func generatedColdAndWarm(seed: UInt64, drafts count: Int) throws
        -> (directory: SnapshotScratchDirectory, cold: Ledger, warm: Ledger, heads: Timestamp) {
        var generator = ScenarioGenerator(seed: seed)
        let directory = SnapshotScratchDirectory()
        try directory.append([generator.drafts(count)])
        let cold = try directory.open(useSnapshot: false).ledger
        #expect(try directory.open().saving == .saved)
        let warm = try directory.open().ledger
        let heads = try #require(warm.headsRecorded)
        return (directory, cold, warm, heads)
    }

    /// Appends each batch through its own session (and so its own lock): see `RecordedHistory.append`.
    func append(_ batches: [[EventDraft]], useSnapshot: Bool = false) throws {
        try RecordedHistory.append(batches, to: store, otherwise: Timestamp(parsing: "2030-01-01T00:00:00Z")!,
                                   useSnapshot: useSnapshot, environment: environment)
    }

    func read(_ name: String) -> [UInt8] { readFileBytes(path + "/" + name) ?? [] }

    func write(_ name: String, _ bytes: [UInt8]) { write(path: path + "/" + name, bytes) }

    func write(path: String, _ bytes: [UInt8]) { TemporaryFileFixture.write(path: path, bytes) }

    func remove(_ name: String) { _ = unlink(path + "/" + name) }
}
