import LedgerLog
import Testing

/// An id names one event forever: appending the same batch again changes nothing, and the same
/// id with other content is refused.
@Suite("Idempotent appends")
struct IdempotentAppendTests {
    static let batch = [
        Draft.programme("p-yz", "yz", name: "雁阵计划", effective: "2022-01-01"),
        Draft.register("e-precision", Codes.precision, name: Codes.precisionName, effective: "2022-01-01"),
        Draft.award("a-1", grant: "G-1", enterprise: Codes.precision, programme: "yz", amountFen: 150_000_050, effective: "2022-03-01"),
        Draft.openCentre("c-1", centre: "C-1", name: "联合创新中心", effective: "2022-05-01"),
    ]

    @Test("the same batch again is all already present and the logs are unchanged, whatever the clock says")
    func sameBatchAgain() {
        let scenario = LedgerScenario()
        scenario.given(Self.batch).then(exit: 0, output: ["4 appended, 0 already present"])
        let after = scenario.directory.logSnapshot()
        scenario.now = Timestamp(parsing: "2025-02-01T10:00:00Z")!
        scenario.append(Self.batch, extraArguments: ["--verbose"]).then(exit: 0, output: [
            "already present: p-yz", "already present: e-precision", "already present: a-1", "already present: c-1",
            "0 appended, 4 already present",
        ])
        #expect(scenario.directory.logSnapshot() == after)
        scenario.append(Self.batch, extraArguments: ["--format", "json"])
            .then(exit: 0, json: #"{"appended": [], "alreadyPresent": ["p-yz", "e-precision", "a-1", "c-1"], "findings": []}"#)
        #expect(scenario.directory.logSnapshot() == after)
    }

    @Test("a retry of an append keeps the first attempt's recorded time; a retry that gives recorded is refused")
    func retryKeepsRecorded() {
        let scenario = LedgerScenario()
        let first = Draft.programme("p-yz", "yz", name: "雁阵计划", effective: "2022-01-01")
        scenario.given(at: "2022-01-02T08:00:00Z", [first])
        let after = scenario.directory.logSnapshot()
        scenario.append([first]).then(exit: 0, output: ["0 appended, 1 already present"])
        #expect(scenario.when(["history", "p-yz", "--format", "json"]).value("events")?.arrayValue?.first?["recorded"]?
            .stringValue == "2022-01-02T08:00:00Z")
        let given = Draft.programme("p-yz", "yz", name: "雁阵计划", effective: "2022-01-01", recorded: "2022-01-02T08:00:00Z")
        scenario.append([given]).then(exit: 65, errors: ["gives recorded 2022-01-02T08:00:00Z", "nothing was appended"])
        #expect(scenario.directory.logSnapshot() == after)
    }

    @Test("the same id with different content is refused with exit 65 and nothing changes", arguments: [
        Draft.award("a-1", grant: "G-1", enterprise: Codes.precision, programme: "yz", amountFen: 150_000_051, effective: "2022-03-01"),
        Draft.award("a-1", grant: "G-1", enterprise: Codes.precision, programme: "yz", amountFen: 150_000_050, effective: "2022-03-02"),
        Draft.line("a-1", "GrantAwarded", effective: "2022-03-01", actor: "clerk Wang",
                   data: "{\"grant\":\"G-1\",\"enterprise\":\"\(Codes.precision)\",\"programme\":\"yz\",\"amountFen\":150000050,\"project\":\"precision parts line\"}"),
        Draft.grantAmount("a-1", "GrantDisbursed", grant: "G-1", amountFen: 150_000_050, effective: "2022-03-01"),
        Draft.programme("c-1", "other", name: "another programme", effective: "2022-01-01"),
    ])
    func sameIdOtherContent(draft: String) {
        let scenario = LedgerScenario()
        scenario.given(Self.batch)
        let after = scenario.directory.logSnapshot()
        let path = scenario.nextInputPath
        let id = draft.hasPrefix("{\"id\":\"c-1\"") ? "c-1" : "a-1"
        scenario.append([Draft.grantAmount("d-new", "GrantDisbursed", grant: "G-1", amountFen: 5, effective: "2022-04-01"), draft])
            .then(exit: 65, errors: ["\(path):2: id \(id) is already in the ledger with different content", "use a new id"])
        #expect(scenario.directory.logSnapshot() == after, "not even the new draft before it was appended")
    }

    @Test("a retry that adds to a batch appends only what is new")
    func partlyRepeated() {
        let scenario = LedgerScenario()
        scenario.given(Array(Self.batch.prefix(2)))
        let grantsBefore = scenario.directory.readLog("grants")
        scenario.append(Self.batch, extraArguments: ["--format", "json"]).then(exit: 0, output: [])
        let result = scenario.when(["verify", "--format", "json"])
        result.then(exit: 0, output: ["\"ok\": true"])
        #expect(scenario.directory.logLines("grants").count == 2)
        #expect(Array(scenario.directory.readLog("grants").prefix(grantsBefore.count)) == grantsBefore)
        #expect(scenario.directory.logLines("centres").count == 1)
        #expect(scenario.directory.logLines("tiers").count == 1)
    }

    @Test("the award shortcut run twice awards once")
    func shortcutTwice() {
        let scenario = LedgerScenario()
        scenario.given(Array(Self.batch.prefix(2)))
        let arguments = ["award", "--grant", "G-7", "--enterprise", Codes.precision, "--programme", "yz", "--amount", "1,500,000.50",
                         "--project", "新产线", "--effective", "2022-03-01", "--actor", "clerk Li", "--source", "notice 7"]
        scenario.when(arguments).then(exit: 0, output: ["appended award:G-7 as grants.jsonl seq 2"])
        let after = scenario.directory.logSnapshot()
        scenario.now = Timestamp(parsing: "2025-03-01T00:00:00Z")!
        scenario.when(arguments).then(exit: 0, output: ["already present: award:G-7", "0 appended, 1 already present"])
        #expect(scenario.directory.logSnapshot() == after)
        scenario.when(Array(arguments.dropLast(2)) + ["--source", "notice 8"])
            .then(exit: 65, errors: ["id award:G-7 is already in the ledger with different content"])
    }
}
