import LedgerLog

/// An enterprise moves up to a tier.
enum TierPromoted: TierChangeDefinition {
    static let kind = EventKind.tierPromoted
    static let typeName = "TierPromoted"
    static let recordCode: UInt8 = 11

    static func payload(enterprise: EnterpriseIndex, tier: Tier) -> DomainEvent.Payload {
        .tierPromoted(enterprise: enterprise, tier: tier)
    }

    static func parts(of payload: DomainEvent.Payload) -> (enterprise: EnterpriseIndex, tier: Tier)? {
        guard case .tierPromoted(let enterprise, let tier) = payload else { return nil }
        return (enterprise, tier)
    }
}
