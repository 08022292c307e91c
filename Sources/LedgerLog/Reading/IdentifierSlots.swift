#if canImport(Glibc)
import Glibc
#endif

/// The zeroed slot memory of an `IdentifierRegistry`. A million ids take tens of megabytes probed
/// at random, one probe per event: the memory is advised into huge pages where the system allows
/// it, so that a probe costs one cache miss and not a page-table walk as well.
final class IdentifierSlots {
    let pointer: UnsafeMutablePointer<UInt64>
    /// In 64-bit words; two words a slot.
    let wordCount: Int

    /// The alignment and granule of a huge page on the systems we run on.
    private static let hugePageBytes = 2 << 20

    init(slotCount: Int) {
        precondition(slotCount > 0 && slotCount & (slotCount - 1) == 0, "a power of two slots")
        wordCount = slotCount * 2
        let byteCount = wordCount * MemoryLayout<UInt64>.stride
        let raw: UnsafeMutableRawPointer
        if byteCount >= IdentifierSlots.hugePageBytes,
           let aligned = aligned_alloc(IdentifierSlots.hugePageBytes, byteCount) {
            raw = aligned
            #if canImport(Glibc)
            // Advice only: without huge pages the table works the same, a little slower.
            _ = madvise(raw, byteCount, MADV_HUGEPAGE)
            #endif
        } else {
            guard let plain = malloc(byteCount) else { preconditionFailure("cannot allocate \(byteCount) bytes for the id table") }
            raw = plain
        }
        memset(raw, 0, byteCount)
        pointer = raw.bindMemory(to: UInt64.self, capacity: wordCount)
    }

    deinit { free(pointer) }
}
