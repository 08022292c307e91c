#if canImport(Glibc)
import Glibc
#endif

/// Bytes of a snapshot file, read or about to be written; released with the last reference.
/// A snapshot being read is mapped from the page cache rather than copied: no fresh memory to
/// fault in and zero, which is most of what a warm query would otherwise spend.
/// Never written once filled, so threads may share it.
final class SnapshotBuffer: @unchecked Sendable {
    let mutableBytes: UnsafeMutableRawBufferPointer
    let count: Int
    private let isMapped: Bool

    /// Writable memory of `count` bytes.
    init(count: Int) {
        precondition(count >= 0, "a buffer has a size")
        mutableBytes = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 1), alignment: 64)
        self.count = count
        isMapped = false
    }

    /// The first `count` bytes of an open file, mapped read-only (copy on write, never written),
    /// or nil when the file cannot be mapped.
    init?(mapping descriptor: Int32, count: Int) {
        precondition(count > 0, "only a non-empty file is mapped")
        guard let address = mmap(nil, count, PROT_READ, MAP_PRIVATE | MAP_POPULATE, descriptor, 0),
              address != MAP_FAILED else { return nil }
        mutableBytes = UnsafeMutableRawBufferPointer(start: address, count: count)
        self.count = count
        isMapped = true
    }

    /// Exactly `count` bytes (an empty buffer's allocation has one byte more).
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(mutableBytes)[0..<count]) }

    deinit {
        if isMapped {
            munmap(mutableBytes.baseAddress, count)
        } else {
            mutableBytes.deallocate()
        }
    }
}

/// Asks for 2 MiB pages under a large buffer about to be filled: a fresh process otherwise
/// takes one page fault per 4 KiB it writes, which costs more than decoding into it. A hint
/// only: without transparent huge pages nothing changes.
func adviseHugePages(_ start: UnsafeMutableRawPointer, byteCount: Int) {
    let hugePage = 2 << 20
    guard byteCount >= 2 * hugePage else { return }
    let first = (Int(bitPattern: start) + hugePage - 1) & ~(hugePage - 1)
    let end = (Int(bitPattern: start) + byteCount) & ~(hugePage - 1)
    guard end > first, let aligned = UnsafeMutableRawPointer(bitPattern: first) else { return }
    _ = madvise(aligned, end - first, MADV_HUGEPAGE)
}
