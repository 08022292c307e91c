/// Writes little-endian fields into bytes: the small, variable part of a column file (its
/// metadata), which the client lays out itself.
public struct ByteEncoder: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public mutating func put<Value: FixedWidthInteger>(_ value: Value) {
        var little = value.littleEndian
        withUnsafeBytes(of: &little) { bytes.append(contentsOf: $0) }
    }

    /// Bytes of a known length (a digest), as they are.
    public mutating func put(bytes other: [UInt8]) {
        bytes.append(contentsOf: other)
    }

    /// A string: its UTF-8 length (u64), its bytes, zeros to the next multiple of 8.
    public mutating func put(string: String) {
        put(UInt64(string.utf8.count))
        bytes.append(contentsOf: string.utf8)
        while bytes.count % 8 != 0 { bytes.append(0) }
    }
}

/// Reads what a `ByteEncoder` wrote, refusing to read past the end: every field is checked
/// before it is used, so damaged metadata is refused, never trusted.
public struct ByteDecoder: Sendable {
    private let bytes: [UInt8]
    public private(set) var position = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var remaining: Int { bytes.count - position }

    public mutating func read<Value: FixedWidthInteger>(_ type: Value.Type) throws(ColumnFileError) -> Value {
        let size = MemoryLayout<Value>.size
        guard remaining >= size else { throw .malformed("its metadata ends inside a field") }
        var value: Value = 0
        for offset in 0..<size {
            value |= Value(truncatingIfNeeded: bytes[position + offset]) << (8 * offset)
        }
        position += size
        return value
    }

    public mutating func read(bytes count: Int) throws(ColumnFileError) -> [UInt8] {
        guard count >= 0, remaining >= count else { throw .malformed("its metadata ends inside a field") }
        defer { position += count }
        return Array(bytes[position..<(position + count)])
    }

    /// A string of at most `maximumBytes` UTF-8 bytes, as `ByteEncoder.put(string:)` wrote it.
    public mutating func readString(maximumBytes: Int) throws(ColumnFileError) -> String {
        let length = try read(UInt64.self)
        guard length <= UInt64(maximumBytes) else { throw .malformed("a name in its metadata is too long") }
        let content = try read(bytes: Int(length))
        let padding = (8 - position % 8) % 8
        guard remaining >= padding else { throw .malformed("its metadata ends inside padding") }
        position += padding
        return String(decoding: content, as: UTF8.self)
    }
}
