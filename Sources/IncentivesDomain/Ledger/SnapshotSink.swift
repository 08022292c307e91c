#if canImport(Glibc)
import Glibc
#endif

/// Where a snapshot is written: a fixed chunk of memory filled and written to the file again and
/// again, so that saving a snapshot of any size needs no buffer of its size. It checksums what it
/// writes after the header's checksum field and, at the end, writes the checksum into that field.
final class SnapshotSink {
    static let chunkBytes = 8 << 20

    private let descriptor: Int32
    private let name: String
    private let chunk: UnsafeMutableRawBufferPointer
    private var filled = 0
    /// File offset of the chunk's first byte.
    private var flushed = 0
    private var checksum = SnapshotChecksum.Accumulator()
    /// The first write that failed; later writes are skipped.
    private(set) var failure: String? = nil

    init(descriptor: Int32, name: String) {
        self.descriptor = descriptor
        self.name = name
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
        let skipped = max(0, min(filled, LedgerSnapshot.checksummedFrom - flushed))
        checksum.add(UnsafeRawBufferPointer(rebasing: bytes[skipped...]))
        if failure == nil { failure = write(bytes, at: flushed) }
        flushed += filled
        filled = 0
    }

    /// Writes what is left and the checksum; returns the first failure, if any.
    func finish() -> String? {
        flush()
        guard failure == nil else { return failure }
        let sum = checksum.finish()
        var words = (sum.high.littleEndian, sum.low.littleEndian)
        return withUnsafeBytes(of: &words) { write($0, at: 16) }
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
