#if canImport(Glibc)
import Glibc
#endif
import IncentivesDomain
import IncentivesTestSupport
import LedgerLog

/// A random but valid sequence of drafts: registrations, programmes, budgets, awards, payments,
/// amendments, revocations, recoveries, evaluations, promotions, demotions, centres.
/// `recorded` rises one hour per draft from `start`; effective dates wander up to a year back, but
/// never so far that a draft breaks its grant's timeline (after the award, nothing paid or amended
/// after a revocation, recoveries within what was paid).
struct ScenarioGenerator {
    var random: SplitMix64
    var clock: Timestamp
    var counter = 0
    var enterprises: [(code: String, registered: CalendarDate, tier: Tier)] = []
    var programmes: [(id: String, established: CalendarDate)] = []
    var grants: [GrantStory] = []
    var centres: [(id: String, opened: CalendarDate, closed: Bool)] = []
    /// Ids of drafts nothing else depends on, safe to retract or leave out.
    var leaves: [String] = []

    init(seed: UInt64, start: Timestamp = Timestamp(parsing: "2022-01-01T00:00:00Z")!) {
        random = SplitMix64(seed: seed)
        clock = start
    }

    static func code(_ number: Int) -> String {
        let first17 = Array(("91321204MA" + String(repeating: "0", count: 7 - String(number).count) + String(number)).utf8)
        let check = EnterpriseCode.checkCharacter(forFirst17: first17)!
        return String(decoding: first17 + [check], as: UTF8.self)
    }

    mutating func nextDraft() -> EventDraft {
        counter += 1
        clock = Timestamp(secondsSinceEpoch: clock.secondsSinceEpoch + 3600)
        let today = clock.date
        let effective = today.adding(days: -Int.random(in: 0...300, using: &random))
        let id = "ev-\(counter)"
        func make(_ kind: EventKind, _ data: [(String, JSONValue)], on date: CalendarDate? = nil) -> EventDraft {
            guard case .object(let object) = JSONValue.record(data) else { preconditionFailure() }
            return try! EventDraft.make(id: id, kind: kind, effective: date ?? effective, recorded: clock,
                                        actor: "tester", source: "doc-\(counter % 7)", data: object, origin: "scenario")
        }
        let choice = enterprises.isEmpty || programmes.isEmpty ? Int.random(in: 0...1, using: &random) : Int.random(in: 0...12, using: &random)
        switch choice {
        case 0:
            let code = ScenarioGenerator.code(enterprises.count + 1)
            enterprises.append((code, effective, .none))
            return make(.enterpriseRegistered, [("enterprise", .text(code)), ("name", .text("企业\(enterprises.count)")), ("sector", .text("electronics"))])
        case 1:
            let programme = "prog-\(programmes.count + 1)"
            programmes.append((programme, effective))
            var data: [(String, JSONValue)] = [("name", .text("programme \(programmes.count)")), ("programme", .text(programme))]
            if Bool.random(using: &random) { data.append(("minTier", .text("startup"))) }
            if Bool.random(using: &random) { data.append(("capFen", .integer(Int64.random(in: 1...50, using: &random) * 1_000_000))) }
            return make(.programmeEstablished, data)
        case 2, 3, 4:
            let enterprise = enterprises.randomElement(using: &random)!
            let programme = programmes.randomElement(using: &random)!
            let date = max(max(enterprise.registered, programme.established), effective)
            let grant = "G-\(grants.count + 1)"
            grants.append(GrantStory(id: grant, awarded: date))
            return make(.grantAwarded, [("amountFen", .integer(Int64.random(in: 1...40, using: &random) * 100_000)),
                                        ("enterprise", .text(enterprise.code)), ("grant", .text(grant)),
                                        ("programme", .text(programme.id)), ("project", .text("project \(Int.random(in: 1...5, using: &random))"))],
                        on: date)
        case 5, 6:
            guard let index = grants.indices.randomElement(using: &random), !grants[index].revoked else { return nextDraftRetry() }
            let amountFen = Int64.random(in: 1...20, using: &random) * 50_000
            let date = max(grants[index].awarded, effective)
            grants[index].record(on: date, paidFen: amountFen)
            if grants[index].recoveredFen == 0 {
                leaves.append(id)
                grants[index].payments.append(id)
            }
            return make(.grantDisbursed, [("amountFen", .integer(amountFen)), ("grant", .text(grants[index].id))], on: date)
        case 7:
            guard let index = grants.indices.randomElement(using: &random), !grants[index].revoked else { return nextDraftRetry() }
            leaves.append(id)
            let date = max(grants[index].awarded, effective)
            grants[index].record(on: date)
            return make(.grantAmended, [("amountFen", .integer(Int64.random(in: 1...40, using: &random) * 100_000)), ("grant", .text(grants[index].id))],
                        on: date)
        case 8:
            guard let index = grants.indices.randomElement(using: &random), !grants[index].revoked else { return nextDraftRetry() }
            // After everything paid or amended so far: a revocation ends the grant's payments.
            let date = max(grants[index].latest, effective)
            grants[index].revoked = true
            grants[index].record(on: date)
            return make(.grantRevoked, [("grant", .text(grants[index].id)), ("reason", .text("found ineligible"))], on: date)
        case 9:
            guard let index = grants.indices.randomElement(using: &random),
                  grants[index].paidFen > grants[index].recoveredFen else { return nextDraftRetry() }
            // After every payment so far, and within what they paid; the payments it rests on are no longer leaves.
            let amountFen = min(Int64.random(in: 1...10, using: &random) * 10_000, grants[index].paidFen - grants[index].recoveredFen)
            let date = max(grants[index].latest, effective)
            grants[index].record(on: date, recoveredFen: amountFen)
            let restingOn = grants[index].payments
            leaves.removeAll { restingOn.contains($0) }
            leaves.append(id)
            return make(.grantRecovered, [("amountFen", .integer(amountFen)), ("grant", .text(grants[index].id))], on: date)
        case 10:
            let enterprise = enterprises.randomElement(using: &random)!
            leaves.append(id)
            return make(.capabilityEvaluated, [("enterprise", .text(enterprise.code)), ("score", .integer(Int64.random(in: 0...100, using: &random)))],
                        on: max(enterprise.registered, effective))
        case 11:
            // Promotions are dated today so that each one raises the tier known for that date.
            guard let index = enterprises.indices.randomElement(using: &random), enterprises[index].tier < .influential else { return nextDraftRetry() }
            let tier = Tier(rawValue: enterprises[index].tier.rawValue + 1)!
            enterprises[index].tier = tier
            return make(.tierPromoted, [("enterprise", .text(enterprises[index].code)), ("tier", .text(tier.name))],
                        on: max(enterprises[index].registered, today))
        default:
            let centre = "C-\(centres.count + 1)"
            centres.append((centre, effective, false))
            return make(.centreOpened, [("centre", .text(centre)), ("city", .text("深圳")), ("kind", .text("offshore")), ("name", .text("离岸中心 \(centres.count)"))])
        }
    }

    private mutating func nextDraftRetry() -> EventDraft {
        counter -= 1
        clock = Timestamp(secondsSinceEpoch: clock.secondsSinceEpoch - 3600)
        return nextDraft()
    }

    mutating func drafts(_ count: Int) -> [EventDraft] {
        (0..<count).map { _ in nextDraft() }
    }
}

extension ScenarioGenerator {
    /// `count` drafts, then up to `retractions` of their leaves retracted at later moments chosen
    /// by `random` (some windows see a leaf, some see it withdrawn).
    mutating func draftsWithRetractions(_ count: Int, retractions: Int, random: inout SplitMix64) throws -> [EventDraft] {
        var result = drafts(count)
        var moment = clock
        for number in 1...retractions {
            guard let victim = leaves.randomElement(using: &random) else { break }
            leaves.removeAll { $0 == victim }
            moment = Timestamp(secondsSinceEpoch: moment.secondsSinceEpoch + 86_400 * Int64(1 + random.below(20)))
            result.append(try ColumnReplayTests.retraction(of: victim, recorded: moment, number: number))
        }
        return result
    }
}

/// What the generator knows of one grant, to keep its timeline valid.
struct GrantStory {
    var id: String
    var awarded: CalendarDate
    var latest: CalendarDate
    var revoked = false
    var paidFen: Int64 = 0
    var recoveredFen: Int64 = 0
    /// Payments that may still be retracted (nothing recovered rests on them).
    var payments: [String] = []

    init(id: String, awarded: CalendarDate) {
        self.id = id
        self.awarded = awarded
        latest = awarded
    }

    mutating func record(on date: CalendarDate, paidFen: Int64 = 0, recoveredFen: Int64 = 0) {
        latest = max(latest, date)
        self.paidFen += paidFen
        self.recoveredFen += recoveredFen
    }
}

/// A fresh, empty ledger in a scratch directory of the shared fixture, removed with it.
final class TemporaryDirectory {
    let scratch = TemporaryFileFixture(prefix: "incentives-domain-tests")
    var path: String { scratch.path }

    init() {
        makeLedger(in: path)
    }

    var store: EventStore { IncentiveLogs.store(directory: path) }

    /// Imports `batches` one after another into this empty directory through the real append path,
    /// in one session, each draft at the recorded time it gives (history, as `incentives import`).
    func append(_ batches: [[EventDraft]]) throws -> Ledger {
        // The session holds the directory's exclusive lock until it ends; read after it.
        do {
            let session = try AppendSession(store: store, clock: FixedClock(Timestamp(parsing: "2030-01-01T00:00:00Z")!),
                                            recordedTimes: .drafts) { _ in }
            for batch in batches { _ = try session.append(batch) }
        }
        return try Ledger.load(store: store)
    }
}
