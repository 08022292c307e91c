@testable import IncentivesDomain
import IncentivesTestSupport
import LedgerLog
import Testing

/// `TopRecipients` makes and sorts the codes of only the recipients that can rank among the first
/// `limit`; the ranking must be the one a sort of every recipient gives, ties on the amount included.
@Suite struct TopRecipientsReferenceTests {
    /// Every recipient's code, grants and amount, sorted largest first and by code: the first `limit`.
    static func reference(ledger: Ledger, models: ReadModels, period: RestatementPeriod?, limit: Int)
        -> [(code: String, grants: Int, awardedFen: Int64)] {
        var amounts: [Int: (grants: Int, awardedFen: Int64)] = [:]
        for grant in models.grants {
            guard let grant, period.map({ $0.contains(grant.awarded) }) ?? true else { continue }
            amounts[grant.enterprise.offset, default: (0, 0)].grants += 1
            amounts[grant.enterprise.offset, default: (0, 0)].awardedFen += max(0, grant.awardedFen.rawValue)
        }
        return amounts.filter { $0.value.awardedFen > 0 }
            .map { (code: ledger.enterprises.string(EnterpriseIndex(offset: $0.key)), grants: $0.value.grants, awardedFen: $0.value.awardedFen) }
            .sorted { $0.awardedFen != $1.awardedFen ? $0.awardedFen > $1.awardedFen : $0.code < $1.code }
            .prefix(limit).map { $0 }
    }

    @Test("the first recipients are those of a sort of every recipient, for every limit and period", arguments: [71, 72] as [UInt64])
    func generatedLedgers(seed: UInt64) throws {
        var generator = ScenarioGenerator(seed: seed)
        let directory = TemporaryDirectory()
        let ledger = try directory.append([generator.drafts(500)])
        let models = Projection(ledger: ledger, window: TimeWindow(knownAt: Timestamp(parsing: "2030-01-01T00:00:00Z")!)).run()
        for period in [nil, RestatementPeriod(parsing: "2021"), RestatementPeriod(parsing: "2021Q4")] as [RestatementPeriod?] {
            let everyone = Self.reference(ledger: ledger, models: models, period: period, limit: .max)
            #expect(everyone.count > 12, "enough recipients for the limits to cut")
            // Amounts are whole multiples of 100,000 fen: ties on the amount are there to be broken.
            #expect(Set(everyone.map(\.awardedFen)).count < everyone.count)
            for limit in [0, 1, 2, 3, 10, 11, everyone.count - 1, everyone.count, everyone.count + 5, 100] {
                let top = try TopRecipients(ledger: ledger, models: models, period: period, limit: limit)
                let expected = Self.reference(ledger: ledger, models: models, period: period, limit: limit)
                #expect(top.recipients.map(\.code) == expected.map(\.code), "limit \(limit), \(String(describing: period))")
                #expect(top.recipients.map(\.grants) == expected.map(\.grants) && top.recipients.map(\.awardedFen) == expected.map(\.awardedFen))
                #expect(top.recipientCount == everyone.count)
            }
        }
    }

    @Test("the rank-th largest amount, ties counted, small ranks and large")
    func largest() {
        var random = SplitMix64(seed: 9)
        for _ in 0..<200 {
            let amounts = (0..<(1 + random.below(150))).map { _ in Int64(random.below(20)) * 1_000 }
            let sorted = amounts.sorted(by: >)
            for rank in Set([1, 2, 1 + random.below(amounts.count), amounts.count]) {
                #expect(TopRecipients.largest(rank, of: amounts) == sorted[rank - 1], "rank \(rank) of \(amounts)")
            }
            if amounts.count > 64 {
                #expect(TopRecipients.largest(65, of: amounts) == sorted[64])
            }
        }
    }
}
