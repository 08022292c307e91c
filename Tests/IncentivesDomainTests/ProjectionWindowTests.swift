import IncentivesDomain
import LedgerLog
import Testing

/// Which events count in a window (as-of, known-at), and in what order they apply.
@Suite("Projection windows")
struct ProjectionWindowTests {
    static func grant(_ ledger: Ledger, _ models: ReadModels, _ name: String) -> GrantState? {
        ledger.grants.find(name).flatMap { models.grants[$0] }
    }

    static func tier(_ ledger: Ledger, _ models: ReadModels, _ code: String) -> Tier? {
        ledger.enterprises.find(code).flatMap { models.enterprises[$0]?.tier }
    }

    @Test("an event counts when effective by as-of and recorded by known-at")
    func window() throws {
        let scratch = DomainScratchLedger()
        try scratch.append(try Drafts.base(), at: "2022-01-02T08:00:00Z")
        try scratch.append([try Drafts.award("a-1", grant: "G-1", amountFen: 100, "2022-03-01")], at: "2022-03-05T12:00:00Z")
        for (asOf, knownAt, counted) in [
            (nil, "2025-01-15T09:00:00Z", true), ("2022-03-01", "2025-01-15T09:00:00Z", true), ("2022-02-28", "2025-01-15T09:00:00Z", false),
            (nil, "2022-03-05T12:00:00Z", true), (nil, "2022-03-05T11:59:59Z", false), (nil, "2022-03-04", false), (nil, "2022-03-05", true),
        ] as [(String?, String, Bool)] {
            let (ledger, models) = try scratch.models(asOf: asOf, knownAt: knownAt)
            #expect((Self.grant(ledger, models, "G-1") != nil) == counted, "as of \(asOf ?? "-"), known at \(knownAt)")
        }
    }

    @Test("a retraction removes its target from the moment it is recorded, whatever its effective date")
    func retraction() throws {
        let scratch = DomainScratchLedger()
        try scratch.append(try Drafts.base(), at: "2022-01-02T08:00:00Z")
        try scratch.append([try Drafts.award("a-1", grant: "G-1", amountFen: 100, "2022-03-01")], at: "2022-03-02T00:00:00Z")
        try scratch.append([try Drafts.retract("x-1", target: "a-1", "2023-06-01")], at: "2023-06-02T00:00:00Z")
        let (ledger, before) = try scratch.models(knownAt: "2023-06-01T23:59:59Z")
        #expect(Self.grant(ledger, before, "G-1")?.awardedFen == 100)
        let (_, after) = try scratch.models(asOf: "2022-12-31", knownAt: "2023-06-02T00:00:00Z")
        #expect(Self.grant(ledger, after, "G-1") == nil, "retracted although the retraction is effective after as-of")
        #expect(after.appliedEvents == 3, "the retraction itself changes no state and is not counted")
        let index = try #require(ledger.eventIndex(ofId: "a-1"))
        #expect(ledger.retractedAt[index] == Timestamp(parsing: "2023-06-02T00:00:00Z"))
    }

    @Test("same-day changes apply in log order: a promotion then a demotion on one day leaves the demotion")
    func sameDayOrder() throws {
        let scratch = DomainScratchLedger()
        try scratch.append(try Drafts.base(), at: "2022-01-02T08:00:00Z")
        try scratch.append([try Drafts.award("a-1", grant: "G-1", amountFen: 100, "2022-05-01")], at: "2022-05-01T09:00:00Z")
        try scratch.append([
            try Drafts.tier("t-1", to: "high-tech", on: "2022-05-01"),
            try Drafts.tier("t-2", to: "sme", on: "2022-05-01", kind: .tierDemoted),
        ], at: "2022-05-01T10:00:00Z")
        let (ledger, models) = try scratch.models()
        #expect(Self.tier(ledger, models, Drafts.precision) == .sme)
        let grant = try #require(Self.grant(ledger, models, "G-1"))
        #expect(models.tierAtGrant(grant) == .sme, "tier at grant takes every change of the award's day")
        let (_, earlier) = try scratch.models(knownAt: "2022-05-01T09:30:00Z")
        #expect(earlier.tierAtGrant(Self.grant(ledger, earlier, "G-1")!) == Tier.none)
    }

    @Test("replaying the same window twice gives identical read models and digests")
    func deterministic() throws {
        let scratch = DomainScratchLedger()
        try scratch.append(try Drafts.base())
        try scratch.append([
            try Drafts.award("a-1", grant: "G-1", amountFen: 100, "2022-03-01"),
            try Drafts.award("a-2", grant: "G-2", enterprise: Drafts.pharma, amountFen: 250, "2022-03-01"),
            try Drafts.tier("t-1", to: "startup", on: "2022-02-01"),
        ])
        let window = TimeWindow(asOf: nil, knownAt: scratch.now)
        let first = try scratch.ledger(), second = try scratch.ledger()
        let left = Projection(ledger: first, window: window).run(), right = Projection(ledger: second, window: window).run()
        #expect(left.grants == right.grants)
        #expect(left.enterprises == right.enterprises)
        #expect(ReadModelDigests(ledger: first, models: left, window: window) == ReadModelDigests(ledger: second, models: right, window: window))
    }
}
