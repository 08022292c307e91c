/// Writes a snapshot's little-endian fields into a buffer of known size. Without a buffer it
/// only counts, so that one encoding function both sizes the file and fills it.
struct SnapshotByteWriter {
    private let buffer: UnsafeMutableRawBufferPointer?
    private(set) var position = 0

    /// A writer that only counts bytes.
    init() { buffer = nil }

    init(into buffer: UnsafeMutableRawBufferPointer) { self.buffer = buffer }

    var isCounting: Bool { buffer == nil }

    mutating func put<Value: FixedWidthInteger>(_ value: Value) {
        if let buffer {
            precondition(position + MemoryLayout<Value>.size <= buffer.count, "the snapshot was sized for its content")
            buffer.storeBytes(of: value.littleEndian, toByteOffset: position, as: Value.self)
        }
        position += MemoryLayout<Value>.size
    }

    mutating func put(_ bytes: UnsafeRawBufferPointer) {
        if let buffer, bytes.count > 0 {
            precondition(position + bytes.count <= buffer.count, "the snapshot was sized for its content")
            (buffer.baseAddress! + position).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        }
        position += bytes.count
    }

    /// Zeros up to the next multiple of 8, so every array starts aligned.
    mutating func align() {
        while position % 8 != 0 { put(UInt8(0)) }
    }

    /// `count` bytes filled by `fill` (not called when counting).
    mutating func reserve(_ count: Int, _ fill: (UnsafeMutableRawBufferPointer) -> Void) {
        if let buffer {
            precondition(position + count <= buffer.count, "the snapshot was sized for its content")
            fill(UnsafeMutableRawBufferPointer(rebasing: buffer[position..<(position + count)]))
        }
        position += count
    }

    /// An array: its element count, its elements little-endian, zeros to the next multiple of 8.
    mutating func putArray<Element: FixedWidthInteger>(_ elements: [Element]) {
        put(UInt64(elements.count))
        reserve(elements.count * MemoryLayout<Element>.size) { target in
            elements.withUnsafeBytes { source in
                guard source.count > 0 else { return }
                target.baseAddress!.copyMemory(from: source.baseAddress!, byteCount: source.count)
            }
            #if _endian(big)
            for index in elements.indices {
                target.storeBytes(of: elements[index].littleEndian, toByteOffset: index * MemoryLayout<Element>.size, as: Element.self)
            }
            #endif
        }
        align()
    }
}
