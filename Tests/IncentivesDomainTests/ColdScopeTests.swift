import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import IncentivesDomain
import IncentivesTestSupport
@testable import LedgerLog
import Testing

/// A read of the logs in full for a query's scope, with no snapshot (`--no-snapshot`), keeps
/// only the texts that query shows and no event ids, and answers exactly as a full read does.
@Suite struct ColdScopeTests {
    /// A ledger with retractions at several moments (targets resolved by id after the read).
    static func directory(seed: UInt64) throws -> SnapshotScratchDirectory {
        var generator = ScenarioGenerator(seed: seed)
        var random = SplitMix64(seed: seed ^ 0xC01D)
        let drafts = try generator.draftsWithRetractions(260, retractions: 8, random: &random)
        let directory = SnapshotScratchDirectory()
        try directory.append([drafts])
        return directory
    }

    static func windows(_ full: Ledger) -> [(String, TimeWindow)] {
        let heads = KeptModelOpeningTests.headWindow(full)
        return [
            ("heads", heads),
            ("as of", TimeWindow(asOf: CalendarDate(year: 2022, month: 9, day: 30)!, knownAt: heads.knownAt)),
            ("known before", TimeWindow(asOf: nil, knownAt: Timestamp(secondsSinceEpoch: heads.knownAt.secondsSinceEpoch - 20 * 86_400))),
        ]
    }

    /// Whether every name table of `ledger` has let its hash table go.
    static func dropsEveryHashTable(_ ledger: Ledger) -> Bool {
        !ledger.programmes.isSearchable && !ledger.grants.isSearchable && !ledger.enterprises.isSearchable
            && !ledger.centres.isSearchable && !ledger.texts.isSearchable
    }

    /// The name tables of `ledger` that can still be looked in.
    /// Every event's id, read as an answer reads them (`eventId(of:)`), kept or set aside.
    static func ids(_ ledger: Ledger) -> [String] { (0..<ledger.count).map { ledger.eventId(of: $0) } }

    /// Every text `ledger` interned.
    static func textSet(_ ledger: Ledger) -> Set<String> {
        Set((0..<ledger.texts.count).map { ledger.texts.string(TextIndex(offset: $0)) })
    }

    /// Every text the payloads of `ledger`'s events name (not their actors and sources as such).
    static func payloadTexts(_ ledger: Ledger) -> Set<String> {
        var texts = Set<String>()
        for index in 0..<ledger.count {
            for text in Self.texts(of: ledger.events[index].payload) { texts.insert(ledger.texts.string(text)) }
        }
        return texts
    }

    static func searchableTables(_ ledger: Ledger) -> NameTables {
        var tables: NameTables = []
        if ledger.programmes.isSearchable { tables.insert(.programmes) }
        if ledger.grants.isSearchable { tables.insert(.grants) }
        if ledger.enterprises.isSearchable { tables.insert(.enterprises) }
        if ledger.centres.isSearchable { tables.insert(.centres) }
        if ledger.texts.isSearchable { tables.insert(.texts) }
        return tables
    }

    @Test("every scoped query read from the logs alone answers as a full read, retractions included",
          arguments: [91, 92, 93] as [UInt64])
    func scopedReadsAnswerAsAFullRead(seed: UInt64) throws {
        let directory = try Self.directory(seed: seed)
        let full = try directory.open(useSnapshot: false).ledger
        #expect((0..<full.count).contains { full.retractedAt[$0] != .never }, "some events are retracted")
        for (label, window) in Self.windows(full) {
            let models = full.models(in: window)
            func open(_ scope: LedgerScope) throws -> Ledger {
                let opening = try directory.open(useSnapshot: false, scope: scope)
                #expect(opening.source == .logs(snapshotRejected: nil) && opening.saving == .notAttempted)
                #expect(opening.ledger.holdsReadModelsOnly && !opening.ledger.holdsKeptModelsOnly)
                var counts = opening.ledger.nameCounts
                counts.texts = full.nameCounts.texts
                #expect(opening.ledger.unreplayedCodes == scope.unreplayedCodes)
                if scope.unreplayedCodes != 0 {
                    // Enterprises named only by the events left unread are not interned.
                    #expect(counts.enterprises <= full.nameCounts.enterprises)
                    counts.enterprises = full.nameCounts.enterprises
                }
                // Events of the kinds a scope does not replay are left out (`tierChangesLeftOut`).
                let leftOut = (0..<full.count).filter { scope.unreplayedCodes >> UInt32(full.events.kind(at: $0).recordCode) & 1 != 0 }
                #expect(opening.ledger.count == full.count - leftOut.count && counts == full.nameCounts, "every id table's count is known")
                return opening.ledger
            }
            let summary = try open(.summary(window))
            #expect(summary.summary(in: window) == full.summary(in: window), "summary, \(label)")
            #expect(summary.texts.count == 0, "a summary shows no text")
            #expect(summary.enterprises.count == 0 && summary.grants.count == 0 && summary.programmes.count == 0
                && summary.centres.count == 0, "nor any id")
            #expect(Self.dropsEveryHashTable(summary), "no table a summary emptied is looked in, nor any other")
            #expect((0..<full.count).allSatisfy { summary.retractedAt[$0] == full.retractedAt[$0] }, "retractions resolved without ids kept")
            for grouping in GrantBreakdown.Grouping.allCases {
                let scoped = try open(GrantBreakdown.scope(window, grouping: grouping, filter: .init()))
                let breakdown = GrantBreakdown(ledger: scoped, models: scoped.models(in: window), grouping: grouping, filter: .init())
                #expect(breakdown == GrantBreakdown(ledger: full, models: models, grouping: grouping, filter: .init()),
                        "grants by \(grouping), \(label)")
                #expect(breakdown.rowCount > 0)
                #expect(Self.dropsEveryHashTable(scoped), "a breakdown without a filter looks no name up, by \(grouping)")
                #expect(scoped.texts.count < full.texts.count, "only the entities' texts, if any")
                // A filter by year looks no name up either; one by programme or enterprise does, in its table.
                let programme = full.programmes.string(ProgrammeIndex(offset: 0))
                let enterprise = full.enterprises.string(EnterpriseIndex(offset: 0))
                let filters = [GrantBreakdown.Filter(year: 2022), .init(programme: programme), .init(enterprise: enterprise),
                               .init(programme: programme, enterprise: enterprise, year: 2023), .init(programme: "P-NONE")]
                for filter in filters {
                    let scope = GrantBreakdown.scope(window, grouping: grouping, filter: filter)
                    let filtered = try open(scope)
                    #expect(GrantBreakdown(ledger: filtered, models: filtered.models(in: window, parts: scope.readModelParts),
                                           grouping: grouping, filter: filter)
                        == GrantBreakdown(ledger: full, models: models, grouping: grouping, filter: filter), "grants by \(grouping), \(filter), \(label)")
                    // Only the tables the filter looks its ids up in keep their hash tables.
                    var looksUpIn: NameTables = []
                    if filter.programme != nil { looksUpIn.insert(.programmes) }
                    if filter.enterprise != nil { looksUpIn.insert(.enterprises) }
                    #expect(Self.searchableTables(filtered) == looksUpIn, "by \(grouping), \(filter)")
                }
            }
            let centres = try open(CentreRegister.scope(window))
            #expect(centres.centres.count == full.centres.count && centres.enterprises.count == 0, "only the centres' ids are kept")
            #expect(Self.dropsEveryHashTable(centres), "the register looks no name up")
            #expect(CentreRegister(ledger: centres, models: centres.models(in: window)) == CentreRegister(ledger: full, models: models),
                    "centres, \(label)")
            for transitions in [false, true] {
                let tiers = try open(TierReport.scope(window, includeTransitions: transitions))
                let report = TierReport(ledger: tiers, models: tiers.models(in: window), transitionsFrom: nil, to: nil,
                                        includeTransitions: transitions)
                #expect(report == TierReport(ledger: full, models: models, transitionsFrom: nil, to: nil,
                                             includeTransitions: transitions), "tiers, \(label), transitions \(transitions)")
                #expect(Self.dropsEveryHashTable(tiers), "the tiers look no name up, transitions \(transitions)")
            }
            let programmes = try open(ProgrammeBudget.scope(window))
            #expect(try ProgrammeBudget(ledger: programmes, models: programmes.models(in: window, parts: ProgrammeBudget.parts))
                == ProgrammeBudget(ledger: full, models: models), "programmes, \(label)")
            // The programmes and grants alone, replayed without the enterprises' piece, are those of every model.
            let partial = full.models(in: window, parts: ProgrammeBudget.parts)
            #expect(partial.programmes == models.programmes && partial.grants == models.grants, "programmes and grants, \(label)")
            #expect(Self.dropsEveryHashTable(programmes), "the budgets look no name up")
            let profiles = try open(EnterpriseProfile.scope(window))
            #expect(Self.textSet(profiles) == Self.payloadTexts(full) && Self.ids(profiles) == Self.ids(full),
                    "a profile reads every id and every text a payload names")
            #expect(profiles.events.omitsActorsAndSources && profiles.events.actor.count == 0, "no actor or source is read")
            #expect(profiles.idsSetAside != nil, "its ids set aside in the cache directory's scratch file")
            #expect(Self.searchableTables(profiles) == [.enterprises], "a profile looks its enterprise up by code, nothing else")
            for index in stride(from: 0, to: full.enterprises.count, by: 7) {
                let code = full.enterprises.string(EnterpriseIndex(offset: index))
                #expect(EnterpriseProfile(ledger: profiles, models: profiles.models(in: window), code: code)
                    == EnterpriseProfile(ledger: full, models: models, code: code), "enterprise \(code), \(label)")
            }
            // A checkpoint replays every event into every model and reads every name by index: no id,
            // actor, source or hash table is kept, and its digests are a full read's.
            let replayed = try open(Checkpoint.scope(window))
            #expect(replayed.omission?.names.contains(.eventIds) == false && replayed.idsSetAside == nil && replayed.events.omitsActorsAndSources)
            #expect(Self.dropsEveryHashTable(replayed) && Self.textSet(replayed) == Self.payloadTexts(full))
            #expect(Checkpoint(ledger: replayed, window: window) == Checkpoint(ledger: full, window: window), "checkpoint, \(label)")
        }
    }

    @Test("the texts kept for the entities are exactly those their registrations name")
    func entityTextsAreTheRegistrations() throws {
        let directory = try Self.directory(seed: 94)
        let full = try directory.open(useSnapshot: false).ledger
        let scoped = try directory.open(useSnapshot: false, scope: .grantsByEnterprise(KeptModelOpeningTests.headWindow(full))).ledger
        var expected = Set<String>()
        for index in 0..<full.count where LedgerLoader.namesAnEntity(full.events.kind(at: index)) {
            switch full.events[index].payload {
            case .enterpriseRegistered(_, let name, let sector):
                expected.insert(full.texts.string(name))
                expected.insert(full.texts.string(sector))
            case .centreOpened(_, let name, _, let city, let partner):
                expected.insert(full.texts.string(name))
                expected.insert(full.texts.string(city))
                if let partner { expected.insert(full.texts.string(partner)) }
            case .programmeEstablished(let terms), .programmeAmended(let terms):
                if let name = terms.name { expected.insert(full.texts.string(name)) }
            default:
                Issue.record("event \(index) names no entity")
            }
        }
        #expect(!expected.isEmpty)
        #expect(Set((0..<scoped.texts.count).map { scoped.texts.string(TextIndex(offset: $0)) }) == expected)
        #expect(scoped.events.omitsActorsAndSources && scoped.events.actor.count == 0 && scoped.events.source.count == 0,
                "no column of actors or sources is kept")
        for index in 0..<scoped.count {
            #expect(scoped.events[index].actor == .notRead && scoped.events[index].source == .notRead)
        }
        #expect(!full.events.omitsActorsAndSources && full.events.actor.count == full.count)
    }

    @Test("the queries of every event that show no actor or source (audit, restatements) read none and answer as a full read",
          arguments: [101, 102] as [UInt64])
    func everythingButActorsAndSources(seed: UInt64) throws {
        let directory = try Self.directory(seed: seed)
        let full = try directory.open(useSnapshot: false).ledger
        // The audit looks no name up (its tables keep no hash table); the others may.
        for lookups in [NameTables.all, []] {
            let opening = try directory.open(useSnapshot: false, scope: .everyEvent(actorsAndSources: false, lookups: lookups))
            #expect(opening.source == .logs(snapshotRejected: nil) && opening.saving == .notAttempted)
            let scoped = opening.ledger
            #expect(scoped.events.omitsActorsAndSources && scoped.events.actor.count == 0 && scoped.events.source.count == 0,
                    "no column of actors or sources is kept")
            // Every text a payload names, and no other: an actor or a source only where a payload names it too.
            let payloadTexts = Self.payloadTexts(full)
            let actorsAndSources = Set((0..<full.count).flatMap { [full.texts.string(full.events[$0].actor), full.texts.string(full.events[$0].source)] })
            #expect(!actorsAndSources.subtracting(payloadTexts).isEmpty, "the scenario has actors and sources no payload names")
            #expect(Self.textSet(scoped) == payloadTexts)
            #expect(scoped.count == full.count && Self.ids(scoped) == Self.ids(full), "every id kept")
            // Set aside in a scratch file of the cache directory, not held in memory; the file has no name.
            #expect(scoped.idsSetAside != nil)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.cachePath).allSatisfy { !$0.hasPrefix(".spill") })
            #expect(scoped.eventIndex(ofId: full.eventId(of: full.count / 2)) == full.count / 2 && scoped.eventIndex(ofId: "no-such-id") == nil)
            // With no scratch directory, the same ids are kept in memory.
            let inMemory = try Ledger.load(store: directory.store, scope: .everyEvent(actorsAndSources: false, lookups: lookups))
            #expect(inMemory.idsSetAside == nil && inMemory.eventIds.count == full.count && Self.ids(inMemory) == Self.ids(full))
            #expect(Auditor(ledger: inMemory, window: Self.windows(full)[0].1).run() == Auditor(ledger: full, window: Self.windows(full)[0].1).run())
            #expect(Self.searchableTables(scoped) == lookups, "hash tables kept for the lookups alone")
            #expect((0..<full.count).allSatisfy { scoped.retractedAt[$0] == full.retractedAt[$0] })
            for index in 0..<scoped.count {
                #expect(scoped.events[index].actor == .notRead && scoped.events[index].source == .notRead)
                #expect(scoped.describe(scoped.events[index]) == full.describe(full.events[index]), "event \(index)")
            }
            try Self.expectAuditsAndRestatements(scoped, as: full, "cold")
        }
        // With no snapshot yet, the first such query reads the logs setting columns aside, saves the
        // snapshot and answers from it (`readSavingSnapshot`), never holding the whole ledger; from the
        // snapshot, with nothing after it, the events, names and ids are read without the actors and
        // sources (neither read nor hashed), and the hash tables of the lookups alone.
        let first = try directory.open(scope: .everyEvent(actorsAndSources: false, lookups: []))
        #expect(first.saving == .saved && first.ledger.events.omitsActorsAndSources && first.ledger.holdsReadModelsOnly)
        if case .logs = first.source {} else { Issue.record("the first query reads the logs: \(first.source)") }
        #expect(Auditor(ledger: first.ledger, window: Self.windows(full)[0].1).run() == Auditor(ledger: full, window: Self.windows(full)[0].1).run())
        for lookups in [NameTables.all, []] {
            let warm = try directory.open(scope: .everyEvent(actorsAndSources: false, lookups: lookups))
            #expect(warm.source == .readModels && warm.saving == .notAttempted)
            let ledger = warm.ledger
            #expect(ledger.events.omitsActorsAndSources && ledger.events.actor.count == 0 && ledger.holdsReadModelsOnly
                && !ledger.holdsKeptModelsOnly && ledger.headModels == nil)
            #expect(Self.searchableTables(ledger) == lookups && ledger.count == full.count && Self.ids(ledger) == Self.ids(full))
            try Self.expectAuditsAndRestatements(ledger, as: full, "warm")
        }
    }

    @Test("history's read of every event, actors and sources kept, sets the ids aside and answers as a full read: cold, first and warm",
          arguments: [101, 102] as [UInt64])
    func everyEventForHistory(seed: UInt64) throws {
        let directory = try Self.directory(seed: seed)
        let full = try directory.open(useSnapshot: false).ledger
        let lookups: NameTables = [.programmes, .grants, .enterprises, .centres]
        var subjects = [full.programmes.string(ProgrammeIndex(offset: 0)), full.grants.string(GrantIndex(offset: 0)),
                        full.enterprises.string(EnterpriseIndex(offset: full.enterprises.count - 1)),
                        full.eventId(of: 0), full.eventId(of: full.count / 2), full.eventId(of: full.count - 1), "no-such-subject"]
        if full.centres.count > 0 { subjects.append(full.centres.string(CentreIndex(offset: 0))) }
        func expectSameHistories(_ ledger: Ledger, _ what: String) {
            for subject in subjects {
                for (label, window) in Self.windows(full) {
                    #expect(History(ledger: ledger, subject: subject, knownAt: window.knownAt)
                        == History(ledger: full, subject: subject, knownAt: window.knownAt), "\(what) history of \(subject), \(label)")
                }
            }
        }
        let cold = try directory.open(useSnapshot: false, scope: .everyEvent(actorsAndSources: true, lookups: lookups)).ledger
        #expect(cold.idsSetAside != nil && !cold.events.omitsActorsAndSources && cold.texts.count == full.texts.count)
        #expect(Self.searchableTables(cold) == lookups, "no hash table of texts")
        expectSameHistories(cold, "cold")
        let first = try directory.open(scope: .everyEvent(actorsAndSources: true, lookups: lookups))
        #expect(first.saving == .saved && first.ledger.holdsReadModelsOnly && !first.ledger.events.omitsActorsAndSources)
        expectSameHistories(first.ledger, "first")
        let warm = try directory.open(scope: .everyEvent(actorsAndSources: true, lookups: lookups))
        #expect(warm.source == .readModels && !warm.ledger.events.omitsActorsAndSources && Self.searchableTables(warm.ledger) == lookups)
        expectSameHistories(warm.ledger, "warm")
    }

    /// The audit and the restatements of 2022 (reported 30 days before each window's known-at) of
    /// `ledger` equal those of the full read `full`, in every window of `windows`.
    static func expectAuditsAndRestatements(_ ledger: Ledger, as full: Ledger, _ what: String) throws {
        let period = try #require(RestatementPeriod(parsing: "2022"))
        for (label, window) in windows(full) {
            #expect(Auditor(ledger: ledger, window: window).run() == Auditor(ledger: full, window: window).run(), "\(what) audit, \(label)")
            let reportedAt = Timestamp(secondsSinceEpoch: window.knownAt.secondsSinceEpoch - 30 * 86_400)
            #expect(Restatement(ledger: ledger, period: period, reportedAt: reportedAt, knownAt: window.knownAt)
                == Restatement(ledger: full, period: period, reportedAt: reportedAt, knownAt: window.knownAt), "\(what) restatements, \(label)")
        }
    }

    /// The texts a payload names (as `Ledger.describe` shows them).
    static func texts(of payload: DomainEvent.Payload) -> [TextIndex] {
        switch payload {
        case .programmeEstablished(let terms), .programmeAmended(let terms): return terms.name.map { [$0] } ?? []
        case .grantAwarded(_, _, _, _, let project): return [project]
        case .grantRevoked(_, let reason), .enterpriseDeregistered(_, let reason), .centreClosed(_, let reason),
             .eventRetracted(_, let reason):
            return [reason]
        case .enterpriseRegistered(_, let name, let sector): return [name, sector]
        case .centreOpened(_, let name, _, let city, let partner): return [name, city] + (partner.map { [$0] } ?? [])
        case .budgetAppropriated, .grantAmended, .grantDisbursed, .grantRecovered, .capabilityEvaluated, .tierPromoted,
             .tierDemoted:
            return []
        }
    }

    @Test("scopes that show no tier leave evaluations and tier changes out: no row, no name, none replayed, the same answers, retractions still found",
          arguments: [95, 96] as [UInt64])
    func tierChangesLeftOut(seed: UInt64) throws {
        let directory = try Self.directory(seed: seed)
        let full = try directory.open(useSnapshot: false).ledger
        let tierCodes = EventKind.codeBits([.capabilityEvaluated, .tierPromoted, .tierDemoted])
        let isTierEvent = (0..<full.count).map { tierCodes >> UInt32(full.events.kind(at: $0).recordCode) & 1 != 0 }
        let kept = (0..<full.count).filter { !isTierEvent[$0] }
        #expect(full.count - kept.count > 20, "the scenario evaluates and promotes")
        // Retractions of both: an evaluation left out, and events after lines left out (found by line position).
        let retracted = (0..<full.count).filter { full.retractedAt[$0] != .never }
        #expect(retracted.contains { isTierEvent[$0] } && retracted.contains { !isTierEvent[$0] && $0 > kept.count / 2 },
                "seed \(seed) retracts an evaluation and a later event of another kind")
        let window = KeptModelOpeningTests.headWindow(full)
        let byYear = GrantBreakdown.scope(window, grouping: .year, filter: .init())
        for scope in [LedgerScope.grantsByEnterprise(window), byYear] {
            #expect(scope.unreplayedCodes == tierCodes, "\(scope)")
            let scoped = try directory.open(useSnapshot: false, scope: scope).ledger
            #expect(scoped.unreplayedCodes == tierCodes)
            #expect(scoped.count == kept.count && scoped.events.count == kept.count, "no row for a tier event")
            for (row, index) in kept.enumerated() {
                // The other events in their order, each with its place in its log and its retraction.
                #expect(scoped.events.kind(at: row) == full.events.kind(at: index) && scoped.events.seq(at: row) == full.events.seq(at: index)
                    && scoped.events.logRank(at: row) == full.events.logRank(at: index)
                    && scoped.events.effectiveDate(at: row) == full.events.effectiveDate(at: index), "event \(index)")
                #expect(scoped.retractedAt[row] == full.retractedAt[index], "event \(index): retractions resolved alike")
            }
            // The heads an answer known at a moment rests on count the events left out too: at the
            // moment a tier event was recorded, and the second before.
            for index in stride(from: 0, to: full.count, by: 5) where isTierEvent[index] {
                let recorded = full.events.recordedTime(at: index).secondsSinceEpoch
                for knownAt in [recorded - 1, recorded] {
                    let moment = TimeWindow(asOf: nil, knownAt: Timestamp(secondsSinceEpoch: knownAt))
                    #expect(try AnswerProvenance(ledger: scoped, window: moment, store: directory.store)
                        == AnswerProvenance(ledger: full, window: moment, store: directory.store), "heads known at \(moment.knownAt)")
                }
            }
            let models = scoped.models(in: window)
            #expect(models.appliedEvents == full.models(in: window).appliedEvents - (0..<full.count).filter { isTierEvent[$0] && Projection(ledger: full, window: window).counts($0) }.count,
                    "every event but the tier events is replayed")
        }
        // Scopes that show tiers or scores read them all.
        for scope in [LedgerScope.summary(window), TierReport.scope(window, includeTransitions: true),
                      GrantBreakdown.scope(window, grouping: .tier, filter: .init()), EnterpriseProfile.scope(window)] {
            #expect(scope.unreplayedCodes == 0, "\(scope)")
        }
    }

    @Test("the threads that prepare a read hash only the names it interns: texts as its kept texts say, no name of a kind it leaves unread")
    func preparationHashesOnlyWhatIsInterned() throws {
        let directory = try Self.directory(seed: 97)
        var lines = 0
        for log in IncentiveLogs.all {
            let bytes = try #require(readFileBytes(directory.path + "/" + log.fileName))
            var start = 0
            for end in bytes.indices where bytes[end] == UInt8(ascii: "\n") {
                defer { start = end + 1 }
                try bytes.withUnsafeBytes { buffer in
                    let lineBytes = UnsafeRawBufferPointer(rebasing: buffer[start..<end])
                    guard case .success(let scanned) = ScannedEventLine.scan(lineBytes) else {
                        Issue.record("every line of the scenario scans")
                        return
                    }
                    let line = LogLine(log: log, logRank: 0, lineNumber: 0, bytes: lineBytes, scanned: scanned,
                                       hash: SHA256Digest(hex: UnsafeRawBufferPointer(rebasing: lineBytes[scanned.hashOffset..<(scanned.hashOffset + 64)]))!,
                                       fileOffset: start)
                    let everything = LedgerLoader.prepare(line)
                    let event = try #require(everything.event)
                    let kind = event.kind
                    let names = (0..<everything.nameCount).map { everything.names[$0] }
                    // Hashed, each of them, as interning them at once would.
                    #expect(names.allSatisfy { !$0.isLeftOut && ($0.isEscaped || $0.hash == FastHash.hash(UnsafeRawBufferPointer(rebasing: lineBytes[$0.start..<($0.start + $0.count)]))) })
                    let actorOrdinal = event.actor.offset
                    for kept in [LedgerLoader.KeptTexts.all, .payloads, .entities, .none] {
                        for unreplayed in [0, EventKind.codeBits([kind])] {
                            let context = LedgerLoader.NameHashing(keptTexts: kept, unreplayedCodes: unreplayed)
                            let prepared = LedgerLoader.prepare(line, context: context)
                            #expect(prepared.nameCount == everything.nameCount)
                            for ordinal in 0..<prepared.nameCount {
                                let name = prepared.names[ordinal]
                                let isText = name.table == .texts
                                let interned = unreplayed == 0 && (!isText || kept == .all
                                    || (kept == .payloads && ordinal < actorOrdinal)
                                    || (kept == .entities && ordinal < actorOrdinal && LedgerLoader.namesAnEntity(kind)))
                                #expect(name.isLeftOut == !interned, "\(kind) name \(ordinal), \(kept), unreplayed \(unreplayed)")
                                if interned { #expect(name.hash == names[ordinal].hash) }
                            }
                        }
                    }
                }
                lines += 1
            }
        }
        #expect(lines > 200)
    }

    @Test("a window replayed from the snapshot neither reads nor hashes the actors and sources unless every text is shown")
    func windowsFromTheSnapshotLeaveActorsOut() throws {
        let directory = try Self.directory(seed: 97)
        #expect(try directory.open().saving == .saved)
        let full = try directory.open(useSnapshot: false).ledger
        let window = TimeWindow(asOf: CalendarDate(year: 2022, month: 9, day: 30)!, knownAt: KeptModelOpeningTests.headWindow(full).knownAt)
        for (scope, omits) in [(LedgerScope.summary(window), true), (.grantsByEnterprise(window), true),
                               (EnterpriseProfile.scope(window), false), (.readModels(window, names: .all), false)] {
            let opening = try directory.open(scope: scope)
            #expect(opening.source == .readModels, "\(scope)")
            #expect(opening.ledger.events.omitsActorsAndSources == omits && (opening.ledger.events.actor.count == 0) == omits,
                    "\(scope)")
            #expect(opening.ledger.summary(in: window) == full.summary(in: window))
        }
    }

    @Test("an event's id read from a ledger read for a scope that does not name them traps")
    func idsAreNotKept() async {
        await #expect(processExitsWith: .signal(SIGILL)) {
            let directory = try? ColdScopeTests.directory(seed: 95)
            guard let directory, let full = try? directory.open(useSnapshot: false).ledger,
                  let scoped = try? directory.open(useSnapshot: false, scope: .summary(KeptModelOpeningTests.headWindow(full))).ledger
            else { exit(3) }
            _ = scoped.eventId(of: 0)
        }
    }

    @Test("a name looked up in a table whose hash table a scoped read let go traps, rather than answering not found")
    func lookupsAfterTheHashTableWentTrap() async {
        await #expect(processExitsWith: .signal(SIGILL)) {
            let directory = try? ColdScopeTests.directory(seed: 98)
            guard let directory, let full = try? directory.open(useSnapshot: false).ledger, full.enterprises.count > 0,
                  let scoped = try? directory.open(useSnapshot: false,
                                                   scope: .grantsByEnterprise(KeptModelOpeningTests.headWindow(full))).ledger,
                  scoped.enterprises.count == full.enterprises.count, !scoped.enterprises.isSearchable
            else { exit(3) }
            _ = scoped.enterprises.find(full.enterprises.string(EnterpriseIndex(offset: 0)))
        }
    }

    @Test("a text a scoped read did not intern traps when read, rather than showing another")
    func textsNotReadTrap() async {
        await #expect(processExitsWith: .signal(SIGILL)) {
            let directory = try? ColdScopeTests.directory(seed: 96)
            guard let directory, let full = try? directory.open(useSnapshot: false).ledger,
                  let scoped = try? directory.open(useSnapshot: false, scope: .summary(KeptModelOpeningTests.headWindow(full))).ledger,
                  scoped.count > 0
            else { exit(3) }
            _ = scoped.texts.string(scoped.events[0].actor)
        }
    }
}
