/// An event's idempotency key: 1–64 characters from `A-Za-z0-9._:-`, unique across all logs.
public struct EventID: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let maximumLength = 64
    public let rawValue: String

    public init?(rawValue: String) {
        var copy = rawValue
        let valid = copy.withUTF8 { EventID.isValid(UnsafeRawBufferPointer($0)) }
        guard valid else { return nil }
        self.rawValue = rawValue
    }

    public var description: String { rawValue }

    public static func < (left: EventID, right: EventID) -> Bool { left.rawValue < right.rawValue }

    /// The same alphabet serves every identifier in the ledger (events, grants, programmes, centres).
    @inline(__always)
    public static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count >= 1, bytes.count <= maximumLength else { return false }
        for byte in bytes where !isIdentifierByte(byte) { return false }
        return true
    }

    @inline(__always)
    public static func isIdentifierByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 48...57, 65...90, 97...122, 46, 95, 58, 45: return true
        default: return false
        }
    }
}

extension EventID {
    /// `isValid` of a span's bytes, read in place: for the domain, which holds no pointers.
    @inline(__always)
    public static func isValid(_ bytes: Span<UInt8>) -> Bool {
        bytes.withUnsafeBytes { isValid($0) }
    }
}
