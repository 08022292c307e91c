import IncentivesDomain
import IncentivesTestSupport
import LedgerLog
import Testing

/// A large validated batch is sealed on a second thread while the next drafts are validated
/// (`AppendSession.Sealing.pipelined`); it must write exactly what sealing after validation
/// writes, and a refusal anywhere in the batch must still leave nothing written.
@Suite("Append pipeline")
struct AppendPipelineTests {
    /// Seeded drafts over the three logs: awards and payments (grants), evaluations (tiers),
    /// centres, and retractions of payments made earlier in the batch (whose log is known only
    /// once their target is found).
    static func batch(seed: UInt64, count: Int) throws -> [EventDraft] {
        var random = SplitMix64(seed: seed)
        var drafts: [EventDraft] = []
        var grants: [String] = []
        var payments: [String] = []
        var retracted = Set<String>()
        let enterprises = [Drafts.precision, Drafts.pharma]
        for index in 0..<count {
            let day = "2023-\(String(1 + random.below(9)).leftPadded(2))-\(String(10 + random.below(18)))"
            switch random.below(10) {
            case 0...3:
                let grant = "G-\(seed)-\(index)"
                grants.append(grant)
                drafts.append(try Drafts.award("a-\(seed)-\(index)", grant: grant, enterprise: random.pick(enterprises),
                                               amountFen: Int64(1_000 + random.below(100_000)), "2022-06-01"))
            case 4...5 where !grants.isEmpty:
                let id = "pay-\(seed)-\(index)"
                payments.append(id)
                drafts.append(try Drafts.make(id, .grantDisbursed, day, [
                    ("amountFen", .number(JSONNumber(Int64(1 + random.below(1_000))))), ("grant", .string(random.pick(grants))),
                ]))
            case 6...7:
                drafts.append(try Drafts.make("s-\(seed)-\(index)", .capabilityEvaluated, day, [
                    ("enterprise", .string(random.pick(enterprises))), ("score", .number(JSONNumber(Int64(random.below(101))))),
                ]))
            case 8 where !payments.isEmpty && retracted.insert(payments[index % payments.count]).inserted:
                drafts.append(try Drafts.retract("r-\(seed)-\(index)", target: payments[index % payments.count], day))
            default:
                drafts.append(try Drafts.make("c-\(seed)-\(index)", .centreOpened, day, [
                    ("centre", .string("C-\(seed)-\(index)")), ("city", "泰州"), ("kind", "rnd"),
                    ("name", .string("centre \(index)")), ("partner", "partner"),
                ]))
            }
        }
        return drafts
    }

    /// Appends `drafts` as one batch through a session that seals them `sealing`.
    @discardableResult
    static func append(_ drafts: [EventDraft], to scratch: DomainScratchLedger,
                       sealing: AppendSession.Sealing) throws -> AppendOutcome {
        let session = try AppendSession(store: scratch.store, clock: FixedClock(scratch.now), notify: { notice in
            Issue.record("unexpected repair: \(notice)")
        })
        session.sealing = sealing
        return try session.append(drafts)
    }

    @Test("a pipelined batch writes the bytes that sealing after validation writes", arguments: [0xA11CE, 0x5EED, 3] as [UInt64])
    func sameBytes(seed: UInt64) throws {
        let sequential = DomainScratchLedger()
        let pipelined = DomainScratchLedger()
        for scratch in [sequential, pipelined] { try scratch.append(try Drafts.base()) }
        for round in 0..<2 {
            let drafts = try Self.batch(seed: seed &+ UInt64(round), count: 1_500 + round * 700)
            let one = try Self.append(drafts, to: sequential, sealing: .afterValidation)
            let other = try Self.append(drafts, to: pipelined, sealing: .pipelined)
            #expect(one == other, "round \(round): the same events land at the same seqs with the same hashes")
            #expect(one.appended.count == drafts.count)
            for log in IncentiveLogs.all {
                #expect(sequential.logBytes(log) == pipelined.logBytes(log), "round \(round): \(log.fileName) byte for byte")
            }
            sequential.now = Timestamp(secondsSinceEpoch: sequential.now.secondsSinceEpoch + 60)
            pipelined.now = sequential.now
        }
        #expect(try pipelined.store.verify().isValid)
    }

    @Test("a draft refused in the middle of a pipelined batch leaves nothing written", arguments: [700, 1_999] as [Int])
    func refusalWritesNothing(near start: Int) throws {
        let scratch = DomainScratchLedger()
        try scratch.append(try Drafts.base())
        let before = IncentiveLogs.all.map(scratch.logBytes)
        var drafts = try Self.batch(seed: 0xDEAD, count: 2_000)
        // A draft no other draft refers to, so that the batch without it is still valid.
        guard let position = drafts.indices.last(where: { $0 <= start && [.capabilityEvaluated, .centreOpened].contains(drafts[$0].kind) }),
              position >= AppendSessionPiece.size else {
            Issue.record("the seeded batch has an evaluation or an opening late enough")
            return
        }
        // A second award of a grant awarded earlier in the batch: refused, after pieces were sealed.
        guard let earlier = drafts.firstIndex(where: { $0.kind == .grantAwarded }), earlier < position else {
            Issue.record("the seeded batch has an award before the refused draft")
            return
        }
        let grant = "G-\(drafts[earlier].id.rawValue.dropFirst(2))"
        drafts[position] = try Drafts.award("again-\(position)", grant: grant, amountFen: 5, "2022-06-01")
        #expect {
            try Self.append(drafts, to: scratch, sealing: .pipelined)
        } throws: { error in
            guard let error = error as? LedgerError else { return false }
            return error.code == .badData && error.message.contains("again-\(position) refused: grant \(grant) is already awarded")
        }
        #expect(IncentiveLogs.all.map(scratch.logBytes) == before)
        // The batch without the refused draft is then appended whole by the next session.
        drafts.remove(at: position)
        let outcome = try Self.append(drafts, to: scratch, sealing: .pipelined)
        #expect(outcome.appended.count == drafts.count)
        #expect(try scratch.store.verify().isValid)
    }

    @Test("automatic sealing pipelines large batches only, with the same bytes either way")
    func automatic() throws {
        let automatic = DomainScratchLedger()
        let sequential = DomainScratchLedger()
        for scratch in [automatic, sequential] { try scratch.append(try Drafts.base()) }
        for (round, count) in [3, 600].enumerated() {
            let drafts = try Self.batch(seed: 0xA07 &+ UInt64(round), count: count)
            #expect(try Self.append(drafts, to: automatic, sealing: .automatic) == Self.append(drafts, to: sequential, sealing: .afterValidation))
            #expect(IncentiveLogs.all.map(automatic.logBytes) == IncentiveLogs.all.map(sequential.logBytes))
        }
    }
}

/// Drafts a pipelined session hands to its sealing thread at a time (`AppendSession.sealingPiece`):
/// a refusal after this many drafts comes after sealing began.
private enum AppendSessionPiece {
    static let size = 128
}

private extension String {
    func leftPadded(_ width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
