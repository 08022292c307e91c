import CMemoryHints

extension Array {
    /// Starts loading the element at `position` into the cache without waiting for it: for a
    /// loop that visits elements in an order the processor cannot guess, a few steps ahead.
    /// Every cache line the element spans is asked for. A hint only; a position outside the
    /// array is ignored.
    @inlinable @inline(__always)
    public func prefetch(_ position: Int) {
        guard position >= 0, position < count else { return }
        withUnsafeBufferPointer { elements in
            let start = UnsafeRawPointer(elements.baseAddress! + position)
            let last = start + (MemoryLayout<Element>.size - 1)
            var line = UnsafeRawPointer(bitPattern: UInt(bitPattern: start) & ~63)!
            while line <= last {
                memory_hints_prefetch(line)
                line += 64
            }
        }
    }
}

extension Column {
    /// Starts loading the element at `position` into the cache (see `Array.prefetch`).
    @inlinable @inline(__always)
    public func prefetch(_ position: Int) {
        guard position >= 0, position < count else { return }
        withElements { memory_hints_prefetch($0.baseAddress! + position) }
    }
}
