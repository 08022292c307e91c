import LedgerLog
import Testing

/// The daily commands: each builds one draft from options (amounts typed in yuan) and appends it
/// through the same path as `append`.
@Suite("Shortcut commands")
struct ShortcutCommandTests {
    static let precision = Codes.precision
    static let common = ["--actor", "clerk Li", "--source", "会议纪要 2022-7"]

    static func base() -> LedgerScenario {
        let scenario = LedgerScenario()
        scenario.given([
            Draft.programme("p-yz", "yz", name: "雁阵计划", effective: "2022-01-01"),
            Draft.register("e-precision", precision, name: Codes.precisionName, effective: "2022-01-01"),
        ])
        return scenario
    }

    /// The `data` member of the last line of a log.
    static func lastData(_ scenario: LedgerScenario, _ log: String) -> JSONValue? {
        guard let line = scenario.directory.logLines(log).last else { return nil }
        return (try? JSONParser.parse(line))?["data"]
    }

    static func lastEvent(_ scenario: LedgerScenario, _ log: String) -> JSONValue? {
        scenario.directory.logLines(log).last.flatMap { try? JSONParser.parse($0) }
    }

    @Test("award converts a typed yuan amount exactly to fen", arguments: [
        ("1,500,000.50", Int64(150_000_050)), ("1500000.5", 150_000_050), ("0.01", 1), ("¥2,000", 200_000),
        ("￥ 2,000.00 元", 200_000), (" 10,000,000,000.00 ", 1_000_000_000_000),
    ])
    func award(amount: String, fen: Int64) {
        let scenario = Self.base()
        scenario.when(["award", "--grant", "G-7", "--enterprise", Self.precision, "--programme", "yz", "--amount", amount,
                       "--project", "新产线", "--effective", "2022-03-01"] + Self.common)
            .then(exit: 0, output: ["appended award:G-7 as grants.jsonl seq 2, hash ", "1 appended, 0 already present"])
        let event = Self.lastEvent(scenario, "grants")
        #expect(event?["type"]?.stringValue == "GrantAwarded")
        #expect(event?["id"]?.stringValue == "award:G-7")
        #expect(event?["effective"]?.stringValue == "2022-03-01")
        #expect(event?["recorded"]?.stringValue == "2025-01-15T09:00:00Z")
        #expect(event?["actor"]?.stringValue == "clerk Li")
        #expect(event?["source"]?.stringValue == "会议纪要 2022-7")
        #expect(event?["data"]?["amountFen"]?.numberValue?.integerValue == fen)
        #expect(event?["data"]?["project"]?.stringValue == "新产线")
        scenario.when(["verify"]).then(exit: 0)
    }

    @Test("award refuses amounts that could be misread, and nothing is appended", arguments: [
        ("1,500,000.505", "more than two"), ("-5", "negative amounts are not accepted"), ("1,50,000", ""),
        ("1e6", ""), ("0", "--amount must be positive"), ("0.00", "--amount must be positive"), ("", "--amount is required"),
        ("90071992547409.92", ""),
    ])
    func awardRefusesAmount(amount: String, phrase: String) {
        let scenario = Self.base()
        let before = scenario.directory.logSnapshot()
        let outcome = scenario.when(["award", "--grant", "G-7", "--enterprise", Self.precision, "--programme", "yz",
                                     "--amount", amount, "--project", "p", "--effective", "2022-03-01"] + Self.common)
        // Malformed (or missing) is a usage error; well-formed but zero is refused as data.
        #expect(outcome.exitCode == (phrase.contains("must be positive") ? 65 : 64), "\(outcome.errors)")
        #expect(outcome.errors.hasPrefix("incentives award: "))
        #expect(outcome.errors.contains("--amount"), "the message names the option: \(outcome.errors)")
        if !phrase.isEmpty { #expect(outcome.errors.contains(phrase), "\(outcome.errors)") }
        #expect(scenario.directory.logSnapshot() == before)
    }

    @Test("disburse needs its own id per payment and appends the amount in fen")
    func disburse() {
        let scenario = Self.base()
        scenario.given([Draft.award("a-1", grant: "G-1", enterprise: Self.precision, programme: "yz", amountFen: 100_000_000,
                                    effective: "2022-03-01")])
        scenario.when(["disburse", "--grant", "G-1", "--amount", "300,000", "--effective", "2022-04-01"] + Self.common)
            .then(exit: 64, errors: ["--id is required", "not paid twice"])
        // The time is the ledger's clock's, never the command line's.
        let before = scenario.directory.logSnapshot()
        scenario.when(["disburse", "--id", "pay-1", "--grant", "G-1", "--amount", "300,000", "--effective", "2022-04-01",
                       "--recorded", "2025-01-15T10:00:00Z"] + Self.common)
            .then(exit: 65, errors: ["gives recorded 2025-01-15T10:00:00Z", "remove \"recorded\" from the draft (and --recorded from a shortcut)"])
        #expect(scenario.directory.logSnapshot() == before)
        scenario.now = Timestamp(parsing: "2025-01-15T10:00:00Z")!
        scenario.when(["disburse", "--id", "pay-1", "--grant", "G-1", "--amount", "300,000", "--effective", "2022-04-01",
                       "--format", "json"] + Self.common)
            .then(exit: 0, output: ["\"id\": \"pay-1\"", "\"log\": \"grants\"", "\"seq\": 3", "\"recorded\": \"2025-01-15T10:00:00Z\""])
        #expect(Self.lastData(scenario, "grants")?["amountFen"]?.numberValue?.integerValue == 30_000_000)
        scenario.when(["disburse", "--id", "pay-2", "--grant", "G-404", "--amount", "1", "--effective", "2022-04-01"] + Self.common)
            .then(exit: 65, errors: ["the disburse command: GrantDisbursed pay-2 refused: there is no grant G-404"])
        // Recorded at 10:00, it is known from then on (asked with the clock at 09:00, the default known-at).
        scenario.now = Timestamp(parsing: "2025-01-15T09:00:00Z")!
        scenario.when(["summary", "--format", "json", "--known-at", "2025-01-15T10:00:00Z"])
            .then(exit: 0, output: ["\"disbursedFen\": 30000000"])
        scenario.when(["summary", "--format", "json"]).then(exit: 0, output: ["\"disbursedFen\": 0"])
    }

    @Test("promote raises the tier under a default id built from its options")
    func promote() {
        let scenario = Self.base()
        scenario.when(["promote", "--enterprise", Self.precision, "--tier", "sme", "--effective", "2022-05-01"] + Self.common)
            .then(exit: 0, output: ["appended promote:\(Self.precision):sme:2022-05-01 as tiers.jsonl seq 2"])
        scenario.when(["tiers", "--format", "json"])
            .then(exit: 0, json: #"{"asOf": null, "knownAt": "2025-01-15T09:00:00Z", "byTier": {"none": 0, "startup": 0, "sme": 1, "high-tech": 0, "influential": 0}}"#)
        scenario.when(["promote", "--enterprise", Self.precision, "--tier", "startup", "--effective", "2022-06-01"] + Self.common)
            .then(exit: 65, errors: ["a promotion must raise the tier"])
        scenario.when(["promote", "--enterprise", Self.precision, "--tier", "platinum", "--effective", "2022-06-01"] + Self.common)
            .then(exit: 64, errors: ["--tier must be one of startup, sme, high-tech, influential, not \"platinum\""])
    }

    @Test("open-centre with and without a partner")
    func openCentre() {
        let scenario = Self.base()
        scenario.when(["open-centre", "--centre", "JIC-1", "--name", "联合创新中心", "--kind", "innovation", "--city", "泰州",
                       "--partner", "泰州产业技术研究院", "--effective", "2022-05-01"] + Self.common)
            .then(exit: 0, output: ["appended open:JIC-1 as centres.jsonl seq 1"])
        scenario.when(["open-centre", "--centre", "RND-1", "--name", "R&D centre", "--kind", "rnd", "--city", "Taizhou",
                       "--effective", "2022-06-01"] + Self.common).then(exit: 0)
        scenario.when(["centres", "--format", "json"]).then(exit: 0, json: """
            {"asOf": null, "knownAt": "2025-01-15T09:00:00Z", "centres": [{"centre": "JIC-1", "name": "联合创新中心", "kind": "innovation", "city": "泰州", "partner": "泰州产业技术研究院",
              "opened": "2022-05-01", "closed": null},
             {"centre": "RND-1", "name": "R&D centre", "kind": "rnd", "city": "Taizhou", "partner": null, "opened": "2022-06-01", "closed": null}]}
            """)
        scenario.when(["open-centre", "--centre", "X", "--name", "n", "--city", "c", "--effective", "2022-06-01"] + Self.common)
            .then(exit: 64, errors: ["--kind is required"])
    }

    @Test("retract withdraws an event under the id retract:TARGET")
    func retract() {
        let scenario = Self.base()
        scenario.given([Draft.award("a-1", grant: "G-1", enterprise: Self.precision, programme: "yz", amountFen: 100_000_000,
                                    effective: "2022-03-01")])
        scenario.when(["retract", "--target", "a-1", "--reason", "wrong enterprise", "--effective", "2022-03-01"] + Self.common)
            .then(exit: 0, output: ["appended retract:a-1 as grants.jsonl seq 3"])
        #expect(Self.lastData(scenario, "grants") == JSONValue.object(["reason": "wrong enterprise", "target": "a-1"]))
        scenario.when(["summary", "--format", "json"]).then(exit: 0, output: ["\"count\": 0"])
        scenario.when(["retract", "--target", "a-1", "--reason", "again", "--id", "retract-2", "--effective", "2022-03-01"] + Self.common)
            .then(exit: 65, errors: ["event a-1 is already retracted"])
    }

    @Test("who records it: --actor or INCENTIVES_ACTOR, else a usage error; shortcuts print table or JSON only")
    func actorAndFormat() {
        let scenario = Self.base()
        let arguments = ["promote", "--enterprise", Self.precision, "--tier", "sme", "--effective", "2022-05-01", "--source", "doc"]
        scenario.when(arguments).then(exit: 64, errors: ["say who records this with --actor NAME (or set INCENTIVES_ACTOR)"])
        scenario.when(arguments + ["--format", "csv", "--actor", "a"]).then(exit: 64, errors: ["--format must be table or json"])
        scenario.when(arguments, environment: ["INCENTIVES_ACTOR": "王会计"]).then(exit: 0)
        #expect(Self.lastEvent(scenario, "tiers")?["actor"]?.stringValue == "王会计")
        scenario.when(["promote", "--enterprise", Self.precision, "--tier", "high-tech", "--effective", "2022-02-30"] + Self.common)
            .then(exit: 64, errors: ["--effective \"2022-02-30\" is not a real date"])
        scenario.when(["promote", "--enterprise", Self.precision, "--tier", "high-tech", "--effective", "2022-06-01",
                       "--recorded", "yesterday"] + Self.common)
            .then(exit: 64, errors: ["--recorded \"yesterday\" is not a UTC time"])
    }
}
