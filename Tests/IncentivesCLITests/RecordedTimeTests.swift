import Foundation
import IncentivesCLI
import LedgerLog
import Testing

/// Transaction time belongs to the ledger: `recorded` is its clock at the moment of the append,
/// never a draft's, never decreasing; history from another system comes in only by `import`,
/// into an empty ledger.
@Suite("Recorded time is the ledger's clock")
struct RecordedTimeTests {
    /// The ledger's clock for the bundled data: a day in 2026, long after its last event (2023-10-06).
    static let clock2026 = "2026-12-04T10:00:00Z"

    /// A copy of the bundled Events/ in a scenario whose clock says 2026.
    static func bundledCopy() throws -> LedgerScenario {
        let scenario = LedgerScenario(now: clock2026)
        for log in ["tiers", "centres", "grants"] {
            let bytes = try #require(FileManager.default.contents(atPath: GoldenReplayTests.events + "/\(log).jsonl"))
            scenario.directory.writeLog(log, [UInt8](bytes))
        }
        return scenario
    }

    static func disbursement(_ id: String, recorded: String? = nil) -> String {
        Draft.grantAmount(id, "GrantDisbursed", grant: "JY-G2021-0007", amountFen: 100_000, effective: "2026-12-01",
                          recorded: recorded)
    }

    static func events(_ outcome: CommandOutcome) -> Int64? { outcome.json?["events"]?.numberValue?.integerValue }

    @Test("a draft recorded at 9999-12-31 is refused, and later appends are seen by every query")
    func farFutureRecordedIsRefused() throws {
        let scenario = try Self.bundledCopy()
        let before = scenario.directory.logSnapshot()
        scenario.append([Self.disbursement("p-future", recorded: "9999-12-31T23:59:59Z")])
            .then(exit: 65, errors: ["p-future", "recorded 9999-12-31", "nothing was appended"])
        scenario.append([Self.disbursement("p-given", recorded: "2026-12-04T00:00:00Z")])
            .then(exit: 65, errors: ["event p-given gives recorded 2026-12-04T00:00:00Z", "incentives import", "nothing was appended"])
        #expect(scenario.directory.logSnapshot() == before)

        scenario.when(["disburse", "--id", "p-d1", "--grant", "JY-G2021-0007", "--amount", "1000", "--effective", "2026-12-01",
                       "--actor", "me", "--source", "doc", "--format", "json"])
            .then(exit: 0, output: ["\"recorded\": \"\(Self.clock2026)\""])
        #expect(Self.events(scenario.when(["summary", "--format", "json"])) == 2500)
    }

    @Test("a draft recorded just after the log's last event cannot rewrite what the ledger said in 2023")
    func pastRecordedIsRefused() throws {
        let scenario = try Self.bundledCopy()
        let known = ["--known-at", "2023-12-31"]
        let summary = scenario.when(["summary", "--format", "json"] + known)
        #expect(summary.json?["grants"]?["count"]?.numberValue?.integerValue == 342)
        let restatements = scenario.when(["restatements", "--period", "2023", "--reported-at", "2023-12-31"])
        restatements.then(exit: 0, output: ["as reported"])

        let award = Draft.award("award:JY-G2023-9999", grant: "JY-G2023-9999", enterprise: "91321204092785027J",
                                programme: "YZ-STARTUP", amountFen: 10_000_000, effective: "2023-10-01",
                                recorded: "2023-10-07T00:00:00Z")
        scenario.append([award]).then(exit: 65, errors: ["gives recorded 2023-10-07T00:00:00Z", "incentives import"])
        // Appended without a time, it is recorded now: the answers about 2023 stay as they were given.
        scenario.given([Draft.award("award:JY-G2023-9999", grant: "JY-G2023-9999", enterprise: "91321204092785027J",
                                    programme: "YZ-STARTUP", amountFen: 10_000_000, effective: "2023-10-01")])
        #expect(scenario.when(["summary", "--format", "json"] + known).output == summary.output)
        #expect(scenario.when(["restatements", "--period", "2023", "--reported-at", "2023-12-31", "--known-at", "2023-12-31"])
            .output == restatements.output.replacingOccurrences(of: "compared with what is known at 2026-12-04 18:00:00+08:00",
                                                                with: "compared with what is known at 2023-12-31 23:59:59+08:00"))
        // And the restatement since the report names the award, recorded when it was appended.
        scenario.when(["restatements", "--period", "2023", "--reported-at", "2023-12-31"])
            .then(exit: 1, output: ["award:JY-G2023-9999", "the 2023 figures were restated"])
        #expect(scenario.when(["summary", "--format", "json"]).json?["grants"]?["count"]?.numberValue?.integerValue == 343)
    }

    @Test("an effective date more than 366 days after the day it is recorded is a typo and refused", arguments: [
        ("2031-06-01", false), ("2027-12-05", true), ("2027-12-06", false),
    ])
    func effectiveHorizon(effective: String, accepted: Bool) throws {
        let scenario = try Self.bundledCopy()
        let before = scenario.directory.logSnapshot()
        let outcome = scenario.when(["award", "--grant", "JY-G2026-0001", "--enterprise", "91321204092785027J",
                                     "--programme", "YZ-STARTUP", "--amount", "100000", "--project", "p",
                                     "--effective", effective, "--actor", "me", "--source", "doc"])
        if accepted {
            outcome.then(exit: 0, output: ["1 appended"])
        } else {
            outcome.then(exit: 65, errors: ["effective \(effective)", "after 2026-12-04, the day it is recorded",
                                            "more than the 366", "check the date for a typo"])
            #expect(scenario.directory.logSnapshot() == before)
        }
    }

    @Test("a clock behind the ledger refuses every append, naming both times, whichever log it would touch")
    func clockGoneBack() {
        let scenario = LedgerScenario(now: "2025-03-01T10:00:00Z")
        scenario.given([Draft.programme("p-yz", "yz", name: "雁阵计划", effective: "2025-01-01")])
        let before = scenario.directory.logSnapshot()
        scenario.now = Timestamp(parsing: "2025-03-01T09:59:59Z")!
        // The programme is in grants.jsonl; the registration would go to tiers.jsonl, empty so far.
        scenario.append([Draft.register("e-1", Codes.precision, name: Codes.precisionName, effective: "2025-01-01")])
            .then(exit: 65, errors: ["the ledger's clock says 2025-03-01T09:59:59Z",
                                     "grants.jsonl already holds an event recorded at 2025-03-01T10:00:00Z",
                                     "the clock has gone back", "nothing was appended"])
        scenario.when(["promote", "--enterprise", Codes.precision, "--tier", "sme", "--effective", "2025-02-01",
                       "--actor", "me", "--source", "doc"])
            .then(exit: 65, errors: ["the clock has gone back"])
        #expect(scenario.directory.logSnapshot() == before)
        // The same second again is not going back.
        scenario.now = Timestamp(parsing: "2025-03-01T10:00:00Z")!
        scenario.given([Draft.register("e-1", Codes.precision, name: Codes.precisionName, effective: "2025-01-01")])
    }

    @Test("a log holding a time in the future is never appended to at a raised time")
    func futureLogIsNotFollowed() {
        let scenario = LedgerScenario(now: "2025-03-01T10:00:00Z")
        // History imported with a time ahead of a clock that later says less.
        let future = Draft.programme("p-yz", "yz", name: "雁阵计划", effective: "2025-01-01", recorded: "2025-03-01T10:00:00Z")
        scenario.when(["import", scenario.directory.writeInput("history.jsonl", Array((future + "\n").utf8))]).then(exit: 0)
        scenario.now = Timestamp(parsing: "2025-02-01T00:00:00Z")!
        scenario.append([Draft.programme("p-2", "second", name: "二", effective: "2025-01-01")])
            .then(exit: 65, errors: ["2025-02-01T00:00:00Z", "2025-03-01T10:00:00Z", "the clock has gone back"])
        #expect(scenario.directory.logLines("grants").count == 1)
    }

    static let history = [
        Draft.programme("p-yz", "yz", name: "雁阵计划", effective: "2019-01-01", recorded: "2019-01-02T08:00:00Z"),
        Draft.register("e-1", Codes.precision, name: Codes.precisionName, effective: "2019-01-01", recorded: "2019-01-02T08:00:00Z"),
        Draft.award("a-1", grant: "G-1", enterprise: Codes.precision, programme: "yz", amountFen: 100_000_000,
                    effective: "2019-03-01", recorded: "2019-03-02T09:00:00Z"),
        // Earlier than the award, but in another log: each log is in order on its own.
        Draft.tier("t-1", enterprise: Codes.precision, tier: "startup", effective: "2019-02-01", recorded: "2019-02-01T09:00:00Z"),
    ]

    @Test("import keeps the recorded times of history into an empty ledger, and the ledger goes on from there")
    func importKeepsHistory() {
        let scenario = LedgerScenario(now: "2025-01-15T09:00:00Z")
        let path = scenario.directory.writeInput("history.jsonl", Array(Self.history.map { $0 + "\n" }.joined().utf8))
        // A batch: a summary and where each log now ends; history is not audited on the way in (no warnings).
        let imported = scenario.when(["import", path]).then(exit: 0, output: ["4 appended", "grants.jsonl: seq 1 to 2, head "])
        #expect(imported.errors.isEmpty, "\(imported.errors)")
        scenario.when(["verify"]).then(exit: 0)
        let verbose = LedgerScenario(now: "2025-01-15T09:00:00Z")
        verbose.when(["import", "--verbose", path]).then(exit: 0, output: ["appended a-1 as grants.jsonl seq 2", "4 appended"])
        let entries = scenario.when(["history", "G-1", "--format", "json"]).value("events")?.arrayValue ?? []
        #expect(entries.first?["recorded"]?.stringValue == "2019-03-02T09:00:00Z")
        // What was known at the end of February 2019: the programme, the enterprise and its tier, no grant.
        scenario.when(["summary", "--format", "json", "--known-at", "2019-02-28"]).then(exit: 0, json: ExpectedJSON.summary(
            knownAt: "2019-02-28T15:59:59Z", events: 3, registered: 1, byTier: [0, 1, 0, 0, 0]))
        // From here on, the clock records.
        scenario.given([Draft.grantAmount("d-1", "GrantDisbursed", grant: "G-1", amountFen: 1_000, effective: "2024-12-01")])
        #expect(scenario.directory.logLines("grants").last?.contains("\"recorded\":\"2025-01-15T09:00:00Z\"") == true)
    }

    @Test("import refuses a ledger that holds events, drafts without recorded, times after the clock or out of order")
    func importRefusals() {
        let scenario = LedgerScenario(now: "2025-01-15T09:00:00Z")
        func importing(_ lines: [String]) -> CommandOutcome {
            scenario.when(["import", "-"], input: Array(lines.map { $0 + "\n" }.joined().utf8))
        }
        importing([Draft.programme("p-yz", "yz", name: "雁阵计划", effective: "2019-01-01")])
            .then(exit: 65, errors: ["event p-yz has no recorded time", "incentives append", "nothing was imported"])
        importing([Draft.programme("p-yz", "yz", name: "雁阵计划", effective: "2025-01-01", recorded: "2025-01-15T09:00:01Z")])
            .then(exit: 65, errors: ["recorded at 2025-01-15T09:00:01Z, after the ledger's clock (2025-01-15T09:00:00Z)"])
        importing([
            Draft.programme("p-yz", "yz", name: "雁阵计划", effective: "2019-01-01", recorded: "2019-01-02T08:00:00Z"),
            Draft.programme("p-2", "second", name: "二", effective: "2019-01-01", recorded: "2019-01-01T08:00:00Z"),
        ]).then(exit: 65, errors: ["event p-2 is recorded at 2019-01-01T08:00:00Z, before 2019-01-02T08:00:00Z",
                                   "grants.jsonl", "sort the drafts by recorded"])
        importing([Draft.programme("p-yz", "yz", name: "雁阵计划", effective: "2021-01-03", recorded: "2019-01-02T08:00:00Z")])
            .then(exit: 65, errors: ["effective 2021-01-03", "after 2019-01-02, the day it is recorded"])
        #expect(scenario.directory.logSnapshot().values.allSatisfy { $0 == nil }, "nothing was imported")

        let first = Draft.programme("p-yz", "yz", name: "雁阵计划", effective: "2019-01-01", recorded: "2019-01-02T08:00:00Z")
        importing([first]).then(exit: 0, output: ["1 appended"])
        let after = scenario.directory.logSnapshot()
        // Once the ledger holds an event, history can no longer be put before it, not even a retry.
        for lines in [[first], [Draft.register("e-1", Codes.precision, name: Codes.precisionName, effective: "2019-01-01",
                                               recorded: "2019-01-03T08:00:00Z")]] {
            importing(lines).then(exit: 65, errors: ["the ledger already holds events: grants.jsonl (1 events)",
                                                     "import fills only a new, empty ledger", "nothing was imported"])
        }
        #expect(scenario.directory.logSnapshot() == after)
    }
}
