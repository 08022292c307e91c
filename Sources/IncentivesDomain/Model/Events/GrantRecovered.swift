import LedgerLog

/// An amount paid on a grant is paid back.
enum GrantRecovered: EventDefinition {
    static let kind = EventKind.grantRecovered
    static let typeName = "GrantRecovered"
    static let log: LogName? = IncentiveLogs.grants
    static let recordCode: UInt8 = 8
    static let members = [
        MemberSpec("amountFen", .amount),
        MemberSpec("grant", .identifier),
    ]

    static func decode<Names: NameSink>(_ data: inout PayloadDecoder, into names: inout Names) throws(LedgerError)
        -> DomainEvent.Payload {
        let amountFen = try data.amount("amountFen")
        let grant: GrantIndex = try data.identifier("grant", into: &names)
        return .grantRecovered(grant: grant, amountFen: amountFen)
    }

    static func pack(_ payload: DomainEvent.Payload, into fields: inout SnapshotRecordFields) {
        guard case .grantRecovered(let grant, let amountFen) = payload else { mismatch(payload) }
        (fields.a, fields.amount) = (grant.rawValue, amountFen.rawValue)
    }

    static func unpack(_ fields: SnapshotRecordFields, in bounds: SnapshotEventRecord.Bounds) -> DomainEvent.Payload? {
        guard let grant: GrantIndex = bounds.index(fields.a) else { return nil }
        return .grantRecovered(grant: grant, amountFen: Fen(fields.amount))
    }

    static func mappingNames(_ payload: DomainEvent.Payload, _ transform: (Int32) -> Int32) -> DomainEvent.Payload {
        guard case .grantRecovered(let grant, let amountFen) = payload else { mismatch(payload) }
        return .grantRecovered(grant: grant.mapped(transform), amountFen: amountFen)
    }
}
