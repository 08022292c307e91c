import LedgerLog

/// An enterprise moves down to a tier.
enum TierDemoted: EventDefinition {
    static let kind = EventKind.tierDemoted
    static let typeName = "TierDemoted"
    static let log: LogName? = IncentiveLogs.tiers
    static let recordCode: UInt8 = 12
    static let members = [
        MemberSpec("enterprise", .enterpriseCode),
        MemberSpec("tier", .tier),
    ]

    static func decode<Names: NameSink>(_ data: inout PayloadDecoder, into names: inout Names) throws(LedgerError)
        -> DomainEvent.Payload {
        let enterprise: EnterpriseIndex = try data.identifier("enterprise", into: &names)
        return .tierDemoted(enterprise: enterprise, tier: try data.tier("tier"))
    }

    static func pack(_ payload: DomainEvent.Payload, into fields: inout SnapshotRecordFields) {
        guard case .tierDemoted(let enterprise, let tier) = payload else { mismatch(payload) }
        (fields.a, fields.small) = (enterprise.rawValue, UInt8(tier.rawValue))
    }

    static func unpack(_ fields: SnapshotRecordFields, in bounds: SnapshotEventRecord.Bounds) -> DomainEvent.Payload? {
        guard let enterprise: EnterpriseIndex = bounds.index(fields.a),
              let tier = Tier(rawValue: Int8(truncatingIfNeeded: fields.small)) else { return nil }
        return .tierDemoted(enterprise: enterprise, tier: tier)
    }

    static func mappingNames(_ payload: DomainEvent.Payload, _ transform: (Int32) -> Int32) -> DomainEvent.Payload {
        guard case .tierDemoted(let enterprise, let tier) = payload else { mismatch(payload) }
        return .tierDemoted(enterprise: enterprise.mapped(transform), tier: tier)
    }
}
