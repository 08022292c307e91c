import Dispatch

/// Runs a few independent pieces of work on the machine's cores, for clients that may not touch
/// threads or pointers themselves. It knows nothing of what the work is: each piece is a pure
/// function of its number, and the results come back in number order, so the outcome is the same
/// whatever the cores and their timing.
public enum ParallelWork {
    /// More pieces than this is a misuse: the work is meant to be split a few ways, not per item.
    public static let maximumPieces = 64

    /// `work(0)`, `work(1)`, …, `work(count - 1)`, each called exactly once, concurrently where
    /// cores are free; returns when all are done.
    public static func map<Result: Sendable>(count: Int, _ work: @Sendable (Int) -> Result) -> [Result] {
        precondition(count >= 0 && count <= maximumPieces, "a handful of pieces of work")
        if count <= 1 { return (0..<count).map(work) }
        let slots = ResultSlots<Result>(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { piece in
            slots.store(work(piece), at: piece)
        }
        return slots.results()
    }

    /// Range `piece` of `0..<count` split into `pieceCount` near-equal ranges, in order: the
    /// ranges of all the pieces cover `0..<count` once.
    public static func piece(_ piece: Int, of pieceCount: Int, count: Int) -> Range<Int> {
        precondition(pieceCount > 0 && piece >= 0 && piece < pieceCount && count >= 0, "a piece of the split")
        return (count * piece / pieceCount)..<(count * (piece + 1) / pieceCount)
    }
}

/// One slot per piece, each written once by the thread that ran it; the lock orders those
/// writes before the final read (which `concurrentPerform`'s return does too). The lock is a
/// serial queue, not `Mutex`: a contended `Mutex` on Linux is handed over in the kernel (a
/// priority-inheriting futex), where the thread sanitizer cannot see the order it gives.
private final class ResultSlots<Result: Sendable>: @unchecked Sendable {
    private let lock = DispatchQueue(label: "ledger.parallel-work.results")
    /// Read and written only on `lock`.
    private var slots: [Result?]

    init(count: Int) {
        slots = Array(repeating: nil, count: count)
    }

    func store(_ result: Result, at piece: Int) {
        lock.sync {
            precondition(slots[piece] == nil, "each piece runs once")
            slots[piece] = result
        }
    }

    func results() -> [Result] {
        lock.sync {
            slots.map { result in
                guard let result else { preconditionFailure("every piece ran") }
                return result
            }
        }
    }
}
