import Foundation
import IncentivesCLI
import LedgerLog
import Testing

/// Every event type has a daily command; every daily command and `append` can be tried with
/// `--dry-run` (shown exactly, nothing written), warn of the audit findings they would add, and
/// refuse them under `--strict`.
@Suite("Daily commands, dry runs and audit warnings")
struct DailyCommandTests {
    static let precision = Codes.precision
    static let common = ["--actor", "clerk Li", "--source", "会议纪要 2022-7"]

    static func base() -> LedgerScenario {
        let scenario = LedgerScenario()
        scenario.given([
            Draft.programme("p-yz", "yz", name: "雁阵计划", effective: "2022-01-01"),
            Draft.register("e-precision", precision, name: Codes.precisionName, effective: "2022-01-01"),
            Draft.award("a-1", grant: "G-1", enterprise: precision, programme: "yz", amountFen: 100_000_000, effective: "2022-03-01"),
        ])
        return scenario
    }

    static func lastEvent(_ scenario: LedgerScenario, _ log: String) -> JSONValue? {
        scenario.directory.logLines(log).last.flatMap { try? JSONParser.parse($0) }
    }

    /// The journal's bytes, or nil when there is none.
    static func journal(_ scenario: LedgerScenario) -> Data? {
        FileManager.default.contents(atPath: scenario.events + "/.ledger-journal")
    }

    /// Each new command, the event type and `data` it appends (amounts typed in yuan become fen).
    static let commands: [(arguments: [String], type: String, log: String, id: String, data: String)] = [
        (["establish-programme", "--programme", "talent", "--name", "人才计划", "--min-tier", "sme", "--cap", "2,000,000",
          "--cap-years", "3"], "ProgrammeEstablished", "grants", "programme:talent",
         #"{"capFen":200000000,"capYears":3,"minTier":"sme","name":"人才计划","programme":"talent"}"#),
        (["amend-programme", "--programme", "yz", "--cap", "1,500,000.50"], "ProgrammeAmended", "grants",
         "amend-programme:yz:2022-06-01", #"{"capFen":150000050,"programme":"yz"}"#),
        (["appropriate", "--programme", "yz", "--year", "2022", "--amount", "50,000,000"], "BudgetAppropriated", "grants",
         "appropriate:yz:2022:2022-06-01", #"{"amountFen":5000000000,"programme":"yz","year":2022}"#),
        (["register", "--enterprise", Codes.boats, "--name", Codes.boatsName, "--sector", "shipbuilding"], "EnterpriseRegistered",
         "tiers", "register:\(Codes.boats)", #"{"enterprise":"\#(Codes.boats)","name":"\#(Codes.boatsName)","sector":"shipbuilding"}"#),
        (["evaluate", "--enterprise", precision, "--score", "87"], "CapabilityEvaluated", "tiers",
         "evaluate:\(precision):2022-06-01", #"{"enterprise":"\#(precision)","score":87}"#),
        (["deregister", "--enterprise", precision, "--reason", "moved away"], "EnterpriseDeregistered", "tiers",
         "deregister:\(precision)", #"{"enterprise":"\#(precision)","reason":"moved away"}"#),
        (["amend", "--grant", "G-1", "--amount", "950,000"], "GrantAmended", "grants", "amend:G-1:2022-06-01",
         #"{"amountFen":95000000,"grant":"G-1"}"#),
        (["revoke", "--grant", "G-1", "--reason", "false declaration"], "GrantRevoked", "grants", "revoke:G-1",
         #"{"grant":"G-1","reason":"false declaration"}"#),
        (["recover", "--id", "rec-1", "--grant", "G-1", "--amount", "0.50"], "GrantRecovered", "grants", "rec-1",
         #"{"amountFen":50,"grant":"G-1"}"#),
    ]

    @Test("each new daily command appends its event type with its members", arguments: 0..<9)
    func dailyCommand(index: Int) throws {
        let command = Self.commands[index]
        let scenario = Self.base()
        if command.type == "GrantRecovered" {
            // Money is recovered only from what was paid (the grant's timeline is judged).
            scenario.given([Draft.grantAmount("pay-1", "GrantDisbursed", grant: "G-1", amountFen: 100, effective: "2022-04-01")])
        }
        scenario.when(command.arguments + ["--effective", "2022-06-01"] + Self.common)
            .then(exit: 0, output: ["appended \(command.id) as \(command.log).jsonl", "1 appended, 0 already present"])
        let event = try #require(Self.lastEvent(scenario, command.log))
        #expect(event["type"]?.stringValue == command.type)
        #expect(event["id"]?.stringValue == command.id)
        #expect(event["data"] == (try JSONParser.parse(command.data)))
        scenario.when(["verify"]).then(exit: 0)
    }

    @Test("demote lowers a tier, close-centre closes a centre")
    func demoteAndCloseCentre() {
        let scenario = Self.base()
        scenario.given([Draft.tier("t-1", enterprise: Self.precision, tier: "high-tech", effective: "2022-02-01"),
                        Draft.openCentre("c-1", centre: "JIC-1", name: "联合创新中心", effective: "2022-02-01")])
        scenario.when(["demote", "--enterprise", Self.precision, "--tier", "sme", "--effective", "2022-07-01"] + Self.common)
            .then(exit: 0, output: ["appended demote:\(Self.precision):sme:2022-07-01 as tiers.jsonl"])
        scenario.when(["demote", "--enterprise", Self.precision, "--tier", "influential", "--effective", "2022-08-01"] + Self.common)
            .then(exit: 65, errors: ["demotion"])
        scenario.when(["close-centre", "--centre", "JIC-1", "--reason", "lease ended", "--effective", "2022-09-01"] + Self.common)
            .then(exit: 0, output: ["appended close:JIC-1 as centres.jsonl"])
        scenario.when(["centres", "--format", "json"]).then(exit: 0, output: ["\"closed\": \"2022-09-01\""])
    }

    @Test("malformed values are usage errors (64) and append nothing", arguments: [
        (["disburse", "--id", "p", "--grant", "G-1", "--amount", "1,500,00", "--effective", "2022-06-01"], "--amount \"1,500,00\""),
        (["disburse", "--id", "p", "--grant", "G-1", "--amount", "1", "--effective", "2023/09/30"], "--effective \"2023/09/30\""),
        (["promote", "--enterprise", Codes.precision, "--tier", "hightech", "--effective", "2022-06-01"], "--tier must be one of"),
        (["open-centre", "--centre", "C", "--name", "n", "--kind", "Offshore", "--city", "c", "--effective", "2022-06-01"],
         "--kind must be one of innovation, offshore, rnd"),
        (["evaluate", "--enterprise", Codes.precision, "--score", "eighty", "--effective", "2022-06-01"], "--score must be a whole number"),
        (["appropriate", "--programme", "yz", "--year", "22x", "--amount", "1", "--effective", "2022-06-01"], "--year must be a whole number"),
        (["establish-programme", "--programme", "q", "--name", "n", "--cap", "1e6", "--effective", "2022-06-01"], "--cap \"1e6\""),
        (["recover", "--grant", "G-1", "--amount", "1", "--effective", "2022-06-01"], "--id is required"),
        (["amend-programme", "--programme", "yz", "--effective", "2022-06-01"], "say what changes"),
        (["revoke", "--grant", "G 1", "--reason", "r", "--effective", "2022-06-01"], "--grant \"G 1\" is not an id"),
        (["register", "--enterprise", "12345", "--name", "n", "--sector", "s", "--effective", "2022-06-01"], "--enterprise: "),
        (["amend", "--id", "my amendment", "--grant", "G-1", "--amount", "1", "--effective", "2022-06-01"], "--id \"my amendment\""),
    ])
    func malformed(arguments: [String], phrase: String) {
        let scenario = Self.base()
        let before = scenario.directory.logSnapshot()
        scenario.when(arguments + Self.common).then(exit: 64, errors: [phrase])
        #expect(scenario.directory.logSnapshot() == before)
    }

    @Test("help lists each option once and every new command is listed")
    func help() {
        let scenario = LedgerScenario()
        let disburse = scenario.when(["help", "disburse"], addingEvents: false)
        disburse.then(exit: 0)
        let usage = disburse.output.split(separator: "\n").first.map(String.init) ?? ""
        #expect(usage.components(separatedBy: "--id").count == 2, "--id once: \(usage)")
        let list = scenario.when(["help"], addingEvents: false).output
        for name in ["establish-programme", "amend-programme", "appropriate", "register", "evaluate", "demote", "deregister",
                     "amend", "revoke", "recover", "close-centre"] {
            #expect(list.contains("  \(name) "), "\(name) is listed")
        }
    }

    @Test("--dry-run prints the exact line, with its seq, prev, hash and recorded, and writes nothing")
    func dryRunShortcut() throws {
        let scenario = Self.base()
        let logs = scenario.directory.logSnapshot()
        let journal = Self.journal(scenario)
        let arguments = ["disburse", "--id", "pay-1", "--grant", "G-1", "--amount", "300,000", "--effective", "2022-06-01"] + Self.common
        let dry = scenario.when(arguments + ["--dry-run"])
        dry.then(exit: 0, errors: ["dry run: 1 would be appended, 0 already present", "nothing was written"])
        #expect(scenario.directory.logSnapshot() == logs, "no log changed")
        #expect(Self.journal(scenario) == journal, "the journal did not change")
        // The real append writes exactly the line the dry run showed.
        scenario.when(arguments).then(exit: 0)
        #expect(scenario.directory.logLines("grants").last.map { $0 + "\n" } == dry.output)
        let shown = try JSONParser.parse(String(dry.output.dropLast()))
        #expect(shown["seq"]?.numberValue?.integerValue == 3)
        #expect(shown["recorded"]?.stringValue == "2025-01-15T09:00:00Z")
    }

    @Test("append --dry-run shows a batch, refuses what append refuses, and writes nothing")
    func dryRunAppend() {
        let scenario = Self.base()
        let logs = scenario.directory.logSnapshot()
        let journal = Self.journal(scenario)
        let batch = [Draft.grantAmount("pay-1", "GrantDisbursed", grant: "G-1", amountFen: 100, effective: "2022-06-01"),
                     Draft.tier("t-1", enterprise: Self.precision, tier: "sme", effective: "2022-06-01"),
                     Draft.award("a-1", grant: "G-1", enterprise: Self.precision, programme: "yz", amountFen: 100_000_000, effective: "2022-03-01")]
        let dry = scenario.append(batch, extraArguments: ["--dry-run", "--format", "json"])
        dry.then(exit: 0, output: ["\"dryRun\": true", "\"seq\": 3", "\"log\": \"tiers\"", "\"alreadyPresent\": [\n    \"a-1\""])
        #expect(dry.value("wouldAppend")?.arrayValue?.count == 2)
        scenario.append([Draft.grantAmount("pay-2", "GrantDisbursed", grant: "G-404", amountFen: 100, effective: "2022-06-01")],
                        extraArguments: ["--dry-run"]).then(exit: 65, errors: ["there is no grant G-404"])
        #expect(scenario.directory.logSnapshot() == logs)
        #expect(Self.journal(scenario) == journal)
    }

    @Test("a dry run is judged by the recorded-time rules: a given --recorded, a clock behind the logs, the 366-day horizon")
    func dryRunRecordedTime() {
        let scenario = Self.base()
        let logs = scenario.directory.logSnapshot()
        let journal = Self.journal(scenario)
        let payment = ["disburse", "--id", "pay-1", "--grant", "G-1", "--amount", "1", "--dry-run"] + Self.common
        scenario.when(payment + ["--effective", "2022-06-01", "--recorded", "2025-01-15T09:00:00Z"])
            .then(exit: 65, errors: ["gives recorded 2025-01-15T09:00:00Z", "incentives import"])
        // The scenario's appends were recorded at its clock; a clock set back is refused, naming both times.
        let saved = scenario.now
        scenario.now = Timestamp(parsing: "2024-01-01T00:00:00Z")!
        scenario.when(payment + ["--effective", "2022-06-01"]).then(exit: 65, errors: ["2024-01-01T00:00:00Z", saved.description])
        scenario.now = saved
        // 2025-01-15 plus 366 days is 2026-01-16.
        scenario.when(payment + ["--effective", "2026-01-17"]).then(exit: 65, errors: ["effective 2026-01-17", "366"])
        scenario.when(payment + ["--effective", "2026-01-16"]).then(exit: 0, errors: ["dry run: 1 would be appended"])
        #expect(scenario.directory.logSnapshot() == logs)
        #expect(Self.journal(scenario) == journal)
    }

    @Test("every new daily command refuses --recorded as append refuses a draft's own recorded (65), nothing written",
          arguments: 0..<9)
    func recordedIsRefused(index: Int) {
        let command = Self.commands[index]
        let scenario = Self.base()
        let logs = scenario.directory.logSnapshot()
        scenario.when(command.arguments + ["--effective", "2022-06-01", "--recorded", "2025-01-15T08:00:00Z"] + Self.common)
            .then(exit: 65, errors: ["gives recorded 2025-01-15T08:00:00Z", "incentives import"])
        #expect(scenario.directory.logSnapshot() == logs)
        // Not offered in the usage text: the ledger's clock records.
        scenario.when(["help", command.arguments[0]]).then(exit: 0)
        #expect(!scenario.when(["help", command.arguments[0]]).output.contains("--recorded"))
    }

    @Test("a dry run repairs nothing: an interrupted append is left for a real append")
    func dryRunRepairsNothing() {
        let scenario = Self.base()
        var grants = scenario.directory.readLog("grants")
        grants += Array(#"{"torn":"#.utf8)
        scenario.directory.writeLog("grants", grants)
        scenario.when(["disburse", "--id", "p", "--grant", "G-1", "--amount", "1", "--effective", "2022-06-01", "--dry-run"] + Self.common)
            .then(exit: 65, errors: ["torn", "a dry run repairs nothing"])
        #expect(scenario.directory.readLog("grants") == grants)
    }

    @Test("a payment that over-disburses is warned of before it is written; --strict refuses it")
    func warningsAndStrict() {
        let scenario = Self.base()
        scenario.given([Draft.grantAmount("pay-1", "GrantDisbursed", grant: "G-1", amountFen: 90_000_000, effective: "2022-04-01")])
        let arguments = ["disburse", "--id", "pay-2", "--grant", "G-1", "--amount", "150,000", "--effective", "2025-01-10"] + Self.common
        let before = scenario.directory.logSnapshot()
        scenario.when(arguments + ["--strict"]).then(exit: 65, errors: [
            "warning: over-disbursed (error): grant G-1", "¥50,000.00 more than the ¥1,000,000.00 awarded",
            "refused under --strict", "nothing was appended",
        ])
        #expect(scenario.directory.logSnapshot() == before)
        scenario.when(arguments + ["--dry-run", "--format", "json"])
            .then(exit: 0, output: ["\"rule\": \"over-disbursed\""], errors: ["warning: over-disbursed (error)"])
        let written = scenario.when(arguments)
        written.then(exit: 0, errors: ["warning: over-disbursed (error): grant G-1"])
        // Only what is new: the existing late-recording of nothing, the award's own findings, are not repeated.
        #expect(!written.errors.contains("late-recording"), "\(written.errors)")
        // Already over-disbursed: a further payment changes the figures, and says so again.
        scenario.when(["disburse", "--id", "pay-3", "--grant", "G-1", "--amount", "1", "--effective", "2025-01-11"] + Self.common)
            .then(exit: 0, errors: ["¥50,001.00 more than"])
        // Nothing new: no warning at all.
        let quiet = scenario.when(["evaluate", "--enterprise", Self.precision, "--score", "70", "--effective", "2025-01-12"] + Self.common)
        quiet.then(exit: 0)
        #expect(quiet.errors.isEmpty, "\(quiet.errors)")
    }

    @Test("--strict lets a batch through when it adds only warnings")
    func strictAllowsWarnings() {
        let scenario = Self.base()
        // Recorded long after it took effect: a late-recording warning, not an error.
        scenario.when(["evaluate", "--enterprise", Self.precision, "--score", "70", "--effective", "2022-06-01", "--strict"] + Self.common)
            .then(exit: 0, errors: ["warning: late-recording (warning)"])
    }

    @Test("a batch prints a summary; --verbose lists each event")
    func batchSummary() {
        let scenario = Self.base()
        let payments = (1...40).map {
            Draft.grantAmount("pay-\($0)", "GrantDisbursed", grant: "G-1", amountFen: 100, effective: "2025-01-10")
        }
        let quiet = scenario.append(payments)
        quiet.then(exit: 0, output: ["40 appended, 0 already present (--verbose lists each event)", "grants.jsonl: seq 3 to 42, head "])
        #expect(quiet.output.split(separator: "\n").count == 2, "\(quiet.output)")
        let verbose = scenario.append(payments + [Draft.grantAmount("pay-41", "GrantDisbursed", grant: "G-1", amountFen: 100,
                                                                    effective: "2025-01-10")], extraArguments: ["--verbose"])
        verbose.then(exit: 0, output: ["appended pay-41 as grants.jsonl seq 43", "already present: pay-40", "1 appended, 40 already present"])
        #expect(verbose.output.split(separator: "\n").count == 42)
    }
}
