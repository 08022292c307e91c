#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Synchronization

/// Digests of verified prefixes (`LogPrefixDigest`): made for a snapshot of a verified read, and
/// checked by a resumed read whose stamps do not prove a prefix (an append changed the log).
extension EventStore {
    /// The digest of the first `bytes` bytes of `log`, for the snapshot of a verified read that
    /// took the log's stamp `stamp` no earlier than `takenAfter`; nil when it cannot be proved to
    /// describe the bytes that read verified. That needs the stamp settled when taken (so that any
    /// write after the read's start moved the change time) and still the log's own once the bytes
    /// are hashed: then no write came between the read and the hashing. `earlier`, the digest of a
    /// shorter prefix of the same log that the same read proved (by its stamp or by its digest),
    /// keeps its whole chunks; the rest is hashed from the file, on every core.
    public func prefixDigest(of log: LogName, bytes: Int, readWith stamp: LogStamp?, takenAfter: Int64,
                             extending earlier: LogPrefixDigest?) throws(LedgerError) -> LogPrefixDigest? {
        guard bytes > 0, let stamp, stamp.bytes >= bytes, stamp.isSettled(takenAfterNanoseconds: takenAfter),
              LogPrefixDigest.chunkCount(bytes: bytes) <= LogPrefixDigest.maximumChunks else { return nil }
        var kept: [SHA256Digest] = []
        if let earlier, earlier.bytes <= bytes { kept = Array(earlier.chunks.prefix(earlier.bytes / LogPrefixDigest.chunkBytes)) }
        guard let rest = try chunkDigests(of: log, bytes: bytes, from: kept.count),
              try LogStamp.of(path(of: log)) == stamp else { return nil }
        return LogPrefixDigest(bytes: bytes, chunks: kept + rest)
    }

    /// Whether the first `digest.bytes` bytes of `log` hash to `digest`, chunk by chunk (false
    /// when the file is shorter or cannot be read: the caller then reads it whole, which says why).
    func prefixMatches(_ log: LogName, _ digest: LogPrefixDigest) throws(LedgerError) -> Bool {
        guard let hashed = try chunkDigests(of: log, bytes: digest.bytes, from: 0) else { return false }
        return hashed == digest.chunks
    }

    /// The digests of chunks `first...` of the first `bytes` bytes of `log`, hashed on every core
    /// (up to eight); nil when the file is missing, shorter, or a read fails.
    func chunkDigests(of log: LogName, bytes: Int, from first: Int) throws(LedgerError) -> [SHA256Digest]? {
        let count = LogPrefixDigest.chunkCount(bytes: bytes)
        precondition(first >= 0 && first <= count, "chunks of the prefix")
        guard first < count else { return [] }
        guard let file = try openLog(log) else { return nil }
        let work = ChunkHashing(descriptor: file.raw, bytes: bytes, first: first, count: count - first)
        defer { work.slots.deallocate() }
        let pieces = min(work.count, 8, max(1, activeProcessorCount()))
        DispatchQueue.concurrentPerform(iterations: pieces) { piece in work.hash(piece: piece, of: pieces) }
        // `concurrentPerform` returned: every thread's writes are done.
        guard !work.failed.load(ordering: .relaxed) else { return nil }
        return Array(work.slots)
    }
}

/// Chunks of a file hashed by several threads: each hashes every `pieces`-th chunk into its own
/// slot, through a buffer of its own; a short or failed read marks the whole as failed.
private final class ChunkHashing: @unchecked Sendable {
    let descriptor: Int32
    let bytes: Int
    let first: Int
    let count: Int
    let slots: UnsafeMutableBufferPointer<SHA256Digest>
    let failed = Atomic<Bool>(false)

    init(descriptor: Int32, bytes: Int, first: Int, count: Int) {
        (self.descriptor, self.bytes, self.first, self.count) = (descriptor, bytes, first, count)
        slots = .allocate(capacity: count)
        slots.initialize(repeating: .zero)
    }

    func hash(piece: Int, of pieces: Int) {
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: LogPrefixDigest.chunkBytes, alignment: 64)
        defer { buffer.deallocate() }
        for offset in stride(from: piece, to: count, by: pieces) {
            let range = LogPrefixDigest.chunk(first + offset, bytes: bytes)
            guard read(into: buffer, range) else {
                failed.store(true, ordering: .relaxed)
                return
            }
            slots[offset] = SHA256.hash(UnsafeRawBufferPointer(start: buffer, count: range.count))
        }
    }

    /// Reads all of `range` (again after an interruption or a short read); false at end of file or on an error.
    private func read(into buffer: UnsafeMutableRawPointer, _ range: Range<Int>) -> Bool {
        var done = 0
        while done < range.count {
            let result = pread(descriptor, buffer + done, range.count - done, off_t(range.lowerBound + done))
            if result < 0, errno == EINTR { continue }
            guard result > 0 else { return false }
            done += result
        }
        return true
    }
}
