/// A digest of the first `bytes` bytes of a log as a verified read found them: the SHA-256 of each
/// chunk of `chunkBytes` from the file's start (the last perhaps shorter). Bytes that hash to it
/// are those bytes (SHA-256 being collision resistant), so a prefix verified once is proved
/// unchanged by hashing it again, on every core, instead of reading, checking and chain-checking
/// it line by line again (`EventStore.read(resumingAt:)`). It is made only from bytes proved to be
/// the ones the read verified (`EventStore.prefixDigest(of:bytes:readWith:takenAfter:extending:)`).
public struct LogPrefixDigest: Sendable, Equatable {
    /// A chunk's length: large enough that a chunk's hash dwarfs its read, small enough that a
    /// digest grown by an append hashes again at most this much of what it had.
    public static let chunkBytes = 4 << 20
    /// At most this many chunks (a log of 32 GiB): a longer log gets no digest, and its prefix is
    /// verified line by line again when its stamp does not prove it.
    public static let maximumChunks = 8_192

    /// How many bytes of the log it covers (more than 0).
    public let bytes: Int
    /// The digest of each chunk, in order.
    public let chunks: [SHA256Digest]

    /// Nil unless `chunks` has one digest per chunk of `bytes` bytes, within the limit.
    public init?(bytes: Int, chunks: [SHA256Digest]) {
        guard bytes > 0, chunks.count == LogPrefixDigest.chunkCount(bytes: bytes),
              chunks.count <= LogPrefixDigest.maximumChunks else { return nil }
        self.bytes = bytes
        self.chunks = chunks
    }

    /// How many chunks `bytes` bytes make.
    public static func chunkCount(bytes: Int) -> Int {
        precondition(bytes >= 0, "a length")
        return bytes / chunkBytes + (bytes % chunkBytes == 0 ? 0 : 1)
    }

    /// Chunk `index` of the first `bytes` bytes.
    static func chunk(_ index: Int, bytes: Int) -> Range<Int> {
        let start = index * chunkBytes
        return start..<min(start + chunkBytes, bytes)
    }
}
