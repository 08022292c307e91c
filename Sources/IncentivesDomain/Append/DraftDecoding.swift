import LedgerColumns

/// Decodes a large batch's drafts in pieces ahead of their validation, on the thread that seals
/// the pieces already validated (`SealingPipeline.perform`). Each piece is decoded once, by
/// whichever thread comes to it first (`SharedPieces`): the validating thread decodes a piece
/// itself when the other has not begun it, so it waits only for a piece being decoded, never for
/// a busy thread. Decoding needs nothing of the ledger (`DecodedDraft`), so the order of the two
/// threads changes no result; refusals are still given in batch order, as each draft is validated.
final class DraftDecoding: Sendable {
    /// Drafts decoded at a time: as the sealing pieces, small enough to stay ahead, large enough
    /// that the hand-over costs little.
    static let pieceDrafts = 128
    /// Pieces queued for the other thread beyond the one being validated.
    static let lookahead = 2

    let drafts: [EventDraft]
    private let pieces: SharedPieces<[DecodedDraft]>

    init(drafts: [EventDraft]) {
        self.drafts = drafts
        let count = (drafts.count + DraftDecoding.pieceDrafts - 1) / DraftDecoding.pieceDrafts
        pieces = SharedPieces(count: count) { piece in
            let start = piece * DraftDecoding.pieceDrafts
            let end = min(start + DraftDecoding.pieceDrafts, drafts.count)
            var result: [DecodedDraft] = []
            result.reserveCapacity(end - start)
            for index in start..<end { result.append(DecodedDraft(drafts[index])) }
            return result
        }
    }

    var pieceCount: Int { pieces.count }

    /// The piece holding draft `index`.
    static func piece(of index: Int) -> Int { index / pieceDrafts }

    /// On the other thread: decodes `piece` unless it was taken up already (or the batch dropped).
    func decodeAhead(_ piece: Int) { pieces.makeAhead(piece) }

    /// On the validating thread, piece after piece: the decoded drafts of `piece`, decoded here if
    /// the other thread has not begun them, waited for if it has.
    func take(_ piece: Int) -> [DecodedDraft] { pieces.take(piece) }

    /// Stops the other thread from beginning any piece (a refused batch drops its decoding).
    func cancel() { pieces.cancel() }
}
