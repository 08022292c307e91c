@testable import IncentivesDomain
import IncentivesTestSupport
import LedgerColumns
import LedgerLog
import Testing

/// The read models at the heads kept with the snapshot: a query at the heads answers from them
/// with no replay, and they are exactly what a replay gives; any other window, or any event read
/// after the snapshot, replays.
@Suite struct HeadModelTests {
    static func windows(_ ledger: Ledger) -> [TimeWindow] {
        let heads = ledger.headsRecorded!
        return [
            TimeWindow(asOf: nil, knownAt: heads),
            TimeWindow(asOf: nil, knownAt: Timestamp(secondsSinceEpoch: heads.secondsSinceEpoch + 86_400 * 400)),
            TimeWindow(asOf: nil, knownAt: Timestamp(secondsSinceEpoch: heads.secondsSinceEpoch - 1)),
            TimeWindow(asOf: CalendarDate(year: 2024, month: 6, day: 30)!, knownAt: heads),
        ]
    }

    @Test("a warm open answers the heads from the kept models, equal to a replay; other windows replay", arguments: [41, 42, 43] as [UInt64])
    func keptModelsEqualReplay(seed: UInt64) throws {
        var generator = ScenarioGenerator(seed: seed)
        let directory = SnapshotScratchDirectory()
        try directory.append([generator.drafts(250)])
        let cold = try directory.open(useSnapshot: false).ledger
        #expect(cold.headModels == nil, "a read of the logs keeps no models")
        #expect(try directory.open().saving == .saved)
        let warm = try directory.open()
        #expect(warm.source == .snapshot(eventsAfter: 0))
        let ledger = warm.ledger
        #expect(ledger.headModels != nil)
        // Used in place: the warm ledger's columns are the mapped file's, not copies.
        #expect(ledger.events.effective.isMapped && ledger.events.amount.isMapped && ledger.replayOrder.isMapped)
        #expect(!cold.events.effective.isMapped)
        let windows = Self.windows(ledger)
        for (position, window) in windows.enumerated() {
            let atHeads = position < 2
            #expect(ledger.answersWithoutReplay(window) == atHeads, "window \(position)")
            #expect(ledger.models(in: window) == Projection(ledger: ledger, window: window).run(), "window \(position)")
            #expect(ledger.models(in: window) == Projection(ledger: cold, window: window).run(), "window \(position), cold")
        }
    }

    @Test("the open that saves the snapshot answers the heads from the models it saved, equal to a replay", arguments: [45, 46] as [UInt64])
    func theSavingOpenKeepsItsModels(seed: UInt64) throws {
        var generator = ScenarioGenerator(seed: seed)
        let directory = SnapshotScratchDirectory()
        try directory.append([generator.drafts(250)])
        let first = try directory.open()
        #expect(first.saving == .saved)
        guard case .logs = first.source else {
            Issue.record("expected a read of the logs, got \(first.source)")
            return
        }
        let ledger = first.ledger
        let cold = try directory.open(useSnapshot: false).ledger
        for (position, window) in Self.windows(ledger).enumerated() {
            #expect(ledger.answersWithoutReplay(window) == (position < 2), "window \(position)")
            #expect(ledger.models(in: window) == Projection(ledger: cold, window: window).run(), "window \(position)")
        }
        // And they are the models the snapshot kept.
        let warm = try directory.open()
        #expect(warm.source == .snapshot(eventsAfter: 0))
        #expect(warm.ledger.headModels == ledger.headModels)
    }

    @Test("events read after the snapshot drop the kept models: the heads are replayed, and kept in the snapshot saved with the tail")
    func aTailDropsTheKeptModels() throws {
        var generator = ScenarioGenerator(seed: 44)
        let directory = SnapshotScratchDirectory()
        let drafts = generator.drafts(300)
        try directory.append([Array(drafts[..<280])])
        #expect(try directory.open().saving == .saved)
        try directory.append([Array(drafts[280...])])
        let warm = try directory.open()
        guard case .snapshot(let after) = warm.source, after > 0 else {
            Issue.record("expected a snapshot and a tail, got \(warm.source)")
            return
        }
        // Twenty events are more than 1% of the ledger: the opening saves the snapshot, with the
        // models replayed at the new heads (the kept ones, of the old heads, are not read).
        #expect(warm.saving == .saved)
        let window = TimeWindow(asOf: nil, knownAt: warm.ledger.headsRecorded!)
        #expect(warm.ledger.answersWithoutReplay(window))
        var unsaved = warm.ledger
        unsaved.headModels = nil
        #expect(!unsaved.answersWithoutReplay(window))
        #expect(warm.ledger.headModels == Projection(ledger: warm.ledger, window: window).run())
        // The tail's names may be numbered otherwise than in a full read, so the answers are
        // compared, not the models' arrays.
        let cold = try directory.open(useSnapshot: false).ledger
        let warmSummary = Summary(models: warm.ledger.models(in: window), window: window)
        let coldSummary = Summary(models: cold.models(in: window), window: window)
        #expect(String(describing: warmSummary) == String(describing: coldSummary))
    }

    @Test("kept models out of range are refused, even under the user's own key")
    func keptModelsOutOfRangeAreRejected() throws {
        let (directory, cold) = try SnapshotTrustTests.saved(seed: 45, count: 250)
        let original = directory.readSnapshot()
        let key = readFileBytes(directory.cachePath + "/" + SnapshotCache.keyFileName) ?? []
        func firstPresent(_ column: SnapshotColumn) throws -> Int {
            let flags: Column<UInt8> = try ColumnFile(bytes: original).column(column.rawValue)
            return try #require(flags.firstIndex(of: 1))
        }
        let grant = try firstPresent(.headGrantPresent)
        let enterprise = try firstPresent(.headEnterprisePresent)
        let cases: [(String, SnapshotColumn, Int, (inout [UInt8], Int) -> Void)] = [
            ("a grant of an enterprise outside the table", .headGrantEnterprise, grant, { SnapshotTrustTests.put(Int32.max, into: &$0, at: $1) }),
            ("a grant awarded before 1900", .headGrantAwarded, grant, { SnapshotTrustTests.put(Int32(-100_000), into: &$0, at: $1) }),
            ("a grant awarded by a missing event", .headGrantAwardEvent, grant, { SnapshotTrustTests.put(Int32(-5), into: &$0, at: $1) }),
            ("a negative total paid", .headGrantDisbursedHigh, grant, { SnapshotTrustTests.put(Int64(-1), into: &$0, at: $1) }),
            ("an unknown tier", .headEnterpriseTier, enterprise, { $0[$1] = 77 }),
            ("a flag that is neither 0 nor 1", .headGrantPresent, grant, { $0[$1] = 2 }),
        ]
        for (label, column, row, change) in cases {
            var bytes = original
            change(&bytes, try SnapshotTrustTests.cell(original, column, row: row))
            #expect(bytes != original, "\(label)")
            SnapshotTrustTests.sign(&bytes, key: key)
            try SnapshotTrustTests().expectRejected(directory, bytes, cold: cold, {
                if case .malformed = $0 { return true }
                return false
            }, label)
        }
    }
}
