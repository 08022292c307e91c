@testable import IncentivesDomain
import LedgerLog
import Testing

/// A ledger opened from its snapshot keeps the events read after it behind every log's prefix
/// (`Ledger.absorbTail`), not where a full read puts them. Every answer that depends on more than
/// the read models (which `LedgerSnapshotTests` compares window by window) must not see the
/// difference: the audit, the answers' provenance, every subject's history and the restatements.
/// Nor may a ledger decoded from the snapshot saved with that tail in place (`SnapshotColumn.logRuns`).
@Suite struct TailLayoutTests {
    @Test(arguments: [5, 23] as [UInt64])
    func everyAnswerIsTheSameWithTheTailBehind(seed: UInt64) throws {
        var generator = ScenarioGenerator(seed: seed)
        let early = generator.drafts(300)
        let directory = SnapshotScratchDirectory()
        try directory.append([early])
        #expect(try directory.open().saving == .saved)
        // A tail in every log, the first one too, with a retraction of an event before the snapshot.
        var later = generator.drafts(40)
        later.append(try LedgerSnapshotTests().retraction(of: generator.leaves.first!, after: later, number: 1))
        later += generator.drafts(5)
        #expect(Set(later.compactMap { $0.kind.log }).count == 3, "the tail touches every log")
        try directory.append([later])
        let opening = try directory.open()
        #expect(opening.source == .snapshot(eventsAfter: later.count))
        let warm = opening.ledger
        #expect(!warm.events.logRuns.isInLogOrder, "the tail stays behind every log's prefix")
        let cold = try Ledger.load(store: directory.store)
        #expect(cold.events.logRuns.isInLogOrder)
        #expect(opening.saving == .saved, "the tail is more than 1% of the ledger")
        let reopened = try directory.open()
        #expect(reopened.source == .snapshot(eventsAfter: 0))
        #expect(reopened.ledger.events.logRuns == warm.events.logRuns, "saved with the tail behind, decoded so")
        for (name, ledger) in [("opened with the tail", warm), ("decoded from the snapshot saved with it", reopened.ledger)] {
            try expectSameAnswers(ledger, cold, name: name, early: early, later: later, generator: generator, directory: directory)
        }
    }

    /// Per log, the events recorded at or before `knownAt`, counted one by one.
    static func knownCounts(_ ledger: Ledger, knownAt: Timestamp) -> [Int] {
        var counts = [Int](repeating: 0, count: ledger.logs.count)
        for index in 0..<ledger.events.count where ledger.events.recorded[index] <= knownAt.secondsSinceEpoch {
            counts[Int(ledger.events.logRank(at: index))] += 1
        }
        return counts
    }

    func expectSameAnswers(_ warm: Ledger, _ cold: Ledger, name: String, early: [EventDraft], later: [EventDraft],
                           generator: ScenarioGenerator, directory: SnapshotScratchDirectory) throws {

        let all = early + later
        let headWindow = try #require(ReplayChecks.windows(for: all, earlierByDays: 90).first)
        #expect(!Auditor(ledger: cold, window: headWindow).run().findings.isEmpty, "the audit finds something to compare")
        for window in ReplayChecks.windows(for: all, earlierByDays: 90) {
            #expect(Auditor(ledger: warm, window: window).run() == Auditor(ledger: cold, window: window).run(), "audit, \(window), \(name)")
            #expect(try AnswerProvenance(ledger: warm, window: window, store: directory.store)
                == AnswerProvenance(ledger: cold, window: window, store: directory.store), "provenance, \(window), \(name)")
        }
        // The heads' counts (found by halves within each run) against a count event by event, at
        // moments between and on the events' own times.
        let moments = Set(all.compactMap(\.recorded).enumerated().filter { $0.offset % 7 == 0 }.flatMap { _, moment in
            [moment, Timestamp(secondsSinceEpoch: moment.secondsSinceEpoch - 1)]
        }).sorted()
        #expect(moments.count > 20)
        for moment in moments {
            let window = TimeWindow(asOf: nil, knownAt: moment)
            for ledger in [warm, cold] {
                let heads = try AnswerProvenance(ledger: ledger, window: window, store: directory.store).heads.map(\.events)
                #expect(heads == Self.knownCounts(ledger, knownAt: moment), "heads known at \(moment), \(name)")
                // Read with `--no-verify`, the counts are made one by one, and agree.
                let unverified = try AnswerProvenance(ledger: ledger, window: window, store: directory.store, verified: false)
                #expect(unverified.heads.map(\.events) == heads, "unverified heads known at \(moment), \(name)")
            }
        }
        let knownAt = try #require(RecordedHistory.latest(all))
        let subjects = generator.enterprises.map(\.code) + generator.programmes.map(\.id) + generator.grants.map(\.id)
            + generator.centres.map(\.id)
        var shown = 0
        for subject in subjects {
            let warmHistory = History(ledger: warm, subject: subject, knownAt: knownAt)
            #expect(warmHistory == History(ledger: cold, subject: subject, knownAt: knownAt), "history of \(subject), \(name)")
            shown += warmHistory?.count ?? 0
        }
        #expect(shown >= all.count, "every event is in some subject's history")
        let recorded = all.compactMap(\.recorded)
        let reportedAt = recorded[early.count / 2]
        var changes = 0
        for year in ["2021", "2022"] {
            let period = try #require(RestatementPeriod(parsing: year))
            let restatement = Restatement(ledger: cold, period: period, reportedAt: reportedAt, knownAt: knownAt)
            #expect(Restatement(ledger: warm, period: period, reportedAt: reportedAt, knownAt: knownAt) == restatement,
                    "restatements of \(year), \(name)")
            changes += restatement.changeCount
        }
        #expect(changes > 0, "the restatements show changes to compare")
    }
}
