@testable import IncentivesDomain
import IncentivesTestSupport
import LedgerLog
import Testing

/// The incremental timeline check (a passive draft judged by its own violations, from the
/// timeline's anchors) must refuse exactly the drafts the full walk refuses, in the same words.
/// Seeded drafts of every type, with ids and references from small pools (`LedgerFuzzOracle`),
/// meet each other in every order: payments before awards, awards after deregistrations,
/// retractions of anchors. Each seed starts from an old log written without timeline checks (as
/// an import or an earlier build wrote it), whose faults the drafts then meet: retracted awards
/// whose payments are still live, grants paid before their award.
@Suite("Incremental timeline validation")
struct IncrementalTimelineTests {
    static let draftsPerSeed = 400
    static let oldLogDrafts = 80

    /// What one validator made of one draft: the log it joined, or the refusal's message.
    static func judge(_ validator: inout DraftValidator, _ draft: EventDraft, recorded: Timestamp) -> Result<LogName, LedgerError> {
        do {
            return .success(try validator.accept(draft, recorded: recorded))
        } catch {
            return .failure(error)
        }
    }

    /// Words only a timeline refusal uses: the test must see such refusals, not only the single-date ones.
    static let timelineWords = ["it would contradict", "registered only from", "left the plan by", "awarded only by",
                                "its grant has no award", "is revoked by", "recoveries would reach", "cannot be retracted while",
                                "would leave", "must raise the tier", "must lower the tier"]

    struct Tally {
        var accepted = 0
        var refused = 0
        var refusedByTimeline = 0
    }

    static func run(seed: UInt64) -> Tally {
        var random = SplitMix64(seed: seed)
        var bytes: [UInt8] = []
        for _ in 0..<(draftsPerSeed * 16) { bytes.append(UInt8(truncatingIfNeeded: random.next())) }
        var cursor = LedgerFuzzOracle.Cursor(bytes: bytes)
        var ids: [String] = []
        var seconds = LedgerFuzzOracle.start.endOfDay.secondsSinceEpoch
        // The old log: the story, then drafts taken as they come (what the checks of the time let through).
        var importer = DraftValidator(ledger: Ledger(), judgesTimelines: false)
        func keep(_ draft: EventDraft) {
            seconds += 1
            var trial = importer
            if (try? trial.accept(draft, recorded: Timestamp(secondsSinceEpoch: seconds))) != nil {
                importer = trial
                ids.append(draft.id.rawValue)
            }
        }
        for draft in LedgerFuzzOracle.story { keep(draft) }
        for old in 0..<oldLogDrafts {
            if let draft = LedgerFuzzOracle.draft(&cursor, id: "old-\(old)", earlierIds: ids) { keep(draft) }
        }
        var number = 0
        var full = DraftValidator(ledger: importer.ledger, timelineWalk: .full)
        var incremental = DraftValidator(ledger: importer.ledger, timelineWalk: .incremental)
        var tally = Tally()
        func offer(_ draft: EventDraft) {
            // Now and then two drafts share a recorded second: the seq then orders them.
            if cursor.next() % 4 != 0 { seconds += 1 }
            let recorded = Timestamp(secondsSinceEpoch: seconds)
            // Each judges a copy: a refused draft may stay in the validator that refused it.
            var fullTrial = full, incrementalTrial = incremental
            let expected = judge(&fullTrial, draft, recorded: recorded)
            let found = judge(&incrementalTrial, draft, recorded: recorded)
            switch (expected, found) {
            case (.success(let expectedLog), .success(let foundLog)):
                #expect(expectedLog == foundLog, "seed \(seed), \(draft.id): logs differ")
                full = fullTrial
                incremental = incrementalTrial
                tally.accepted += 1
            case (.failure(let expectedError), .failure(let foundError)):
                #expect(expectedError.code == foundError.code && expectedError.message == foundError.message, "seed \(seed), \(draft.id): refused differently")
                tally.refused += 1
                if timelineWords.contains(where: { expectedError.message.contains($0) }) { tally.refusedByTimeline += 1 }
            case (.success, .failure(let foundError)):
                Issue.record("seed \(seed), \(draft.id): only the incremental check refused it: \(foundError.message)")
            case (.failure(let expectedError), .success):
                Issue.record("seed \(seed), \(draft.id): only the full walk refused it: \(expectedError.message)")
            }
            ids.append(draft.id.rawValue)
        }
        while number < draftsPerSeed, !cursor.atEnd {
            number += 1
            if let draft = LedgerFuzzOracle.draft(&cursor, id: "d-\(number)", earlierIds: ids) { offer(draft) }
        }
        #expect(full.ledger.count == incremental.ledger.count, "seed \(seed): both ledgers hold the same events")
        #expect((0..<full.ledger.count).allSatisfy { full.ledger.eventId(of: $0) == incremental.ledger.eventId(of: $0) })
        return tally
    }

    @Test("the incremental check refuses exactly what the full walk refuses, in the same words", arguments: 0..<8)
    func agreesWithFullWalk(block: Int) {
        var total = Tally()
        for seed in UInt64(block * 10)..<UInt64(block * 10 + 10) {
            let tally = Self.run(seed: seed)
            total.accepted += tally.accepted
            total.refused += tally.refused
            total.refusedByTimeline += tally.refusedByTimeline
        }
        // Not vacuous: many drafts pass, many are refused, and many of those by a timeline.
        #expect(total.accepted >= 200, "accepted \(total.accepted)")
        #expect(total.refused >= 200, "refused \(total.refused)")
        #expect(total.refusedByTimeline >= 20, "refused by a timeline \(total.refusedByTimeline)")
    }

    @Test("an award is judged with its grant's live payments when the grant was awarded before and retracted")
    func reawardBringsPayments() throws {
        // An old log: G1 awarded to A and paid, B registered after that payment, A's award retracted
        // with the payment left live. Awarding G1 to B brings the payment into B's timeline, before
        // B's registration: the award is not passive there, and both walks refuse it for the payment.
        let codes = LedgerFuzzOracle.enterprises
        func make(_ id: String, _ kind: EventKind, _ day: Int, _ members: [(String, JSONValue)]) throws -> EventDraft {
            try EventDraft.make(id: id, kind: kind, effective: LedgerFuzzOracle.start.adding(days: day), actor: "clerk", source: "test",
                                data: JSONObject(members: members.sorted { $0.0 < $1.0 }.map { JSONMember(key: $0.0, value: $0.1) }),
                                origin: "test")
        }
        let old = [
            try make("p", .programmeEstablished, 0, [("programme", .text("P0")), ("name", .text("plan"))]),
            try make("a", .enterpriseRegistered, 0, [("enterprise", .text(codes[0])), ("name", .text("A")), ("sector", .text("x"))]),
            try make("b", .enterpriseRegistered, 10, [("enterprise", .text(codes[1])), ("name", .text("B")), ("sector", .text("x"))]),
            try make("award-a", .grantAwarded, 1, [("grant", .text("G1")), ("enterprise", .text(codes[0])), ("programme", .text("P0")),
                                                   ("amountFen", .integer(100)), ("project", .text("x"))]),
            try make("pay", .grantDisbursed, 2, [("grant", .text("G1")), ("amountFen", .integer(50))]),
            try make("retract", .eventRetracted, 11, [("target", .text("award-a")), ("reason", .text("wrong enterprise"))]),
        ]
        var importer = DraftValidator(ledger: Ledger(), judgesTimelines: false)
        for (number, draft) in old.enumerated() {
            _ = try importer.accept(draft, recorded: Timestamp(secondsSinceEpoch: 1_700_000_000 + Int64(number)))
        }
        let award = try make("award-b", .grantAwarded, 12, [("grant", .text("G1")), ("enterprise", .text(codes[1])),
                                                            ("programme", .text("P0")), ("amountFen", .integer(100)), ("project", .text("x"))])
        let event = try #require(Self.decoded(award, in: importer))
        let subject = try #require(TimelineSubject.subjects(of: event.payload).first { if case .enterprise = $0 { true } else { false } })
        #expect(!EntityTimeline.isPassive(event, in: subject, ledger: importer.ledger, index: importer.index))
        var messages: [String] = []
        for walk in [DraftValidator.TimelineWalk.full, .incremental] {
            var validator = DraftValidator(ledger: importer.ledger, timelineWalk: walk)
            do {
                _ = try validator.accept(award, recorded: Timestamp(secondsSinceEpoch: 1_700_000_100))
                Issue.record("\(walk): the award was accepted")
            } catch {
                messages.append(error.message)
            }
        }
        #expect(messages.count == 2 && messages.first == messages.last, "\(messages)")
        #expect(messages.first?.contains("it would contradict GrantDisbursed pay") == true, "\(messages)")
    }

    /// The award as the validator would hold it, for asking whether it is passive.
    static func decoded(_ draft: EventDraft, in validator: DraftValidator) -> DomainEvent? {
        var ledger = validator.ledger
        var payload: DomainEvent.Payload? = nil
        payload = try? LedgerLoader.decodePayload(kind: draft.kind, data: CanonicalObjectSpan(draft.data.span), at: 0, into: &ledger)
        return payload.map {
            DomainEvent(effective: draft.effective, recorded: Timestamp(secondsSinceEpoch: 0), seq: 0, logRank: 0,
                        actor: TextIndex(rawValue: 0), source: TextIndex(rawValue: 0), payload: $0)
        }
    }
}
