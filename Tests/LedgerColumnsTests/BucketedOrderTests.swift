import IncentivesTestSupport
@testable import LedgerColumns
import Testing

/// Indexes spread by bucket and sorted bucket by bucket (`BucketedOrder.sortedIndexes`), in one
/// piece or several, are in the order of one sort of every key with its index below it
/// (`BucketedOrder.sortedWhole`), whatever the keys: none, one, all equal, already in order, logs
/// in recorded order but not in effective order, days far apart, fewer indexes than pieces.
@Suite struct BucketedOrderTests {
    /// Keys read from an array.
    struct ArrayKeys: BucketedKeys {
        let keys: [UInt128]
        func key(_ index: Int) -> UInt128 { keys[index] }
    }

    /// The order in `pieces` pieces, split however few the indexes.
    static func sorted(_ keys: [UInt128], pieces: Int = 1) -> [Int32] {
        BucketedOrder.sortedIndexes(count: keys.count, keys: ArrayKeys(keys: keys), pieces: pieces, splitCount: 0)
    }

    /// A key as a ledger's replay key packs one (`Ledger.replayKey(of:)`).
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
        let whole = BucketedOrder.sortedWhole(count: keys.count, keys: ArrayKeys(keys: keys))
        for pieces in 1...4 {
            #expect(sorted(keys, pieces: pieces) == whole, "\(comment), \(pieces) pieces")
        }
        let bucketed = sorted(keys, pieces: 3)
        #expect(bucketed.count == keys.count, comment)
        // And it is an order: every index once, keys never falling.
        #expect(Set(bucketed).count == keys.count, comment)
        for position in bucketed.indices.dropFirst() {
            let (before, after) = (Int(bucketed[position - 1]), Int(bucketed[position]))
            #expect(keys[before] < keys[after] || (keys[before] == keys[after] && before < after), comment)
        }
    }

    @Test func emptyAndOne() {
        for pieces in 1...3 {
            #expect(BucketedOrderTests.sorted([], pieces: pieces) == [])
            #expect(BucketedOrderTests.sorted([BucketedOrderTests.key(day: 40_000, recorded: 5, rank: 0)], pieces: pieces) == [0])
        }
    }

    @Test func seededLogs() {
        for seed: UInt64 in 1...40 {
            var generator = SplitMix64(seed: seed)
            let counts = (0..<3).map { _ in Int.random(in: 0...300, using: &generator) }
            let days = [1, 2, 7, 400][Int(seed) % 4]
            BucketedOrderTests.expectSameOrder(BucketedOrderTests.logs(eventCounts: counts, days: days, seed: seed),
                                             "seed \(seed), counts \(counts), days \(days)")
        }
    }

    @Test func oneLogAndEmptyLogs() {
        BucketedOrderTests.expectSameOrder(BucketedOrderTests.logs(eventCounts: [500], days: 30, seed: 7), "one log")
        BucketedOrderTests.expectSameOrder(BucketedOrderTests.logs(eventCounts: [0, 200, 0], days: 30, seed: 8), "one log of three")
        BucketedOrderTests.expectSameOrder(BucketedOrderTests.logs(eventCounts: [0, 0, 0], days: 30, seed: 9), "no events")
    }

    @Test func tiesKeepPositionOrder() {
        // Every key equal: the order is the positions'.
        let same = [UInt128](repeating: BucketedOrderTests.key(day: 40_100, recorded: 9, rank: 1), count: 50)
        BucketedOrderTests.expectSameOrder(same, "all equal")
        #expect(BucketedOrderTests.sorted(same, pieces: 2) == (0..<50).map { Int32($0) })
        // Equal keys on one day among others, out of order.
        let keys = (0..<60).map { BucketedOrderTests.key(day: 40_000 + (59 - $0) % 3, recorded: $0 % 2, rank: 0) }
        BucketedOrderTests.expectSameOrder(keys, "ties across days")
    }

    @Test func alreadyInOrder() {
        let keys = (0..<100).map { BucketedOrderTests.key(day: 40_000 + $0 / 10, recorded: $0, rank: 0) }
        for pieces in 1...3 { #expect(BucketedOrderTests.sorted(keys, pieces: pieces) == (0..<100).map { Int32($0) }) }
        // In order within each piece but not across them.
        let swapped = Array(keys[50...] + keys[..<50])
        BucketedOrderTests.expectSameOrder(swapped, "pieces each in order")
    }

    @Test func daysTooFarApartAreSortedWhole() {
        var keys = BucketedOrderTests.logs(eventCounts: [50, 50], days: 5, seed: 11)
        keys[10] = BucketedOrderTests.key(day: 40_000 + BucketedOrder.maximumBuckets + 3, recorded: 1, rank: 0)
        keys[70] = BucketedOrderTests.key(day: 0, recorded: 1, rank: 1)
        BucketedOrderTests.expectSameOrder(keys, "a span wider than the buckets")
    }

    @Test("enough indexes to be split by default come out in the one order, buckets of every size")
    func splitByDefault() {
        let count = BucketedOrder.minimumSplitCount * 2 + 17
        var keys = BucketedOrderTests.logs(eventCounts: [count / 2, count / 3, count - count / 2 - count / 3], days: 90, seed: 21)
        // One bucket holding most of a piece's share, so a bucket boundary falls far from the middle.
        for index in stride(from: 0, to: count, by: 3) { keys[index] = BucketedOrderTests.key(day: 40_045, recorded: index % 7, rank: 1) }
        let whole = BucketedOrder.sortedWhole(count: keys.count, keys: ArrayKeys(keys: keys))
        #expect(BucketedOrder.sortedIndexes(count: keys.count, keys: ArrayKeys(keys: keys)) == whole)
        #expect(BucketedOrder.sortedIndexes(count: keys.count, keys: ArrayKeys(keys: keys), pieces: 5) == whole)
    }

    @Test("the buckets of the pieces: consecutive, each bucket once, about equal shares")
    func bucketPieces() {
        let starts = [0, 0, 10, 11, 40, 41, 41, 100]
        for pieceCount in 1...5 {
            let pieces = (0..<pieceCount).map { BucketedOrder.buckets($0, of: pieceCount, starts: starts) }
            #expect(pieces.first?.lowerBound == 0 && pieces.last?.upperBound == starts.count - 1)
            #expect(zip(pieces, pieces.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
        }
        #expect(BucketedOrder.buckets(0, of: 2, starts: starts) == 0..<6 && BucketedOrder.buckets(1, of: 2, starts: starts) == 6..<7)
    }

    @Test("a count split into pieces: consecutive, every index once, sizes within one of each other")
    func countPieces() {
        for count in [0, 1, 5, 1_000, 1_001] {
            for pieceCount in 1...5 {
                let pieces = (0..<pieceCount).map { ParallelWork.piece($0, of: pieceCount, count: count) }
                #expect(pieces.first?.lowerBound == 0 && pieces.last?.upperBound == count)
                #expect(zip(pieces, pieces.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
                let sizes = pieces.map(\.count)
                #expect(sizes.max()! - sizes.min()! <= 1, "\(count) in \(pieceCount)")
            }
        }
        #expect(ParallelWork.piece(0, of: 2, count: 5) == 0..<2 && ParallelWork.piece(1, of: 2, count: 5) == 2..<5)
    }
}
