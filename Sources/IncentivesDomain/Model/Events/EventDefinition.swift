import LedgerLog

/// One event type in one place: its name and log, the members of its `data` (what drafts are
/// checked against), how those members decode into its payload, and how the payload packs into a
/// snapshot record. `EventKind` and the loader, the draft schema and the snapshot dispatch to
/// these by static calls (no existential in decoding). Adding a type: a file here, a case in
/// `EventKind` and in `DomainEvent.Payload`, then the switches the compiler asks for.
protocol EventDefinition {
    static var kind: EventKind { get }
    /// The `type` of its log lines.
    static var typeName: String { get }
    /// The log its events belong to; nil when that is its target's (a retraction).
    static var log: LogName? { get }
    /// The members of `data`, in canonical order.
    static var members: [MemberSpec] { get }
    /// Its code in snapshot records: fixed once given, never taken from case order, never reused.
    static var recordCode: UInt8 { get }

    /// Decodes a validated canonical `data` object; names go to `names`. Members are asked for in
    /// canonical order, so that one pass over the object finds them.
    static func decode<Names: NameSink>(_ data: inout PayloadDecoder, into names: inout Names) throws(LedgerError)
        -> DomainEvent.Payload

    /// Puts a payload of this type into a record's fields (those it does not use stay zero).
    static func pack(_ payload: DomainEvent.Payload, into fields: inout EventRecordFields)

    /// The payload a record's fields hold, or nil when one is out of range. `pack` of the result
    /// must give the same fields back (the snapshot reader compares), so one payload has one record.
    static func unpack(_ fields: EventRecordFields, in bounds: EventRecordBounds) -> DomainEvent.Payload?

    /// The payload with every interned name's raw index passed through `transform` (a worker's
    /// ordinals to the interners' indexes); absent names and event indexes stay as they are.
    static func mappingNames(_ payload: DomainEvent.Payload, _ transform: (Int32) -> Int32) -> DomainEvent.Payload
}

extension EventDefinition {
    /// Whether `fields` are a record of this type within `bounds`: they unpack, and packing the
    /// payload they unpack to gives them back, so one payload has one record. Made per type, the
    /// payload in between is of one known case (the snapshot reader checks every row with this).
    @inline(__always)
    static func isCanonical(_ fields: EventRecordFields, in bounds: EventRecordBounds) -> Bool {
        guard let payload = unpack(fields, in: bounds) else { return false }
        var canonical = EventRecordFields()
        pack(payload, into: &canonical)
        return canonical == fields
    }

    /// A payload of another type reaching this definition is a dispatch bug, not bad data.
    static func mismatch(_ payload: DomainEvent.Payload) -> Never {
        preconditionFailure("\(typeName) cannot pack \(payload)")
    }
}
