import LedgerColumns

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

    /// A text a read of the logs did not intern, as its query does not show it
    /// (`LedgerScope.namesKeptByFullRead`): no interner reaches this index, so reading it traps
    /// rather than shows another text.
    static let notRead = TextIndex(rawValue: Int32.max - 1)
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

extension NameIndex {
    /// The index with its raw value passed through `transform` (`EventDefinition.mappingNames`).
    @inline(__always)
    func mapped(_ transform: (Int32) -> Int32) -> Self { Self(rawValue: transform(rawValue)) }
}

extension Optional where Wrapped: NameIndex {
    @inline(__always)
    func mapped(_ transform: (Int32) -> Int32) -> Self { map { $0.mapped(transform) } }
}
