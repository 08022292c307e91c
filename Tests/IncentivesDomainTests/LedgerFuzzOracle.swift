import IncentivesDomain
import IncentivesTestSupport
import LedgerLog

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the ledger fuzz target checks for each input, shared with the regression test that
/// replays its corpus and crash inputs (Tools/fuzz compiles this file into the fuzzer).
///
/// The input is decoded into batches of drafts of every type, with ids and references drawn
/// from small pools so that many are valid and they meet one another: grants paid before they
/// are awarded, retractions of retractions, amounts at and beyond their bounds, hostile text.
/// Each batch goes through the real append path (`AppendSession`) into a scratch directory; then
/// the ledger is read back, verified, and every query runs over it in several windows. Nothing
/// may trap or hang; an append may only refuse with bad data, and what was appended must verify.
enum LedgerFuzzOracle {
    /// Keeps one run short enough that a minute of fuzzing is thousands of runs.
    static let maximumDrafts = 48
    static let maximumBatches = 12

    static let programmes = ["P0", "P1", "P2"]
    static let grants = ["G0", "G1", "G2", "G3", "G4"]
    static let centres = ["C0", "C1"]
    static let enterprises: [String] = ["91321204MA1FUXX00", "91321204MA1FUXX01", "91321204MA1FUXX02", "91321204MA1FUXX03"].map {
        let bytes = Array($0.utf8)
        return $0 + String(UnicodeScalar(EnterpriseCode.checkCharacter(forFirst17: bytes) ?? UInt8(ascii: "0")))
    }
    /// Text of every kind a clerk or an attacker might type; the last ones must be refused.
    static let texts = ["雁阵计划", "line a", "=SUM(A1)", "-5", "@x", " padded ", "e\u{301}",
                        "\u{1B}[2J\u{1B}]0;pwned\u{07}", "a\u{202E}b", "x\u{85}", String(repeating: "长", count: 257)]
    static let amounts: [Int64] = [1, 100, 50_000, 1_000_000, 99_999_999, 1_000_000_000_000, 1_000_000_000_001, 0, -5,
                                   9_007_199_254_740_991]
    static let start = CalendarDate(year: 2021, month: 1, day: 1)!

    /// Reads bytes one at a time; zero once the input is used up.
    struct Cursor {
        let bytes: [UInt8]
        var position = 0
        var atEnd: Bool { position >= bytes.count }
        mutating func next() -> Int {
            guard position < bytes.count else { return 0 }
            position += 1
            return Int(bytes[position - 1])
        }
        mutating func pick<T>(_ choices: [T]) -> T { choices[next() % choices.count] }
    }

    /// A date near the pools' story, or now and then one at or beyond the bounds.
    static func date(_ cursor: inout Cursor) -> CalendarDate {
        switch cursor.next() {
        case 255: return CalendarDate(year: 2199, month: 12, day: 31)!
        case 254: return CalendarDate(year: 2200, month: 1, day: 1)!
        case 253: return CalendarDate(year: 1900, month: 1, day: 1)!
        case let step: return start.adding(days: step * 5)
        }
    }

    static func draft(_ cursor: inout Cursor, id: String, earlierIds: [String]) -> EventDraft? {
        let kind = EventKind.allCases[cursor.next() % EventKind.allCases.count]
        var members: [(String, JSONValue)] = []
        func text() -> JSONValue { .text(cursor.pick(texts)) }
        func amount() -> JSONValue { .integer(cursor.pick(amounts)) }
        switch kind {
        case .programmeEstablished, .programmeAmended:
            members = [("programme", .text(cursor.pick(programmes)))]
            let options = cursor.next()
            if options & 1 != 0 || kind == .programmeEstablished { members.append(("name", text())) }
            if options & 2 != 0 { members.append(("minTier", .text(cursor.pick(Tier.names)))) }
            if options & 4 != 0 { members.append(("capFen", amount())) }
            if options & 8 != 0 { members.append(("capYears", .integer(Int64(cursor.next() % 60)))) }
        case .budgetAppropriated:
            members = [("programme", .text(cursor.pick(programmes))), ("year", .integer(Int64(2019 + cursor.next() % 8))),
                       ("amountFen", amount())]
        case .grantAwarded:
            members = [("grant", .text(cursor.pick(grants))), ("enterprise", .text(cursor.pick(enterprises))),
                       ("programme", .text(cursor.pick(programmes))), ("amountFen", amount()), ("project", text())]
        case .grantAmended, .grantDisbursed, .grantRecovered:
            members = [("grant", .text(cursor.pick(grants))), ("amountFen", amount())]
        case .grantRevoked:
            members = [("grant", .text(cursor.pick(grants))), ("reason", text())]
        case .enterpriseRegistered:
            members = [("enterprise", .text(cursor.pick(enterprises))), ("name", text()), ("sector", text())]
        case .capabilityEvaluated:
            members = [("enterprise", .text(cursor.pick(enterprises))), ("score", .integer(Int64(cursor.next() % 110)))]
        case .tierPromoted, .tierDemoted:
            members = [("enterprise", .text(cursor.pick(enterprises))), ("tier", .text(cursor.pick(Tier.names)))]
        case .enterpriseDeregistered:
            members = [("enterprise", .text(cursor.pick(enterprises))), ("reason", text())]
        case .centreOpened:
            members = [("centre", .text(cursor.pick(centres))), ("city", text()), ("kind", .text(cursor.pick(CentreKind.names))),
                       ("name", text())]
            if cursor.next() & 1 != 0 { members.append(("partner", text())) }
        case .centreClosed:
            members = [("centre", .text(cursor.pick(centres))), ("reason", text())]
        case .eventRetracted:
            let target = earlierIds.isEmpty ? "none" : earlierIds[cursor.next() % earlierIds.count]
            members = [("reason", text()), ("target", .text(target))]
        }
        members.sort { $0.0 < $1.0 }
        let effective = date(&cursor)
        let actor = cursor.next() % 16 == 0 ? cursor.pick(texts) : "clerk"
        return try? EventDraft.make(id: id, kind: kind, effective: effective, actor: actor, source: "fuzz",
                                    data: JSONObject(members: members.map { JSONMember(key: $0.0, value: $0.1) }),
                                    origin: "fuzz")
    }

    /// Two programmes (one with a cap), four enterprises, three grants, a payment and a budget.
    static let story: [EventDraft] = {
        func make(_ id: String, _ kind: EventKind, _ effective: CalendarDate, _ members: [(String, JSONValue)]) -> EventDraft {
            try! EventDraft.make(id: id, kind: kind, effective: effective, actor: "clerk", source: "story",
                                 data: JSONObject(members: members.sorted { $0.0 < $1.0 }.map { JSONMember(key: $0.0, value: $0.1) }),
                                 origin: "story")
        }
        var drafts = [
            make("s-p0", .programmeEstablished, start, [("programme", .text("P0")), ("name", .text("雁阵计划"))]),
            make("s-p1", .programmeEstablished, start, [("programme", .text("P1")), ("name", .text("人才")),
                                                         ("capFen", .integer(Int64(2_000_000))), ("minTier", .text("sme"))]),
            make("s-b0", .budgetAppropriated, start, [("programme", .text("P0")), ("year", .integer(Int64(2021))),
                                                       ("amountFen", .integer(Int64(5_000_000)))]),
        ]
        for (index, code) in enterprises.enumerated() {
            drafts.append(make("s-e\(index)", .enterpriseRegistered, start, [("enterprise", .text(code)), ("name", .text("企业\(index)")),
                                                                           ("sector", .text("machinery"))]))
        }
        for index in 0..<3 {
            drafts.append(make("s-g\(index)", .grantAwarded, start.adding(days: 10 * index), [
                ("grant", .text(grants[index])), ("enterprise", .text(enterprises[index])), ("programme", .text(programmes[index % 2])),
                ("amountFen", .integer(Int64(1_000_000 * (index + 1)))), ("project", .text("line \(index)"))]))
        }
        drafts.append(make("s-d0", .grantDisbursed, start.adding(days: 30), [("grant", .text("G0")), ("amountFen", .integer(Int64(500_000)))]))
        return drafts
    }()

    /// Runs one input; returns what went wrong, or nil.
    static func check(_ bytes: [UInt8]) -> String? {
        // Memory-backed when there is one: every append syncs its files.
        let base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
        guard let scratch = TemporaryFileFixture.attempt(prefix: "ledger-fuzz", under: base) else { return nil }
        return check(bytes, directory: scratch.path)
    }

    static func check(_ bytes: [UInt8], directory: String) -> String? {
        var cursor = Cursor(bytes: bytes)
        // A ledger is made by `init` before anything is appended to it.
        do {
            try LedgerManifest(ledgerId: "0123456789abcdef0123456789abcdef", timeZoneOffsetMinutes: 480).write(directory: directory)
        } catch {
            return "could not make the scratch ledger: \(error.message)"
        }
        let store = IncentiveLogs.store(directory: directory)
        var ids: [String] = []
        var drafted = 0
        var clockTime = start.endOfDay
        // One session while batches are accepted; a refused batch leaves its session unusable,
        // so the next batch opens another (and reads the logs again, as a new command would).
        var session: AppendSession? = nil
        let clock = SteppingClock(clockTime)
        func append(_ batch: [EventDraft]) -> String? {
            do {
                if session == nil {
                    session = try AppendSession(store: store, clock: clock, notify: { _ in })
                }
                _ = try session!.append(batch)
                ids += batch.map(\.id.rawValue)
            } catch {
                session = nil
                guard error.code == .badData else { return "append refused with \(error.code), not bad data: \(error.message)" }
            }
            return nil
        }
        // Half the inputs start from a small valid story, so that random drafts meet real references.
        if cursor.next() & 1 == 1 {
            if let problem = append(story) { return problem }
            guard ids.count == story.count else { return "the base story was refused" }
        }
        for batchNumber in 0..<maximumBatches where !cursor.atEnd && drafted < maximumDrafts {
            let size = 1 + cursor.next() % 4
            var batch: [EventDraft] = []
            for index in 0..<size where drafted < maximumDrafts && !cursor.atEnd {
                drafted += 1
                if let draft = draft(&cursor, id: "f\(batchNumber)-\(index)", earlierIds: ids) { batch.append(draft) }
            }
            // The clock moves on between batches, under the open session too.
            clockTime = Timestamp(secondsSinceEpoch: clockTime.secondsSinceEpoch + Int64(cursor.next()) * 86_400 * 3)
            clock.moment = clockTime
            if let problem = append(batch) { return problem }
        }
        session = nil
        let ledger: Ledger
        do {
            ledger = try Ledger.open(store: store, verify: true, useSnapshot: false, environment: [:]).ledger
        } catch {
            return "what was appended does not read back: \(error.message)"
        }
        let latest = Timestamp(secondsSinceEpoch: clockTime.secondsSinceEpoch + 86_400)
        let windows = [TimeWindow(knownAt: latest), TimeWindow(asOf: start.adding(days: 200), knownAt: start.adding(days: 100).endOfDay)]
        for window in windows { runQueries(ledger, window: window, ids: ids) }
        for period in ["2021", "2022Q1"] {
            guard let parsed = RestatementPeriod(parsing: period) else { return "period \(period) does not parse" }
            let reportedAt = min(start.adding(days: 60).endOfDay, latest)
            let restatement = Restatement(ledger: ledger, period: parsed, reportedAt: reportedAt, knownAt: latest)
            _ = try? restatement.checkShown()
            _ = restatement.json
        }
        return nil
    }

    /// Every query over one window. Their answers are checked elsewhere; here they must not trap.
    static func runQueries(_ ledger: Ledger, window: TimeWindow, ids: [String]) {
        let models = Projection(ledger: ledger, window: window).run()
        let summary = Summary(models: models, window: window)
        _ = try? summary.checkShown()
        for grouping in GrantBreakdown.Grouping.allCases {
            let breakdown = GrantBreakdown(ledger: ledger, models: models, grouping: grouping, filter: .init())
            _ = try? breakdown.checkShown()
            _ = breakdown.json
        }
        for code in enterprises {
            if let profile = EnterpriseProfile(ledger: ledger, models: models, code: code) {
                _ = try? profile.checkShown()
                _ = profile.json
            }
        }
        _ = TierReport(ledger: ledger, models: models, transitionsFrom: nil, to: nil, includeTransitions: true).json
        _ = CentreRegister(ledger: ledger, models: models).json
        for subject in [enterprises[0], grants[0], programmes[0], centres[0]] + ids.suffix(2) {
            _ = History(ledger: ledger, subject: subject, knownAt: window.knownAt)?.json
        }
        _ = Auditor(ledger: ledger, window: window, options: .init(lateDays: 30)).run().json
        _ = Checkpoint(ledger: ledger, window: window).json
    }
}

/// A clock the oracle moves forward between batches, so that one session serves many.
final class SteppingClock: LedgerClock, @unchecked Sendable {
    var moment: Timestamp
    init(_ moment: Timestamp) { self.moment = moment }
    func now() -> Timestamp { moment }
}
