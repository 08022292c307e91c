#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import LedgerLog

/// How a column file is authenticated, in two steps so that a reader hashes only what it reads:
/// - each column has a digest in the directory: SHA-256 of the SHA-256 digests of its bytes cut
///   into chunks of `chunkBytes` (so that two cores can hash one large column);
/// - the header's MAC is HMAC-SHA256 under the reader's key of every header byte but the MAC
///   field: magic, versions, lengths, metadata, and the directory with every column's digest.
/// A reader checks the MAC first (a few KB), then the digest of each column it uses, when it uses
/// it. SHA-256 being collision resistant, a file that passes both for a column gives exactly the
/// bytes the key's holder wrote for it.
package struct ColumnFileMAC {
    static let chunkBytes = 4 << 20

    static func chunkCount(bytes count: Int) -> Int {
        (count + chunkBytes - 1) / chunkBytes
    }

    /// Chunk `index` of `count` bytes, relative to their start.
    static func chunk(_ index: Int, bytes count: Int) -> Range<Int> {
        let start = index * chunkBytes
        return start..<min(start + chunkBytes, count)
    }

    /// A column's digest from its chunks' digests, in order.
    static func columnDigest(chunkDigests: some Sequence<SHA256Digest>) -> SHA256Digest {
        var digest = SHA256()
        for chunk in chunkDigests { digest.update(chunk.bytes) }
        return digest.finalize()
    }

    /// A column's digest from its bytes, on this thread.
    static func columnDigest(of bytes: UnsafeRawBufferPointer) -> SHA256Digest {
        columnDigest(chunkDigests: (0..<chunkCount(bytes: bytes.count)).map { index in
            SHA256.hash(UnsafeRawBufferPointer(rebasing: bytes[chunk(index, bytes: bytes.count)]))
        })
    }

    /// The same digest with the chunks hashed on every core (up to eight): for a large column
    /// whose digest the work waits on (`SpillFile.store`).
    static func columnDigestOnEveryCore(of bytes: UnsafeRawBufferPointer) -> SHA256Digest {
        let count = chunkCount(bytes: bytes.count)
        let pieces = min(count, 8, max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))))
        guard pieces > 1 else { return columnDigest(of: bytes) }
        let digests = ChunkDigests(bytes: bytes, count: count)
        defer { digests.slots.deallocate() }
        DispatchQueue.concurrentPerform(iterations: pieces) { piece in
            for index in stride(from: piece, to: count, by: pieces) {
                digests.slots[index] = SHA256.hash(UnsafeRawBufferPointer(rebasing: digests.bytes[chunk(index, bytes: digests.bytes.count)]))
            }
        }
        return columnDigest(chunkDigests: digests.slots)
    }

    /// The digests of the chunks of `bytes` (whole chunks but perhaps the last), made on one core
    /// while `alongside` runs on another (a file writer's write of the same bytes): both read the
    /// bytes, neither changes them. Returns the digests and what `alongside` returned.
    static func chunkDigests<Other: Sendable>(of bytes: UnsafeRawBufferPointer,
                                              alongside: @Sendable () -> Other) -> (digests: [SHA256Digest], other: Other) {
        let count = chunkCount(bytes: bytes.count)
        let digests = ChunkDigests(bytes: bytes, count: count)
        defer { digests.slots.deallocate() }
        let others = ParallelWork.map(count: 2) { piece -> Other? in
            guard piece == 0 else { return alongside() }
            for index in 0..<count {
                digests.slots[index] = SHA256.hash(UnsafeRawBufferPointer(rebasing: digests.bytes[chunk(index, bytes: digests.bytes.count)]))
            }
            return nil
        }
        guard let other = others[1] else { preconditionFailure("the work alongside ran") }
        return (Array(digests.slots), other)
    }

    /// The bytes hashed, only read, and one digest per chunk, each written by the one thread its
    /// chunk was given to; the caller waits for every thread before reading them.
    private struct ChunkDigests: @unchecked Sendable {
        let bytes: UnsafeRawBufferPointer
        let slots: UnsafeMutableBufferPointer<SHA256Digest>

        init(bytes: UnsafeRawBufferPointer, count: Int) {
            self.bytes = bytes
            slots = .allocate(capacity: count)
            slots.initialize(repeating: .zero)
        }
    }

    /// The MAC of a header: `header` is the file's first bytes up to the end of its directory.
    static func mac(key: [UInt8], header: UnsafeRawBufferPointer) -> SHA256Digest {
        precondition(header.count >= ColumnFile.fixedHeaderBytes, "a column file has a whole header")
        var mac = HMACSHA256(key: key)
        mac.update(UnsafeRawBufferPointer(rebasing: header[..<ColumnFile.macOffset]))
        mac.update(UnsafeRawBufferPointer(rebasing: header[(ColumnFile.macOffset + ColumnFile.macBytes)...]))
        return mac.finalize()
    }

    /// Puts into the bytes of a whole file every column's digest and the MAC `key` gives (tests
    /// that change a file and sign it again, as the key's holder could). A file whose layout does
    /// not read is left as it is: every reader refuses it before any MAC.
    package static func sign(_ bytes: inout [UInt8], key: [UInt8]) {
        guard let file = try? ColumnFile(bytes: bytes) else { return }
        for (position, entry) in file.entries.enumerated() {
            let digest = bytes.withUnsafeBytes { all in
                columnDigest(of: UnsafeRawBufferPointer(rebasing: all[entry.offset..<(entry.offset + entry.count * entry.width)]))
            }
            let at = file.directoryStart + position * ColumnFile.directoryEntryBytes + ColumnFile.directoryDigestOffset
            bytes.replaceSubrange(at..<(at + 32), with: digest.bytes)
        }
        let mac = bytes.withUnsafeBytes { Self.mac(key: key, header: UnsafeRawBufferPointer(rebasing: $0[..<file.directoryEnd])) }
        bytes.replaceSubrange(ColumnFile.macOffset..<(ColumnFile.macOffset + ColumnFile.macBytes), with: mac.bytes)
    }

    /// A column's digest from its bytes as they are written, front to back.
    struct Streaming {
        private var current = SHA256()
        private var currentBytes = 0
        private var column = SHA256()

        mutating func update(_ bytes: UnsafeRawBufferPointer) {
            var offset = 0
            while offset < bytes.count {
                let taken = min(ColumnFileMAC.chunkBytes - currentBytes, bytes.count - offset)
                current.update(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + taken)]))
                (offset, currentBytes) = (offset + taken, currentBytes + taken)
                if currentBytes == ColumnFileMAC.chunkBytes {
                    column.update(current.finalize().bytes)
                    (current, currentBytes) = (SHA256(), 0)
                }
            }
        }

        mutating func finalize() -> SHA256Digest {
            if currentBytes > 0 { column.update(current.finalize().bytes) }
            return column.finalize()
        }
    }
}
