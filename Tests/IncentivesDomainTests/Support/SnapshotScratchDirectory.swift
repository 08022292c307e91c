#if canImport(Glibc)
import Glibc
#endif
import IncentivesDomain
import LedgerLog

/// An events directory for snapshot tests: appended to through `AppendSession` with a fixed
/// clock, its files read and rewritten byte for byte, and removed with everything in it.
final class SnapshotScratchDirectory: @unchecked Sendable {
    let path: String
    var store: EventStore { IncentiveLogs.store(directory: path) }
    var snapshotPath: String { LedgerSnapshot.path(in: store) }

    init() {
        path = makeTemporaryFolder(prefix: "incentives-snapshot-tests")
        makeLedger(in: path)
    }

    deinit {
        for name in fileNames() { _ = unlink(path + "/" + name) }
        _ = rmdir(path)
    }

    /// The names in the directory, sorted (temporary snapshot files included).
    func fileNames() -> [String] {
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
                                   useSnapshot: useSnapshot)
    }

    func read(_ name: String) -> [UInt8] { readFileBytes(path + "/" + name) ?? [] }

    func write(_ name: String, _ bytes: [UInt8]) {
        let descriptor = open(path + "/" + name, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        precondition(descriptor >= 0, "cannot write \(name)")
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        precondition(written == bytes.count, "short write of \(name)")
        close(descriptor)
    }

    func remove(_ name: String) { _ = unlink(path + "/" + name) }
}
