import IncentivesDomain
import LedgerLog
import Testing

/// The figures the report and `programmes` print, worked out by hand on a small ledger:
/// tiers per quarter end, awards by tier at grant, the top recipients and their concentration.
@Suite("Report queries")
struct ReportQueryTests {
    static let boats = Drafts.code("91321204MA1B0AT00")

    /// Two enterprises from 2022-01-01 (and a third from 2022-05-10 that leaves on 2022-09-30);
    /// precision startup 2022-02-01, sme 2022-04-01 (the first day of a quarter); pharma startup
    /// 2022-03-31 (the last day of one). Three awards; one revoked.
    static func ledger() throws -> DomainScratchLedger {
        let scratch = DomainScratchLedger()
        try scratch.append(try Drafts.base() + [
            try Drafts.make("e-3", .enterpriseRegistered, "2022-05-10", [("enterprise", .string(boats)), ("name", "船"), ("sector", "ships")]),
            try Drafts.tier("t-1", to: "startup", on: "2022-02-01"),
            try Drafts.tier("t-2", to: "sme", on: "2022-04-01"),
            try Drafts.tier("t-3", to: "startup", on: "2022-03-31", enterprise: Drafts.pharma),
            try Drafts.make("x-3", .enterpriseDeregistered, "2022-09-30", [("enterprise", .string(boats)), ("reason", "moved")]),
            try Drafts.award("a-1", grant: "G-1", amountFen: 300, "2022-03-31"),
            try Drafts.award("a-2", grant: "G-2", enterprise: Drafts.pharma, amountFen: 100, "2022-04-01"),
            try Drafts.award("a-3", grant: "G-3", enterprise: Drafts.pharma, amountFen: 700, "2023-01-10"),
            try Drafts.make("r-3", .grantRevoked, "2023-02-01", [("grant", "G-3"), ("reason", "withdrawn")]),
        ])
        return scratch
    }

    @Test("enterprises per tier at each quarter's end, changes on the last day counted, deregistered ones dropped")
    func timeline() throws {
        let scratch = try Self.ledger()
        let (ledger, models) = try scratch.models()
        let window = TimeWindow(asOf: nil, knownAt: scratch.now)
        let last = try #require(Projection(ledger: ledger, window: window).latestEffectiveDate())
        #expect(last.description == "2023-02-01")
        let timeline = TierTimeline(models: models, lastDate: last)
        #expect(timeline.points.map(\.label) == ["2022Q1", "2022Q2", "2022Q3", "2022Q4", "2023Q1"])
        #expect(timeline.points.map(\.date.description) == ["2022-03-31", "2022-06-30", "2022-09-30", "2022-12-31", "2023-03-31"])
        // none, startup, sme, high-tech, influential.
        #expect(timeline.points[0].enterprises == [0, 2, 0, 0, 0])
        #expect(timeline.points[1].enterprises == [1, 1, 1, 0, 0])
        // Deregistered on 2022-09-30: gone at that quarter's end.
        #expect(timeline.points[2].enterprises == [0, 1, 1, 0, 0])
        #expect(TierTimeline(models: models, lastDate: CalendarDate(parsing: "2021-12-31")!).points.isEmpty)
    }

    @Test("awards by tier at grant per year; a revoked grant counts with nothing awarded")
    func awardsByTier() throws {
        let (_, models) = try Self.ledger().models()
        let awards = try TierAwards(models: models)
        #expect(awards.years.map(\.year) == [2022, 2023])
        // G-1 on 2022-03-31: precision is startup; G-2 on 2022-04-01: pharma startup since 2022-03-31.
        #expect(awards.years[0].grants == [0, 2, 0, 0, 0] && awards.years[0].awardedFen == [0, 400, 0, 0, 0])
        #expect(awards.years[1].grants == [0, 1, 0, 0, 0] && awards.years[1].awardedFen == [0, 0, 0, 0, 0])
    }

    @Test("awards by tier at grant: years met in any order, the same as a sum per year in a dictionary", arguments: [2, 5, 6] as [UInt64])
    func awardsByTierAgainstAReference(seed: UInt64) throws {
        let ledger = ColumnReplayTests.tangledLedger(seed: seed, count: 500)
        var years = 0
        for window in ColumnReplayTests.windows(ledger, steps: 5) {
            let models = Projection(ledger: ledger, window: window).run()
            var expected: [Int: (grants: [Int], awardedFen: [Int64])] = [:]
            for grant in models.grants {
                guard let grant else { continue }
                let tier = Int(models.tierAtGrant(grant).rawValue)
                var year = expected[grant.awarded.year] ?? (Array(repeating: 0, count: 5), Array(repeating: 0, count: 5))
                year.grants[tier] += 1
                year.awardedFen[tier] += grant.awardedFen.rawValue
                expected[grant.awarded.year] = year
            }
            let awards = try TierAwards(models: models)
            #expect(awards.years.map(\.year) == expected.keys.sorted(), "seed \(seed), known at \(window.knownAt)")
            for year in awards.years {
                #expect(year.grants == expected[year.year]?.grants && year.awardedFen == expected[year.year]?.awardedFen,
                        "seed \(seed), \(year.year), known at \(window.knownAt)")
            }
            years += awards.years.count
        }
        #expect(years > 20, "seed \(seed): years of awards were compared")
    }

    @Test("top recipients: largest first, shares and the index exact")
    func recipients() throws {
        let (ledger, models) = try Self.ledger().models()
        let top = try TopRecipients(ledger: ledger, models: models)
        #expect(top.recipients.map(\.code) == [Drafts.precision, Drafts.pharma])
        #expect(top.recipients.map(\.awardedFen) == [300, 100] && top.recipients.map(\.grants) == [1, 2])
        #expect(top.recipients.map(\.shareBasisPoints) == [7_500, 2_500])
        // 75² + 25² = 6,250.
        #expect(top.concentration?.herfindahlIndex == 6_250 && top.concentration?.topShareBasisPoints == 10_000)
        let one = try TopRecipients(ledger: ledger, models: models, limit: 1)
        #expect(one.recipients.count == 1 && one.recipientCount == 2)
        let none = try TopRecipients(ledger: ledger, models: models, period: RestatementPeriod(parsing: "2023"))
        #expect(none.recipients.isEmpty && none.concentration == nil)
    }

    @Test("programme budget: a grant's year is its award's; no appropriation means no utilisation")
    func budget() throws {
        let (ledger, models) = try Self.ledger().models()
        let budget = try ProgrammeBudget(ledger: ledger, models: models)
        let yz = try #require(budget.programmes.first)
        #expect(budget.programmes.count == 1 && yz.id == "yz" && yz.name == "雁阵计划")
        #expect(yz.years.map(\.year) == [2022, 2023])
        #expect(yz.years[0].grants == 2 && yz.years[0].awardedFen == 400 && yz.years[0].utilisationBasisPoints == nil)
        #expect(yz.total.grants == 3 && yz.total.awardedFen == 400)
        #expect(yz.rules.count == 1 && yz.rules[0].capYears == ProgrammeState.defaultCapYears && yz.rules[0].minTier == nil)
        var year = ProgrammeBudget.Year(year: 2024)
        year.appropriatedFen = 3
        year.awardedFen = 2
        // 2 ÷ 3 = 66.666…% rounds to 66.67%.
        #expect(year.utilisationBasisPoints == 6_667)
        year.awardedFen = Int64.max
        year.appropriatedFen = 1
        #expect(year.utilisationBasisPoints == Int64.max, "clamped, not trapped")
    }
}
