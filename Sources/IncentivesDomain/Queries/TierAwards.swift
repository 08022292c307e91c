import LedgerLog

/// Awards per year by the enterprise's tier at grant: how the money followed the tiers.
/// Counts every grant awarded in the year; amounts are what each grant is awarded now (0 once revoked).
public struct TierAwards: Sendable, Equatable {
    public struct Year: Sendable, Equatable {
        public var year: Int
        /// Indexed by `Tier.rawValue`.
        public var grants = Array(repeating: 0, count: Tier.allCases.count)
        public var awardedFen = Array(repeating: Int64(0), count: Tier.allCases.count)
    }

    /// In year order.
    public var years: [Year]

    public init(models: ReadModels) throws(LedgerError) {
        var byYear: [Int: Year] = [:]
        for grant in models.grants {
            guard let grant else { continue }
            let year = grant.awarded.year
            let tier = Int(models.tierAtGrant(grant).rawValue)
            byYear[year, default: Year(year: year)].grants[tier] += 1
            try FenTotal.add(Int128(grant.awardedFen), to: &byYear[year, default: Year(year: year)].awardedFen[tier],
                             "the awards of \(year) at tier \(Tier.allCases[tier].name)")
        }
        years = byYear.values.sorted { $0.year < $1.year }
    }
}
