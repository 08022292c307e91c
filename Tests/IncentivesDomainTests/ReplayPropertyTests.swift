import IncentivesDomain
import IncentivesTestSupport
import LedgerLog
import Testing

/// Replay testing: properties that hold for every seeded random valid sequence of events.
@Suite struct ReplayPropertyTests {
    static let seeds: [UInt64] = [1, 2, 3, 5, 8, 13, 21, 34]

    func digests(_ ledger: Ledger, _ window: TimeWindow) -> [String] { ReplayChecks.digests(ledger, window) }

    func windows(for drafts: [EventDraft]) -> [TimeWindow] { ReplayChecks.windows(for: drafts, earlierByDays: 60) }

    @Test(arguments: seeds)
    func replayingAllAtOnceEqualsReplayingInBatches(seed: UInt64) throws {
        var generator = ScenarioGenerator(seed: seed)
        let drafts = generator.drafts(300)
        let once = TemporaryDirectory(), batched = TemporaryDirectory()
        let whole = try once.append([drafts])
        var random = SplitMix64(seed: seed ^ 0xFF)
        var batches: [[EventDraft]] = []
        var rest = drafts[...]
        while !rest.isEmpty {
            let size = Int.random(in: 1...60, using: &random)
            batches.append(Array(rest.prefix(size)))
            rest = rest.dropFirst(size)
        }
        #expect(batches.count > 1)
        let pieces = try batched.append(batches)
        for window in windows(for: drafts) {
            #expect(digests(whole, window) == digests(pieces, window))
        }
        #expect(whole.logs == pieces.logs, "the same events give the same heads however they were batched")
    }

    @Test(arguments: seeds)
    func stateAtAWindowIgnoresEventsOutsideIt(seed: UInt64) throws {
        var generator = ScenarioGenerator(seed: seed)
        let base = generator.drafts(200)
        let knownAt = base.last!.recorded!
        let asOf = knownAt.date.adding(days: -30)
        let window = TimeWindow(asOf: asOf, knownAt: knownAt)
        // Everything appended later is recorded after knownAt, so it lies outside the window,
        // including retractions of events inside it.
        var later = generator.drafts(150)
        later.append(try retraction(of: generator.leaves.first!, recorded: generator.clock, number: 1))
        let before = TemporaryDirectory(), after = TemporaryDirectory()
        let small = try before.append([base])
        let large = try after.append([base, later])
        #expect(large.count == small.count + later.count)
        #expect(digests(small, window) == digests(large, window))
        // Within the window nothing changed; outside it something did.
        let now = TimeWindow(asOf: nil, knownAt: later.last!.recorded!)
        #expect(digests(small, now) != digests(large, now))
    }

    @Test(arguments: seeds)
    func retractingAnEventEqualsNeverHavingHadIt(seed: UInt64) throws {
        var generator = ScenarioGenerator(seed: seed)
        let drafts = generator.drafts(250)
        var random = SplitMix64(seed: seed &* 31)
        let victim = generator.leaves.randomElement(using: &random)!
        let retractedAt = Timestamp(secondsSinceEpoch: drafts.last!.recorded!.secondsSinceEpoch + 60)
        let withRetraction = TemporaryDirectory(), without = TemporaryDirectory()
        let retracted = try withRetraction.append([drafts, [try retraction(of: victim, recorded: retractedAt, number: 1)]])
        let omitted = try without.append([drafts.filter { $0.id.rawValue != victim }])
        for window in [TimeWindow(asOf: nil, knownAt: retractedAt), TimeWindow(asOf: drafts[120].effective, knownAt: retractedAt)] {
            #expect(digests(retracted, window) == digests(omitted, window), "retracting \(victim) equals never having had it")
        }
        // Before the retraction was recorded, the ledger said what it said then.
        let earlier = TimeWindow(asOf: nil, knownAt: drafts.last!.recorded!)
        #expect(digests(retracted, earlier) != digests(omitted, earlier))
    }

    func retraction(of target: String, recorded: Timestamp, number: Int) throws -> EventDraft {
        guard case .object(let data) = JSONValue.record([("reason", .text("recorded in error")), ("target", .text(target))]) else {
            preconditionFailure()
        }
        return try EventDraft.make(id: "retract-\(number)-\(target)", kind: .eventRetracted, effective: recorded.date,
                                   recorded: recorded, actor: "tester", source: "correction", data: data, origin: "test")
    }
}
