@testable import IncentivesDomain
import LedgerLog
import Testing

/// The append path below the command line: what a batch returns, what a refusal leaves behind.
@Suite("Append sessions")
struct AppendSessionTests {
    @Test("a batch returns where each event landed; the same batch again is all already present")
    func outcomes() throws {
        let scratch = DomainScratchLedger()
        let batch = try Drafts.base() + [try Drafts.award("a-1", grant: "G-1", amountFen: 100, "2022-03-01")]
        let first = try scratch.append(batch)
        #expect(first.appended.map(\.id.rawValue) == ["p-yz", "e-1", "e-2", "a-1"])
        #expect(first.appended.map(\.log.rawValue) == ["grants", "tiers", "tiers", "grants"])
        #expect(first.appended.map(\.seq) == [1, 1, 2, 2])
        #expect(first.alreadyPresent.isEmpty)
        let bytes = IncentiveLogs.all.map(scratch.logBytes)

        scratch.now = Timestamp(parsing: "2026-01-01T00:00:00Z")!
        let again = try scratch.append(batch)
        #expect(again.appended.isEmpty)
        #expect(again.alreadyPresent.map(\.rawValue) == ["p-yz", "e-1", "e-2", "a-1"])
        #expect(IncentiveLogs.all.map(scratch.logBytes) == bytes)
    }

    /// A session whose ledger holds drafts the logs do not judges no more drafts: after a batch
    /// prepared and never committed, and after a batch refused part way (its first draft had
    /// joined the ledger). Were it to go on, a draft could be accepted for a grant that is only
    /// in the dropped batch, and written. Refused as a misuse, naming what to do; nothing written.
    /// A batch refused before any of its drafts joined leaves the session usable (see
    /// `idLookupsAcrossHashing`, whose conflicts and missing targets are refused that way).
    @Test("a session holding drafts the logs do not (a batch dropped, or refused part way) judges no more")
    func aSessionHoldingUnwrittenDraftsJudgesNoMore() throws {
        let scratch = DomainScratchLedger()
        try scratch.append(try Drafts.base())
        let clock = FixedClock(scratch.now)
        let before = IncentiveLogs.all.map(scratch.logBytes)
        // The session is let go (and its lock with it) before the logs are read below.
        try { () throws in
            let session = try AppendSession(store: scratch.store, clock: clock, useSnapshot: false, environment: [:]) { _ in }
            _ = try session.prepare([try Drafts.award("a-dropped", grant: "G-d", amountFen: 5, "2022-03-01")])
            // A payment on the dropped batch's grant: the session's ledger has its award, the logs do not.
            let payment = try Drafts.make("d-1", .grantDisbursed, "2022-03-02", [("grant", "G-d"), ("amountFen", .number(JSONNumber(Int64(5))))])
            let refusal = #expect(throws: LedgerError.self) { _ = try session.prepare([payment]) }
            #expect(refusal?.code == .usage)
            #expect(refusal?.message.contains("a batch of 1 draft was prepared and not written") == true,
                    "\(refusal?.message ?? "")")
            #expect(refusal?.message.contains("open a new session (nothing was appended)") == true, "\(refusal?.message ?? "")")
        }()
        try { () throws in
            let session = try AppendSession(store: scratch.store, clock: clock, useSnapshot: false, environment: [:]) { _ in }
            // The second draft is refused after the first joined the session's ledger.
            #expect(throws: LedgerError.self) {
                _ = try session.append([try Drafts.award("a-1", grant: "G-1", amountFen: 5, "2022-03-01"),
                                        try Drafts.award("a-2", grant: "G-1", amountFen: 5, "2022-03-02")])
            }
            let refusal = #expect(throws: LedgerError.self) {
                _ = try session.append([try Drafts.award("a-3", grant: "G-3", amountFen: 5, "2022-03-03")])
            }
            #expect(refusal?.code == .usage)
            #expect(refusal?.message.contains("a batch of 2 drafts was refused after some of its drafts had joined the session's ledger") == true,
                    "\(refusal?.message ?? "")")
        }()
        #expect(IncentiveLogs.all.map(scratch.logBytes) == before, "nothing was written")
        // A new session judges as before.
        let session = try AppendSession(store: scratch.store, clock: clock, useSnapshot: false, environment: [:]) { _ in }
        #expect(try session.append([try Drafts.award("a-3", grant: "G-3", amountFen: 5, "2022-03-03")]).appended.count == 1)
    }

    /// `commit` writes only the batch its session prepared last, once: the same batch again (its
    /// lines sealed on heads the logs no longer end at), an older one, or another session's is
    /// refused as a misuse, with nothing written and the session usable.
    @Test("a batch is committed once, by the session that prepared it, and only the last it prepared")
    func onlyTheLastPreparedBatchIsCommittedOnce() throws {
        let scratch = DomainScratchLedger()
        try scratch.append(try Drafts.base())
        try { () throws in
            let session = try AppendSession(store: scratch.store, clock: FixedClock(scratch.now), useSnapshot: false, environment: [:]) { _ in }
            let batch = try session.prepare([try Drafts.award("a-1", grant: "G-1", amountFen: 5, "2022-03-01")])
            #expect(try session.commit(batch).appended.map(\.id.rawValue) == ["a-1"])
            let bytes = IncentiveLogs.all.map(scratch.logBytes)
            let again = #expect(throws: LedgerError.self) { _ = try session.commit(batch) }
            #expect(again?.code == .usage)
            #expect(again?.message.contains("this batch is not the one this session prepared last and has not written") == true,
                    "\(again?.message ?? "")")
            #expect(IncentiveLogs.all.map(scratch.logBytes) == bytes, "nothing written")
            // The session goes on: its next batch is prepared and written as usual.
            #expect(try session.append([try Drafts.award("a-2", grant: "G-2", amountFen: 5, "2022-03-02")]).appended.count == 1)
        }()
        let bytes = IncentiveLogs.all.map(scratch.logBytes)
        let award = try Drafts.award("a-3", grant: "G-3", amountFen: 5, "2022-03-03")
        // Two dry-run sessions share the lock: each refuses the other's batch.
        try { () throws in
            let first = try AppendSession(store: scratch.store, clock: FixedClock(scratch.now), preview: true) { _ in }
            let second = try AppendSession(store: scratch.store, clock: FixedClock(scratch.now), preview: true) { _ in }
            let batch = try first.prepare([award])
            let refusal = #expect(throws: LedgerError.self, "another session's batch") { _ = try second.commit(batch) }
            #expect(refusal?.code == .usage)
            // Nor does a dry run write its own.
            let dryRun = #expect(throws: LedgerError.self, "a dry run's own batch") { _ = try first.commit(batch) }
            #expect(dryRun?.code == .usage && dryRun?.message.contains("a preview writer writes nothing") == true)
        }()
        // A batch whose session is gone is refused by the next.
        let stale = try { () throws -> AppendSession.PreparedBatch in
            let session = try AppendSession(store: scratch.store, clock: FixedClock(scratch.now), preview: true) { _ in }
            return try session.prepare([award])
        }()
        let other = try AppendSession(store: scratch.store, clock: FixedClock(scratch.now), useSnapshot: false, environment: [:]) { _ in }
        #expect(throws: LedgerError.self, "a batch of a session gone") { _ = try other.commit(stale) }
        #expect(IncentiveLogs.all.map(scratch.logBytes) == bytes, "nothing written")
    }

    @Test("a refused batch throws bad data naming the draft and rule, and writes nothing")
    func refusal() throws {
        let scratch = DomainScratchLedger()
        try scratch.append(try Drafts.base())
        let bytes = IncentiveLogs.all.map(scratch.logBytes)
        let batch = [try Drafts.award("a-1", grant: "G-1", amountFen: 100, "2022-03-01"),
                     try Drafts.award("a-2", grant: "G-1", amountFen: 200, "2022-03-02")]
        #expect {
            try scratch.append(batch)
        } throws: { error in
            guard let error = error as? LedgerError else { return false }
            return error.code == .badData && error.message.hasPrefix("test draft a-2: GrantAwarded a-2 refused: grant G-1 is already awarded")
        }
        #expect(IncentiveLogs.all.map(scratch.logBytes) == bytes)
    }

    /// A session looks ids up by scanning them until it has looked up `scansBeforeHashing`, then
    /// through a hash table: retries, conflicts and retraction targets are found alike on both
    /// sides of that point, for ids the ledger held when opened and ids the session added.
    @Test("ids found alike before and after a session hashes them")
    func idLookupsAcrossHashing() throws {
        let scratch = DomainScratchLedger()
        let rounds = DraftValidator.scansBeforeHashing + 6
        let opened = try Drafts.base() + [try Drafts.award("a-0", grant: "G-0", amountFen: 1_000_000, "2022-02-01")]
            + (1...rounds).map { try Drafts.make("o-\($0)", .grantDisbursed, "2022-02-02", [("amountFen", 10), ("grant", "G-0")]) }
        try scratch.append(opened)
        var session: AppendSession? = try AppendSession(store: scratch.store, clock: FixedClock(scratch.now), notify: { _ in })
        for round in 1...rounds {
            guard let session else { break }
            let payment = try Drafts.make("pay-\(round)", .grantDisbursed, "2022-03-01", [("amountFen", 10), ("grant", "G-0")])
            #expect(try session.append([payment]).appended.map(\.id.rawValue) == ["pay-\(round)"], "round \(round)")
            // The same draft again is a retry; an earlier one too, and one of the ledger as opened.
            let again = try session.append([payment, try Drafts.base()[round % 3]])
            #expect(again.appended.isEmpty && again.alreadyPresent.count == 2, "round \(round): retries")
            // The same id with other content is refused.
            let other = try Drafts.make("pay-\(round)", .grantDisbursed, "2022-03-01", [("amountFen", 11), ("grant", "G-0")])
            #expect(throws: LedgerError.self, "round \(round): a conflict") { try session.append([other]) }
            // A retraction finds its target, added by this session or in the ledger as opened.
            let target = round.isMultiple(of: 2) ? "pay-\(round)" : "o-\(round)"
            let retraction = try Drafts.retract("r-\(round)", target: target, "2022-03-02")
            #expect(try session.append([retraction]).appended.count == 1, "round \(round): retracts \(target)")
            #expect(throws: LedgerError.self, "round \(round): no such event") {
                try session.append([try Drafts.retract("r-none-\(round)", target: "pay-none", "2022-03-02")])
            }
        }
        // What the session wrote reads back as the same ledger, once it lets the logs go.
        let appended = session?.ledger.count
        session = nil
        #expect(try appended == scratch.ledger().count && appended == opened.count + 2 * rounds, "\(String(describing: appended)) events")
    }

    @Test("a session's ledger includes what it appended, in replay order")
    func sessionLedger() throws {
        let scratch = DomainScratchLedger()
        let session = try AppendSession(store: scratch.store, clock: FixedClock(scratch.now), notify: { _ in })
        _ = try session.append(try Drafts.base())
        _ = try session.append([try Drafts.award("a-1", grant: "G-1", amountFen: 100, "2022-03-01")])
        let ledger = session.ledger
        #expect(ledger.count == 4)
        #expect(ledger.replayOrder.map { ledger.eventId(of: Int($0)) } == ["e-1", "e-2", "p-yz", "a-1"],
                "same effective day and recorded time: tiers before grants")
    }

    @Test("a preview session seals and audits a batch, writes nothing, and a real session writes exactly those lines")
    func preview() throws {
        let scratch = DomainScratchLedger()
        try scratch.append(try Drafts.base() + [try Drafts.award("a-1", grant: "G-1", amountFen: 1_000, "2025-01-02")],
                           at: "2025-01-15T08:00:00Z")
        let bytes = IncentiveLogs.all.map(scratch.logBytes)
        let payment = try Drafts.make("pay-1", .grantDisbursed, "2025-01-10", [("amountFen", 1_500), ("grant", "G-1")])
        // The preview holds the readers' shared lock while it lives: it must be gone before a writer comes.
        func previewed() throws -> AppendSession.PreparedBatch {
            let preview = try AppendSession(store: scratch.store, clock: FixedClock(scratch.now), preview: true, notify: { _ in })
            return try preview.prepare([payment], audit: true)
        }
        let prepared = try previewed()
        #expect(prepared.sealed.appended.map(\.seq) == [3])
        #expect(prepared.audit?.added.map(\.rule) == [.overDisbursed], "only the new finding: \(prepared.audit?.added ?? [])")
        #expect(prepared.audit?.errors.count == 1)
        #expect(IncentiveLogs.all.map(scratch.logBytes) == bytes, "a preview writes nothing")

        let session = try AppendSession(store: scratch.store, clock: FixedClock(scratch.now), notify: { _ in })
        let real = try session.prepare([payment], audit: true)
        #expect(real.sealed.appended == prepared.sealed.appended)
        _ = try session.commit(real)
        _ = consume session
        let grants = scratch.logBytes(IncentiveLogs.grants)
        #expect(Array(grants.suffix(prepared.sealed.line(0).count)) == Array(prepared.sealed.line(0)))
        // Nothing new the second time: the same over-payment is not new once it is in the ledger.
        let evaluation = try Drafts.make("s-1", .capabilityEvaluated, "2025-01-12", [("enterprise", .string(Drafts.precision)), ("score", 80)])
        let again = try AppendSession(store: scratch.store, clock: FixedClock(scratch.now), notify: { _ in })
        #expect(try again.prepare([evaluation], audit: true).audit?.added == [])
    }

    @Test("a preview is judged by the recorded-time rules of an append: the clock, a given recorded, the horizon")
    func previewRecordedTime() throws {
        let scratch = DomainScratchLedger()
        try scratch.append(try Drafts.base(), at: "2025-01-15T08:00:00Z")
        let bytes = IncentiveLogs.all.map(scratch.logBytes)
        func preview(_ drafts: [EventDraft], at moment: String) throws {
            let session = try AppendSession(store: scratch.store, clock: FixedClock(Timestamp(parsing: moment)!), preview: true,
                                            notify: { _ in })
            _ = try session.prepare(drafts, audit: true)
        }
        let award = try Drafts.award("a-1", grant: "G-1", amountFen: 1_000, "2025-01-02")
        func refused(_ drafts: [EventDraft], at moment: String, saying text: String) {
            #expect {
                try preview(drafts, at: moment)
            } throws: { error in
                guard let error = error as? LedgerError else { return false }
                return error.code == .badData && error.message.contains(text)
            }
        }
        // The clock behind the logs' last recorded time.
        refused([award], at: "2025-01-15T07:59:59Z", saying: "2025-01-15T08:00:00Z")
        // A draft that gives its own recorded time.
        var given = award
        given.recorded = Timestamp(parsing: "2025-01-15T08:30:00Z")!
        refused([given], at: "2025-01-15T09:00:00Z", saying: "recorded")
        // Effective more than 366 days after the day it would be recorded.
        refused([try Drafts.award("a-2", grant: "G-2", amountFen: 1_000, "2026-01-17")], at: "2025-01-15T09:00:00Z",
                saying: "2026-01-17")
        try preview([try Drafts.award("a-3", grant: "G-3", amountFen: 1_000, "2026-01-16")], at: "2025-01-15T09:00:00Z")
        #expect(IncentiveLogs.all.map(scratch.logBytes) == bytes, "previews write nothing")
    }

    @Test("drafts check their envelope: ids, actor and source")
    func envelope() throws {
        #expect(throws: LedgerError.self) { try Drafts.make("has space", .grantDisbursed, "2022-01-01", [("amountFen", 1), ("grant", "G")]) }
        #expect {
            try EventDraft.make(id: "x", kind: .grantDisbursed, effective: CalendarDate(parsing: "2022-01-01")!, actor: "",
                                source: "doc", data: ["amountFen": 1, "grant": "G"], origin: "here")
        } throws: { error in
            (error as? LedgerError)?.message.hasPrefix("here: actor must be a non-empty string") == true
        }
        #expect {
            try EventDraft.make(id: "x", kind: .grantDisbursed, effective: CalendarDate(parsing: "2022-01-01")!, actor: "a",
                                source: String(repeating: "长", count: 257), data: ["amountFen": 1, "grant": "G"], origin: "here")
        } throws: { error in
            (error as? LedgerError)?.message.contains("source must be a non-empty string of at most 256 characters") == true
        }
    }
}
