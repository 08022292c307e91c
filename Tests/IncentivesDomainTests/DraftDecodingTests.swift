import Dispatch
@testable import IncentivesDomain
import IncentivesTestSupport
import LedgerLog
import Testing

/// A large batch's drafts are decoded on the sealing thread ahead of their validation
/// (`DraftDecoding`); whichever thread decodes a piece, the ledger, the bytes written and the
/// refusals must be exactly those of decoding each draft in its turn (`.afterValidation`).
@Suite("Draft decoding ahead")
struct DraftDecodingTests {
    /// The pipeline's seeded batch, with names that need escapes in JSON and actors and sources
    /// of every size (a small string, a long one, non-ASCII), so that each way a name is found is used.
    static func batch(seed: UInt64, count: Int) throws -> [EventDraft] {
        var drafts = try AppendPipelineTests.batch(seed: seed, count: count)
        var random = SplitMix64(seed: seed ^ 0xDEC0DE)
        let actors = ["clerk", "审核员 张", "a clerk of the district office, second desk"]
        let sources = ["doc", "文件 2023-17", "scan of the signed decision, page 4"]
        for index in drafts.indices {
            drafts[index].actor = random.pick(actors)
            drafts[index].source = random.pick(sources)
            if drafts[index].kind == .centreOpened, random.below(2) == 0 {
                drafts[index] = try EventDraft.make(
                    id: drafts[index].id.rawValue, kind: .centreOpened, effective: drafts[index].effective,
                    actor: drafts[index].actor, source: drafts[index].source,
                    data: JSONObject(members: [
                        JSONMember(key: "centre", value: .string("C-esc-\(seed)-\(index)")),
                        JSONMember(key: "city", value: "泰州 \"东区\""),
                        JSONMember(key: "kind", value: "rnd"),
                        JSONMember(key: "name", value: .string("centre \\\(index)\\ \"quoted\"")),
                        JSONMember(key: "partner", value: "partner"),
                    ]), origin: drafts[index].origin)
            }
        }
        return drafts
    }

    /// Everything a decoded draft carries, as text: two decodings are the same if this is.
    static func describe(_ decoded: DecodedDraft) -> String {
        var names: [String] = []
        for ordinal in 0..<decoded.nameCount {
            let name = decoded.names[ordinal]
            names.append("\(name.start)+\(name.count) \(name.table) \(name.isEscaped) \(name.hash)")
        }
        let payload = switch decoded.payload {
        case .success(let payload): "\(payload)"
        case .failure(let error): "refused: \(error.message)"
        }
        return "\(payload) [\(names.joined(separator: ", "))] \(decoded.actorHash) \(decoded.sourceHash)"
    }

    /// The events and every interned name of a ledger, in index order.
    static func describe(_ ledger: Ledger) -> [String] {
        var lines = (0..<ledger.count).map { "\(ledger.eventId(of: $0)) \(ledger.events[$0])" }
        lines += (0..<ledger.texts.count).map { "text \(ledger.texts.string(TextIndex(rawValue: Int32($0))))" }
        lines += (0..<ledger.grants.count).map { "grant \(ledger.grants.string(GrantIndex(rawValue: Int32($0))))" }
        lines += (0..<ledger.centres.count).map { "centre \(ledger.centres.string(CentreIndex(rawValue: Int32($0))))" }
        lines += (0..<ledger.enterprises.count).map { "enterprise \(ledger.enterprises.string(EnterpriseIndex(rawValue: Int32($0))))" }
        lines += (0..<ledger.programmes.count).map { "programme \(ledger.programmes.string(ProgrammeIndex(rawValue: Int32($0))))" }
        return lines
    }

    @Test("a piece decoded by either thread is each draft decoded in its turn", arguments: [1, 7, 0xBEEF] as [UInt64])
    func samePieces(seed: UInt64) throws {
        var drafts = try Self.batch(seed: seed, count: 1_100)
        // Data that does not decode (a draft not built by `EventDraft.make`): its refusal travels with it.
        drafts[300].data = Array(#"{"amountFen":"many","grant":"G"}"#.utf8)
        drafts[301].data = []
        let expected = drafts.map { Self.describe(DecodedDraft($0)) }
        var random = SplitMix64(seed: seed)
        for _ in 0..<20 {
            let decoding = DraftDecoding(drafts: drafts)
            let other = DispatchQueue(label: "draft decoding test")
            // The other thread is given a random few pieces, in random order, while this one takes all in order.
            for piece in 0..<decoding.pieceCount where random.below(2) == 0 {
                other.async { decoding.decodeAhead(piece) }
            }
            var found: [String] = []
            for piece in 0..<decoding.pieceCount { found += decoding.take(piece).map(Self.describe) }
            other.sync {}
            #expect(found == expected)
        }
    }

    @Test("a decoded draft interned in order gets the indexes of decoding straight into the ledger", arguments: [2, 0xD1CE] as [UInt64])
    func sameIndexes(seed: UInt64) throws {
        let drafts = try Self.batch(seed: seed, count: 900)
        var reference = Ledger(), prepared = Ledger()
        for draft in drafts {
            // As drafts were decoded before: names interned as found, then the actor and the source.
            let expected = try LedgerLoader.decodePayload(kind: draft.kind, data: CanonicalObjectSpan(draft.data.span), at: 0,
                                                          into: &reference)
            let actor = reference.texts.intern(draft.actor), source = reference.texts.intern(draft.source)
            let decoded = DecodedDraft(draft)
            let interned = decoded.intern(try decoded.payload.get(), of: draft, into: &prepared)
            #expect("\(interned.payload)" == "\(expected)", "\(draft.id)")
            #expect(interned.actor == actor && interned.source == source, "\(draft.id)")
        }
        #expect(Self.describe(prepared) == Self.describe(reference))
        #expect(prepared.texts.count > 10 && prepared.centres.count > 10, "the batch names many things")
    }

    /// Appends `drafts` through a fresh session that seals `sealing`; the outcome or refusal, and the session's ledger.
    static func append(_ drafts: [EventDraft], to scratch: DomainScratchLedger,
                       sealing: AppendSession.Sealing) throws -> (Result<AppendOutcome, LedgerError>, [String]) {
        let session = try AppendSession(store: scratch.store, clock: FixedClock(scratch.now), notify: { notice in
            Issue.record("unexpected repair: \(notice)")
        })
        session.sealing = sealing
        do throws(LedgerError) {
            return (.success(try session.append(drafts)), describe(session.ledger))
        } catch {
            return (.failure(error), [])
        }
    }

    @Test("a batch decoded ahead leaves the ledger and the bytes of one decoded in turn, retries included",
          arguments: [0xA, 0x5EED5] as [UInt64])
    func sameLedger(seed: UInt64) throws {
        let sequential = DomainScratchLedger()
        let pipelined = DomainScratchLedger()
        for scratch in [sequential, pipelined] { try scratch.append(try Drafts.base()) }
        var previous: [EventDraft] = []
        for round in 0..<3 {
            // From the second round on, the batch begins with drafts already appended (retries, skipped).
            let drafts = Array(previous.prefix(round * 150)) + (try Self.batch(seed: seed &+ UInt64(round), count: 1_300 + round * 500))
            let (one, ledgerOne) = try Self.append(drafts, to: sequential, sealing: .afterValidation)
            let (other, ledgerOther) = try Self.append(drafts, to: pipelined, sealing: .pipelined)
            let outcome = try #require(try? one.get())
            #expect(outcome == (try? other.get()), "round \(round): the same events at the same seqs with the same hashes")
            #expect(outcome.alreadyPresent.count == min(previous.count, round * 150))
            #expect(ledgerOne == ledgerOther, "round \(round): the same events and names at the same indexes")
            for log in IncentiveLogs.all {
                #expect(sequential.logBytes(log) == pipelined.logBytes(log), "round \(round): \(log.fileName) byte for byte")
            }
            previous = drafts
            sequential.now = Timestamp(secondsSinceEpoch: sequential.now.secondsSinceEpoch + 60)
            pipelined.now = sequential.now
        }
        #expect(try pipelined.store.verify().isValid)
    }

    /// A draft whose data does not decode, and one refused by the ledger (a second award of a
    /// grant awarded earlier in the batch), at the given places; either may come first.
    static func refusals(undecodable: Int, refused: Int, seed: UInt64) throws -> [EventDraft] {
        var drafts = try Self.batch(seed: seed, count: 2_000)
        guard let award = drafts.firstIndex(where: { $0.kind == .grantAwarded }), award < min(undecodable, refused) else {
            Issue.record("the seeded batch has an award early enough")
            return drafts
        }
        drafts[undecodable] = EventDraft(id: EventID(rawValue: "bad-\(undecodable)")!, kind: .grantAwarded,
                                         effective: drafts[undecodable].effective, actor: "clerk", source: "doc",
                                         data: Array(#"{"amountFen":5,"enterprise":7}"#.utf8), origin: "line \(undecodable + 1)")
        let grant = "G-\(drafts[award].id.rawValue.dropFirst(2))"
        drafts[refused] = try Drafts.award("again-\(refused)", grant: grant, amountFen: 5, "2022-06-01")
        return drafts
    }

    @Test("the first refusal in batch order is given, in the same words, whichever thread decoded",
          arguments: [(900, 1_700), (1_700, 900), (130, 1_999), (1_999, 130)] as [(Int, Int)])
    func sameRefusal(undecodable: Int, refused: Int) throws {
        let sequential = DomainScratchLedger()
        let pipelined = DomainScratchLedger()
        for scratch in [sequential, pipelined] { try scratch.append(try Drafts.base()) }
        let before = IncentiveLogs.all.map(pipelined.logBytes)
        let drafts = try Self.refusals(undecodable: undecodable, refused: refused, seed: UInt64(undecodable))
        let (one, _) = try Self.append(drafts, to: sequential, sealing: .afterValidation)
        let (other, _) = try Self.append(drafts, to: pipelined, sealing: .pipelined)
        guard case .failure(let first) = one, case .failure(let second) = other else {
            Issue.record("both ways refuse the batch")
            return
        }
        #expect(first.code == second.code)
        #expect(first.message == second.message)
        let expected = undecodable < refused ? "line \(undecodable + 1): " : "again-\(refused) refused: grant"
        #expect(second.message.contains(expected), "\(second.message)")
        #expect(IncentiveLogs.all.map(pipelined.logBytes) == before)
        #expect(IncentiveLogs.all.map(sequential.logBytes) == before)
    }
}
