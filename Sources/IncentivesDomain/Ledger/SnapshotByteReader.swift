/// Reads a snapshot's little-endian fields, refusing to read past its end: every length in
/// a snapshot is checked before it is used, so a damaged file is rejected, never trusted.
struct SnapshotByteReader {
    let bytes: UnsafeRawBufferPointer
    private(set) var position: Int

    init(_ bytes: UnsafeRawBufferPointer, at position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    var remaining: Int { bytes.count - position }

    mutating func read<Value: FixedWidthInteger>(_ type: Value.Type) throws(SnapshotRejection) -> Value {
        let size = MemoryLayout<Value>.size
        guard remaining >= size, let base = bytes.baseAddress else { throw .malformed("it ends inside a field") }
        let value = Value(littleEndian: base.loadUnaligned(fromByteOffset: position, as: Value.self))
        position += size
        return value
    }

    /// A count that must fit what is left of the file at `elementBytes` each.
    mutating func readCount(elementBytes: Int, what: String) throws(SnapshotRejection) -> Int {
        let count = try read(UInt64.self)
        guard count <= UInt64(remaining / max(elementBytes, 1)) else { throw .malformed("its \(what) run past its end") }
        return Int(count)
    }

    mutating func readBytes(_ count: Int) throws(SnapshotRejection) -> UnsafeRawBufferPointer {
        guard count >= 0, remaining >= count else { throw .malformed("it ends inside a field") }
        defer { position += count }
        return UnsafeRawBufferPointer(rebasing: bytes[position..<(position + count)])
    }

    mutating func align() throws(SnapshotRejection) {
        let padding = (8 - position % 8) % 8
        guard remaining >= padding else { throw .malformed("it ends inside padding") }
        position += padding
    }

    /// Where the elements of an array written by `SnapshotByteWriter.putArray` lie, not copied.
    mutating func arrayRange<Element: FixedWidthInteger>(_ type: Element.Type, what: String) throws(SnapshotRejection) -> Range<Int> {
        let size = MemoryLayout<Element>.size
        let count = try readCount(elementBytes: size, what: what)
        let start = position
        _ = try readBytes(count * size)
        try align()
        return start..<(start + count * size)
    }

    /// An array written by `SnapshotByteWriter.putArray`, copied in bulk, with room for `spare`
    /// more elements (untouched room costs address space, not memory).
    mutating func readArray<Element: FixedWidthInteger>(_ type: Element.Type, what: String,
                                                        spare: Int = 0) throws(SnapshotRejection) -> [Element] {
        let size = MemoryLayout<Element>.size
        let count = try readCount(elementBytes: size, what: what)
        let source = try readBytes(count * size)
        let elements = [Element](unsafeUninitializedCapacity: count + spare) { target, initialized in
            guard count > 0, let into = target.baseAddress, let from = source.baseAddress else {
                initialized = 0
                return
            }
            adviseHugePages(UnsafeMutableRawPointer(into), byteCount: count * size)
            UnsafeMutableRawPointer(into).copyMemory(from: from, byteCount: count * size)
            initialized = count
        }
        try align()
        #if _endian(big)
        return elements.map { Element(littleEndian: $0) }
        #else
        return elements
        #endif
    }
}
