/// Read access to the top-level members of a canonical JSON object that has already been
/// validated (an event's `data`). It walks bytes and allocates only for the strings asked for.
public struct CanonicalObject: Sendable, Equatable {
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }

    public func withView<R>(_ body: (CanonicalObjectView) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes { try body(CanonicalObjectView($0)) }
    }
}

/// A borrowed view of a validated canonical object.
public struct CanonicalObjectView {
    public let bytes: UnsafeRawBufferPointer

    public init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// The kinds of value a member may hold.
    public enum Kind: Sendable { case string, integer, object, array, boolean, null }

    public struct Member {
        /// Key bytes between the quotes (still escaped, if the key has escapes).
        public let key: UnsafeRawBufferPointer
        /// The value's bytes, quotes and brackets included.
        public let value: UnsafeRawBufferPointer

        public var kind: Kind {
            switch value.first {
            case UInt8(ascii: "\""): return .string
            case UInt8(ascii: "{"): return .object
            case UInt8(ascii: "["): return .array
            case UInt8(ascii: "t"), UInt8(ascii: "f"): return .boolean
            case UInt8(ascii: "n"): return .null
            default: return .integer
            }
        }

        public var keyString: String { String(decoding: key, as: UTF8.self) }

        /// The string's content when it is a string.
        public var string: String? {
            kind == .string ? CanonicalString.decode(value) : nil
        }

        /// The unquoted content bytes of a string without escapes (identifiers), else nil.
        public var plainStringBytes: UnsafeRawBufferPointer? {
            guard kind == .string else { return nil }
            let content = UnsafeRawBufferPointer(rebasing: value[1..<(value.count - 1)])
            return content.contains(UInt8(ascii: "\\")) ? nil : content
        }

        public var integer: Int64? {
            guard kind == .integer else { return nil }
            var negative = false
            var result: Int64 = 0
            for byte in value {
                if byte == UInt8(ascii: "-") { negative = true; continue }
                result = result * 10 + Int64(byte - 48)
            }
            return negative ? -result : result
        }

        public var boolean: Bool? {
            guard kind == .boolean else { return nil }
            return value.first == UInt8(ascii: "t")
        }
    }

    /// Calls `body` for each top-level member, in canonical (sorted) order.
    @inline(__always)
    public func forEachMember(_ body: (Member) throws -> Void) rethrows {
        var position = 1
        let end = bytes.count - 1
        while position < end {
            let keyStart = position + 1
            position = skipString(from: position)
            let key = UnsafeRawBufferPointer(rebasing: bytes[keyStart..<(position - 1)])
            position += 1  // ":"
            let valueStart = position
            position = skipValue(from: position)
            try body(Member(key: key, value: UnsafeRawBufferPointer(rebasing: bytes[valueStart..<position])))
            position += 1  // "," or the closing brace
        }
    }

    /// The member whose key is `name`, searching from byte `position` to the end and then from
    /// the start; `position` moves past the member found. Asking for members in canonical order
    /// makes decoding one pass over the object.
    @inline(__always)
    public func member(_ name: StaticString, from position: inout Int) -> Member? {
        let end = bytes.count - 1
        var start = max(1, min(position, end))
        for round in 0..<2 {
            var cursor = round == 0 ? start : 1
            let stop = round == 0 ? end : start
            while cursor < stop {
                let keyStart = cursor + 1
                cursor = skipString(from: cursor)
                let key = UnsafeRawBufferPointer(rebasing: bytes[keyStart..<(cursor - 1)])
                cursor += 1  // ":"
                let valueStart = cursor
                cursor = skipValue(from: cursor)
                if bytesEqual(key, name) {
                    position = cursor + 1
                    return Member(key: key, value: UnsafeRawBufferPointer(rebasing: bytes[valueStart..<cursor]))
                }
                cursor += 1  // "," or the closing brace
            }
            start = min(start, end)
        }
        return nil
    }

    /// The member whose key is `name`, if present.
    public func member(_ name: StaticString) -> Member? {
        var found: Member? = nil
        forEachMember { member in
            if found == nil, bytesEqual(member.key, name) { found = member }
        }
        return found
    }

    public var memberCount: Int {
        var count = 0
        forEachMember { _ in count += 1 }
        return count
    }

    @inline(__always)
    func skipString(from start: Int) -> Int {
        var position = start + 1
        let base = bytes.baseAddress!
        while true {
            // Eight bytes at a time up to the first quote or backslash: the object is validated,
            // so the string ends inside it, and a quote inside a string follows a backslash.
            while position + 8 <= bytes.count {
                let found = CanonicalObjectView.quotesOrBackslashes(
                    UInt64(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt64.self)))
                if found != 0 {
                    position += found.trailingZeroBitCount / 8
                    break
                }
                position += 8
            }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") { return position + 1 }
            position += byte == UInt8(ascii: "\\") ? 2 : 1
        }
    }

    /// The high bit of each byte of `word` (first byte lowest) that is a quote or a backslash,
    /// exact up to the first such byte (`ByteLanes`), which is why only the lowest mark is used.
    @inline(__always)
    static func quotesOrBackslashes(_ word: UInt64) -> UInt64 {
        ByteLanes.equal(word, to: UInt8(ascii: "\"")) | ByteLanes.equal(word, to: UInt8(ascii: "\\"))
    }

    func skipValue(from start: Int) -> Int {
        switch bytes[start] {
        case UInt8(ascii: "\""):
            return skipString(from: start)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            var position = start
            repeat {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") {
                    position = skipString(from: position)
                    continue
                }
                if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") { depth += 1 }
                if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") { depth -= 1 }
                position += 1
            } while depth > 0
            return position
        default:
            var position = start
            while position < bytes.count {
                let byte = bytes[position]
                if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") { break }
                position += 1
            }
            return position
        }
    }
}
