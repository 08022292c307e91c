/// Writes a snapshot's little-endian fields to a `SnapshotSink`. Without a sink it only counts,
/// so that one encoding function both measures the file and writes it.
struct SnapshotByteWriter {
    private let sink: SnapshotSink?
    private(set) var position = 0

    /// A writer that only counts bytes.
    init() { sink = nil }

    init(to sink: SnapshotSink) { self.sink = sink }

    var isCounting: Bool { sink == nil }

    /// Counts `count` bytes without writing them (only when counting).
    mutating func skip(_ count: Int) {
        precondition(isCounting, "only a counting writer skips")
        position += count
    }

    /// Counts an array of `count` elements without having it (only when counting).
    mutating func skipArray<Element: FixedWidthInteger>(of type: Element.Type, count: Int) {
        put(UInt64(count))
        skip(count * MemoryLayout<Element>.size)
        align()
    }

    mutating func put<Value: FixedWidthInteger>(_ value: Value) {
        withSpace(MemoryLayout<Value>.size) { $0.storeBytes(of: value.littleEndian, as: Value.self) }
    }

    mutating func put(_ bytes: UnsafeRawBufferPointer) {
        if let sink, bytes.count > 0 { sink.append(bytes) }
        position += bytes.count
    }

    /// `count` contiguous bytes (a small field or record) filled by `fill`, not called when counting.
    mutating func withSpace(_ count: Int, _ fill: (UnsafeMutableRawPointer) -> Void) {
        if let sink {
            fill(sink.space(count))
            sink.advance(count)
        }
        position += count
    }

    /// Zeros up to the next multiple of 8, so every array starts aligned.
    mutating func align() {
        while position % 8 != 0 { put(UInt8(0)) }
    }

    /// An array: its element count, its elements little-endian, zeros to the next multiple of 8.
    mutating func putArray<Element: FixedWidthInteger>(_ elements: [Element]) {
        put(UInt64(elements.count))
        #if _endian(big)
        for element in elements { put(element) }
        #else
        elements.withUnsafeBytes { put($0) }
        #endif
        align()
    }
}
