import LedgerLog

/// An enterprise moves down to a tier.
enum TierDemoted: TierChangeDefinition {
    static let kind = EventKind.tierDemoted
    static let typeName = "TierDemoted"
    static let recordCode: UInt8 = 12

    static func payload(enterprise: EnterpriseIndex, tier: Tier) -> DomainEvent.Payload {
        .tierDemoted(enterprise: enterprise, tier: tier)
    }

    static func parts(of payload: DomainEvent.Payload) -> (enterprise: EnterpriseIndex, tier: Tier)? {
        guard case .tierDemoted(let enterprise, let tier) = payload else { return nil }
        return (enterprise, tier)
    }
}
