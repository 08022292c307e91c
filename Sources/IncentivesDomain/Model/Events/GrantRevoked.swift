import LedgerLog

/// A grant is withdrawn: the enterprise no longer has a right to it.
enum GrantRevoked: EventDefinition {
    static let kind = EventKind.grantRevoked
    static let typeName = "GrantRevoked"
    static let log: LogName? = IncentiveLogs.grants
    static let recordCode: UInt8 = 7
    static let members = [
        MemberSpec("grant", .identifier),
        MemberSpec("reason", .text),
    ]

    static func decode<Names: NameSink>(_ data: inout PayloadDecoder, into names: inout Names) throws(LedgerError)
        -> DomainEvent.Payload {
        let grant: GrantIndex = try data.identifier("grant", into: &names)
        return .grantRevoked(grant: grant, reason: try data.text("reason", into: &names))
    }

    static func pack(_ payload: DomainEvent.Payload, into fields: inout EventRecordFields) {
        guard case .grantRevoked(let grant, let reason) = payload else { mismatch(payload) }
        (fields.a, fields.b) = (grant.rawValue, reason.rawValue)
    }

    static func unpack(_ fields: EventRecordFields, in bounds: EventRecordBounds) -> DomainEvent.Payload? {
        guard let grant: GrantIndex = bounds.index(fields.a), let reason: TextIndex = bounds.index(fields.b) else { return nil }
        return .grantRevoked(grant: grant, reason: reason)
    }

    static func mappingNames(_ payload: DomainEvent.Payload, _ transform: (Int32) -> Int32) -> DomainEvent.Payload {
        guard case .grantRevoked(let grant, let reason) = payload else { mismatch(payload) }
        return .grantRevoked(grant: grant.mapped(transform), reason: reason.mapped(transform))
    }
}
