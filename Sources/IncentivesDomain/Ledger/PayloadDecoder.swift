import LedgerLog

/// Reads typed members from a canonical `data` object, refusing a missing or mistyped one.
struct PayloadDecoder {
    let data: CanonicalObjectView
    let kind: EventKind
    /// Where the next member search starts (see `CanonicalObjectView.member(_:from:)`).
    var position = 1

    init(data: CanonicalObjectView, kind: EventKind) {
        self.data = data
        self.kind = kind
    }

    func refuse(_ why: String) -> LedgerError { .badData(why) }

    mutating func member(_ name: StaticString) throws(LedgerError) -> CanonicalObjectView.Member {
        guard let member = data.member(name, from: &position) else { throw refuse("\(kind) data lacks \(name)") }
        return member
    }

    mutating func identifierBytes(_ name: StaticString) throws(LedgerError) -> UnsafeRawBufferPointer {
        guard let bytes = unsafe try member(name).plainStringBytes, unsafe EventID.isValid(bytes) else {
            throw refuse("\(kind) \(name) must be an identifier of 1–64 characters from A-Za-z0-9._:-")
        }
        return unsafe bytes
    }

    /// An identifier, named in the table its index type belongs to.
    mutating func identifier<Index: NameIndex, Names: NameSink>(_ name: StaticString,
                                                                into names: inout Names) throws(LedgerError) -> Index {
        unsafe Index(rawValue: names.name(try identifierBytes(name), table: Index.table))
    }

    mutating func text<Names: NameSink>(_ name: StaticString, into names: inout Names) throws(LedgerError) -> TextIndex {
        let member = try member(name)
        guard member.kind == .string, unsafe member.value.count > 2 else { throw refuse("\(kind) \(name) must be a non-empty string") }
        if let plain = unsafe member.plainStringBytes { return unsafe TextIndex(rawValue: names.name(plain, table: .texts)) }
        return unsafe TextIndex(rawValue: names.escapedName(member.value, table: .texts))
    }

    mutating func optionalText<Names: NameSink>(_ name: StaticString,
                                                into names: inout Names) throws(LedgerError) -> TextIndex? {
        guard data.member(name) != nil else { return nil }
        return try text(name, into: &names)
    }

    mutating func integer(_ name: StaticString) throws(LedgerError) -> Int64 {
        guard let value = try member(name).integer else { throw refuse("\(kind) \(name) must be an integer") }
        return value
    }

    mutating func amount(_ name: StaticString) throws(LedgerError) -> Fen {
        Fen(try integer(name))
    }

    mutating func optionalAmount(_ name: StaticString) throws(LedgerError) -> Fen? {
        guard data.member(name) != nil else { return nil }
        return try amount(name)
    }

    mutating func optionalInteger(_ name: StaticString) throws(LedgerError) -> Int64? {
        guard data.member(name) != nil else { return nil }
        return try integer(name)
    }

    mutating func tier(_ name: StaticString) throws(LedgerError) -> Tier {
        guard let bytes = unsafe try member(name).plainStringBytes, let tier = unsafe Tier(nameBytes: bytes) else {
            throw refuse("\(kind) \(name) must be one of \(Tier.names.joined(separator: ", "))")
        }
        return tier
    }

    mutating func optionalTier(_ name: StaticString) throws(LedgerError) -> Tier? {
        guard data.member(name) != nil else { return nil }
        return try tier(name)
    }

    mutating func centreKind(_ name: StaticString) throws(LedgerError) -> CentreKind {
        guard let bytes = unsafe try member(name).plainStringBytes, let kind = unsafe CentreKind(nameBytes: bytes) else {
            throw refuse("\(kind) \(name) must be one of \(CentreKind.names.joined(separator: ", "))")
        }
        return kind
    }
}
