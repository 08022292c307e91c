import Foundation
import IncentivesTestSupport
import Testing
@testable import IncentivesDomain
import LedgerLog

/// Builds a ledger for audit and restatement tests through the real append path: drafts made
/// with `EventDraft.make` with explicit `recorded` times, imported by an `AppendSession` into a
/// fresh temporary directory (history, as `incentives import` brings it), then read back and
/// verified like any ledger.
final class AuditLedgerBuilder {
    /// Removed with everything in it when the builder goes away.
    let scratch = TemporaryFileFixture(prefix: "audit-ledger")
    var directory: String { scratch.path }
    private var pending: [EventDraft] = []
    /// Every draft committed so far, in order: each commit imports them all again into the emptied directory.
    private var committed: [EventDraft] = []
    private var nextNumber = 1
    /// The log of each event drafted so far, and the last time recorded in each log: a log's
    /// recorded times never go back, so a draft without one is recorded no earlier than that.
    private var logOfEvent: [String: LogName] = [:]
    private var lastRecorded: [LogName: Timestamp] = [:]

    /// When set (before the first commit), batches are written to the logs as they are, without
    /// the append path's checks: the logs an older build may have written (a payment before its
    /// award, say), which the audit must still report on. Imports check references; this does not.
    var writesUncheckedLogs = false

    /// The moment the clock answers: no draft may be recorded after it.
    static let clockMoment = Timestamp(parsing: "2030-01-01T00:00:00Z")!

    init() throws {
        makeLedger(in: directory)
    }

    var store: EventStore { IncentiveLogs.store(directory: directory) }

    // MARK: Dates and codes

    static func date(_ text: String) -> CalendarDate {
        guard let date = CalendarDate(parsing: text) else { preconditionFailure("test date \(text)") }
        return date
    }

    /// A date means 09:00 UTC that day; a full timestamp is taken as it is. A draft given no
    /// recorded time is recorded at 09:00 on its effective day, or one second after the last
    /// event of its log if that is later.
    static func moment(_ text: String) -> Timestamp {
        if let timestamp = Timestamp(parsing: text) { return timestamp }
        return Timestamp(date: date(text), hour: 9, minute: 0, second: 0)!
    }

    /// A valid Unified Social Credit Code for Jiangyan district, distinct for each number.
    static func code(_ number: Int) -> String {
        let digits = String(number)
        let first17 = "913212040000" + String(repeating: "0", count: 5 - digits.count) + digits
        let check = EnterpriseCode.checkCharacter(forFirst17: Array(first17.utf8))!
        return first17 + String(UnicodeScalar(check))
    }

    /// The same code with a wrong check character.
    static func badCode(_ number: Int) -> String {
        let good = code(number)
        let last = good.last!
        return String(good.dropLast()) + (last == "0" ? "1" : "0")
    }

    // MARK: Drafts

    @discardableResult
    func add(_ kind: EventKind, effective: String, recorded: String? = nil, id: String? = nil,
             _ members: [(String, JSONValue)]) throws -> String {
        let eventId = id ?? "e\(nextNumber)"
        nextNumber += 1
        guard case .object(let data) = JSONValue.record(members) else { preconditionFailure("a record is an object") }
        let effectiveDate = AuditLedgerBuilder.date(effective)
        var log = kind.log ?? IncentiveLogs.grants
        if kind == .eventRetracted, case .string(let target)? = data["target"], let targetLog = logOfEvent[target] {
            log = targetLog
        }
        var moment = AuditLedgerBuilder.moment(recorded ?? effective)
        if recorded == nil, let last = lastRecorded[log], moment <= last {
            moment = Timestamp(secondsSinceEpoch: last.secondsSinceEpoch + 1)
        }
        pending.append(try EventDraft.make(
            id: eventId, kind: kind, effective: effectiveDate, recorded: moment, actor: "audit test",
            source: "test document \(eventId)", data: data, origin: "test draft \(eventId)"))
        logOfEvent[eventId] = log
        lastRecorded[log] = max(lastRecorded[log] ?? moment, moment)
        return eventId
    }

    @discardableResult
    func programme(_ programme: String, effective: String = "2019-01-01", recorded: String? = nil,
                   minTier: Tier? = nil, capFen: Int64? = nil, capYears: Int? = nil) throws -> String {
        var members: [(String, JSONValue)] = []
        if let capFen { members.append(("capFen", .integer(capFen))) }
        if let capYears { members.append(("capYears", .integer(capYears))) }
        if let minTier { members.append(("minTier", .text(minTier.name))) }
        members += [("name", .text("Programme \(programme)")), ("programme", .text(programme))]
        return try add(.programmeEstablished, effective: effective, recorded: recorded, members)
    }

    @discardableResult
    func amendProgramme(_ programme: String, effective: String, recorded: String? = nil,
                        minTier: Tier? = nil, capFen: Int64? = nil, capYears: Int? = nil) throws -> String {
        var members: [(String, JSONValue)] = []
        if let capFen { members.append(("capFen", .integer(capFen))) }
        if let capYears { members.append(("capYears", .integer(capYears))) }
        if let minTier { members.append(("minTier", .text(minTier.name))) }
        members.append(("programme", .text(programme)))
        return try add(.programmeAmended, effective: effective, recorded: recorded, members)
    }

    @discardableResult
    func budget(_ programme: String, year: Int, amountFen: Int64, effective: String? = nil,
                recorded: String? = nil) throws -> String {
        try add(.budgetAppropriated, effective: effective ?? "\(year)-01-01", recorded: recorded,
                [("amountFen", .integer(amountFen)), ("programme", .text(programme)), ("year", .integer(year))])
    }

    @discardableResult
    func register(_ enterprise: String, effective: String = "2019-01-01", recorded: String? = nil,
                  name: String = "泰州测试企业") throws -> String {
        try add(.enterpriseRegistered, effective: effective, recorded: recorded,
                [("enterprise", .text(enterprise)), ("name", .text(name)), ("sector", .text("machinery"))])
    }

    @discardableResult
    func promote(_ enterprise: String, to tier: Tier, effective: String, recorded: String? = nil) throws -> String {
        try add(.tierPromoted, effective: effective, recorded: recorded,
                [("enterprise", .text(enterprise)), ("tier", .text(tier.name))])
    }

    @discardableResult
    func demote(_ enterprise: String, to tier: Tier, effective: String, recorded: String? = nil) throws -> String {
        try add(.tierDemoted, effective: effective, recorded: recorded,
                [("enterprise", .text(enterprise)), ("tier", .text(tier.name))])
    }

    @discardableResult
    func deregister(_ enterprise: String, effective: String, recorded: String? = nil) throws -> String {
        try add(.enterpriseDeregistered, effective: effective, recorded: recorded,
                [("enterprise", .text(enterprise)), ("reason", .text("dissolved"))])
    }

    @discardableResult
    func award(_ grant: String, to enterprise: String, under programme: String, amountFen: Int64,
               project: String? = nil, effective: String, recorded: String? = nil, id: String? = nil) throws -> String {
        try add(.grantAwarded, effective: effective, recorded: recorded, id: id ?? "award:\(grant)", [
            ("amountFen", .integer(amountFen)), ("enterprise", .text(enterprise)), ("grant", .text(grant)),
            ("programme", .text(programme)), ("project", .text(project ?? "project of \(grant)")),
        ])
    }

    @discardableResult
    func amend(_ grant: String, amountFen: Int64, effective: String, recorded: String? = nil) throws -> String {
        try add(.grantAmended, effective: effective, recorded: recorded,
                [("amountFen", .integer(amountFen)), ("grant", .text(grant))])
    }

    @discardableResult
    func disburse(_ grant: String, amountFen: Int64, effective: String, recorded: String? = nil,
                  id: String? = nil) throws -> String {
        try add(.grantDisbursed, effective: effective, recorded: recorded, id: id,
                [("amountFen", .integer(amountFen)), ("grant", .text(grant))])
    }

    @discardableResult
    func recover(_ grant: String, amountFen: Int64, effective: String, recorded: String? = nil) throws -> String {
        try add(.grantRecovered, effective: effective, recorded: recorded,
                [("amountFen", .integer(amountFen)), ("grant", .text(grant))])
    }

    @discardableResult
    func revoke(_ grant: String, effective: String, recorded: String? = nil) throws -> String {
        try add(.grantRevoked, effective: effective, recorded: recorded,
                [("grant", .text(grant)), ("reason", .text("conditions not met"))])
    }

    @discardableResult
    func retract(_ target: String, effective: String, recorded: String? = nil) throws -> String {
        try add(.eventRetracted, effective: effective, recorded: recorded,
                [("reason", .text("recorded in error")), ("target", .text(target))])
    }

    /// Turns the amount of the last draft made below zero, as only a log written by hand holds
    /// it (drafts refuse it): for a builder that `writesUncheckedLogs`.
    func negateLastAmount() {
        precondition(writesUncheckedLogs && !pending.isEmpty, "an unchecked draft to change")
        let member = Array("\"amountFen\":".utf8)
        let data = pending[pending.count - 1].data
        guard let start = data.indices.first(where: { data[$0...].starts(with: member) }) else {
            preconditionFailure("the last draft has an amount")
        }
        pending[pending.count - 1].data.insert(UInt8(ascii: "-"), at: start + member.count)
    }

    // MARK: Appending and reading

    /// Imports the drafts made so far. An import fills only an empty ledger, so the logs are
    /// removed and everything committed is imported again with what is new: the logs come out as
    /// appending the new drafts to them would have left them.
    func commit() throws {
        guard !pending.isEmpty else { return }
        if writesUncheckedLogs {
            let writer = try store.openWriter(clock: FixedClock(AuditLedgerBuilder.clockMoment)) { notice in Issue.record("unexpected repair notice: \(notice)") }
            let appended = try writer.append(pending.map { draft in
                UnsealedEvent(log: logOfEvent[draft.id.rawValue]!, id: draft.id, type: draft.kind.typeName, recorded: draft.recorded!,
                              effective: draft.effective, actor: draft.actor, source: draft.source, data: draft.data)
            })
            #expect(appended.count == pending.count)
            committed += pending
            pending = []
            return
        }
        committed += pending
        pending = []
        // The journal goes too: it remembers what the logs held, and a writer refuses logs shorter than that.
        for name in IncentiveLogs.all.map(\.fileName) + [".ledger-journal"] {
            try? FileManager.default.removeItem(atPath: directory + "/" + name)
        }
        let session = try AppendSession(store: store, clock: FixedClock(AuditLedgerBuilder.clockMoment),
                                        recordedTimes: .drafts) { notice in
            Issue.record("unexpected repair notice: \(notice)")
        }
        let outcome = try session.append(committed)
        #expect(outcome.appended.count == committed.count)
    }

    /// Commits what is pending and reads the ledger back from the logs, verifying every chain.
    func ledger() throws -> Ledger {
        try commit()
        return try Ledger.load(store: store)
    }

    /// The ledger audited in a window given as dates or timestamps (a date for known-at means its end).
    func audit(asOf: String? = nil, knownAt: String = "2029-12-31",
               rules: [AuditRule] = AuditRule.allCases, lateDays: Int = 90) throws -> AuditReport {
        let window = TimeWindow(asOf: asOf.map(AuditLedgerBuilder.date), knownAt: LedgerTimeZone.utc.moment(parsing: knownAt)!)
        return Auditor(ledger: try ledger(), window: window, options: .init(rules: rules, lateDays: lateDays)).run()
    }
}
