import Testing

/// Malformed command lines exit 64 with a message that says what to type; a query on a log that
/// does not verify exits 65 and says to run verify, unless `--no-verify` asks for an answer anyway.
@Suite("Usage errors, verify, tampered logs")
struct UsageAndTamperTests {
    @Test("usage errors exit 64 and say what is wrong", arguments: [
        ([], "usage: incentives COMMAND"),
        (["sumary"], "unknown command \"sumary\" (did you mean summary?)"),
        (["summary", "--colour", "red"], "summary: unknown option --colour; it accepts"),
        (["summary", "--format", "xml"], "--format must be table, json or csv, not \"xml\""),
        (["summary", "--as-of", "2023-02-30"], "--as-of \"2023-02-30\" is not a real date in the form YYYY-MM-DD"),
        (["summary", "--as-of", "31/12/2022"], "--as-of \"31/12/2022\" is not a real date"),
        (["summary", "--known-at", "noon"], "--known-at \"noon\" is not a time: give YYYY-MM-DD (the end of that day in the ledger's time zone), YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DDTHH:MM:SS+08:00"),
        (["summary", "--unit", "dollars"], "--unit must be yuan or wan"),
        (["summary", "--as-of"], "option --as-of needs a value"),
        (["summary", "--format", "json", "--format", "csv"], "--format is given more than once"),
        (["summary", "extra"], "expected 0 arguments, got 1"),
        (["summary", "--bom=yes"], "--bom takes no value"),
        (["verify", "--format", "csv"], "verify: --format must be table or json"),
        (["enterprise"], "expected 1 argument, got 0"),
        (["grants", "--by", "colour"], "--by must be one of"),
    ])
    func usageError(arguments: [String], phrase: String) {
        let scenario = LedgerScenario()
        let outcome = scenario.when(arguments, addingEvents: false)
        #expect(outcome.exitCode == 64, "\(arguments): exit \(outcome.exitCode) \(outcome.errors)")
        #expect(outcome.errors.contains(phrase), "\(arguments): \(outcome.errors)")
        #expect(outcome.output.isEmpty)
    }

    @Test("help and version exit 0")
    func help() {
        let scenario = LedgerScenario()
        scenario.when(["help"]).then(exit: 0, output: ["commands:", "exit codes: 0 success, 1 problems found, 64 usage, 65 bad data, 66 no ledger, 74 I/O error"])
        scenario.when(["help", "grants"]).then(exit: 0, output: ["usage: incentives grants [--by year|programme|tier|enterprise|month]"])
        scenario.when(["summary", "--help"]).then(exit: 0, output: ["usage: incentives summary"])
        scenario.when(["--version"]).then(exit: 0, output: ["incentives "])
    }

    @Test("a missing events directory is no ledger (66), and the message says how to make or point at one")
    func missingDirectory() {
        let scenario = LedgerScenario()
        let outcome = scenario.when(["summary", "--events", scenario.directory.root + "/nowhere"], addingEvents: false)
        outcome.then(exit: 66, errors: ["no ledger in", "(the directory does not exist)", "`incentives init --events",
                                        "--events DIR", "INCENTIVES_EVENTS"])
    }

    static func tampered() -> (LedgerScenario, [UInt8]) {
        let scenario = LedgerScenario()
        scenario.given([
            Draft.programme("p-yz", "yz", name: "雁阵计划", effective: "2022-01-01"),
            Draft.register("e-precision", Codes.precision, name: Codes.precisionName, effective: "2022-01-01"),
            Draft.award("a-1", grant: "G-1", enterprise: Codes.precision, programme: "yz", amountFen: 100_000_000, effective: "2022-03-01"),
            Draft.openCentre("o-1", centre: "C-1", name: "联合创新中心", effective: "2022-05-01"),
        ])
        let original = scenario.directory.readLog("grants")
        // Someone adds a zero to the award in place.
        let text = String(decoding: original, as: UTF8.self).replacingOccurrences(of: "\"amountFen\":100000000", with: "\"amountFen\":1000000000")
        scenario.directory.writeLog("grants", Array(text.utf8))
        return (scenario, original)
    }

    @Test("verify reports a tampered line with exit 1; an intact ledger verifies with exit 0")
    func verifyExitCodes() {
        let (scenario, original) = Self.tampered()
        scenario.when(["verify"]).then(exit: 1, output: ["grants.jsonl:2: hash does not match the event's content", "FAILED: 1 problem"])
        scenario.when(["verify", "--format", "json"]).then(exit: 1, output: [
            "\"ok\": false", "\"log\": \"grants\"", "\"line\": 2", "\"problem\": \"hash does not match the event's content",
        ])
        scenario.directory.writeLog("grants", original)
        scenario.when(["verify"]).then(exit: 0, output: ["tiers", "centres", "grants", "ok: 4 events in 3 logs verify"])
        let json = scenario.when(["verify", "--format", "json"])
        json.then(exit: 0, output: ["\"ok\": true", "\"problems\": []"])
        #expect(json.value("logs")?.arrayValue?.compactMap { $0["events"]?.numberValue?.integerValue } == [1, 1, 2])
    }

    @Test("every query on a tampered ledger exits 65 and says to run verify", arguments: [
        ["summary"], ["grants", "--by", "year"], ["enterprise", Codes.precision], ["tiers"], ["centres"], ["history", "G-1"],
    ])
    func queryOnTamperedLog(command: [String]) {
        let (scenario, _) = Self.tampered()
        let outcome = scenario.when(command + ["--format", "json"])
        outcome.then(exit: 65, errors: ["do not verify", "grants.jsonl:2: hash does not match", "run `incentives verify`", "--no-verify"])
        #expect(outcome.output.isEmpty, "no answer from a log that does not verify")
    }

    @Test("--no-verify answers from a tampered ledger, with a warning")
    func noVerify() {
        let (scenario, _) = Self.tampered()
        let outcome = scenario.when(["summary", "--format", "json", "--no-verify"])
        outcome.then(exit: 0, errors: ["warning: --no-verify: answering without checking the hash chains"])
        #expect(outcome.value("grants", "awardedFen")?.numberValue?.integerValue == 1_000_000_000, "the answer reads the log as it is")
        scenario.when(["centres", "--no-verify", "--format", "json"]).then(exit: 0, output: ["\"centre\": \"C-1\""])
    }

    @Test("append refuses to extend a ledger that does not verify, and changes nothing")
    func appendOnTamperedLog() {
        let (scenario, _) = Self.tampered()
        let before = scenario.directory.logSnapshot()
        // The edit changed the last line the previous append acknowledged: the writer sees that
        // before it reads anything.
        scenario.append([Draft.openCentre("o-2", centre: "C-2", name: "n", effective: "2022-06-01")])
            .then(exit: 65, errors: ["acknowledged events were damaged or removed", "run `incentives verify`"])
        #expect(scenario.directory.logSnapshot() == before)
    }
}
