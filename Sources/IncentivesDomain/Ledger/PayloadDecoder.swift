import LedgerLog

/// Reads typed members from a canonical `data` object, refusing a missing or mistyped one.
/// Names go to the sink with where they lie in the bytes decoded: `dataOffset` is where the
/// object starts in them (its place in a log line; 0 for a draft's data).
struct PayloadDecoder: ~Escapable {
    let data: CanonicalObjectSpan
    let dataOffset: Int
    let kind: EventKind
    /// Where the next member search starts (see `CanonicalObjectView.member(_:from:)`).
    var position = 1

    @_lifetime(copy data)
    init(data: CanonicalObjectSpan, at dataOffset: Int, kind: EventKind) {
        self.data = data
        self.dataOffset = dataOffset
        self.kind = kind
    }

    func refuse(_ why: String) -> LedgerError { .badData(why) }

    /// Where the value of the member `name` lies in `data`.
    mutating func member(_ name: StaticString) throws(LedgerError) -> Range<Int> {
        guard let member = data.memberRange(name, from: &position) else { throw refuse("\(kind) data lacks \(name)") }
        return member
    }

    /// Where an identifier's characters lie in `data` (the string's content).
    mutating func identifierRange(_ name: StaticString) throws(LedgerError) -> Range<Int> {
        guard let content = data.plainStringRange(of: try member(name)), EventID.isValid(data.bytes.extracting(content)) else {
            throw refuse("\(kind) \(name) must be an identifier of 1–64 characters from A-Za-z0-9._:-")
        }
        return content
    }

    /// An identifier, named in the table its index type belongs to.
    mutating func identifier<Index: NameIndex, Names: NameSink>(_ name: StaticString,
                                                                into names: inout Names) throws(LedgerError) -> Index {
        let content = try identifierRange(name)
        return Index(rawValue: names.name(data.bytes.extracting(content), at: dataOffset + content.lowerBound, table: Index.table))
    }

    mutating func text<Names: NameSink>(_ name: StaticString, into names: inout Names) throws(LedgerError) -> TextIndex {
        let member = try member(name)
        guard data.kind(of: member) == .string, member.count > 2 else { throw refuse("\(kind) \(name) must be a non-empty string") }
        if let plain = data.plainStringRange(of: member) {
            return TextIndex(rawValue: names.name(data.bytes.extracting(plain), at: dataOffset + plain.lowerBound, table: .texts))
        }
        return TextIndex(rawValue: names.escapedName(data.bytes.extracting(member), at: dataOffset + member.lowerBound, table: .texts))
    }

    mutating func optionalText<Names: NameSink>(_ name: StaticString,
                                                into names: inout Names) throws(LedgerError) -> TextIndex? {
        guard data.memberRange(name) != nil else { return nil }
        return try text(name, into: &names)
    }

    mutating func integer(_ name: StaticString) throws(LedgerError) -> Int64 {
        guard let value = data.integer(of: try member(name)) else { throw refuse("\(kind) \(name) must be an integer") }
        return value
    }

    mutating func amount(_ name: StaticString) throws(LedgerError) -> Fen {
        Fen(try integer(name))
    }

    mutating func optionalAmount(_ name: StaticString) throws(LedgerError) -> Fen? {
        guard data.memberRange(name) != nil else { return nil }
        return try amount(name)
    }

    mutating func optionalInteger(_ name: StaticString) throws(LedgerError) -> Int64? {
        guard data.memberRange(name) != nil else { return nil }
        return try integer(name)
    }

    mutating func tier(_ name: StaticString) throws(LedgerError) -> Tier {
        guard let content = data.plainStringRange(of: try member(name)), let tier = Tier(nameBytes: data.bytes.extracting(content)) else {
            throw refuse("\(kind) \(name) must be one of \(Tier.names.joined(separator: ", "))")
        }
        return tier
    }

    mutating func optionalTier(_ name: StaticString) throws(LedgerError) -> Tier? {
        guard data.memberRange(name) != nil else { return nil }
        return try tier(name)
    }

    mutating func centreKind(_ name: StaticString) throws(LedgerError) -> CentreKind {
        guard let content = data.plainStringRange(of: try member(name)),
              let kind = CentreKind(nameBytes: data.bytes.extracting(content)) else {
            throw refuse("\(kind) \(name) must be one of \(CentreKind.names.joined(separator: ", "))")
        }
        return kind
    }
}
