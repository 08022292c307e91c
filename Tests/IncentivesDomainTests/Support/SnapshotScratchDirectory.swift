#if canImport(Glibc)
import Glibc
#endif
import IncentivesDomain
import LedgerLog

/// An events directory for snapshot tests: appended to through `AppendSession` with a fixed
/// clock, its files read and rewritten byte for byte, and removed with everything in it.
final class SnapshotScratchDirectory: @unchecked Sendable {
    let path: String
    /// This test's snapshot cache (`INCENTIVES_CACHE_DIR`): the reading user's cache, private.
    let cachePath: String
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
        path = makeTemporaryFolder(prefix: "incentives-snapshot-tests")
        makeLedger(in: path)
        cachePath = makeTemporaryFolder(prefix: "incentives-snapshot-cache") + "/incentives"
        now = Self.settledClock()
    }

    deinit {
        for name in fileNames() { _ = unlink(path + "/" + name) }
        _ = rmdir(path)
        for name in cacheFileNames() { _ = unlink(cachePath + "/" + name) }
        _ = rmdir(cachePath)
        _ = rmdir(String(cachePath.dropLast("/incentives".count)))
    }

    /// Opens the ledger as a query does, with this directory's cache and clock.
    func open(verify: Bool = true, useSnapshot: Bool = true) throws(LedgerError) -> LedgerOpening {
        try Ledger.open(store: store, verify: verify, useSnapshot: useSnapshot, environment: environment, now: now)
    }

    /// The names in the events directory, sorted.
    func fileNames() -> [String] { Self.names(in: path) }

    /// The names in the cache directory, sorted (temporary snapshot files included).
    func cacheFileNames() -> [String] { Self.names(in: cachePath) }

    func readSnapshot() -> [UInt8] { readFileBytes(snapshotPath) ?? [] }

    func writeSnapshot(_ bytes: [UInt8]) { write(path: snapshotPath, bytes) }

    static func names(in path: String) -> [String] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Appends each batch through its own session (and so its own lock): see `RecordedHistory.append`.
    func append(_ batches: [[EventDraft]], useSnapshot: Bool = false) throws {
        try RecordedHistory.append(batches, to: store, otherwise: Timestamp(parsing: "2030-01-01T00:00:00Z")!,
                                   useSnapshot: useSnapshot, environment: environment)
    }

    func read(_ name: String) -> [UInt8] { readFileBytes(path + "/" + name) ?? [] }

    func write(_ name: String, _ bytes: [UInt8]) { write(path: path + "/" + name, bytes) }

    func write(path: String, _ bytes: [UInt8]) {
        let name = path
        let descriptor = Glibc.open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        precondition(descriptor >= 0, "cannot write \(name)")
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        precondition(written == bytes.count, "short write of \(name)")
        close(descriptor)
    }

    func remove(_ name: String) { _ = unlink(path + "/" + name) }
}
