#if canImport(Glibc)
import Glibc
#endif
import LedgerLog

/// Where a snapshot is written: a fixed chunk of memory filled and written to the file again and
/// again, so that saving a snapshot of any size needs no buffer of its size. It authenticates
/// every byte it writes but the header's MAC field (HMAC-SHA256 under the user's key) and, at
/// the end, writes the MAC into that field.
final class SnapshotSink {
    static let chunkBytes = 8 << 20

    private let descriptor: Int32
    private let name: String
    private let chunk: UnsafeMutableRawBufferPointer
    private var filled = 0
    /// File offset of the chunk's first byte.
    private var flushed = 0
    private var mac: HMACSHA256
    /// The first write that failed; later writes are skipped.
    private(set) var failure: String? = nil

    init(descriptor: Int32, name: String, key: [UInt8]) {
        self.descriptor = descriptor
        self.name = name
        mac = HMACSHA256(key: key)
        chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: SnapshotSink.chunkBytes, alignment: 64)
    }

    deinit { chunk.deallocate() }

    /// Room for `count` contiguous bytes (at most a chunk), to be filled before `advance`.
    func space(_ count: Int) -> UnsafeMutableRawPointer {
        precondition(count <= chunk.count, "a field fits in a chunk")
        if filled + count > chunk.count { flush() }
        return chunk.baseAddress! + filled
    }

    func advance(_ count: Int) {
        precondition(filled + count <= chunk.count, "advance only over the space asked for")
        filled += count
    }

    func append(_ bytes: UnsafeRawBufferPointer) {
        var offset = 0
        while offset < bytes.count {
            if filled == chunk.count { flush() }
            let taken = min(chunk.count - filled, bytes.count - offset)
            (chunk.baseAddress! + filled).copyMemory(from: bytes.baseAddress! + offset, byteCount: taken)
            filled += taken
            offset += taken
        }
    }

    private func flush() {
        guard filled > 0 else { return }
        let bytes = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(chunk)[0..<filled])
        // The MAC field's bytes (file offsets macOffset..<authenticatedAgainFrom) are left out.
        let fieldStart = min(max(LedgerSnapshot.macOffset - flushed, 0), filled)
        let fieldEnd = min(max(LedgerSnapshot.authenticatedAgainFrom - flushed, 0), filled)
        mac.update(UnsafeRawBufferPointer(rebasing: bytes[..<fieldStart]))
        mac.update(UnsafeRawBufferPointer(rebasing: bytes[fieldEnd...]))
        if failure == nil { failure = write(bytes, at: flushed) }
        flushed += filled
        filled = 0
    }

    /// Writes what is left and the MAC; returns the first failure, if any.
    func finish() -> String? {
        flush()
        guard failure == nil else { return failure }
        return mac.finalize().bytes.withUnsafeBytes { write($0, at: LedgerSnapshot.macOffset) }
    }

    private func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> String? {
        var done = 0
        while done < bytes.count {
            let result = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
            if result < 0 {
                if errno == EINTR { continue }
                return "cannot write \(name): \(String(cString: strerror(errno)))"
            }
            done += result
        }
        return nil
    }
}
