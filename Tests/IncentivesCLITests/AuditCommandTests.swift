import Foundation
import IncentivesTestSupport
import Testing
@testable import IncentivesCLI
import IncentivesDomain
import LedgerLog

/// An events directory filled through `incentives import` (its history) and `incentives append`
/// (what comes after), for running audit commands in-process.
final class AuditCLIFixture {
    /// Removed with everything in it when the fixture goes away.
    let scratch = TemporaryFileFixture(prefix: "audit-cli")
    var directory: String { scratch.path }
    static let now = Timestamp(parsing: "2024-06-30T12:00:00Z")!

    init() throws {
        let io = CapturedIO()
        guard CLI.run(["init", "--events", directory], environment: [:], io: io,
                      ledgerIds: .fixed(Array(repeating: 0xA5, count: 16))) == 0 else {
            throw LedgerError.inputOutput("init failed: \(io.errors)")
        }
    }

    /// A valid Unified Social Credit Code for each number.
    static func code(_ number: Int) -> String {
        let digits = String(number)
        let first17 = "913212040000" + String(repeating: "0", count: 5 - digits.count) + digits
        return first17 + String(UnicodeScalar(EnterpriseCode.checkCharacter(forFirst17: Array(first17.utf8))!))
    }

    /// One draft line; `data` is JSON text. `recorded` only for history brought in by `import`.
    static func draft(_ id: String, _ type: String, effective: String, recorded: String? = nil, data: String) -> String {
        let time = recorded.map { #","recorded":"\#($0)""# } ?? ""
        return #"{"id":"\#(id)","type":"\#(type)","effective":"\#(effective)"\#(time),"actor":"audit test","source":"test","data":\#(data)}"#
    }

    /// Brings the lines in with `incentives import -`, each at its own recorded time; it must succeed.
    func importHistory(_ lines: [String]) {
        let result = run(["import", "-"], input: lines.joined(separator: "\n") + "\n")
        #expect(result.code == 0, "import failed: \(result.errors)")
    }

    /// Appends the lines with `incentives append -`, the clock at `moment`; the append must succeed.
    func append(at moment: String, _ lines: [String]) {
        let result = run(["append", "-"], input: lines.joined(separator: "\n") + "\n", clock: FixedClock(Timestamp(parsing: moment)!))
        #expect(result.code == 0, "append failed: \(result.errors)")
    }

    func run(_ arguments: [String], input: String = "",
             clock: any LedgerClock = FixedClock(AuditCLIFixture.now)) -> (code: Int32, output: String, errors: String) {
        let io = CapturedIO(input: Array(input.utf8))
        let code = CLI.run(arguments + ["--events", directory], environment: [:], io: io, clock: clock)
        return (code, io.output, io.errors)
    }

    /// Runs a command and parses its JSON output.
    func json(_ arguments: [String]) throws -> (code: Int32, value: JSONValue) {
        let result = run(arguments + ["--format", "json"])
        return (result.code, try JSONParser.parse(Array(result.output.utf8)))
    }

    /// Programme yz-rd (minimum tier sme, cap ¥5,000,000.00 over 3 years, ¥10,000,000.00 for 2022),
    /// two enterprises, one a startup; G1 and G2 to the startup, the second over the cap; the
    /// back-dated G3 is recorded in 2023. The startup's code is also shown with a wrong check digit elsewhere.
    func standardLedger() {
        let first = AuditCLIFixture.code(1), second = AuditCLIFixture.code(2)
        importHistory([
            AuditCLIFixture.draft("p1", "ProgrammeEstablished", effective: "2019-01-01", recorded: "2019-01-01T09:00:00Z",
                                  data: #"{"capFen":500000000,"capYears":3,"minTier":"sme","name":"研发","programme":"yz-rd"}"#),
            AuditCLIFixture.draft("b1", "BudgetAppropriated", effective: "2022-01-01", recorded: "2022-01-01T09:00:00Z",
                                  data: #"{"amountFen":1000000000,"programme":"yz-rd","year":2022}"#),
            AuditCLIFixture.draft("r1", "EnterpriseRegistered", effective: "2019-01-01", recorded: "2019-01-01T09:00:00Z",
                                  data: #"{"enterprise":"\#(first)","name":"泰州精密","sector":"machinery"}"#),
            AuditCLIFixture.draft("r2", "EnterpriseRegistered", effective: "2019-01-01", recorded: "2019-01-01T09:00:01Z",
                                  data: #"{"enterprise":"\#(second)","name":"江堰电子","sector":"electronics"}"#),
            AuditCLIFixture.draft("t1", "TierPromoted", effective: "2020-01-01", recorded: "2020-01-01T09:00:00Z",
                                  data: #"{"enterprise":"\#(first)","tier":"startup"}"#),
            AuditCLIFixture.draft("t2", "TierPromoted", effective: "2020-01-01", recorded: "2020-01-01T09:00:01Z",
                                  data: #"{"enterprise":"\#(second)","tier":"sme"}"#),
            AuditCLIFixture.draft("award:G1", "GrantAwarded", effective: "2022-03-01", recorded: "2022-03-01T09:00:00Z",
                                  data: #"{"amountFen":300000000,"enterprise":"\#(second)","grant":"G1","programme":"yz-rd","project":"Line A"}"#),
            AuditCLIFixture.draft("award:G2", "GrantAwarded", effective: "2022-06-30", recorded: "2022-06-30T09:00:00Z",
                                  data: #"{"amountFen":250000000,"enterprise":"\#(second)","grant":"G2","programme":"yz-rd","project":"Line B"}"#),
            AuditCLIFixture.draft("award:G3", "GrantAwarded", effective: "2022-05-01", recorded: "2023-02-01T09:00:00Z",
                                  data: #"{"amountFen":100000000,"enterprise":"\#(first)","grant":"G3","programme":"yz-rd","project":"Line C"}"#),
        ])
    }
}

@Suite("audit command")
struct AuditCommandTests {
    @Test func jsonListsTheFindingsAndExitsZeroWithoutFailOn() throws {
        let fixture = try AuditCLIFixture()
        fixture.standardLedger()
        let (code, value) = try fixture.json(["audit", "--rule", "cap-exceeded", "--rule", "tier-below-minimum,late-recording"])
        #expect(code == 0)
        #expect(value["rules"] == .array([.string("tier-below-minimum"), .string("cap-exceeded"), .string("late-recording")]))
        guard case .array(let findings)? = value["findings"] else { Issue.record("no findings array"); return }
        let summary = findings.map { finding -> String in
            guard case .string(let rule)? = finding["rule"], case .string(let subject)? = finding["subject"],
                  case .string(let effective)? = finding["effective"] else { return "?" }
            return "\(rule) \(subject) \(effective)"
        }
        #expect(summary == ["tier-below-minimum G3 2022-05-01", "cap-exceeded G2 2022-06-30", "late-recording G3 2022-05-01"])
        #expect(findings[1]["event"] == .string("award:G2") && findings[1]["severity"] == .string("error"))
        #expect(findings[1]["message"] == .string("grant G2 of ¥2,500,000.00 to \(AuditCLIFixture.code(2)) brings awards under programme yz-rd in the 3 years to 2022-06-30 to ¥5,500,000.00 (2 awards from 2019-07-01), over the cap of ¥5,000,000.00 by ¥500,000.00"))
        #expect(value["counts"] == .object(JSONObject(members: [
            JSONMember(key: "error", value: .number(JSONNumber(2))), JSONMember(key: "warning", value: .number(JSONNumber(1))),
            JSONMember(key: "info", value: .number(JSONNumber(0))),
        ])))
        #expect(value["knownAt"] == .string("2024-06-30T12:00:00Z") && value["asOf"] == .null)
    }

    @Test func failOnDecidesTheExitCode() throws {
        let fixture = try AuditCLIFixture()
        fixture.standardLedger()
        let failing = fixture.run(["audit", "--fail-on", "error"])
        #expect(failing.code == 1)
        #expect(failing.errors.contains("--fail-on error"))
        #expect(fixture.run(["audit", "--rule", "late-recording", "--fail-on", "error"]).code == 0)
        #expect(fixture.run(["audit", "--rule", "late-recording", "--fail-on", "warning"]).code == 1)
        // Concentration is information: it never fails an audit.
        #expect(fixture.run(["audit", "--rule", "concentration", "--fail-on", "warning"]).code == 0)
        #expect(fixture.run(["audit", "--rule", "duplicate-award", "--fail-on", "warning"]).code == 0)
    }

    @Test func aFindingThatAppearsOnlyAtALaterKnownAt() throws {
        let fixture = try AuditCLIFixture()
        fixture.standardLedger()
        let before = try fixture.json(["audit", "--rule", "tier-below-minimum", "--known-at", "2023-01-31"])
        #expect(before.value["findings"] == .array([]))
        let after = try fixture.json(["audit", "--rule", "tier-below-minimum", "--known-at", "2023-02-01T09:00:00Z", "--fail-on", "error"])
        #expect(after.code == 1)
        guard case .array(let findings)? = after.value["findings"] else { Issue.record("no findings"); return }
        #expect(findings.map { $0["subject"] } == [.string("G3")])
        // As of a date before the award, there is nothing to find either.
        #expect(try fixture.json(["audit", "--rule", "tier-below-minimum", "--as-of", "2022-04-30"]).value["findings"] == .array([]))
    }

    @Test func aRetractionRemovesTheFinding() throws {
        let fixture = try AuditCLIFixture()
        fixture.standardLedger()
        fixture.append(at: "2023-03-01T09:00:00Z", [AuditCLIFixture.draft("x1", "EventRetracted", effective: "2023-03-01",
                                              data: #"{"reason":"wrong enterprise","target":"award:G3"}"#)])
        #expect(fixture.run(["audit", "--rule", "tier-below-minimum", "--fail-on", "error"]).code == 0)
        #expect(fixture.run(["audit", "--rule", "tier-below-minimum", "--fail-on", "error", "--known-at", "2023-02-28"]).code == 1)
    }

    @Test func csvHasTheFindingColumns() throws {
        let fixture = try AuditCLIFixture()
        fixture.standardLedger()
        let result = fixture.run(["audit", "--rule", "cap-exceeded", "--format", "csv"])
        #expect(result.code == 0)
        let lines = result.output.components(separatedBy: "\r\n")
        #expect(lines.first == "rule,severity,subject,event,effective,message")
        #expect(lines.count == 3 && lines[2].isEmpty)
        #expect(lines[1].hasPrefix("cap-exceeded,error,G2,award:G2,2022-06-30,\"grant G2 of ¥2,500,000.00 to "))
    }

    @Test func tableShowsTheFindingsAndCounts() throws {
        let fixture = try AuditCLIFixture()
        fixture.standardLedger()
        let result = fixture.run(["audit", "--rule", "cap-exceeded,late-recording", "--as-of", "2022-12-31", "--known-at", "2024-01-01"])
        #expect(result.code == 0)
        let lines = result.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "audit as of 2022-12-31, known at 2024-01-01 23:59:59+08:00; rules: cap-exceeded, late-recording")
        #expect(lines.count > 1 && lines[1].hasPrefix("heads: tiers "), "\(lines)")
        #expect(lines.contains { $0.hasPrefix("rule") && $0.contains("severity") && $0.contains("message") })
        #expect(lines.contains { $0.hasPrefix("cap-exceeded    error") && $0.contains("award:G2") })
        #expect(lines.contains { $0.hasPrefix("late-recording") && $0.contains("G3") })
        #expect(lines.contains("2 findings: 1 error, 1 warning, 0 info"))
        let clean = fixture.run(["audit", "--rule", "payment-before-award"])
        #expect(clean.output.contains("\nno findings\n") && clean.output.hasSuffix("0 findings: 0 errors, 0 warnings, 0 info\n"))
    }

    @Test func lateDaysIsAnOption() throws {
        let fixture = try AuditCLIFixture()
        fixture.standardLedger()
        // G3 is recorded 276 days after it took effect.
        guard case .array(let late)? = try fixture.json(["audit", "--rule", "late-recording", "--late-days", "276"]).value["findings"],
              case .array(let lateLimit)? = try fixture.json(["audit", "--rule", "late-recording", "--late-days", "275"]).value["findings"] else {
            Issue.record("no findings arrays"); return
        }
        #expect(late.isEmpty && lateLimit.count == 1)
    }

    @Test(arguments: [
        (["audit", "--rule", "cap"], "unknown rule \"cap\""),
        (["audit", "--fail-on", "info"], "--fail-on must be warning or error"),
        (["audit", "--late-days", "-1"], "--late-days must be a whole number of days"),
        (["audit", "--late-days", "ninety"], "--late-days must be a whole number of days"),
        (["audit", "--format", "xml"], "--format must be table, json or csv"),
        (["audit", "--as-of", "2022-02-30"], "is not a real date"),
    ])
    func badOptionsAreUsageErrors(arguments: [String], message: String) throws {
        let fixture = try AuditCLIFixture()
        fixture.standardLedger()
        let result = fixture.run(arguments)
        #expect(result.code == 64)
        #expect(result.errors.contains(message), "\(result.errors)")
        #expect(result.output.isEmpty)
    }

    @Test func aMissingEventsDirectoryIsNoLedger() {
        let io = CapturedIO()
        let code = CLI.run(["audit", "--events", "/nonexistent/audit-events"], environment: [:], io: io, clock: FixedClock(AuditCLIFixture.now))
        #expect(code == 66)
        #expect(io.errors.contains("no ledger in /nonexistent/audit-events (the directory does not exist)"), "\(io.errors)")
    }

    @Test func helpNamesEveryRule() {
        let io = CapturedIO()
        #expect(CLI.run(["help", "audit"], environment: [:], io: io) == 0)
        for rule in AuditRule.allCases { #expect(io.output.contains(rule.name)) }
    }
}
