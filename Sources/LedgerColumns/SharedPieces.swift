import Dispatch

/// Pieces of work made once each, by whichever of two threads comes to a piece first: one thread
/// takes the pieces in order and makes a piece itself when the other has not begun it, so it
/// waits only for a piece being made, never for a busy thread; the other makes pieces ahead.
/// Making a piece must depend on nothing but its number, so either thread gives the same piece.
/// The states are guarded by a semaphore used as a lock rather than a `Mutex`: ThreadSanitizer
/// sees the semaphore's ordering (libdispatch's), not the futex under a `Mutex`, and would report
/// the hand-over between the two threads as a race.
package final class SharedPieces<Piece: Sendable>: @unchecked Sendable {
    private let make: @Sendable (Int) -> Piece
    /// Guarded by `lock`.
    private var states: [State]
    private let lock = DispatchSemaphore(value: 1)
    /// Signalled when the other thread has made a piece (waited for only if it had begun it).
    private let ready: [DispatchSemaphore]

    private enum State {
        case waiting, making, made(Piece), taken, cancelled
    }

    private enum Next {
        case makeHere, wait, ready(Piece)
    }

    package init(count: Int, make: @escaping @Sendable (Int) -> Piece) {
        precondition(count >= 0, "a count of pieces")
        self.make = make
        states = Array(repeating: .waiting, count: count)
        ready = (0..<count).map { _ in DispatchSemaphore(value: 0) }
    }

    package var count: Int { ready.count }

    private func withLock<Result>(_ body: (inout [State]) -> Result) -> Result {
        lock.wait()
        defer { lock.signal() }
        return body(&states)
    }

    /// On the other thread: makes `piece` unless it was taken up already (or all were cancelled).
    package func makeAhead(_ piece: Int) {
        let claimed = withLock { states -> Bool in
            guard case .waiting = states[piece] else { return false }
            states[piece] = .making
            return true
        }
        guard claimed else { return }
        let result = make(piece)
        withLock { $0[piece] = .made(result) }
        ready[piece].signal()
    }

    /// On the taking thread, each piece once: made here if the other thread has not begun it,
    /// waited for if it has.
    package func take(_ piece: Int) -> Piece {
        let next = withLock { states -> Next in
            switch states[piece] {
            case .waiting:
                states[piece] = .taken
                return .makeHere
            case .making:
                return .wait
            case .made(let result):
                states[piece] = .taken
                return .ready(result)
            case .taken, .cancelled:
                preconditionFailure("each piece is taken once, before the pieces are cancelled")
            }
        }
        switch next {
        case .makeHere:
            return make(piece)
        case .ready(let result):
            return result
        case .wait:
            ready[piece].wait()
            return withLock { states -> Piece in
                guard case .made(let result) = states[piece] else { preconditionFailure("a piece signalled is made") }
                states[piece] = .taken
                return result
            }
        }
    }

    /// Stops the other thread from beginning any piece.
    package func cancel() {
        withLock { states in
            for piece in states.indices {
                if case .waiting = states[piece] { states[piece] = .cancelled }
            }
        }
    }
}
