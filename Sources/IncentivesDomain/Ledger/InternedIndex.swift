/// A position in one of the ledger's tables. Each table has its own index type, so that an index
/// into one table cannot be used in another; every one is a bare `Int32`, so records stay compact.
public protocol InternedIndex: Hashable, Comparable, Sendable, CustomStringConvertible {
    var rawValue: Int32 { get }
    init(rawValue: Int32)
}

extension InternedIndex {
    /// The position as an array offset.
    @inline(__always)
    public var offset: Int { Int(rawValue) }

    @inline(__always)
    public init(offset: Int) {
        precondition(offset >= 0 && offset < Int(Int32.max), "an index fits in 31 bits")
        self.init(rawValue: Int32(truncatingIfNeeded: offset))
    }

    public static func < (left: Self, right: Self) -> Bool { left.rawValue < right.rawValue }

    public var description: String { String(rawValue) }
}

/// An index that names an interned string, and which of the ledger's interners holds it.
protocol NameIndex: InternedIndex {
    static var table: NameTable { get }
}

/// A programme id in `Ledger.programmes`.
public struct ProgrammeIndex: NameIndex {
    public let rawValue: Int32
    @inline(__always) public init(rawValue: Int32) { self.rawValue = rawValue }
    static var table: NameTable { .programmes }
}

/// A grant id in `Ledger.grants`.
public struct GrantIndex: NameIndex {
    public let rawValue: Int32
    @inline(__always) public init(rawValue: Int32) { self.rawValue = rawValue }
    static var table: NameTable { .grants }
}

/// An enterprise code in `Ledger.enterprises`.
public struct EnterpriseIndex: NameIndex {
    public let rawValue: Int32
    @inline(__always) public init(rawValue: Int32) { self.rawValue = rawValue }
    static var table: NameTable { .enterprises }
}

/// A centre id in `Ledger.centres`.
public struct CentreIndex: NameIndex {
    public let rawValue: Int32
    @inline(__always) public init(rawValue: Int32) { self.rawValue = rawValue }
    static var table: NameTable { .centres }
}

/// A free text (name, reason, actor, source) in `Ledger.texts`.
public struct TextIndex: NameIndex {
    public let rawValue: Int32
    @inline(__always) public init(rawValue: Int32) { self.rawValue = rawValue }
    static var table: NameTable { .texts }
}

/// A string in an interner of its own (event ids, normalised project names).
public struct PlainIndex: InternedIndex {
    public let rawValue: Int32
    @inline(__always) public init(rawValue: Int32) { self.rawValue = rawValue }
}

/// An event's position in `Ledger.events` (log order), not in the replay order.
public struct EventIndex: InternedIndex {
    public let rawValue: Int32
    @inline(__always) public init(rawValue: Int32) { self.rawValue = rawValue }
}

extension Array {
    /// The element a table's index stands for, in an array kept parallel to that table.
    @inline(__always)
    public subscript<Index: InternedIndex>(index: Index) -> Element {
        get { self[index.offset] }
        set { self[index.offset] = newValue }
        _modify { yield &self[index.offset] }
    }
}

extension Optional where Wrapped: InternedIndex {
    /// How an absent index is stored in a record: -1, which no index is.
    @inline(__always)
    var storedRawValue: Int32 { self?.rawValue ?? -1 }

    @inline(__always)
    init(storedRawValue: Int32) {
        self = storedRawValue < 0 ? nil : Wrapped(rawValue: storedRawValue)
    }
}

extension NameIndex {
    /// The index with its raw value passed through `transform` (`EventDefinition.mappingNames`).
    @inline(__always)
    func mapped(_ transform: (Int32) -> Int32) -> Self { Self(rawValue: transform(rawValue)) }
}

extension Optional where Wrapped: NameIndex {
    @inline(__always)
    func mapped(_ transform: (Int32) -> Int32) -> Self { map { $0.mapped(transform) } }
}
