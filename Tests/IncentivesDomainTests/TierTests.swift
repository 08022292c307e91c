import Testing
@testable import IncentivesDomain

@Suite struct TierTests {
    @Test func tiersAreOrderedAsTheYanzhenPlan() {
        #expect(Tier.allCases.map(\.name) == ["none", "startup", "sme", "high-tech", "influential"])
        #expect(Tier.none < Tier.startup && Tier.sme < Tier.highTech && Tier.highTech < Tier.influential)
        #expect(Tier(name: "high-tech") == .highTech)
        #expect(Tier(name: "HighTech") == nil)
    }
}
