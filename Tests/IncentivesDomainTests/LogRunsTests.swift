@testable import IncentivesDomain
import IncentivesTestSupport
import LedgerLog
import Testing

/// Each event's log rank and seq are kept as runs (`EventTable.LogRuns`): they must give back
/// exactly what two columns gave, for any sequence, and a read of the logs needs one run per log.
@Suite struct LogRunsTests {
    typealias Row = (logRank: UInt8, seq: Int32)

    func expectSame(_ runs: EventTable.LogRuns, _ rows: [Row], _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(runs.count == rows.count, "\(label): count", sourceLocation: sourceLocation)
        var breaks = 0
        for (index, row) in rows.enumerated() {
            #expect(runs.logRank(at: index) == row.logRank && runs.seq(at: index) == row.seq, "\(label): event \(index)",
                    sourceLocation: sourceLocation)
            if index == 0 || rows[index - 1].logRank != row.logRank || Int(rows[index - 1].seq) + 1 != Int(row.seq) { breaks += 1 }
        }
        if breaks < EventTable.LogRuns.maximumRuns {
            #expect(runs.runCount == breaks, "\(label): a run per stretch of one log with consecutive seqs", sourceLocation: sourceLocation)
        } else {
            #expect(runs.explicitStart != nil, "\(label): past the most runs, events are kept one by one", sourceLocation: sourceLocation)
        }
        // Walking the runs visits every event once, in order, with its rank and seq.
        var visited = 0
        for run in 0..<runs.runCount {
            let (indexes, logRank, firstSeq) = runs.run(run)
            #expect(indexes.lowerBound == visited, sourceLocation: sourceLocation)
            for index in indexes {
                #expect(rows[index].logRank == logRank && Int(rows[index].seq) == Int(firstSeq) + (index - indexes.lowerBound),
                        sourceLocation: sourceLocation)
            }
            visited = indexes.upperBound
        }
        #expect(visited == rows.count, sourceLocation: sourceLocation)
    }

    func runs(_ rows: [Row]) -> EventTable.LogRuns {
        var runs = EventTable.LogRuns()
        for row in rows { runs.append(logRank: row.logRank, seq: row.seq) }
        return runs
    }

    @Test("seeded sequences: stretches of logs, gaps, repeats and extreme seqs come back exactly", arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func seeded(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var rows: [Row] = []
        var next: [Int32] = [1, 1, 1]
        for _ in 0..<random.below(40) {
            let rank = random.below(3)
            for _ in 0..<random.below(30) {
                // Mostly the next line; now and then a seq a read without verification may carry.
                if random.chance(1, in: 8) {
                    next[rank] = random.pick([0, 1, next[rank], next[rank] - 1, Int32.max, Int32.max - 1, Int32.min, 77_777])
                }
                rows.append((UInt8(rank), next[rank]))
                next[rank] = next[rank] == Int32.max ? 1 : next[rank] + 1
            }
        }
        let built = runs(rows)
        expectSame(built, rows, "seed \(seed)")
        // Reordered by ranges (a tail moved behind its log's prefix), splitting runs anywhere.
        var ranges: [Range<Int>] = []
        var cuts = [0, rows.count] + (0..<random.below(6)).map { _ in random.below(rows.count + 1) }
        cuts.sort()
        for (low, high) in zip(cuts, cuts.dropFirst()) { ranges.append(low..<high) }
        for position in ranges.indices.reversed() { ranges.swapAt(position, random.below(position + 1)) }
        let gathered = ranges.flatMap { rows[$0] }
        expectSame(built.reordered(ranges), gathered, "seed \(seed), reordered")
        #expect(built.reordered(ranges) == runs(gathered), "the same runs as appending the rows")
    }

    @Test("short runs past the most runs (an append session's drafts, their logs interleaved) are kept one by one, and still come back exactly")
    func manyShortRuns() {
        var random = SplitMix64(seed: 9)
        // A read's three logs, then appended drafts of every log, each a run of its own, then a proper stretch.
        var rows: [Row] = (1...50).map { (0, Int32($0)) } + (1...20).map { (1, Int32($0)) } + (1...70).map { (2, Int32($0)) }
        rows += (0..<900).map { _ in (UInt8(random.below(3)), 0) }
        rows += (1...40).map { (2, Int32(70 + $0)) }
        let built = runs(rows)
        #expect(built.explicitStart != nil && built.explicitRanks.count < rows.count - 3, "kept one by one after the most runs")
        #expect(built.starts.count == EventTable.LogRuns.maximumRuns)
        expectSame(built, rows, "many short runs")
        for cut in [0, 100, 140, 400, 1000] {
            let ranges = [cut..<rows.count, 0..<cut]
            expectSame(built.reordered(ranges), ranges.flatMap { rows[$0] }, "reordered at \(cut)")
        }
    }

    @Test("the runs of a read of the logs are one per log, the ones a snapshot rebuilds from the logs' counts")
    func fromCounts() throws {
        let logs = IncentiveLogs.all
        let summaries = zip(logs, [3, 0, 5]).map { LogSummary(log: $0, events: $1, head: SHA256Digest(bytes: Array(repeating: 0, count: 32)), bytes: $1 * 300) }
        let rows: [Row] = (1...3).map { (0, Int32($0)) } + (1...5).map { (2, Int32($0)) }
        let counted = EventTable.LogRuns(logs: summaries)
        expectSame(counted, rows, "from counts")
        #expect(counted == runs(rows))
        #expect(counted.runCount == 2, "an empty log has no run")
        #expect(EventTable.LogRuns(logs: []).count == 0)
    }

    @Test("a ledger read in full holds one run per log; one opened from its snapshot with a tail in every log holds the tail behind, mapped columns unmoved, until placed")
    func ledgers() throws {
        var generator = ScenarioGenerator(seed: 41)
        let early = generator.drafts(250)
        let directory = SnapshotScratchDirectory()
        try directory.append([early])
        #expect(try directory.open().saving == .saved)
        let more = generator.drafts(60)
        #expect(Set(more.map { $0.kind.log! }).count == 3, "the tail touches every log")
        try directory.append([more])
        let cold = try Ledger.load(store: directory.store)
        let warm = try directory.open()
        #expect(warm.source == .snapshot(eventsAfter: more.count))
        #expect(cold.events.logRuns.runCount == cold.logs.filter { $0.events > 0 }.count)
        #expect(cold.events.logRuns == EventTable.LogRuns(logs: cold.logs))
        #expect(cold.events.logRuns.isInLogOrder)
        // The tail stays behind: a run per log for the prefix, one per log for the tail.
        let runs = warm.ledger.events.logRuns
        #expect(!runs.isInLogOrder)
        #expect(runs.runCount == 6)
        #expect((0..<runs.runCount).map { runs.run($0).logRank } == [0, 1, 2, 0, 1, 2])
        // The prefix's columns are still read in place (a tail moved in front of other logs'
        // events would have gathered every column into arrays of their own).
        #expect(warm.ledger.events.effective.isMapped && warm.ledger.events.code.isMapped && warm.ledger.events.amount.isMapped)
        let placed = warm.ledger.inLogOrder()
        #expect(placed.events.logRuns == EventTable.LogRuns(logs: placed.logs))
        #expect(placed.events.logRuns.isInLogOrder)
        for index in 0..<cold.count {
            #expect(cold.events[index].seq == placed.events[index].seq && cold.events[index].logRank == placed.events[index].logRank)
            #expect(cold.eventId(of: index) == placed.eventId(of: index))
        }
        #expect(placed.replayOrder == cold.replayOrder)
    }

    @Test("runs in log order: one a log, ranks rising, none kept one by one")
    func inLogOrder() {
        var runs = EventTable.LogRuns()
        #expect(runs.isInLogOrder, "no events")
        runs.append(logRank: 0, seq: 1)
        runs.append(logRank: 0, seq: 2)
        runs.append(logRank: 2, seq: 1)
        #expect(runs.isInLogOrder, "a log may be empty")
        runs.append(logRank: 2, seq: 3)
        #expect(!runs.isInLogOrder, "a gap in one log's seqs starts a second run of it")
        var back = EventTable.LogRuns()
        back.append(logRank: 1, seq: 1)
        back.append(logRank: 0, seq: 1)
        #expect(!back.isInLogOrder, "ranks must rise")
    }
}
