import Testing
import IncentivesTestSupport
import LedgerLog
@testable import IncentivesDomain

@Suite struct TierTests {
    @Test func tiersAreOrderedAsTheYanzhenPlan() {
        #expect(Tier.allCases.map(\.name) == ["none", "startup", "sme", "high-tech", "influential"])
        #expect(Tier.none < Tier.startup && Tier.sme < Tier.highTech && Tier.highTech < Tier.influential)
        #expect(Tier(name: "high-tech") == .highTech)
        #expect(Tier(name: "HighTech") == nil)
    }
}

/// `TierHistory.forEachTier(on:)` walks the changes once over ascending dates; it must give what
/// `tier(on:)` gives date by date, for histories in effective order (as a replay makes them),
/// out of it (one walk is then not enough), sharing a list with others, and empty.
@Suite struct TierHistoryWalkTests {
    @Test func walkingTheDatesGivesEachDatesTier() {
        var random = SplitMix64(seed: 97)
        let base = CalendarDate(year: 2019, month: 1, day: 1)!.daysSinceEpoch
        func date(_ days: Int) -> CalendarDate { CalendarDate(daysSinceEpoch: base + Int32(days)) }
        var ordered = 0, unordered = 0
        for _ in 0..<2_000 {
            let count = random.below(6)
            var days = (0..<count).map { _ in random.below(1_500) }
            if random.chance(2, in: 3) { days.sort() }
            if zip(days, days.dropFirst()).contains(where: { $0 > $1 }) { unordered += 1 } else { ordered += 1 }
            let changes = days.enumerated().map { position, day in
                TierChange(effective: date(day), from: .none, to: Tier.allCases[random.below(Tier.allCases.count)],
                           event: EventIndex(rawValue: Int32(position)))
            }
            // Shared with changes of others before and after it, as a replay's list is.
            let padding = random.below(3)
            let others = (0..<padding).map { _ in TierChange(effective: date(0), from: .none, to: .influential, event: EventIndex(rawValue: 0)) }
            let history = TierHistory(sharing: others + changes + others, padding..<padding + count)
            #expect(Array(history) == changes)
            let dates = (0..<random.below(12)).map { _ in date(random.below(1_600) - 50) }.sorted()
            var walked: [Tier] = []
            history.forEachTier(on: dates) { position, tier in
                #expect(position == walked.count)
                walked.append(tier)
            }
            #expect(walked == dates.map { history.tier(on: $0) }, "changes on \(days), dates \(dates)")
        }
        #expect(ordered > 500 && unordered > 300, "both kinds of history met")
    }
}
