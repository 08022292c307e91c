/// Bytes read through spans: what the domain, which holds no pointers, compares and copies.
extension Span where Element == UInt8 {
    /// Whether the bytes are those of `literal`: eight at a time where there are eight (the
    /// words overlap at the end), with no pointer in the caller's hands.
    @inline(__always)
    public func equals(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard self.count == count else { return false }
        return withUnsafeBytes { given in
            let expected = UnsafeRawPointer(literal.utf8Start)
            guard count >= 8, let given = given.baseAddress else {
                for index in 0..<count where given[index] != expected.load(fromByteOffset: index, as: UInt8.self) { return false }
                return true
            }
            @inline(__always) func same(_ offset: Int) -> Bool {
                expected.loadUnaligned(fromByteOffset: offset, as: UInt64.self) == given.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            }
            var offset = 0
            while offset + 8 < count {
                guard same(offset) else { return false }
                offset += 8
            }
            return same(count - 8)
        }
    }

    /// Whether the bytes are the UTF-8 of `string`.
    public func equals(utf8 string: String) -> Bool {
        var index = 0
        for byte in string.utf8 {
            guard index < count, self[index] == byte else { return false }
            index += 1
        }
        return index == count
    }

    /// Whether any byte is `byte`.
    @inline(__always)
    public func contains(_ byte: UInt8) -> Bool {
        withUnsafeBytes { $0.contains(byte) }
    }
}

extension Array where Element == UInt8 {
    /// Appends the bytes of `span`.
    @inline(__always)
    public mutating func append(contentsOf span: Span<UInt8>) {
        span.withUnsafeBytes { append(contentsOf: $0) }
    }
}
