import LedgerColumns
import LedgerLog

/// What a snapshot's metadata says: which ledger it is of, the logs it covers and when their
/// stamps were taken. Layout (`ByteEncoder`): name-hash probe (u64), ledger identity (32 bytes),
/// stamps taken after (i64 nanoseconds since the epoch), log count (u64), then per log: name
/// (string), events, bytes (u64), head (32 bytes), last recorded (i64 seconds, `Int64.min` for
/// none), the log file's stamp at that read (u64 1 if known, else 0; device, inode, bytes (u64),
/// change time (i64 seconds, i64 nanoseconds)), the digest of its bytes (`LogPrefixDigest`: a
/// chunk count, 0 for none, then each chunk's 32 bytes).
struct SnapshotHeader {
    /// The ledger's identity (see `SnapshotCache.identity`): a snapshot is used only for its own.
    var identity: SHA256Digest
    /// A moment on this machine's clock (nanoseconds since the epoch) no later than when the
    /// stamps were taken: a stamp whose change time is not older by the file system's time
    /// granularity does not prove its file unchanged (see `LogStamp.isSettled`).
    var stampsTakenAfterNanoseconds: Int64
    var logs: [LogSummary]
    /// Per log, the digest of the bytes the read verified (nil: none), or empty for none at all:
    /// a resumed read whose stamp does not prove a prefix proves it by hashing it again.
    var prefixDigests: [LogPrefixDigest?] = []

    /// At most this many bytes of digests in a header (16,384 chunks, 64 GiB of logs): the logs
    /// after them get none.
    static let maximumDigestBytes = 1 << 19

    var points: [TailState] { LedgerSnapshot.points(of: logs) }

    /// Whether the logs' stamps now (`current`, in rank order; nil where one is not known) prove
    /// every remembered prefix: each the one remembered, settled when taken (`LogStamp.isSettled`).
    /// Then the prefixes stand without being read again (`EventStore.read(resumingAt:)`).
    func stampsProve(_ current: [LogStamp?]) -> Bool {
        guard current.count == logs.count else { return false }
        return zip(logs, current).allSatisfy { summary, stamp in
            guard summary.bytes > 0 else { return true }
            guard let kept = summary.stamp else { return false }
            return kept == stamp && kept.isSettled(takenAfterNanoseconds: stampsTakenAfterNanoseconds)
        }
    }

    /// Whether `window` is the window at the heads of the logs as the snapshot saw them.
    func isAtHeads(_ window: TimeWindow) -> Bool { Ledger.isAtHeads(window, logs: logs) }

    var encoded: [UInt8] {
        var encoder = ByteEncoder()
        encoder.put(LedgerSnapshot.nameHashProbe)
        encoder.put(bytes: identity.bytes)
        encoder.put(stampsTakenAfterNanoseconds)
        encoder.put(UInt64(logs.count))
        precondition(prefixDigests.isEmpty || prefixDigests.count == logs.count, "a digest or none for each log")
        var digestBytes = 0
        for (rank, summary) in logs.enumerated() {
            encoder.put(string: summary.log.rawValue)
            encoder.put(UInt64(summary.events))
            encoder.put(UInt64(summary.bytes))
            encoder.put(bytes: summary.head.bytes)
            encoder.put(summary.lastRecorded?.secondsSinceEpoch ?? Int64.min)
            let stamp = summary.stamp ?? .absent
            encoder.put(UInt64(summary.stamp == nil ? 0 : 1))
            encoder.put(stamp.device)
            encoder.put(stamp.inode)
            encoder.put(UInt64(stamp.bytes))
            encoder.put(stamp.changedSeconds)
            encoder.put(stamp.changedNanoseconds)
            let digest = prefixDigests.isEmpty ? nil : prefixDigests[rank]
            if let digest, digest.bytes == summary.bytes, digestBytes + digest.chunks.count * 32 <= SnapshotHeader.maximumDigestBytes {
                digestBytes += digest.chunks.count * 32
                encoder.put(UInt64(digest.chunks.count))
                for chunk in digest.chunks { encoder.put(bytes: chunk.bytes) }
            } else {
                encoder.put(UInt64(0))
            }
        }
        return encoder.bytes
    }

    /// Reads and checks metadata against the store's logs. Every value is checked to be one a
    /// verified read can give (lengths, counts, times in range).
    static func read(_ metadata: [UInt8], logs expected: [LogName]) throws(SnapshotRejection) -> SnapshotHeader {
        var reader = MetadataReader(decoder: ByteDecoder(metadata))
        guard try reader.read(UInt64.self) == LedgerSnapshot.nameHashProbe else { throw .otherBuild }
        let identity = SHA256Digest(bytes: try reader.read(bytes: 32))
        let takenAfter = try reader.read(Int64.self)
        guard takenAfter >= 0 else { throw .malformed("the time of its stamps is out of range") }
        let count = try reader.read(UInt64.self)
        guard count == UInt64(expected.count), count <= UInt64(LedgerSnapshot.maximumLogs) else { throw .otherLogs }
        var logs: [LogSummary] = []
        var digests: [LogPrefixDigest?] = []
        for log in expected {
            let name = try reader.readString(maximumBytes: LedgerSnapshot.maximumLogNameBytes)
            guard name == log.rawValue else { throw .otherLogs }
            let events = try reader.read(UInt64.self), length = try reader.read(UInt64.self)
            let head = SHA256Digest(bytes: try reader.read(bytes: 32))
            let lastRecorded = try reader.read(Int64.self)
            let stampKnown = try reader.read(UInt64.self)
            let device = try reader.read(UInt64.self), inode = try reader.read(UInt64.self)
            let stampBytes = try reader.read(UInt64.self)
            let changedSeconds = try reader.read(Int64.self), changedNanoseconds = try reader.read(Int64.self)
            guard stampKnown <= 1, stampBytes <= UInt64(Int.max), changedNanoseconds >= 0, changedNanoseconds < 1_000_000_000 else {
                throw .malformed("the stamp of \(log.fileName) is inconsistent")
            }
            guard events <= UInt64(Int32.max), length <= UInt64(Int.max), events <= length,
                  (events == 0) == (length == 0), (events == 0) == (lastRecorded == Int64.min),
                  events == 0 || LedgerSnapshot.isPlausibleRecorded(lastRecorded) else {
                throw .malformed("the state of \(log.fileName) is inconsistent")
            }
            var summary = LogSummary(log: log, events: Int(events), head: head, bytes: Int(length),
                                     lastRecorded: lastRecorded == Int64.min ? nil : Timestamp(secondsSinceEpoch: lastRecorded))
            if stampKnown == 1 {
                summary.stamp = LogStamp(device: device, inode: inode, bytes: Int(stampBytes),
                                         changedSeconds: changedSeconds, changedNanoseconds: changedNanoseconds)
            }
            logs.append(summary)
            let chunkCount = try reader.read(UInt64.self)
            guard chunkCount <= UInt64(LogPrefixDigest.maximumChunks) else { throw .malformed("the digest of \(log.fileName) is too long") }
            guard chunkCount > 0 else {
                digests.append(nil)
                continue
            }
            var chunks: [SHA256Digest] = []
            for _ in 0..<chunkCount { chunks.append(SHA256Digest(bytes: try reader.read(bytes: 32))) }
            guard let digest = LogPrefixDigest(bytes: summary.bytes, chunks: chunks) else {
                throw .malformed("the digest of \(log.fileName) does not fit its length")
            }
            digests.append(digest)
        }
        guard reader.remaining == 0 else { throw .malformed("its metadata has bytes after its last log") }
        return SnapshotHeader(identity: identity, stampsTakenAfterNanoseconds: takenAfter, logs: logs, prefixDigests: digests)
    }
}

/// A `ByteDecoder` whose refusals are snapshot rejections.
private struct MetadataReader {
    var decoder: ByteDecoder

    var remaining: Int { decoder.remaining }

    mutating func read<Value: FixedWidthInteger>(_ type: Value.Type) throws(SnapshotRejection) -> Value {
        do throws(ColumnFileError) { return try decoder.read(type) } catch { throw SnapshotRejection(error) }
    }

    mutating func read(bytes count: Int) throws(SnapshotRejection) -> [UInt8] {
        do throws(ColumnFileError) { return try decoder.read(bytes: count) } catch { throw SnapshotRejection(error) }
    }

    mutating func readString(maximumBytes: Int) throws(SnapshotRejection) -> String {
        do throws(ColumnFileError) { return try decoder.readString(maximumBytes: maximumBytes) } catch { throw SnapshotRejection(error) }
    }
}
