@testable import IncentivesDomain
import IncentivesTestSupport
import LedgerColumns
import LedgerLog
import Testing

/// A query after an append: above `Ledger.rereadEventsDefault` events (or the limit
/// `INCENTIVES_SNAPSHOT_REREAD_EVENTS` sets), the logs are read again and the snapshot saved as
/// they are read, never from the ledger held whole; below it, only the tail is read after the
/// snapshot. Either way the answer is a full read's, and the next query finds a current snapshot.
@Suite struct AppendedSinceTests {
    static func open(_ directory: SnapshotScratchDirectory, scope: LedgerScope, limit: Int?) throws -> LedgerOpening {
        var environment = directory.environment
        if let limit { environment[Ledger.rereadEventsVariable] = String(limit) }
        return try Ledger.open(store: directory.store, scope: scope, environment: environment, now: directory.now)
    }

    /// A ledger of 150 generated drafts with its snapshot saved, and the generator to go on with.
    static func saved(seed: UInt64) throws -> (SnapshotScratchDirectory, ScenarioGenerator) {
        var generator = ScenarioGenerator(seed: seed)
        let directory = SnapshotScratchDirectory()
        try directory.append([generator.drafts(150)])
        #expect(try directory.open().saving == .saved)
        return (directory, generator)
    }

    @Test("above the limit a query after an append reads the logs again, saving the snapshot; below it the tail is read")
    func queriesAfterAnAppend() throws {
        var (directory, generator) = try Self.saved(seed: 81)
        // Above the limit: read again from the logs, the snapshot saved as they are read.
        try directory.append([generator.drafts(10)])
        var cold = try directory.open(useSnapshot: false).ledger
        var heads = TimeWindow(asOf: nil, knownAt: try #require(cold.headsRecorded))
        let reread = try Self.open(directory, scope: .summary(heads), limit: 100)
        #expect(reread.source == .logs(snapshotRejected: .appendedSince) && reread.saving == .saved)
        #expect(reread.ledger.summary(in: heads) == cold.summary(in: heads))
        #expect(reread.note.contains("events were appended after it"))
        let next = try Self.open(directory, scope: .summary(heads), limit: 100)
        #expect(next.source == .keptModels, "the snapshot saved is current")
        #expect(next.ledger.summary(in: heads) == cold.summary(in: heads))
        // At or below the limit (the default here): the tail is read after the snapshot.
        try directory.append([generator.drafts(10)])
        cold = try directory.open(useSnapshot: false).ledger
        heads = TimeWindow(asOf: nil, knownAt: try #require(cold.headsRecorded))
        let tail = try Self.open(directory, scope: .readModels(heads, names: .all), limit: nil)
        guard case .snapshot(let after) = tail.source else {
            Issue.record("the tail was not read after the snapshot: \(tail.source)")
            return
        }
        #expect(after > 0 && tail.ledger.summary(in: heads) == cold.summary(in: heads))
        // A query of everything keeps the ledger it opens (no read saves as it goes): the tail.
        try directory.append([generator.drafts(10)])
        let everything = try Self.open(directory, scope: .everything, limit: 0)
        guard case .snapshot = everything.source else {
            Issue.record("a query of everything did not read the tail: \(everything.source)")
            return
        }
        #expect(everything.ledger.count == (try directory.open(useSnapshot: false).ledger.count))
    }

    @Test("an append's session neither hashes nor decodes the answers kept at the heads")
    func keptAnswersAreNotReadWhenUnused() throws {
        var (directory, generator) = try Self.saved(seed: 82)
        // A byte of the kept summary changed: only a reader of the kept answers can see it.
        var bytes = directory.readSnapshot()
        let summary = try #require(try ColumnFile(bytes: bytes).placement(of: SnapshotColumn.headSummary.rawValue))
        bytes[summary.offset] ^= 0x01
        directory.writeSnapshot(bytes)
        let whole = try directory.open()
        guard case .logs(snapshotRejected: .damaged?) = whole.source else {
            Issue.record("a whole read at the heads did not hash the kept answers: \(whole.source)")
            return
        }
        directory.writeSnapshot(bytes)
        let drafts = generator.drafts(5)
        let session = try AppendSession(store: directory.store, clock: FixedClock(try #require(RecordedHistory.latest(drafts))),
                                        useSnapshot: true, environment: directory.environment) { _ in }
        #expect(session.usedSnapshot, "the append opened the snapshot: its kept answers were not hashed")
        _ = try session.append(RecordedHistory.withoutRecorded(drafts))
    }

    @Test("the limit is a whole number of events; anything else is the default")
    func theLimit() {
        #expect(Ledger.rereadEvents([:]) == Ledger.rereadEventsDefault)
        #expect(Ledger.rereadEvents([Ledger.rereadEventsVariable: "0"]) == 0)
        #expect(Ledger.rereadEvents([Ledger.rereadEventsVariable: "-5"]) == 0)
        #expect(Ledger.rereadEvents([Ledger.rereadEventsVariable: "12000"]) == 12_000)
        #expect(Ledger.rereadEvents([Ledger.rereadEventsVariable: "many"]) == Ledger.rereadEventsDefault)
    }
}
