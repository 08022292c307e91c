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
        // A slot per year met, its tiers' counts and sums side by side in two flat lists: at ten
        // million events, 1.3 million grants went through a dictionary of years holding arrays.
        let tierCount = Tier.allCases.count
        var years: [Year] = [], slotOfYear: [Int: Int] = [:]
        var grants: [Int] = [], awardedFen: [Int64] = []
        var lastYear = Int.min, slot = 0
        let states = models.grants
        for position in states.indices {
            models.anticipateTierAtGrant(of: states, after: position)
            guard let grant = states[position] else { continue }
            let year = grant.awarded.year
            if year != lastYear {
                if let known = slotOfYear[year] {
                    slot = known
                } else {
                    slot = years.count
                    slotOfYear[year] = slot
                    years.append(Year(year: year))
                    grants.append(contentsOf: repeatElement(0, count: tierCount))
                    awardedFen.append(contentsOf: repeatElement(0, count: tierCount))
                }
                lastYear = year
            }
            let tier = Int(models.tierAtGrant(grant).rawValue), cell = slot * tierCount + tier
            grants[cell] += 1
            try FenTotal.add(Int128(grant.awardedFen), to: &awardedFen[cell], "the awards of \(year) at tier \(Tier.allCases[tier].name)")
        }
        for slot in years.indices {
            let cells = slot * tierCount..<(slot + 1) * tierCount
            years[slot].grants = Array(grants[cells])
            years[slot].awardedFen = Array(awardedFen[cells])
        }
        self.years = years.sorted { $0.year < $1.year }
    }
}
