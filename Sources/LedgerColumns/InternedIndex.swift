/// A position in one table. Each table has its own index type, so that an index into one table
/// cannot be used in another; every one is a bare `Int32`, so columns of them stay compact.
public protocol InternedIndex: Hashable, Comparable, Sendable, CustomStringConvertible {
    var rawValue: Int32 { get }
    init(rawValue: Int32)
}

extension InternedIndex {
    /// The position as an array offset.
    @inlinable @inline(__always)
    public var offset: Int { Int(rawValue) }

    @inlinable @inline(__always)
    public init(offset: Int) {
        precondition(offset >= 0 && offset < Int(Int32.max), "an index fits in 31 bits")
        self.init(rawValue: Int32(truncatingIfNeeded: offset))
    }

    public static func < (left: Self, right: Self) -> Bool { left.rawValue < right.rawValue }

    public var description: String { String(rawValue) }
}

extension Array {
    /// The element a table's index stands for, in an array kept parallel to that table.
    /// Inlinable: made generic across modules, every read and write of a read model's slot was
    /// a call through value witnesses.
    @inlinable @inline(__always)
    public subscript<Index: InternedIndex>(index: Index) -> Element {
        get { self[index.offset] }
        set { self[index.offset] = newValue }
        _modify { yield &self[index.offset] }
    }
}

extension Optional where Wrapped: InternedIndex {
    /// How an absent index is stored in a column: -1, which no index is.
    @inline(__always)
    public var storedRawValue: Int32 { self?.rawValue ?? -1 }

    @inline(__always)
    public init(storedRawValue: Int32) {
        self = storedRawValue < 0 ? nil : Wrapped(rawValue: storedRawValue)
    }
}

/// A position in a table that has no type of its own (a list of strings).
public struct Position: InternedIndex {
    public let rawValue: Int32
    @inline(__always) public init(rawValue: Int32) { self.rawValue = rawValue }
}
