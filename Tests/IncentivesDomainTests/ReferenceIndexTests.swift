@testable import IncentivesDomain
import IncentivesTestSupport
import LedgerLog
import Testing

/// The append path's index of each entity's events, built from the columns, lists exactly the
/// events that assembling each event and adding it gives, in the same order.
@Suite struct ReferenceIndexTests {
    static func expectSameIndex(_ ledger: Ledger, _ comment: String) {
        let fromColumns = ReferenceIndex(ledger: ledger), plain = ReferenceIndex(eventByEventOf: ledger)
        let lists: [(String, KeyPath<ReferenceIndex, EntityEvents>)] = [
            ("by programme", \.byProgramme), ("by grant", \.byGrant), ("by enterprise", \.byEnterprise),
            ("by centre", \.byCentre), ("awards by enterprise", \.awardsByEnterprise), ("awards by programme", \.awardsByProgramme),
        ]
        var listed = 0
        for (name, list) in lists {
            let columns = fromColumns[keyPath: list], assembled = plain[keyPath: list]
            for entity in 0...(ledger.grants.count + ledger.enterprises.count + ledger.programmes.count + ledger.centres.count) {
                let left = Array(ReferenceIndex.events(columns, GrantIndex(offset: entity)))
                #expect(left == Array(ReferenceIndex.events(assembled, GrantIndex(offset: entity))), "\(comment): \(name), entity \(entity)")
                listed += left.count
            }
        }
        // Every event but a retraction is listed once, an award three times.
        let retractions = ledger.events.indices.filter { ledger.events.isRetraction($0) }.count
        #expect(listed >= ledger.count - retractions && listed > 0, "\(comment): every event but the retractions is listed")
    }

    @Test("events no append would accept: dangling references, awards again, registrations again", arguments: [1, 2, 3] as [UInt64])
    func tangledLedgers(seed: UInt64) {
        Self.expectSameIndex(ColumnReplayTests.tangledLedger(seed: seed, count: 600), "seed \(seed)")
    }

    @Test("valid histories with retractions", arguments: [5, 19] as [UInt64])
    func scenarioLedgers(seed: UInt64) throws {
        var generator = ScenarioGenerator(seed: seed)
        var random = SplitMix64(seed: seed ^ 0x5EED)
        let ledger = try TemporaryDirectory().append([try generator.draftsWithRetractions(300, retractions: 10, random: &random)])
        Self.expectSameIndex(ledger, "seed \(seed)")
    }
}
