#if canImport(Glibc)
import Glibc
#endif
@testable import IncentivesDomain
import LedgerLog
import Testing

/// The snapshot is the reading user's cache: a ledger opened from it (and the events after it)
/// equals the ledger read from the logs in full, and any snapshot that does not match the logs
/// is ignored.
@Suite struct LedgerSnapshotTests {
    static let seeds: [UInt64] = [3, 7, 11, 19]

    /// Everything a full read establishes, by ids and strings (not interned numbers).
    func contents(_ ledger: Ledger) -> [String] {
        var lines = ledger.logs.map { "\($0.log) \($0.events) \($0.bytes) \($0.head) \($0.lastRecorded?.description ?? "-")" }
        for index in 0..<ledger.count {
            let event = ledger.events[index]
            lines.append([ledger.eventId(of: index), event.kind.typeName, event.effective.description, event.recorded.description,
                          String(event.seq), String(event.logRank), ledger.texts.string(event.actor), ledger.texts.string(event.source),
                          ledger.describe(event), String(ledger.retractedAt[index].secondsSinceEpoch)].joined(separator: " | "))
        }
        lines.append("replay: " + ledger.replayOrder.map { ledger.eventId(of: Int($0)) }.joined(separator: " "))
        return lines
    }

    func digests(_ ledger: Ledger, _ window: TimeWindow) -> [String] { ReplayChecks.digests(ledger, window) }

    func windows(_ drafts: [EventDraft]) -> [TimeWindow] { ReplayChecks.windows(for: drafts, earlierByDays: 90) }

    /// A ledger opened with a tail keeps it behind every log's prefix: the same rows and the same
    /// replay order as a full read, in another layout, and the full read's layout once placed.
    func expectSame(_ warm: Ledger, _ cold: Ledger, _ drafts: [EventDraft], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(contents(warm).sorted() == contents(cold).sorted(), sourceLocation: sourceLocation)
        #expect(contents(warm).last == contents(cold).last, "the replay order", sourceLocation: sourceLocation)
        #expect(contents(warm.inLogOrder()) == contents(cold), sourceLocation: sourceLocation)
        for window in windows(drafts) {
            #expect(digests(warm, window) == digests(cold, window), "window \(window)", sourceLocation: sourceLocation)
        }
    }

    func retraction(of target: String, after drafts: [EventDraft], number: Int) throws -> EventDraft {
        let recorded = Timestamp(secondsSinceEpoch: drafts.last!.recorded!.secondsSinceEpoch + 60)
        return try EventDraft.make(
            id: "retract-\(number)", kind: .eventRetracted, effective: recorded.date, recorded: recorded, actor: "tester",
            source: "correction", data: JSONObject(members: [JSONMember(key: "reason", value: "recorded in error"),
                                                             JSONMember(key: "target", value: .string(target))]),
            origin: "test")
    }

    @Test(arguments: seeds)
    func snapshotRoundTripEqualsAFullRead(seed: UInt64) throws {
        var generator = ScenarioGenerator(seed: seed)
        let drafts = generator.drafts(400)
        let directory = SnapshotScratchDirectory()
        try directory.append([drafts])
        let first = try directory.open()
        #expect(first.source == .logs(snapshotRejected: .missing))
        #expect(first.saving == .saved)
        let second = try directory.open()
        #expect(second.source == .snapshot(eventsAfter: 0))
        #expect(second.saving == .notAttempted)
        let cold = try Ledger.load(store: directory.store)
        expectSame(second.ledger, cold, drafts)
        // Names are found in the decoded interners, and new ones can still be added.
        var grants = second.ledger.grants
        #expect(grants.count > 20)
        for index in 0..<grants.count {
            #expect(grants.find(grants.string(GrantIndex(offset: index))) == GrantIndex(offset: index))
        }
        let before = grants.count
        #expect(grants.intern("a grant never seen") == GrantIndex(offset: before))
        #expect(grants.find("a grant never seen") == GrantIndex(offset: before))
    }

    @Test(arguments: seeds)
    func eventsAppendedToEveryLogAfterTheSnapshotAreRead(seed: UInt64) throws {
        var generator = ScenarioGenerator(seed: seed)
        let early = generator.drafts(300)
        let directory = SnapshotScratchDirectory()
        try directory.append([early])
        #expect(try directory.open().saving == .saved)
        // Later events land in all three logs; one retracts an event from before the snapshot
        // and one an event after it.
        var later = generator.drafts(2)
        later.append(try retraction(of: generator.leaves.first!, after: later, number: 1))
        later += generator.drafts(1)
        later.append(try retraction(of: generator.leaves.last!, after: later, number: 2))
        try directory.append([later])
        let warm = try directory.open()
        #expect(warm.source == .snapshot(eventsAfter: later.count))
        #expect(warm.saving == .saved, "\(later.count) events are more than 1% of \(early.count + later.count)")
        let cold = try Ledger.load(store: directory.store)
        expectSame(warm.ledger, cold, early + later)

        // A larger tail touching every log, which also moves events behind their own log's prefix.
        let more = generator.drafts(120)
        try directory.append([more])
        #expect(Set(more.map { $0.kind.log! }).count == 3, "the scenario touches every log")
        let warmer = try directory.open()
        #expect(warmer.source == .snapshot(eventsAfter: more.count))
        let all = early + later + more
        expectSame(warmer.ledger, try Ledger.load(store: directory.store), all)
        let fresh = try directory.open()
        #expect(fresh.source == .snapshot(eventsAfter: 0))
        expectSame(fresh.ledger, try Ledger.load(store: directory.store), all)
    }

    @Test func deletingTheSnapshotChangesNothing() throws {
        var generator = ScenarioGenerator(seed: 5)
        let drafts = generator.drafts(250)
        let directory = SnapshotScratchDirectory()
        try directory.append([Array(drafts[..<200])])
        _ = try directory.open()
        try directory.append([Array(drafts[200...])])
        let warm = try directory.open()
        #expect(warm.usedSnapshot)
        _ = unlink(directory.snapshotPath)
        let cold = try directory.open()
        #expect(cold.source == .logs(snapshotRejected: .missing))
        expectSame(warm.ledger, cold.ledger, drafts)
    }

    @Test func aDamagedSnapshotIsIgnoredAndRebuilt() throws {
        var generator = ScenarioGenerator(seed: 9)
        let drafts = generator.drafts(150)
        let directory = SnapshotScratchDirectory()
        try directory.append([drafts])
        _ = try directory.open()
        let original = directory.readSnapshot()
        let cold = try Ledger.load(store: directory.store)
        // A flipped bit anywhere: in the MAC, in the header's log states, in the events, at the end.
        for offset in [3, 40, 200, original.count / 2, original.count - 1] {
            var damaged = original
            damaged[offset] ^= 0x10
            directory.writeSnapshot(damaged)
            let opening = try directory.open()
            #expect(!opening.usedSnapshot, "byte \(offset)")
            #expect(opening.saving == .saved)
            expectSame(opening.ledger, cold, drafts)
            let rebuilt = directory.readSnapshot()
            #expect(rebuilt.count == original.count && rebuilt == original, "the rebuilt snapshot is the same bytes")
        }
        directory.writeSnapshot(Array(original[..<(original.count - 8)]))
        #expect(try directory.open().source == .logs(snapshotRejected: .malformed("its length is not the one it states (truncated?)")))
        directory.writeSnapshot(Array("not a snapshot at all, but long enough to have a header".utf8))
        #expect(try directory.open().source == .logs(snapshotRejected: .notASnapshot))
    }

    @Test func aSnapshotOfAnotherFormatVersionIsIgnored() throws {
        var generator = ScenarioGenerator(seed: 12)
        let directory = SnapshotScratchDirectory()
        try directory.append([generator.drafts(60)])
        _ = try directory.open()
        var bytes = directory.readSnapshot()
        // The schema version is the u32 at byte 12 of the column file (see `ColumnFile`).
        #expect(bytes[12] == UInt8(LedgerSnapshot.formatVersion))
        bytes[12] = UInt8(LedgerSnapshot.formatVersion + 1)
        directory.writeSnapshot(bytes)
        let opening = try directory.open()
        #expect(opening.source == .logs(snapshotRejected: .otherFormat(version: LedgerSnapshot.formatVersion + 1)))
        #expect(opening.saving == .saved)
        #expect(try directory.open().usedSnapshot)
    }

    @Test func aTruncatedLogMakesTheSnapshotStale() throws {
        var generator = ScenarioGenerator(seed: 21)
        let drafts = generator.drafts(200)
        let directory = SnapshotScratchDirectory()
        try directory.append([drafts])
        _ = try directory.open()
        // Cut the grants log back to an earlier line: still a valid chain, but not the one remembered.
        let grants = directory.read(IncentiveLogs.grants.fileName)
        let newlines = grants.indices.filter { grants[$0] == UInt8(ascii: "\n") }
        directory.write(IncentiveLogs.grants.fileName, Array(grants[...newlines[newlines.count / 2]]))
        let opening = try directory.open()
        #expect(opening.source == .logs(snapshotRejected: .stale))
        #expect(contents(opening.ledger) == contents(try Ledger.load(store: directory.store)))
    }

    @Test func aRewrittenHeadLineIsNotTrustedAndTheLogsAreVerified() throws {
        var generator = ScenarioGenerator(seed: 22)
        let directory = SnapshotScratchDirectory()
        try directory.append([generator.drafts(120)])
        _ = try directory.open()
        // Change who recorded the last grants line ("tester" to "uester") without touching its
        // stated hash: same length, still a well-formed line, so only its hash gives it away.
        var grants = directory.read(IncentiveLogs.grants.fileName)
        let lastStart = (grants.dropLast().lastIndex(of: UInt8(ascii: "\n")) ?? -1) + 1
        let actor = Array(#"{"actor":"t"#.utf8)
        #expect(Array(grants[lastStart..<(lastStart + actor.count)]) == actor)
        grants[lastStart + actor.count - 1] = UInt8(ascii: "u")
        directory.write(IncentiveLogs.grants.fileName, grants)
        #expect(throws: LedgerError.self) { _ = try directory.open() }
        do {
            _ = try directory.open()
        } catch {
            #expect(error.code == .badData)
            #expect(error.message.contains("hash does not match"), "\(error.message)")
        }
    }

    @Test func aReusedIdAfterTheSnapshotIsReportedAsAFullReadReportsIt() throws {
        let directory = SnapshotScratchDirectory()
        try directory.append([try Drafts.base()])
        _ = try directory.open()
        // Written below the domain's checks, as a hand-edited log would be (the writer's lock ends with the block).
        do {
            let writer = try directory.store.openWriter(clock: FixedClock(Timestamp(parsing: "2026-01-01T00:00:00Z")!)) { _ in }
            try writer.append([UnsealedEvent(
            log: IncentiveLogs.tiers, id: EventID(rawValue: "e-1")!, type: "CapabilityEvaluated",
            recorded: Timestamp(parsing: "2030-01-01T00:00:00Z")!, effective: CalendarDate(parsing: "2022-02-01")!,
            actor: "clerk", source: "doc",
            data: Array(#"{"enterprise":"\#(Drafts.precision)","score":70}"#.utf8))])
        }
        var expected: LedgerError? = nil
        do { _ = try Ledger.load(store: directory.store) } catch { expected = error }
        #expect(expected?.message.contains("id e-1 already used at") == true, "\(String(describing: expected))")
        var found: LedgerError? = nil
        do { _ = try directory.open() } catch { found = error }
        #expect(found != nil && found?.code == expected?.code && found?.message == expected?.message)
    }

    @Test func withoutVerificationNoSnapshotIsReadOrSaved() throws {
        let directory = SnapshotScratchDirectory()
        try directory.append([try Drafts.base()])
        let opening = try directory.open(verify: false)
        #expect(opening.source == .logs(snapshotRejected: nil))
        #expect(!directory.cacheFileNames().contains(directory.snapshotName))
        #expect(try directory.open(useSnapshot: false).saving == .notAttempted)
        #expect(!directory.cacheFileNames().contains(directory.snapshotName))
    }

    @Test func anEmptyLedgerSavesNoSnapshot() throws {
        let directory = SnapshotScratchDirectory()
        let opening = try directory.open()
        #expect(opening.ledger.count == 0)
        #expect(opening.saving == .notAttempted)
        #expect(directory.fileNames() == ["ledger.json"])
        #expect(!directory.cacheFileNames().contains(directory.snapshotName))
    }

    @Test func aSnapshotThatCannotBeSavedLeavesNoTemporaryFile() throws {
        let directory = SnapshotScratchDirectory()
        try directory.append([try Drafts.base()])
        // A directory where the snapshot should be: it can be neither read nor replaced.
        _ = try directory.open()
        _ = unlink(directory.snapshotPath)
        #expect(mkdir(directory.snapshotPath, 0o755) == 0)
        defer { rmdir(directory.snapshotPath) }
        let opening = try directory.open()
        guard case .logs(snapshotRejected: .unreadable) = opening.source else {
            Issue.record("unexpected source \(opening.source)")
            return
        }
        guard case .failed = opening.saving else {
            Issue.record("unexpected saving \(opening.saving)")
            return
        }
        #expect(directory.fileNames() == [".ledger-journal", "grants.jsonl", "ledger.json", "tiers.jsonl"])
        #expect(directory.cacheFileNames() == [directory.snapshotName, SnapshotCache.keyFileName])
        #expect(opening.ledger.count == 3)
    }

    @Test func anAppendSessionUsesTheSnapshotAndStillRefusesWhatTheWholeLedgerForbids() throws {
        let directory = SnapshotScratchDirectory()
        try directory.append([try Drafts.base(), [try Drafts.award("a-1", grant: "G-1", amountFen: 1_000_000, "2022-03-01")]])
        _ = try directory.open()
        let clock = FixedClock(Timestamp(parsing: "2030-01-01T00:00:00Z")!)
        do {
            let session = try AppendSession(store: directory.store, clock: clock, useSnapshot: true, environment: directory.environment) { _ in }
            #expect(session.usedSnapshot, "\(session.openingNote)")
            // G-1 is awarded before the snapshot: a second award of it is refused.
            #expect(throws: LedgerError.self) {
                _ = try session.append([try Drafts.award("a-2", grant: "G-1", amountFen: 5, "2022-04-01")])
            }
        }
        do {
            let session = try AppendSession(store: directory.store, clock: clock, useSnapshot: true, environment: directory.environment) { _ in }
            let outcome = try session.append([try Drafts.award("a-3", grant: "G-2", enterprise: Drafts.pharma, amountFen: 7, "2022-04-01")])
            #expect(outcome.appended.count == 1)
        }
        // The session's lock must end before a reader can take its own.
        let read = try { () throws -> Ledger in
            let session = try AppendSession(store: directory.store, clock: clock, useSnapshot: true, environment: directory.environment) { _ in }
            #expect(session.usedSnapshot)
            return session.ledger
        }()
        #expect(read.count == 5)
        #expect(contents(read) == contents(try Ledger.load(store: directory.store)))
    }
    @Test func anAppendSessionWithNoSnapshotSavesOneFromTheLogsAndOpensFromIt() throws {
        let directory = SnapshotScratchDirectory()
        try directory.append([try Drafts.base(), [try Drafts.award("a-1", grant: "G-1", amountFen: 1_000_000, "2022-03-01")]])
        #expect(!directory.cacheFileNames().contains(directory.snapshotName))
        let clock = FixedClock(Timestamp(parsing: "2030-01-01T00:00:00Z")!)
        let opened = try { () throws -> Ledger in
            let session = try AppendSession(store: directory.store, clock: clock, useSnapshot: true, environment: directory.environment) { _ in }
            // Read from the logs (no snapshot to trust), saved while read, then opened from the
            // file just saved: its columns are read in place, not arrays of a read kept whole.
            #expect(!session.usedSnapshot, "\(session.openingNote)")
            #expect(directory.cacheFileNames().contains(directory.snapshotName))
            #expect(session.ledger.events.effective.isMapped && session.ledger.events.amount.isMapped)
            #expect(session.ledger.headModels == nil, "an append reads no kept read model")
            // Judged against the whole ledger all the same: G-1 was awarded before.
            #expect(throws: LedgerError.self) {
                _ = try session.append([try Drafts.award("a-2", grant: "G-1", amountFen: 5, "2022-04-01")])
            }
            return session.ledger
        }()
        // The session's lock ends before a reader takes its own.
        #expect(contents(opened) == contents(try Ledger.load(store: directory.store)))
        do {
            let session = try AppendSession(store: directory.store, clock: clock, useSnapshot: true, environment: directory.environment) { _ in }
            #expect(session.usedSnapshot, "the next append opens the snapshot the first saved")
            let outcome = try session.append([try Drafts.award("a-3", grant: "G-2", enterprise: Drafts.pharma, amountFen: 7, "2022-04-01")])
            #expect(outcome.appended.count == 1)
        }
        let reopened = try { () throws -> Ledger in
            let session = try AppendSession(store: directory.store, clock: clock, useSnapshot: true, environment: directory.environment) { _ in }
            #expect(session.usedSnapshot)
            return session.ledger
        }()
        #expect(reopened.count == opened.count + 1)
        let cold = contents(try Ledger.load(store: directory.store)), warm = contents(reopened)
        #expect(warm == cold, "\(warm.enumerated().filter { $0.offset >= cold.count || cold[$0.offset] != $0.element })")
    }
    @Test func anAppendToldToUseNoSnapshotOpensAnUnnamedScratchCopyAndLeavesNothing() throws {
        let directory = SnapshotScratchDirectory()
        try directory.append([try Drafts.base(), [try Drafts.award("a-1", grant: "G-1", amountFen: 1_000_000, "2022-03-01")]])
        let clock = FixedClock(Timestamp(parsing: "2030-01-01T00:00:00Z")!)
        func session(_ environment: [String: String]) throws -> AppendSession {
            try AppendSession(store: directory.store, clock: clock, useSnapshot: false, environment: environment) { _ in }
        }
        let appended = try { () throws -> Ledger in
            let session = try session(directory.environment)
            #expect(!session.usedSnapshot, "\(session.openingNote)")
            // Read from the logs into an unnamed file of the scratch directory, and opened from it.
            #expect(session.ledger.events.effective.isMapped && session.ledger.events.amount.isMapped)
            #expect(session.ledger.headModels == nil)
            #expect(throws: LedgerError.self) {
                _ = try session.append([try Drafts.award("a-2", grant: "G-1", amountFen: 5, "2022-04-01")])
            }
            let outcome = try session.append([try Drafts.award("a-3", grant: "G-2", enterprise: Drafts.pharma, amountFen: 7, "2022-04-01")])
            #expect(outcome.appended.count == 1)
            return session.ledger
        }()
        #expect(appended.events.effective.isMapped, "the draft added in the scratch copy's writable pages")
        #expect(directory.cacheFileNames().isEmpty, "no snapshot, key or scratch file left: \(directory.cacheFileNames())")
        let reopened = try { () throws -> Ledger in try session(directory.environment).ledger }()
        #expect(reopened.count == appended.count)
        let cold = contents(try Ledger.load(store: directory.store))
        #expect(contents(reopened) == cold)
        // With no scratch directory, the logs are read whole into memory, as before.
        let inMemory = try { () throws -> Ledger in try session([:]).ledger }()
        #expect(!inMemory.events.effective.isMapped)
        #expect(contents(inMemory) == cold)
    }

    /// A written batch's heads are taken only when the logs end where the validator's seqs say:
    /// otherwise the disagreement is named and the heads stay, and a session holding it refuses
    /// to judge more drafts (`AppendSession.prepare`).
    @Test func headsThatDisagreeWithTheGivenSeqsAreNamedNotTaken() throws {
        let directory = SnapshotScratchDirectory()
        try directory.append([try Drafts.base()])
        let read = try Ledger.load(store: directory.store)
        var validator = DraftValidator(ledger: read, judgesTimelines: true)
        let tails = read.logs.map { TailState(bytes: $0.bytes, seq: $0.events, head: $0.head, lastRecorded: $0.lastRecorded) }
        #expect(validator.recordHeads(tails) == nil)
        #expect(validator.ledger.logs == read.logs)
        for rank in tails.indices {
            var moved = tails
            moved[rank].seq += 1
            moved[rank].head = SHA256.hash(Array("elsewhere".utf8))
            var trial = validator
            let disagreement = trial.recordHeads(moved)
            #expect(disagreement?.contains("\(read.logs[rank].log.fileName) ends at seq \(tails[rank].seq + 1)") == true,
                    "\(disagreement ?? "none")")
            #expect(trial.ledger.logs == read.logs, "the heads stay as they were")
        }
    }

    @Test("a session's ledger after its appends is the ledger a read of the logs gives: seqs, heads, replay order")
    func aSessionsLedgerAfterItsAppendsIsTheLedgerTheLogsGive() throws {
        let directory = SnapshotScratchDirectory()
        try directory.append([try Drafts.base()])
        let clock = FixedClock(Timestamp(parsing: "2030-01-01T00:00:00Z")!)
        let (appended, prepared) = try { () throws -> (Ledger, Ledger) in
            let session = try AppendSession(store: directory.store, clock: clock, useSnapshot: false, environment: [:]) { _ in }
            // Every log, a retraction (in its target's log), a retry, and a batch sealed on the second thread.
            _ = try session.append([try Drafts.award("a-1", grant: "G-1", amountFen: 100, "2022-03-01"),
                                    try Drafts.tier("t-1", to: "sme", on: "2022-03-02")])
            _ = try session.append([try Drafts.retract("r-1", target: "t-1", "2022-03-03"),
                                    try Drafts.award("a-1", grant: "G-1", amountFen: 100, "2022-03-01")])
            session.sealing = .pipelined
            _ = try session.append(try (2..<700).map { try Drafts.award("a-\($0)", grant: "G-\($0)", amountFen: 5, "2022-04-01") })
            // Prepared and not written: in the events, not yet in the heads.
            let batch = try session.prepare([try Drafts.award("a-x", grant: "G-x", amountFen: 5, "2022-05-01")])
            let prepared = session.ledger
            _ = try session.commit(batch)
            return (session.ledger, prepared)
        }()
        let cold = try Ledger.load(store: directory.store)
        #expect(appended.count == 3 + 2 + 1 + 698 + 1)
        // The session's events stand in the order they were appended, a read's log by log: each
        // the same, with its seq, and the same heads and replay order.
        let warm = contents(appended).sorted(), read = contents(cold).sorted()
        let differing = zip(warm, read).filter { $0 != $1 }.prefix(3).map { "\($0.0) / \($0.1)" }
        #expect(differing.isEmpty && warm.count == read.count, "\(differing)")
        // Before the last commit: the other logs' heads as after it, the grants' one event behind.
        for (before, after) in zip(prepared.logs, appended.logs) where before.log != IncentiveLogs.grants {
            #expect(before == after, "\(before.log)")
        }
        let grantsBefore = prepared.logs.first { $0.log == IncentiveLogs.grants }
        let grantsAfter = appended.logs.first { $0.log == IncentiveLogs.grants }
        // The grants' log: the programme, a-1, a-2 to a-699, then a-x.
        #expect(grantsBefore?.events == 2 + 698 && grantsAfter?.events == 2 + 698 + 1 && grantsBefore?.head != grantsAfter?.head)
        #expect(prepared.events[prepared.count - 1].seq == Int32(2 + 698 + 1), "the prepared event has its seq already")
    }
}
