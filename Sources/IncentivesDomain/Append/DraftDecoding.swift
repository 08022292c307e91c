import Dispatch
import Synchronization

/// Decodes a large batch's drafts in pieces ahead of their validation, on the thread that seals
/// the pieces already validated (`SealingPipeline.perform`). Each piece is decoded once, by
/// whichever thread comes to it first: the validating thread decodes a piece itself when the
/// other has not begun it, so it waits only for a piece being decoded, never for a busy thread.
/// Decoding needs nothing of the ledger (`DecodedDraft`), so the order of the two threads
/// changes no result; refusals are still given in batch order, as each draft is validated.
final class DraftDecoding: Sendable {
    /// Drafts decoded at a time: as the sealing pieces, small enough to stay ahead, large enough
    /// that the hand-over costs little.
    static let pieceDrafts = 128
    /// Pieces queued for the other thread beyond the one being validated.
    static let lookahead = 2

    let drafts: [EventDraft]
    private let states: Mutex<[PieceState]>
    /// Signalled when the other thread has decoded a piece (waited for only if it had begun it).
    private let ready: [DispatchSemaphore]

    private enum PieceState {
        case waiting, decoding, decoded([DecodedDraft]), taken, cancelled
    }

    init(drafts: [EventDraft]) {
        self.drafts = drafts
        let pieces = (drafts.count + DraftDecoding.pieceDrafts - 1) / DraftDecoding.pieceDrafts
        states = Mutex(Array(repeating: .waiting, count: pieces))
        ready = (0..<pieces).map { _ in DispatchSemaphore(value: 0) }
    }

    var pieceCount: Int { ready.count }

    /// The piece holding draft `index`.
    static func piece(of index: Int) -> Int { index / pieceDrafts }

    private func decode(_ piece: Int) -> [DecodedDraft] {
        let start = piece * DraftDecoding.pieceDrafts
        let end = min(start + DraftDecoding.pieceDrafts, drafts.count)
        var result: [DecodedDraft] = []
        result.reserveCapacity(end - start)
        for index in start..<end { result.append(DecodedDraft(drafts[index])) }
        return result
    }

    /// On the other thread: decodes `piece` unless it was taken up already (or the batch dropped).
    func decodeAhead(_ piece: Int) {
        let claimed = states.withLock { states -> Bool in
            guard case .waiting = states[piece] else { return false }
            states[piece] = .decoding
            return true
        }
        guard claimed else { return }
        let result = decode(piece)
        states.withLock { $0[piece] = .decoded(result) }
        ready[piece].signal()
    }

    /// On the validating thread, piece after piece: the decoded drafts of `piece`, decoded here if
    /// the other thread has not begun them, waited for if it has.
    func take(_ piece: Int) -> [DecodedDraft] {
        enum Next { case decodeHere, wait, ready([DecodedDraft]) }
        let next = states.withLock { states -> Next in
            switch states[piece] {
            case .waiting:
                states[piece] = .taken
                return .decodeHere
            case .decoding:
                return .wait
            case .decoded(let result):
                states[piece] = .taken
                return .ready(result)
            case .taken, .cancelled:
                preconditionFailure("each piece is taken once, before the batch is dropped")
            }
        }
        switch next {
        case .decodeHere:
            return decode(piece)
        case .ready(let result):
            return result
        case .wait:
            ready[piece].wait()
            return states.withLock { states -> [DecodedDraft] in
                guard case .decoded(let result) = states[piece] else { preconditionFailure("a piece signalled is decoded") }
                states[piece] = .taken
                return result
            }
        }
    }

    /// Stops the other thread from beginning any piece (a refused batch drops its decoding).
    func cancel() {
        states.withLock { states in
            for piece in states.indices {
                if case .waiting = states[piece] { states[piece] = .cancelled }
            }
        }
    }
}
