import Foundation
import IncentivesTestSupport
@testable import IncentivesDomain
import LedgerLog
import Testing

/// What an append's audit (`--dry-run`, `append --audit`) compares: the findings above info.
@Suite("Audit differences")
struct AuditDifferenceTests {
    @Test("an append's audit difference runs the rules above info alone, and finds all the whole audit finds above info")
    func differenceRunsTheRulesAboveInfo() throws {
        // The bundled ledger: findings of every rule but one, concentration statistics among them.
        let events = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Events")
        let copy = TemporaryFileFixture(prefix: "difference")
        for name in ["ledger.json"] + IncentiveLogs.all.map(\.fileName) {
            try FileManager.default.copyItem(at: events.appendingPathComponent(name),
                                             to: URL(fileURLWithPath: copy.path).appendingPathComponent(name))
        }
        let ledger = try Ledger.load(store: IncentiveLogs.store(directory: copy.path))
        let whole = Auditor(ledger: ledger, window: AuditDifference.window).run().findings
        #expect(whole.contains { $0.rule == .concentration }, "the rule left out finds something here")
        #expect(Set(whole.filter { $0.severity > .info }.map(\.rule)).count >= 9)
        #expect(!AuditDifference.rules.contains(.concentration) && AuditDifference.rules.count == AuditRule.allCases.count - 1)
        #expect(AuditDifference.findings(of: ledger) == whole.filter { $0.severity > .info })
    }

    @Test("awards grouped for the cap, duplicate and budget rules stand in the order the comparison sorts gave", arguments: [1, 2, 3, 100, 40_000])
    func awardsSortedAsTheComparisonSortsSortedThem(count: Int) {
        var random = SplitMix64(seed: UInt64(count))
        // Few programmes, enterprises and years, so that groups hold many awards; years either side
        // of zero. At 100 awards, enterprises far apart: keys too spread to count, sorted instead.
        let awards = (0..<count).map { position in
            LiveAward(grant: GrantIndex(offset: position), programme: ProgrammeIndex(offset: random.below(4)),
                      enterprise: EnterpriseIndex(offset: count == 100 ? random.below(1 << 24) : random.below(count / 8 + 2)),
                      awarded: CalendarDate(daysSinceEpoch: Int32(random.below(4000))),
                      year: Int32(random.below(7)) - 3, order: Int32(position), amountFen: Fen(Int64(random.below(1000))))
        }
        for grouping in [AuditContext.AwardGrouping.programmeAndEnterprise, .programmeAndYear] {
            let expected = awards.sorted { AuditContext.precedes($0, $1, grouping) }
            #expect(AuditContext.sorted(awards, by: grouping).map(\.order) == expected.map(\.order), "\(grouping)")
        }
    }
}

