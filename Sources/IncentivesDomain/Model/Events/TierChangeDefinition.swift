import LedgerLog

/// The shape `TierPromoted` and `TierDemoted` share: an enterprise and the tier it moves to. Each
/// says only how its payload case is built and taken apart.
protocol TierChangeDefinition: EventDefinition {
    static func payload(enterprise: EnterpriseIndex, tier: Tier) -> DomainEvent.Payload
    /// The enterprise and tier of a payload of this type, or nil for another type's.
    static func parts(of payload: DomainEvent.Payload) -> (enterprise: EnterpriseIndex, tier: Tier)?
}

extension TierChangeDefinition {
    static var log: LogName? { IncentiveLogs.tiers }
    static var members: [MemberSpec] { [MemberSpec("enterprise", .enterpriseCode), MemberSpec("tier", .tier)] }

    static func decode<Names: NameSink>(_ data: inout PayloadDecoder, into names: inout Names) throws(LedgerError)
        -> DomainEvent.Payload {
        let enterprise: EnterpriseIndex = try data.identifier("enterprise", into: &names)
        return payload(enterprise: enterprise, tier: try data.tier("tier"))
    }

    static func pack(_ payload: DomainEvent.Payload, into fields: inout EventRecordFields) {
        guard let (enterprise, tier) = parts(of: payload) else { mismatch(payload) }
        (fields.a, fields.small) = (enterprise.rawValue, UInt8(tier.rawValue))
    }

    static func unpack(_ fields: EventRecordFields, in bounds: EventRecordBounds) -> DomainEvent.Payload? {
        guard let enterprise: EnterpriseIndex = bounds.index(fields.a),
              let tier = Tier(rawValue: Int8(truncatingIfNeeded: fields.small)) else { return nil }
        return payload(enterprise: enterprise, tier: tier)
    }

    static func mappingNames(_ payload: DomainEvent.Payload, _ transform: (Int32) -> Int32) -> DomainEvent.Payload {
        guard let (enterprise, tier) = parts(of: payload) else { mismatch(payload) }
        return self.payload(enterprise: enterprise.mapped(transform), tier: tier)
    }
}
