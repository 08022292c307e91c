@testable import IncentivesDomain
import IncentivesTestSupport
import Testing

/// The replay order spread by effective day and sorted day by day (`Ledger.sortedIndexes`) is
/// the order of one sort of every key with its index below it (`Ledger.sortedWhole`, the way it
/// was built before), whatever the keys: none, one, all equal, already in order, logs in recorded
/// order but not in effective order, days far apart.
@Suite struct ReplayOrderTests {
    /// A replay key as `Ledger.replayKey(of:)` packs one.
    static func key(day: Int, recorded: Int, rank: Int) -> UInt128 {
        UInt128(day) << 48 | UInt128(recorded) << 4 | UInt128(rank)
    }

    /// Three logs one after another, each in recorded order (ties included), effective days at
    /// random within `days` of each other.
    static func logs(eventCounts: [Int], days: Int, seed: UInt64) -> [UInt128] {
        var generator = SplitMix64(seed: seed)
        var keys: [UInt128] = []
        for (rank, count) in eventCounts.enumerated() {
            var recorded = 1_000_000
            for _ in 0..<count {
                recorded += Int.random(in: 0...2, using: &generator)
                keys.append(key(day: 40_000 + Int.random(in: 0..<days, using: &generator), recorded: recorded, rank: rank))
            }
        }
        return keys
    }

    static func expectSameOrder(_ keys: [UInt128], _ comment: Comment) {
        let bucketed = Ledger.sortedIndexes(count: keys.count) { keys[$0] }
        let whole = Ledger.sortedWhole(count: keys.count) { keys[$0] }
        #expect(bucketed == whole, comment)
        #expect(bucketed.count == keys.count, comment)
        // And it is an order: every index once, keys never falling.
        #expect(Set(bucketed).count == keys.count, comment)
        for position in bucketed.indices.dropFirst() {
            let (before, after) = (Int(bucketed[position - 1]), Int(bucketed[position]))
            #expect(keys[before] < keys[after] || (keys[before] == keys[after] && before < after), comment)
        }
    }

    @Test func emptyAndOne() {
        #expect(Ledger.sortedIndexes(count: 0) { _ in 0 } == [])
        #expect(Ledger.sortedIndexes(count: 1) { _ in ReplayOrderTests.key(day: 40_000, recorded: 5, rank: 0) } == [0])
    }

    @Test func seededLogs() {
        for seed: UInt64 in 1...40 {
            var generator = SplitMix64(seed: seed)
            let counts = (0..<3).map { _ in Int.random(in: 0...300, using: &generator) }
            let days = [1, 2, 7, 400][Int(seed) % 4]
            ReplayOrderTests.expectSameOrder(ReplayOrderTests.logs(eventCounts: counts, days: days, seed: seed),
                                             "seed \(seed), counts \(counts), days \(days)")
        }
    }

    @Test func oneLogAndEmptyLogs() {
        ReplayOrderTests.expectSameOrder(ReplayOrderTests.logs(eventCounts: [500], days: 30, seed: 7), "one log")
        ReplayOrderTests.expectSameOrder(ReplayOrderTests.logs(eventCounts: [0, 200, 0], days: 30, seed: 8), "one log of three")
        ReplayOrderTests.expectSameOrder(ReplayOrderTests.logs(eventCounts: [0, 0, 0], days: 30, seed: 9), "no events")
    }

    @Test func tiesKeepPositionOrder() {
        // Every key equal: the order is the positions'.
        let same = [UInt128](repeating: ReplayOrderTests.key(day: 40_100, recorded: 9, rank: 1), count: 50)
        ReplayOrderTests.expectSameOrder(same, "all equal")
        #expect(Ledger.sortedIndexes(count: same.count) { same[$0] } == (0..<50).map { Int32($0) })
        // Equal keys on one day among others, out of order.
        let keys = (0..<60).map { ReplayOrderTests.key(day: 40_000 + (59 - $0) % 3, recorded: $0 % 2, rank: 0) }
        ReplayOrderTests.expectSameOrder(keys, "ties across days")
    }

    @Test func alreadyInOrder() {
        let keys = (0..<100).map { ReplayOrderTests.key(day: 40_000 + $0 / 10, recorded: $0, rank: 0) }
        #expect(Ledger.sortedIndexes(count: keys.count) { keys[$0] } == (0..<100).map { Int32($0) })
    }

    @Test func daysTooFarApartAreSortedWhole() {
        var keys = ReplayOrderTests.logs(eventCounts: [50, 50], days: 5, seed: 11)
        keys[10] = ReplayOrderTests.key(day: 40_000 + Ledger.maximumReplayDays + 3, recorded: 1, rank: 0)
        keys[70] = ReplayOrderTests.key(day: 0, recorded: 1, rank: 1)
        ReplayOrderTests.expectSameOrder(keys, "a span wider than the buckets")
    }
}
