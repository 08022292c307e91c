import IncentivesTestSupport
import Testing
@testable import LedgerLog

/// A batch sealed on a second thread, piece by piece, must be exactly the batch `seal` gives:
/// the same bytes in each log, the same hashes, seqs and tails, and the same refusals.
@Suite("Sealing pipeline")
struct SealingPipelineTests {
    /// Random events in both logs, recorded at times that never go back, with actors and sources
    /// repeated often (so that the sealing memory is used across pieces) and sometimes not.
    static func batch(_ random: inout SplitMix64, count: Int, firstMinute: Int) -> [UnsealedEvent] {
        let actors = ["clerk", "clerk 王", "e\u{301}", "\u{E9}"]
        var events: [UnsealedEvent] = []
        var minute = firstMinute
        for index in 0..<count {
            minute += random.below(3)
            let log = random.chance(1, in: 3) ? LogFixtures.beta : LogFixtures.alpha
            var event = RandomEventData.event(&random, log: log, id: "p\(firstMinute)-\(index)",
                                              recorded: Timestamp(secondsSinceEpoch: 1_700_000_000 + Int64(minute) * 60))
            if random.chance(3, in: 4) { event.actor = random.pick(actors) }
            events.append(event)
        }
        return events
    }

    /// Splits `events` into pieces of random sizes (empty ones included) and feeds them to a pipeline.
    static func pipelined(_ writer: EventWriter, _ events: [UnsealedEvent], random: inout SplitMix64) throws -> EventWriter.SealedBatch {
        let pipeline = writer.sealingPipeline(capacities: [random.below(50_000), random.below(50_000)], events: random.below(events.count + 1))
        var start = 0
        while start < events.count {
            let end = min(events.count, start + random.below(300))
            pipeline.add(Array(events[start..<end]))
            start = end
        }
        return try pipeline.finish()
    }

    /// A sealed batch is written once, on the heads it was sealed on: again, or after another
    /// batch, it is refused (usage) with every log as it was; a preview writer writes nothing.
    @Test("a sealed batch is written once, on the heads it was sealed on, and never by a preview writer")
    func aSealedBatchIsWrittenOnce() throws {
        var random = SplitMix64(seed: 0x0CE)
        let directory = LogScratchDirectory()
        let store = try LogFixtures.populated(directory)
        let contents = { store.logs.map { directory.read($0.fileName) } }
        do {
            let writer = try store.openWriter(clock: LogFixtures.clock) { notice in Issue.record("nothing to repair: \(notice)") }
            let first = try writer.seal(Self.batch(&random, count: 3, firstMinute: 100_000))
            let second = try writer.seal(Self.batch(&random, count: 2, firstMinute: 200_000))
            #expect(try writer.write(first).count == 3)
            let written = contents()
            for (name, batch) in [("again", first), ("sealed before another was written", second)] {
                let refusal = #expect(throws: LedgerError.self, "\(name)") { try writer.write(batch) }
                #expect(refusal?.code == .usage, "\(name)")
                #expect(refusal?.message.contains("sealed on other heads than the logs end at now") == true, "\(name)")
                #expect(contents() == written, "\(name): nothing written")
            }
        }
        do {
            let preview = try store.openPreviewWriter(clock: LogFixtures.clock)
            let batch = try preview.seal(Self.batch(&random, count: 1, firstMinute: 300_000))
            let refusal = #expect(throws: LedgerError.self) { try preview.write(batch) }
            #expect(refusal?.code == .usage)
        }
        #expect(try store.verify().isValid)
    }

    @Test("a pipelined seal gives the bytes, hashes and tails of sealing the batch at once", arguments: [0x51DE, 0xC0FFEE, 11] as [UInt64])
    func sameBatch(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let directory = LogScratchDirectory()
        let store = try LogFixtures.populated(directory)
        // The writer holds the lock until it goes: verified after it.
        do {
            try Self.sealRounds(store: store, random: &random)
        }
        let report = try store.verify()
        #expect(report.isValid, "\(report.problems)")
    }

    static func sealRounds(store: EventStore, random: inout SplitMix64) throws {
        let writer = try store.openWriter(clock: LogFixtures.clock) { notice in Issue.record("nothing to repair: \(notice)") }
        var firstMinute = 100_000
        for round in 0..<4 {
            let events = Self.batch(&random, count: 1 + random.below(1_500), firstMinute: firstMinute)
            firstMinute += 10_000
            let atOnce = try writer.seal(events)
            let piecewise = try Self.pipelined(writer, events, random: &random)
            #expect(piecewise.buffers == atOnce.buffers, "round \(round): the same bytes in every log")
            #expect(piecewise.appended == atOnce.appended, "round \(round): the same seqs and hashes")
            #expect(piecewise.newTails == atOnce.newTails && piecewise.startTails == atOnce.startTails)
            #expect((0..<events.count).allSatisfy { piecewise.line($0) == atOnce.line($0) })
            // Written, so that the next round seals on longer chains.
            try writer.write(piecewise)
        }
    }

    @Test("a pipelined seal refuses what sealing at once refuses, with the same message")
    func sameRefusal() throws {
        var random = SplitMix64(seed: 0xBAD)
        let directory = LogScratchDirectory()
        let store = try LogFixtures.populated(directory)
        let before = directory.snapshot()
        let writer = try store.openWriter(clock: LogFixtures.clock) { notice in Issue.record("nothing to repair: \(notice)") }
        var events = Self.batch(&random, count: 900, firstMinute: 100_000)
        // An event recorded before the one sealed ahead of it in its log, late in the batch.
        let late = events.lastIndex { $0.log == LogFixtures.alpha }!
        events[late].recorded = LogFixtures.timestamp("2024-01-01T00:00:00Z")
        var expected: LedgerError? = nil
        do { _ = try writer.seal(events) } catch { expected = error }
        #expect(expected?.code == .badData)
        var found: LedgerError? = nil
        do { _ = try Self.pipelined(writer, events, random: &random) } catch { found = error as? LedgerError }
        #expect(found != nil && found?.code == expected?.code && found?.message == expected?.message)
        #expect(directory.snapshot() == before, "sealing writes nothing")
    }

    @Test("a cancelled or dropped pipeline seals nothing more and leaves the writer as it was")
    func cancelled() throws {
        var random = SplitMix64(seed: 0xCA7)
        let directory = LogScratchDirectory()
        let store = try LogFixtures.populated(directory)
        let before = directory.snapshot()
        let events = Self.batch(&random, count: 600, firstMinute: 100_000)
        try Self.cancelThenAppend(store, events)
        #expect(try store.verify().isValid)
        #expect(directory.snapshot() != before)
    }

    /// Cancels a pipeline and drops another, then appends `events`; the writer (and its lock) goes on return.
    static func cancelThenAppend(_ store: EventStore, _ events: [UnsealedEvent]) throws {
        let writer = try store.openWriter(clock: LogFixtures.clock) { notice in Issue.record("nothing to repair: \(notice)") }
        let tails = writer.tails
        let before = try writer.seal(events)
        do {
            let pipeline = writer.sealingPipeline(capacities: [0, 0], events: events.count)
            pipeline.add(Array(events[..<300]))
            pipeline.cancel()
        }
        do {
            // Dropped unfinished, as when a draft is refused in the middle of a batch.
            let pipeline = writer.sealingPipeline(capacities: [0, 0], events: events.count)
            pipeline.add(Array(events[..<300]))
        }
        #expect(writer.tails == tails)
        // The writer seals and writes the same batch afterwards as if nothing had happened.
        let written = try writer.append(events)
        #expect(written == before.appended)
    }
}
