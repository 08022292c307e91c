import LedgerLog

/// An enterprise moves up to a tier.
enum TierPromoted: EventDefinition {
    static let kind = EventKind.tierPromoted
    static let typeName = "TierPromoted"
    static let log: LogName? = IncentiveLogs.tiers
    static let recordCode: UInt8 = 11
    static let members = [
        MemberSpec("enterprise", .enterpriseCode),
        MemberSpec("tier", .tier),
    ]

    static func decode<Names: NameSink>(_ data: inout PayloadDecoder, into names: inout Names) throws(LedgerError)
        -> DomainEvent.Payload {
        let enterprise: EnterpriseIndex = try data.identifier("enterprise", into: &names)
        return .tierPromoted(enterprise: enterprise, tier: try data.tier("tier"))
    }

    static func pack(_ payload: DomainEvent.Payload, into fields: inout SnapshotRecordFields) {
        guard case .tierPromoted(let enterprise, let tier) = payload else { mismatch(payload) }
        (fields.a, fields.small) = (enterprise.rawValue, UInt8(tier.rawValue))
    }

    static func unpack(_ fields: SnapshotRecordFields, in bounds: SnapshotEventRecord.Bounds) -> DomainEvent.Payload? {
        guard let enterprise: EnterpriseIndex = bounds.index(fields.a),
              let tier = Tier(rawValue: Int8(truncatingIfNeeded: fields.small)) else { return nil }
        return .tierPromoted(enterprise: enterprise, tier: tier)
    }

    static func mappingNames(_ payload: DomainEvent.Payload, _ transform: (Int32) -> Int32) -> DomainEvent.Payload {
        guard case .tierPromoted(let enterprise, let tier) = payload else { mismatch(payload) }
        return .tierPromoted(enterprise: enterprise.mapped(transform), tier: tier)
    }
}
