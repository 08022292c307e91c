import LedgerLog

/// A draft decoded as far as it can be without the ledger: its payload with each name standing
/// as the ordinal of where it lies in `data`, and the hashes of its names, actor and source.
/// What is left for validation is interning (in ordinal order, then actor and source: the order
/// and so the indexes of decoding straight into the ledger) and the checks against the ledger.
/// Made on the sealing thread ahead of validation for a large batch (`DraftDecoding`), else
/// just before the draft is validated: the same code either way.
struct DecodedDraft: Sendable {
    /// The payload with its names as ordinals, or why `data` does not decode (a refusal, said
    /// when the draft's turn comes, so that the first refusal in batch order is the one given).
    var payload: Result<DomainEvent.Payload, LedgerError>
    var names: InlineArray<6, PreparedName>
    var nameCount: Int
    var actorHash: UInt64
    var sourceHash: UInt64
    /// `FastHash` of the id: the slot of the ledger's id table that the retry check and the
    /// append probe can be asked for ahead (`DraftValidator.anticipate`).
    var idHash: UInt64

    /// Borrowed: a draft passed as its own copy retained each of its strings and arrays.
    init(_ draft: borrowing EventDraft) {
        var recorder = NameRecorder(lineCount: draft.data.count)
        do throws(LedgerError) {
            payload = .success(try LedgerLoader.decodePayload(kind: draft.kind, data: CanonicalObjectSpan(draft.data.span), at: 0,
                                                               into: &recorder))
        } catch {
            payload = .failure(error)
        }
        names = recorder.names
        nameCount = recorder.count
        actorHash = DecodedDraft.hash(of: draft.actor)
        sourceHash = DecodedDraft.hash(of: draft.source)
        idHash = DecodedDraft.hash(of: draft.id.rawValue)
    }

    /// `FastHash` of the UTF-8 of `string`, as interning and the id table hash it.
    static func hash(of string: String) -> UInt64 {
        FastHash.hash(string.utf8.span)
    }

    /// `payload` (this draft's, decoded) with its names interned into `ledger` in the order they
    /// were found, then the actor and the source: the indexes that decoding `draft` straight into
    /// the ledger gives.
    func intern(_ payload: DomainEvent.Payload, of draft: borrowing EventDraft,
                into ledger: inout Ledger) -> (payload: DomainEvent.Payload, actor: TextIndex, source: TextIndex) {
        var indexes = InlineArray<6, Int32>(repeating: -1)
        for ordinal in 0..<nameCount {
            indexes[ordinal] = ledger.intern(names[ordinal], in: draft.data.span)
        }
        let actor = ledger.texts.intern(draft.actor.utf8.span, hash: actorHash)
        let source = ledger.texts.intern(draft.source.utf8.span, hash: sourceHash)
        return (payload.mappingNames { indexes[Int($0)] }, actor, source)
    }
}
