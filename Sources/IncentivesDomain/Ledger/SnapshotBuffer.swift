/// Bytes of a snapshot file, read or about to be written; freed with the last reference.
final class SnapshotBuffer {
    let mutableBytes: UnsafeMutableRawBufferPointer

    init(count: Int) {
        precondition(count >= 0, "a buffer has a size")
        mutableBytes = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 1), alignment: 64)
        count_ = count
    }

    private let count_: Int

    var count: Int { count_ }

    /// Exactly `count` bytes (the allocation may be one byte larger for an empty buffer).
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(mutableBytes)[0..<count_]) }

    deinit { mutableBytes.deallocate() }
}
