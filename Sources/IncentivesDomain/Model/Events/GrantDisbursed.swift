import LedgerLog

/// An amount of a grant is paid out.
enum GrantDisbursed: EventDefinition {
    static let kind = EventKind.grantDisbursed
    static let typeName = "GrantDisbursed"
    static let log: LogName? = IncentiveLogs.grants
    static let recordCode: UInt8 = 6
    static let members = [
        MemberSpec("amountFen", .amount),
        MemberSpec("grant", .identifier),
    ]

    static func decode<Names: NameSink>(_ data: inout PayloadDecoder, into names: inout Names) throws(LedgerError)
        -> DomainEvent.Payload {
        let amountFen = try data.amount("amountFen")
        let grant: GrantIndex = try data.identifier("grant", into: &names)
        return .grantDisbursed(grant: grant, amountFen: amountFen)
    }

    static func pack(_ payload: DomainEvent.Payload, into fields: inout SnapshotRecordFields) {
        guard case .grantDisbursed(let grant, let amountFen) = payload else { mismatch(payload) }
        (fields.a, fields.amount) = (grant.rawValue, amountFen.rawValue)
    }

    static func unpack(_ fields: SnapshotRecordFields, in bounds: SnapshotEventRecord.Bounds) -> DomainEvent.Payload? {
        guard let grant: GrantIndex = bounds.index(fields.a) else { return nil }
        return .grantDisbursed(grant: grant, amountFen: Fen(fields.amount))
    }

    static func mappingNames(_ payload: DomainEvent.Payload, _ transform: (Int32) -> Int32) -> DomainEvent.Payload {
        guard case .grantDisbursed(let grant, let amountFen) = payload else { mismatch(payload) }
        return .grantDisbursed(grant: grant.mapped(transform), amountFen: amountFen)
    }
}
