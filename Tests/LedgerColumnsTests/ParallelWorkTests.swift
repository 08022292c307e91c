import LedgerColumns
import Synchronization
import Testing

/// Pieces of work run on the cores: each once, results in piece order whatever the timing.
@Suite struct ParallelWorkTests {
    @Test("each piece runs once and its result comes back in its place", arguments: [0, 1, 2, 3, 8, ParallelWork.maximumPieces])
    func resultsInOrder(count: Int) {
        let runs = Mutex([Int](repeating: 0, count: count))
        let results = ParallelWork.map(count: count) { piece in
            runs.withLock { $0[piece] += 1 }
            // Uneven work, so that pieces finish out of order.
            var sum = 0
            for value in 0..<((count - piece) * 2_000) { sum &+= value }
            return (piece, sum)
        }
        #expect(results.map(\.0) == Array(0..<count))
        #expect(runs.withLock { $0 } == [Int](repeating: 1, count: count))
        for (piece, sum) in results {
            let expected = (0..<((count - piece) * 2_000)).reduce(0, &+)
            #expect(sum == expected)
        }
    }
}
