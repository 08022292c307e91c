import LedgerLog

/// The shape `GrantAmended`, `GrantDisbursed` and `GrantRecovered` share: an amount on a grant.
/// Each says only how its payload case is built and taken apart; schema, decoding and record
/// layout are written once here.
protocol GrantAmountDefinition: EventDefinition {
    static func payload(grant: GrantIndex, amountFen: Fen) -> DomainEvent.Payload
    /// The grant and amount of a payload of this type, or nil for another type's.
    static func parts(of payload: DomainEvent.Payload) -> (grant: GrantIndex, amountFen: Fen)?
}

extension GrantAmountDefinition {
    static var log: LogName? { IncentiveLogs.grants }
    static var members: [MemberSpec] { [MemberSpec("amountFen", .amount), MemberSpec("grant", .identifier)] }

    static func decode<Names: NameSink>(_ data: inout PayloadDecoder, into names: inout Names) throws(LedgerError)
        -> DomainEvent.Payload {
        let amountFen = try data.amount("amountFen")
        let grant: GrantIndex = try data.identifier("grant", into: &names)
        return payload(grant: grant, amountFen: amountFen)
    }

    static func pack(_ payload: DomainEvent.Payload, into fields: inout EventRecordFields) {
        guard let (grant, amountFen) = parts(of: payload) else { mismatch(payload) }
        (fields.a, fields.amount) = (grant.rawValue, amountFen.rawValue)
    }

    static func unpack(_ fields: EventRecordFields, in bounds: EventRecordBounds) -> DomainEvent.Payload? {
        guard let grant: GrantIndex = bounds.index(fields.a) else { return nil }
        return payload(grant: grant, amountFen: Fen(fields.amount))
    }

    static func mappingNames(_ payload: DomainEvent.Payload, _ transform: (Int32) -> Int32) -> DomainEvent.Payload {
        guard let (grant, amountFen) = parts(of: payload) else { mismatch(payload) }
        return self.payload(grant: grant.mapped(transform), amountFen: amountFen)
    }
}
