import Foundation
import Testing
@testable import IncentivesCLI
import IncentivesDomain
import LedgerLog

@Suite("restatements command")
struct AuditRestatementsCommandTests {
    @Test func nothingChangedExitsZero() throws {
        let fixture = try AuditCLIFixture()
        fixture.standardLedger()
        // Reported after G3 was recorded: nothing about 2022 has been learned since.
        let (code, value) = try fixture.json(["restatements", "--period", "2022", "--reported-at", "2023-02-15"])
        #expect(code == 0)
        #expect(value["restated"] == .bool(false))
        #expect(value["events"] == .array([]))
        #expect(value["reportedAt"] == .string("2023-02-15T15:59:59Z") && value["knownAt"] == .string("2024-06-30T12:00:00Z"))
        let table = fixture.run(["restatements", "--period", "2022", "--reported-at", "2023-02-15"])
        #expect(table.code == 0 && table.output.hasSuffix("the 2022 figures are as reported\n"))
    }

    @Test func aBackDatedAwardAndAmendmentRestateThePeriod() throws {
        let fixture = try AuditCLIFixture()
        fixture.standardLedger()
        fixture.append(at: "2023-03-01T09:00:00Z", [AuditCLIFixture.draft("amend:G1", "GrantAmended", effective: "2022-12-01",
                                              data: #"{"amountFen":320000000,"grant":"G1"}"#)])
        let (code, value) = try fixture.json(["restatements", "--period", "2022", "--reported-at", "2023-01-15"])
        #expect(code == 1)
        #expect(value["restated"] == .bool(true))
        guard case .array(let events)? = value["events"] else { Issue.record("no events"); return }
        #expect(events.map { $0["event"] } == [.string("award:G3"), .string("amend:G1")])
        #expect(events[1]["difference"]?["awardedFen"] == .number(JSONNumber(20_000_000)))
        #expect(events[0]["difference"]?["count"] == .number(JSONNumber(1)))
        #expect(value["difference"]?["awardedFen"] == .number(JSONNumber(120_000_000)))
        #expect(value["reported"]?["awardedFen"] == .number(JSONNumber(550_000_000)))
    }

    @Test func aRetractionAfterTheReportIsListed() throws {
        let fixture = try AuditCLIFixture()
        fixture.standardLedger()
        fixture.append(at: "2023-03-01T09:00:00Z", [AuditCLIFixture.draft("x1", "EventRetracted", effective: "2023-03-01",
                                              data: #"{"reason":"recorded twice","target":"award:G2"}"#)])
        let (code, value) = try fixture.json(["restatements", "--period", "2022Q2", "--reported-at", "2023-02-15",
                                              "--known-at", "2023-12-31"])
        #expect(code == 1)
        guard case .array(let events)? = value["events"], let event = events.first else { Issue.record("no events"); return }
        #expect(events.count == 1)
        #expect(event["event"] == .string("x1") && event["retracts"] == .string("award:G2") && event["type"] == .string("EventRetracted"))
        #expect(event["difference"]?["count"] == .number(JSONNumber(-1)))
        #expect(event["difference"]?["awardedFen"] == .number(JSONNumber(-250_000_000)))
        let table = fixture.run(["restatements", "--period", "2022Q2", "--reported-at", "2023-02-15"])
        #expect(table.code == 1)
        #expect(table.output.contains("x1") && table.output.contains("-2,500,000.00"))
        #expect(table.output.contains("changed by enterprise") && table.output.hasSuffix("the 2022Q2 figures were restated\n"))
        // Known only up to before the retraction, Q2 stands as reported.
        #expect(fixture.run(["restatements", "--period", "2022Q2", "--reported-at", "2023-02-15", "--known-at", "2023-02-28"]).code == 0)
    }

    @Test(arguments: [
        (["restatements", "--reported-at", "2023-01-15"], "--period is required"),
        (["restatements", "--period", "2022H1", "--reported-at", "2023-01-15"], "is not a year (2022), a quarter (2022Q3) or a month (2022-07)"),
        (["restatements", "--period", "2022"], "--reported-at is required"),
        (["restatements", "--period", "2022", "--reported-at", "15/01/2023"], "--reported-at \"15/01/2023\" is not a time: give YYYY-MM-DD"),
        (["restatements", "--period", "2022", "--reported-at", "2023-06-01", "--known-at", "2023-05-01"], "is after --known-at"),
        (["restatements", "--period", "2022", "--reported-at", "2023-01-15", "--format", "xml"], "--format must be table, json or csv"),
    ])
    func badOptionsAreUsageErrors(arguments: [String], message: String) throws {
        let fixture = try AuditCLIFixture()
        fixture.standardLedger()
        let result = fixture.run(arguments)
        #expect(result.code == 64)
        #expect(result.errors.contains(message), "\(result.errors)")
    }
}
