@testable import IncentivesDomain
import IncentivesTestSupport
import LedgerLog
import Testing

/// Retraction times are kept only for retracted events (`RetractionTimes`): read as
/// `retractedAt[index]`, they must say exactly what a time per event said, however they were
/// marked (one at a time on append, in one sort after a read, moved when a tail is placed).
@Suite struct RetractionTimesTests {
    /// The plain array of a time per event that `RetractionTimes` stands for.
    struct Reference {
        var times: [Timestamp] = []

        mutating func mark(_ target: Int, at recorded: Timestamp) {
            if recorded < times[target] { times[target] = recorded }
        }
    }

    func expectSame(_ times: RetractionTimes, _ reference: Reference, _ label: String,
                    sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(times.count == reference.times.count, "\(label): count", sourceLocation: sourceLocation)
        #expect(Array(times) == reference.times, "\(label): every event's time", sourceLocation: sourceLocation)
        #expect(times.retractedCount == reference.times.filter { $0 != .never }.count, "\(label): retracted", sourceLocation: sourceLocation)
        for index in reference.times.indices {
            #expect(times.isMarked(index) == (reference.times[index] != .never), "\(label): bit of \(index)",
                    sourceLocation: sourceLocation)
            #expect(times[EventIndex(offset: index)] == reference.times[index], sourceLocation: sourceLocation)
        }
    }

    @Test("no event retracted: every time is never, and nothing is kept but the bits")
    func noneRetracted() {
        var times = RetractionTimes()
        for _ in 0..<130 { times.append(.never) }
        times.append(count: 40)
        times.append(contentsOf: repeatElement(.never, count: 30))
        #expect(times.count == 200)
        #expect(times.allSatisfy { $0 == .never })
        #expect(times.retractedCount == 0)
        #expect(!times.isMarked(0) && !times.isMarked(63) && !times.isMarked(64) && !times.isMarked(199))
        #expect(RetractionTimes(count: 0, marks: []).isEmpty)
    }

    @Test("an event retracted twice keeps its earliest time, whichever is marked first")
    func earliestKept() {
        let early = Timestamp(secondsSinceEpoch: 1_700_000_000), late = Timestamp(secondsSinceEpoch: 1_700_000_600)
        for order in [[early, late], [late, early]] {
            var one = RetractionTimes()
            one.append(count: 100)
            for time in order { one.mark(64, at: time) }
            #expect(one[64] == early)
            #expect(one[63] == .never && one[65] == .never)
            let batched = RetractionTimes(count: 100, marks: order.map { (64, $0) })
            #expect(Array(batched) == Array(one))
            // Set outright (as `Ledger.markRetracted` does once it found the time earlier), then forgotten.
            one[64] = late
            #expect(one[64] == late && one.isMarked(64))
            one[64] = .never
            #expect(one[64] == .never && !one.isMarked(64) && one.retractedCount == 0)
        }
    }

    @Test("seeded marks, one at a time, in batches and moved, equal a time per event", arguments: [1, 2, 3, 4, 5] as [UInt64])
    func seeded(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var times = RetractionTimes(), reference = Reference()
        for round in 0..<12 {
            // Events appended one by one or many at once (a read's reservation, a tail).
            // Few distinct times, so that ties and repeats occur.
            func someTime() -> Timestamp { Timestamp(secondsSinceEpoch: 1_600_000_000 + Int64(random.below(5)) * 60) }
            let added = random.below(150)
            switch random.below(3) {
            case 0:
                for _ in 0..<added {
                    let time = random.chance(1, in: 10) ? someTime() : .never
                    times.append(time)
                    reference.times.append(time)
                }
            case 1:
                times.append(count: added)
                reference.times += Array(repeating: .never, count: added)
            default:
                let added = (0..<added).map { _ in random.chance(1, in: 10) ? someTime() : Timestamp.never }
                times.append(contentsOf: added)
                reference.times += added
            }
            guard !reference.times.isEmpty else { continue }
            for _ in 0..<random.below(12) {
                let target = random.below(reference.times.count)
                let recorded = someTime()
                reference.mark(target, at: recorded)
                times.mark(target, at: recorded)
            }
            expectSame(times, reference, "seed \(seed), round \(round)")
        }
        // Reordered by a permutation (a tail moved behind its log's prefix): each time moves with its event.
        var permutation = Array(0..<reference.times.count)
        for position in permutation.indices.reversed() { permutation.swapAt(position, random.below(position + 1)) }
        var moved = Reference(times: Array(repeating: .never, count: reference.times.count))
        for (old, new) in permutation.enumerated() { moved.times[new] = reference.times[old] }
        expectSame(times.reordered { permutation[$0] }, moved, "seed \(seed), moved")
    }

    @Test("a ledger's retraction times are the same read cold, opened from its snapshot with a tail, and appended to")
    func ledgerPaths() throws {
        var generator = ScenarioGenerator(seed: 23)
        let early = generator.drafts(200)
        let directory = SnapshotScratchDirectory()
        try directory.append([early])
        #expect(try directory.open().saving == .saved)
        // Retractions after the snapshot, of an event before it and of one after it.
        var later = generator.drafts(2)
        later.append(try LedgerSnapshotTests().retraction(of: generator.leaves.first!, after: later, number: 1))
        later += generator.drafts(3)
        later.append(try LedgerSnapshotTests().retraction(of: generator.leaves.last!, after: later, number: 2))
        try directory.append([later])
        let cold = try Ledger.load(store: directory.store)
        let warm = try directory.open()
        #expect(warm.source == .snapshot(eventsAfter: later.count))
        #expect(cold.retractedAt.retractedCount == 2)
        // What the events themselves say: each retraction's target, at the retraction's recorded time.
        var reference = Reference(times: Array(repeating: .never, count: cold.count))
        for index in 0..<cold.count {
            if case .eventRetracted(let target?, _) = cold.events[index].payload { reference.mark(target.offset, at: cold.events[index].recorded) }
        }
        expectSame(cold.retractedAt, reference, "cold")
        #expect(Array(warm.ledger.retractedAt) == Array(cold.retractedAt), "warm, with a tail")
        #expect(Array(try directory.open().ledger.retractedAt) == Array(cold.retractedAt), "warm, the snapshot saved again")

        // The append path's ledger holds the events in the order they were appended (the logs
        // interleaved) and marks each retraction as it joins: the same times, event by event.
        // (The same batches as `directory.append`: the first imported with its times, the later at its latest.)
        let appended = SnapshotScratchDirectory()
        try appended.append([early])
        let live: Ledger
        do {
            let session = try AppendSession(store: appended.store, clock: FixedClock(RecordedHistory.latest(later)!)) { _ in }
            _ = try session.append(RecordedHistory.withoutRecorded(later))
            live = session.ledger
        }
        #expect(live.events.logRuns.runCount > 3, "the appended events follow the logs read")
        // By id, as the indexes differ; an appended draft has no seq yet in the session's ledger.
        func byId(_ ledger: Ledger, seqs: Bool = true) -> [String: String] {
            var result: [String: String] = [:]
            for index in 0..<ledger.count {
                let event = ledger.events[index]
                result[ledger.eventId(of: index)] = "\(ledger.retractedAt[index].secondsSinceEpoch) \(event.logRank)" + (seqs ? " \(event.seq)" : "")
            }
            return result
        }
        #expect(byId(live, seqs: false) == byId(cold, seqs: false))
        #expect(byId(try Ledger.load(store: appended.store)) == byId(cold))
    }
}
