#if canImport(Glibc)
import Glibc
#endif

/// The zeroed slot memory of an `IdentifierRegistry`. A million ids take over ten megabytes probed
/// at random, one probe per event: the memory is mapped fresh, so that the system zeroes only
/// the pages a probe touches and no pass over it is needed, and advised into huge pages where
/// the system allows it, so that a probe costs one cache miss and not a page-table walk as well.
final class IdentifierSlots {
    let pointer: UnsafeMutablePointer<UInt64>
    /// In 64-bit words; one word a slot.
    let wordCount: Int
    private let byteCount: Int

    init(slotCount: Int) {
        precondition(slotCount > 0 && slotCount & (slotCount - 1) == 0, "a power of two slots")
        wordCount = slotCount
        byteCount = wordCount * MemoryLayout<UInt64>.stride
        let mapped = mmap(nil, byteCount, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let mapped, mapped != MAP_FAILED else {
            preconditionFailure("cannot map \(byteCount) bytes for the id table")
        }
        // Advice only: without huge pages the table works the same, a little slower.
        _ = madvise(mapped, byteCount, MADV_HUGEPAGE)
        pointer = mapped.bindMemory(to: UInt64.self, capacity: wordCount)
    }

    deinit { munmap(pointer, byteCount) }
}
