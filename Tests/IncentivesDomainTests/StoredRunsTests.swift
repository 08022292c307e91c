@testable import IncentivesDomain
import LedgerColumns
import LedgerLog
import Testing

/// A snapshot stores where each log's events are (`SnapshotColumn.logRuns`): one run a log after
/// a full read, and each tail read after a snapshot in a run of its own behind the prefix, so that
/// a ledger opened with a tail is saved as it stands. Only runs a verified read gives are stored
/// or decoded; a file whose runs move an event to another log, or name one twice, is refused.
@Suite struct StoredRunsTests {
    static let zeros = [UInt8](repeating: 0, count: 32)

    static func summaries(_ counts: [Int]) -> [LogSummary] {
        zip(IncentiveLogs.all, counts).map { LogSummary(log: $0, events: $1, head: SHA256Digest(bytes: zeros), bytes: $1 * 300) }
    }

    /// Runs appended event by event: (log rank, how many) in order, seqs continuing each log's.
    static func runs(_ pieces: [(rank: UInt8, count: Int)]) -> EventTable.LogRuns {
        var runs = EventTable.LogRuns()
        var next = [Int32](repeating: 1, count: 3)
        for (rank, count) in pieces {
            for _ in 0..<count {
                runs.append(logRank: rank, seq: next[Int(rank)])
                next[Int(rank)] += 1
            }
        }
        return runs
    }

    @Test("a prefix and tails in runs behind it are stored as pairs and rebuilt the same")
    func roundTrip() throws {
        let pieces: [(rank: UInt8, count: Int)] = [(0, 5), (2, 3), (0, 2), (1, 1), (2, 4)]
        let logs = Self.summaries([7, 1, 7])
        let runs = Self.runs(pieces)
        let stored = try #require(runs.storedRuns(logs: logs))
        #expect(stored == [0, 5, 2, 3, 0, 2, 1, 1, 2, 4])
        let rebuilt = try #require(EventTable.LogRuns(stored: stored, logs: logs))
        #expect(rebuilt == runs)
        #expect(rebuilt.place(of: 8).logRank == 0 && rebuilt.place(of: 8).seq == 6, "a tail's seqs follow its log's prefix")
        #expect(rebuilt.place(of: 14).logRank == 2 && rebuilt.place(of: 14).seq == 7)
        // Each event's rank laid out a byte an event (the replay order's check) is the one its run gives.
        #expect(rebuilt.ranksByEvent() == (0..<rebuilt.count).map { rebuilt.logRank(at: $0) })
        var interleaved = EventTable.LogRuns()
        for index in 0..<(EventTable.LogRuns.maximumRuns + 40) { interleaved.append(logRank: UInt8(index % 3), seq: Int32(index / 3 + 1)) }
        #expect(interleaved.runCount > EventTable.LogRuns.maximumRuns, "past the most runs, events kept one by one")
        #expect(interleaved.ranksByEvent() == (0..<interleaved.count).map { interleaved.logRank(at: $0) })
        // A full read's runs are the ones counted from the logs.
        let full = Self.summaries([3, 0, 5])
        #expect(EventTable.LogRuns(logs: full).storedRuns(logs: full) == [0, 3, 2, 5])
    }

    @Test("runs no verified read gives are neither stored nor decoded")
    func refused() {
        let logs = Self.summaries([7, 1, 7])
        let refusals: [(String, [UInt32])] = [
            ("an odd count", [0, 7, 1, 1, 2]),
            ("a rank outside the logs", [0, 7, 1, 1, 2, 7, 3, 0]),
            ("an empty run", [0, 7, 1, 0, 1, 1, 2, 7]),
            ("two runs of one log side by side", [0, 3, 0, 4, 1, 1, 2, 7]),
            ("a log's runs holding more than its events", [0, 8, 1, 1, 2, 7]),
            ("a log's runs holding fewer than its events", [0, 6, 1, 1, 2, 7]),
            ("a log left out", [0, 7, 2, 7]),
            ("a count past 32 bits' seqs", [0, UInt32.max, 1, 1, 2, 7]),
        ]
        for (why, stored) in refusals {
            #expect(EventTable.LogRuns(stored: stored, logs: logs) == nil, "\(why)")
        }
        #expect(EventTable.LogRuns(stored: [0, 7, 1, 1, 2, 7], logs: logs) != nil, "the runs of a full read")
        // More runs than a file may store: neither stored nor decoded.
        let many = (0..<EventTable.LogRuns.maximumStored + 1).map { (rank: UInt8($0 % 2), count: 1) }
        let manyLogs = Self.summaries([(many.count + 1) / 2, many.count / 2, 0])
        #expect(Self.runs(many).storedRuns(logs: manyLogs) == nil)
        #expect(EventTable.LogRuns(stored: Self.runs(many).runPairs, logs: manyLogs) == nil)
        let fewer = Array(many.dropLast())
        let fewerLogs = Self.summaries([(fewer.count + 1) / 2, fewer.count / 2, 0])
        #expect(Self.runs(fewer).storedRuns(logs: fewerLogs) != nil, "as many as a file may")
        // Seqs that do not continue their log's (lines read without verification): not stored.
        var gapped = EventTable.LogRuns()
        gapped.append(logRank: 0, seq: 1)
        gapped.append(logRank: 0, seq: 3)
        #expect(gapped.storedRuns(logs: Self.summaries([2, 0, 0])) == nil)
    }

    /// A ledger opened from its snapshot with a tail in every log, and the logs read in full.
    static func withTails(seed: UInt64) throws -> (warm: Ledger, cold: Ledger) {
        var generator = ScenarioGenerator(seed: seed)
        let directory = SnapshotScratchDirectory()
        try directory.append([generator.drafts(200)])
        #expect(try directory.open().saving == .saved)
        let more = generator.drafts(40)
        #expect(Set(more.map { $0.kind.log! }).count == 3, "the tail touches every log")
        try directory.append([more])
        let warm = try directory.open().ledger
        #expect(warm.events.logRuns.runCount == 6)
        return (warm, try Ledger.load(store: directory.store))
    }

    @Test("a snapshot of a ledger with tails decodes to the same ledger, its runs and replay order as they were")
    func savedWithTails() throws {
        let (warm, cold) = try Self.withTails(seed: 61)
        let bytes = LedgerSnapshot.columnFile(of: warm, identity: SHA256Digest(bytes: Self.zeros), stampsTakenAfterNanoseconds: 0)
            .bytes(key: Self.zeros)
        let decoded = try LedgerSnapshot.decodeUnauthenticated(bytes, logs: warm.logs.map(\.log)).ledger
        #expect(decoded.events.logRuns == warm.events.logRuns)
        // The ids' fingerprints: the snapshot's kept ones merged with the tail's, as every id's sorted.
        #expect(warm.snapshotFingerprints?.count == warm.count - 40, "the tail of 40 follows the kept fingerprints")
        let fingerprints: Column<UInt64> = try ColumnFile(bytes: bytes).column(SnapshotColumn.idFingerprints.rawValue)
        #expect(fingerprints.array == cold.eventIds.sortedFingerprints())
        #expect(decoded.replayOrder == warm.replayOrder)
        #expect(LedgerSnapshot.isReadFromLogs(decoded, logs: warm.logs.map(\.log)))
        let placed = decoded.inLogOrder()
        for index in 0..<cold.count {
            let (mine, theirs) = (placed.events[index], cold.events[index])
            #expect(placed.eventId(of: index) == cold.eventId(of: index) && placed.describe(mine) == cold.describe(theirs))
            #expect(mine.seq == theirs.seq && mine.logRank == theirs.logRank && mine.recorded == theirs.recorded)
            #expect(placed.retractedAt[index] == cold.retractedAt[index])
        }
        #expect(placed.replayOrder == cold.replayOrder)
    }

    @Test("a file whose runs move events to another log, or whose retraction names another log's event, is refused")
    func forgedRunsAreRefused() throws {
        let (warm, _) = try Self.withTails(seed: 62)
        let logs = warm.logs.map(\.log)
        let bytes = LedgerSnapshot.columnFile(of: warm, identity: SHA256Digest(bytes: Self.zeros), stampsTakenAfterNanoseconds: 0)
            .bytes(key: Self.zeros)
        let offset = try #require(try ColumnFile(bytes: bytes).placement(of: SnapshotColumn.logRuns.rawValue)).offset
        func stored(_ bytes: [UInt8]) -> [UInt32] {
            (0..<12).map { index in (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + 4 * index + $1]) << (8 * $1) } }
        }
        func with(_ values: [UInt32]) -> [UInt8] {
            var forged = bytes
            for (index, value) in values.enumerated() {
                for byte in 0..<4 { forged[offset + 4 * index + byte] = UInt8(truncatingIfNeeded: value >> (8 * byte)) }
            }
            return forged
        }
        let original = stored(bytes)
        #expect(original.enumerated().filter { $0.offset % 2 == 0 }.map(\.element) == [0, 1, 2, 0, 1, 2])
        var refusedCount = 0
        // One event moved from a log's prefix into its tail and back, from one log's tail to the
        // next's: the counts of each log stay whole only for the first.
        for (run, shift) in [(0, -1), (0, 1), (3, -1), (3, 1), (1, -1), (4, 1)] {
            var values = original
            let partner = run < 3 ? run + 3 : run - 3
            values[2 * run + 1] = UInt32(Int(values[2 * run + 1]) + shift)
            values[2 * partner + 1] = UInt32(Int(values[2 * partner + 1]) - shift)
            do {
                _ = try LedgerSnapshot.decodeUnauthenticated(with(values), logs: logs)
                Issue.record("run \(run) shifted by \(shift): decoded")
            } catch {
                guard case .malformed = error else {
                    Issue.record("run \(run) shifted by \(shift): \(error)")
                    continue
                }
                refusedCount += 1
            }
        }
        #expect(refusedCount == 6)
        // The prefix and tail runs of two logs swapped: each log's events in another place.
        var swapped = original
        swapped.swapAt(0, 2)
        swapped.swapAt(1, 3)
        #expect(throws: SnapshotRejection.self) { try LedgerSnapshot.decodeUnauthenticated(with(swapped), logs: logs) }
    }
}
