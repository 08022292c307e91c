@testable import IncentivesDomain
import IncentivesTestSupport
import LedgerColumns
import LedgerLog
import Testing

/// A query after an append reads the tail after its snapshot and saves the snapshot as the
/// ledger then stands, each log's tail in a run behind the prefix (`EventTable.LogRuns.storedRuns`),
/// whatever its size. Only when a large snapshot (above `Ledger.rereadEventsDefault` events, or
/// the limit `INCENTIVES_SNAPSHOT_REREAD_EVENTS` sets) holds so many runs that the tails could
/// take it past what a file may store are the logs read again, the snapshot saved as they are
/// read in one run a log. Either way the answer is a full read's, and the next query finds a
/// current snapshot.
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

    /// The runs of the snapshot's ledger as saved (a whole opening with nothing after it).
    static func savedRunCount(_ directory: SnapshotScratchDirectory) throws -> Int {
        let opening = try directory.open()
        #expect(opening.source == .snapshot(eventsAfter: 0))
        return opening.ledger.events.logRuns.runCount
    }

    @Test("a query after an append reads the tail and saves the snapshot with it; the next finds it current", arguments: [nil, 0])
    func queriesAfterAnAppend(limit: Int?) throws {
        var (directory, generator) = try Self.saved(seed: 81)
        #expect(try Self.savedRunCount(directory) == 3)
        try directory.append([generator.drafts(10)])
        let cold = try directory.open(useSnapshot: false).ledger
        let heads = TimeWindow(asOf: nil, knownAt: try #require(cold.headsRecorded))
        let after = try Self.open(directory, scope: .summary(heads), limit: limit)
        guard case .snapshot(let count) = after.source else {
            Issue.record("the tail was not read after the snapshot: \(after.source)")
            return
        }
        #expect(count > 0 && after.saving == .saved)
        #expect(after.ledger.summary(in: heads) == cold.summary(in: heads))
        let next = try Self.open(directory, scope: .summary(heads), limit: limit)
        #expect(next.source == .keptModels, "the snapshot saved is current")
        #expect(next.ledger.summary(in: heads) == cold.summary(in: heads))
        // Saved as it stood: the tail in runs behind the prefix.
        #expect(try Self.savedRunCount(directory) > 3)
    }

    @Test("once the runs could pass what a file stores, a large snapshot is read again from the logs, in one run a log")
    func tooManyRunsReadTheLogsAgain() throws {
        var (directory, generator) = try Self.saved(seed: 83)
        var reread = false
        for round in 1...60 where !reread {
            let before = try Self.savedRunCount(directory)
            // Every log appended to, so that each round adds up to three runs.
            let drafts = generator.drafts(12)
            try directory.append([drafts])
            let cold = try directory.open(useSnapshot: false).ledger
            let heads = TimeWindow(asOf: nil, knownAt: try #require(cold.headsRecorded))
            let opening = try Self.open(directory, scope: .summary(heads), limit: 0)
            #expect(opening.ledger.summary(in: heads) == cold.summary(in: heads), "round \(round)")
            #expect(opening.saving == .saved, "round \(round)")
            if opening.source == .logs(snapshotRejected: .appendedSince) {
                #expect(before + 3 > EventTable.LogRuns.maximumStored, "read again only near the bound: \(before) runs")
                #expect(opening.note.contains("which holds as many tails as it may"))
                #expect(try Self.savedRunCount(directory) == 3, "saved in one run a log")
                reread = true
            } else {
                #expect(opening.usedSnapshot, "round \(round): \(opening.source)")
                let saved = try Self.savedRunCount(directory)
                #expect(saved > before && saved <= EventTable.LogRuns.maximumStored, "round \(round): \(before) → \(saved) runs")
            }
        }
        #expect(reread, "the runs reached the bound")
        // Below the limit a ledger is small: saved from a copy in a full read's layout instead.
        var small = try Self.saved(seed: 84)
        var placed = false
        for round in 1...60 where !placed {
            let before = try Self.savedRunCount(small.0)
            try small.0.append([small.1.drafts(12)])
            let cold = try small.0.open(useSnapshot: false).ledger
            let heads = TimeWindow(asOf: nil, knownAt: try #require(cold.headsRecorded))
            let opening = try Self.open(small.0, scope: .summary(heads), limit: nil)
            #expect(opening.usedSnapshot && opening.saving == .saved, "round \(round)")
            #expect(opening.ledger.summary(in: heads) == cold.summary(in: heads), "round \(round)")
            let saved = try Self.savedRunCount(small.0)
            #expect(saved <= EventTable.LogRuns.maximumStored)
            placed = saved < before
        }
        #expect(placed, "the small ledger was saved in a full read's layout once its runs reached the bound")
    }

    @Test("a query of everything, which never reads the logs again, does not save runs a file may not store above the limit")
    func everythingDoesNotPlaceAboveTheLimit() throws {
        var (directory, generator) = try Self.saved(seed: 85)
        var declined = false
        for round in 1...60 where !declined {
            try directory.append([generator.drafts(12)])
            let cold = try directory.open(useSnapshot: false).ledger
            let opening = try Self.open(directory, scope: .everything, limit: 0)
            #expect(opening.usedSnapshot, "round \(round): \(opening.source)")
            #expect(opening.ledger.count == cold.count)
            if opening.saving == .notAttempted {
                #expect(opening.ledger.events.logRuns.storedRuns(logs: opening.ledger.logs) == nil, "declined only past the bound")
                declined = true
            } else {
                #expect(opening.saving == .saved, "round \(round)")
                #expect(try Self.savedRunCount(directory) <= EventTable.LogRuns.maximumStored)
            }
        }
        #expect(declined, "the runs reached the bound")
        // A query of less than everything then reads the logs again, and saves them in one run a log.
        let cold = try directory.open(useSnapshot: false).ledger
        let heads = TimeWindow(asOf: nil, knownAt: try #require(cold.headsRecorded))
        let reread = try Self.open(directory, scope: .summary(heads), limit: 0)
        #expect(reread.source == .logs(snapshotRejected: .appendedSince) && reread.saving == .saved)
        #expect(reread.ledger.summary(in: heads) == cold.summary(in: heads))
        #expect(try Self.savedRunCount(directory) == 3)
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
