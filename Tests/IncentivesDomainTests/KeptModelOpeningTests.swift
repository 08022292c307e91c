#if canImport(Glibc)
import Glibc
#endif
@testable import IncentivesDomain
import IncentivesTestSupport
import LedgerColumns
import LedgerLog
import Testing

/// A query that needs only the read models kept at the heads opens the snapshot for them alone:
/// the events' columns are neither read nor hashed, the answer is the one a full read gives, and
/// anything that keeps the kept models from answering (another window, an append, a fresh stamp,
/// damage in what it reads) sends it the whole way, with the same answer.
@Suite struct KeptModelOpeningTests {
    /// A ledger with a saved snapshot whose stamps are settled (the scratch directory's clock).
    static func saved(seed: UInt64) throws -> (SnapshotScratchDirectory, Ledger) {
        var generator = ScenarioGenerator(seed: seed)
        let directory = SnapshotScratchDirectory()
        try directory.append([generator.drafts(220)])
        #expect(try directory.open().saving == .saved)
        return (directory, try directory.open(useSnapshot: false).ledger)
    }

    static func headWindow(_ ledger: Ledger) -> TimeWindow { TimeWindow(asOf: nil, knownAt: ledger.headsRecorded!) }

    /// The figures of a window, which every grouping and the summary are made from.
    static func answer(_ ledger: Ledger, _ window: TimeWindow) -> String {
        String(describing: Summary(models: ledger.models(in: window), window: window))
    }

    @Test("at the heads, the kept models alone answer, as a full read does; with names the names are there too", arguments: [51, 52] as [UInt64])
    func keptModelsAnswerAtTheHeads(seed: UInt64) throws {
        let (directory, cold) = try Self.saved(seed: seed)
        let window = Self.headWindow(cold)
        for names: NameTables in [[], .all, [.enterprises, .texts]] {
            let opening = try directory.open(scope: .readModels(window, names: names))
            #expect(opening.source == .keptModels, "names \(names)")
            #expect(opening.saving == .notAttempted)
            let ledger = opening.ledger
            #expect(ledger.holdsKeptModelsOnly && ledger.count == cold.count && ledger.logs == cold.logs)
            #expect(Self.answer(ledger, window) == Self.answer(cold, window))
            #expect(ledger.models(in: window) == cold.models(in: window), "the same models, slot for slot")
            #expect(ledger.grants.count == (names.contains(.grants) ? cold.grants.count : 0), "only the tables asked for")
            #expect(ledger.programmes.count == (names.contains(.programmes) ? cold.programmes.count : 0))
            if names.contains(.enterprises) {
                #expect(ledger.enterprises.count == cold.enterprises.count && ledger.texts.count == cold.texts.count)
                for index in 0..<cold.enterprises.count {
                    #expect(ledger.enterprises.string(EnterpriseIndex(offset: index)) == cold.enterprises.string(EnterpriseIndex(offset: index)))
                }
            } else {
                #expect(ledger.enterprises.count == 0, "the names were not read")
            }
        }
        // Some parts of the models: those are the replay's, the others left empty (not read).
        let full = cold.models(in: window)
        for parts: ReadModelParts in [[.grants], [.grants, .enterprises], [.programmes, .centres]] {
            let models = try directory.open(scope: .readModels(window, names: [], parts: parts)).ledger.models(in: window)
            #expect(models.grants == (parts.contains(.grants) ? full.grants : []))
            #expect(models.enterprises == (parts.contains(.enterprises) ? full.enterprises : []))
            #expect(models.programmes == (parts.contains(.programmes) ? full.programmes : []))
            #expect(models.centres == (parts.contains(.centres) ? full.centres : []))
            #expect(models.appliedEvents == full.appliedEvents)
        }
        // The summary alone: kept as a replay makes it.
        let summaryOnly = try directory.open(scope: .summary(window))
        #expect(summaryOnly.source == .keptModels && summaryOnly.ledger.headModels == nil)
        #expect(summaryOnly.ledger.summary(in: window) == cold.summary(in: window))
        #expect(summaryOnly.ledger.summary(in: window) == Summary(models: Projection(ledger: cold, window: window).run(), window: window))
        // A later known-at is the heads' window too.
        let later = TimeWindow(asOf: nil, knownAt: Timestamp(secondsSinceEpoch: window.knownAt.secondsSinceEpoch + 86_400))
        #expect(try directory.open(scope: .readModels(later, names: [])).source == .keptModels)
    }

    @Test("another window, an append after the snapshot, or a stamp that does not prove a log: the snapshot is opened whole")
    func otherwiseTheWholeSnapshot() throws {
        let (directory, cold) = try Self.saved(seed: 53)
        let heads = Self.headWindow(cold)
        let asOf = TimeWindow(asOf: CalendarDate(year: 2023, month: 6, day: 30)!, knownAt: heads.knownAt)
        let before = TimeWindow(asOf: nil, knownAt: Timestamp(secondsSinceEpoch: heads.knownAt.secondsSinceEpoch - 1))
        for window in [asOf, before] {
            // A window replays the events, read without their ids (and the names not asked for).
            let opening = try directory.open(scope: .readModels(window, names: [.enterprises]))
            #expect(opening.source == .readModels)
            #expect(!opening.ledger.holdsKeptModelsOnly && opening.ledger.holdsReadModelsOnly)
            #expect(opening.ledger.enterprises.count == cold.enterprises.count && opening.ledger.texts.count == 0)
            #expect(Self.answer(opening.ledger, window) == Self.answer(cold, window))
            #expect(opening.ledger.models(in: window) == cold.models(in: window))
            let summary = try directory.open(scope: .summary(window))
            #expect(summary.source == .readModels)
            #expect(summary.ledger.summary(in: window) == cold.summary(in: window))
            #expect(try directory.open(scope: .everything).source == .snapshot(eventsAfter: 0))
        }
        // A snapshot whose stamps were taken within the clock's tick of the logs' last change
        // proves nothing yet: opened whole, its prefix verified again, saved with settled stamps.
        let settled = directory.now
        directory.now = { LogStamp.nowNanoseconds() - 3_600_000_000_000 }
        #expect(unlink(directory.snapshotPath) == 0)
        #expect(try directory.open().saving == .saved)
        directory.now = settled
        let reverified = try directory.open(scope: .readModels(heads, names: []))
        #expect(reverified.source == .snapshot(eventsAfter: 0) && reverified.saving == .saved)
        #expect(try directory.open(scope: .readModels(heads, names: [])).source == .keptModels)
        // An append: the kept models no longer describe the heads.
        var generator = ScenarioGenerator(seed: 54)
        _ = generator.drafts(220)
        try directory.append([generator.drafts(3)])
        let appended = try directory.open(useSnapshot: false).ledger
        let newHeads = Self.headWindow(appended)
        let opening = try directory.open(scope: .readModels(newHeads, names: []))
        guard case .snapshot(let after) = opening.source else {
            Issue.record("the snapshot is used with what follows it, not \(opening.source)")
            return
        }
        #expect(after > 0)
        #expect(Self.answer(opening.ledger, newHeads) == Self.answer(appended, newHeads))
    }

    @Test("only what is read is hashed: damage in the events' columns does not touch a kept answer; damage in a kept model refuses it")
    func onlyWhatIsReadIsHashed() throws {
        let (directory, cold) = try Self.saved(seed: 55)
        let window = Self.headWindow(cold)
        let key = readFileBytes(directory.cachePath + "/" + SnapshotCache.keyFileName) ?? []
        let original = directory.readSnapshot()
        // An amount changed in the events' columns, the header left as it was (no key needed):
        // a kept answer reads none of it, and a whole opening refuses it.
        var events = original
        events[try SnapshotTrustTests.cell(original, .amount, row: 3)] ^= 0x01
        directory.writeSnapshot(events)
        #expect(try directory.open(scope: .readModels(window, names: .all)).source == .keptModels)
        #expect(try directory.open().source == .logs(snapshotRejected: .damaged), "the events' digest refuses it")
        // An id changed: a window's replay reads no id, a whole opening refuses it.
        var ids = directory.readSnapshot()
        ids[try SnapshotTrustTests.cell(ids, .idBytes, row: 0)] ^= 0x01
        directory.writeSnapshot(ids)
        let asOf = TimeWindow(asOf: CalendarDate(year: 2023, month: 1, day: 1)!, knownAt: window.knownAt)
        let replayed = try directory.open(scope: .summary(asOf))
        #expect(replayed.source == .readModels)
        #expect(replayed.ledger.summary(in: asOf) == cold.summary(in: asOf))
        #expect(try directory.open().source == .logs(snapshotRejected: .damaged), "the ids' digest refuses it")
        // Kept totals changed (and the file signed again, as the key's holder could): refused by the range checks;
        // changed without the key: refused by the digest. Either way the answer is the full read's.
        let grant = try #require((try ColumnFile(bytes: original).column(SnapshotColumn.headGrantPresent.rawValue, as: UInt8.self)).firstIndex(of: 1))
        var forged = original
        SnapshotTrustTests.put(Int64(-1), into: &forged, at: try SnapshotTrustTests.cell(original, .headGrantDisbursedHigh, row: grant))
        var signed = forged
        SnapshotTrustTests.sign(&signed, key: key)
        for (bytes, rejection) in [(forged, SnapshotRejection.damaged), (signed, .malformed("a read model has a total out of range"))] {
            directory.writeSnapshot(bytes)
            let opening = try directory.open(scope: .readModels(window, names: []))
            #expect(opening.source == .logs(snapshotRejected: rejection))
            #expect(Self.answer(opening.ledger, window) == Self.answer(cold, window))
            #expect(opening.saving == .saved)
            #expect(try directory.open(scope: .readModels(window, names: [])).source == .keptModels, "rebuilt")
        }
    }

    /// The ledger a query opened for less than everything, in a child process: set-up failures
    /// exit 3, so that only the stop itself (a trap, SIGILL) passes the exit tests below.
    static func openedForLess(_ scope: (TimeWindow) -> LedgerScope) -> Ledger {
        do {
            let (directory, cold) = try saved(seed: 57)
            return try directory.open(scope: scope(headWindow(cold))).ledger
        } catch {
            exit(3)
        }
    }

    @Test("a ledger opened for its kept models alone stops the program when its events are read")
    func keptModelsStopOnEvents() async {
        await #expect(processExitsWith: .signal(SIGILL)) {
            let ledger = KeptModelOpeningTests.openedForLess { .readModels($0, names: []) }
            guard ledger.holdsKeptModelsOnly else { exit(3) }
            _ = ledger.events.count
        }
    }

    @Test("a ledger opened for its kept models alone stops the program when asked for another window")
    func keptModelsStopOnAnotherWindow() async {
        await #expect(processExitsWith: .signal(SIGILL)) {
            let ledger = KeptModelOpeningTests.openedForLess { .readModels($0, names: []) }
            guard ledger.holdsKeptModelsOnly, let heads = ledger.headsRecorded else { exit(3) }
            _ = ledger.models(in: TimeWindow(asOf: CalendarDate(year: 2023, month: 1, day: 1)!, knownAt: heads))
        }
    }

    @Test("a ledger opened for a window's read models alone stops the program when its event ids are read")
    func readModelsStopOnIds() async {
        await #expect(processExitsWith: .signal(SIGILL)) {
            let ledger = KeptModelOpeningTests.openedForLess {
                .readModels(TimeWindow(asOf: CalendarDate(year: 2023, month: 1, day: 1)!, knownAt: $0.knownAt), names: [])
            }
            guard ledger.holdsReadModelsOnly, !ledger.holdsKeptModelsOnly else { exit(3) }
            _ = ledger.eventId(of: 0)
        }
    }

    @Test("a kept summary that no replay can give is refused, even under the user's own key", arguments: [
        (1, Int64(-1)), (2, Int64(1_000_000)), (9, Int64(1_000_000)), (10, Int64(1_000_000)), (4, Int64.max),
    ] as [(Int, Int64)])
    func forgedKeptSummaryIsRefused(position: Int, value: Int64) throws {
        let (directory, cold) = try Self.saved(seed: 56)
        let window = Self.headWindow(cold)
        let key = readFileBytes(directory.cachePath + "/" + SnapshotCache.keyFileName) ?? []
        var bytes = directory.readSnapshot()
        SnapshotTrustTests.put(value, into: &bytes, at: try SnapshotTrustTests.cell(bytes, .headSummary, row: position))
        SnapshotTrustTests.sign(&bytes, key: key)
        directory.writeSnapshot(bytes)
        let opening = try directory.open(scope: .summary(window))
        guard case .logs(snapshotRejected: .malformed?) = opening.source else {
            Issue.record("figure \(position) = \(value) was not refused: \(opening.source)")
            return
        }
        #expect(opening.ledger.summary(in: window) == cold.summary(in: window))
    }
}
