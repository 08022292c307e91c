import LedgerLog
import Testing

/// The built `incentives` executable, run as a child process: arguments, standard streams,
/// environment and exit codes as a shell sees them.
@Suite("End to end: the incentives executable")
struct EndToEndBinaryTests {
    static func run(_ arguments: [String], in directory: TemporaryEventsDirectory, environment: [String: String] = [:],
                    input: [UInt8]? = nil) throws -> ChildProcess.Outcome {
        ChildProcess.run(try BinaryLocator.requireIncentives(), arguments, environment: environment, input: input,
                         scratch: directory.inputs)
    }

    /// Recorded at the wall clock's time, as every append from the command line is.
    static let drafts = [
        Draft.programme("p-yz", "yz", name: "雁阵计划", effective: "2022-01-01"),
        Draft.register("e-precision", Codes.precision, name: Codes.precisionName, effective: "2022-01-01"),
        Draft.award("a-1", grant: "G-1", enterprise: Codes.precision, programme: "yz", amountFen: 150_000_050, effective: "2022-03-01"),
    ]

    @Test("append, summary as JSON, verify 0, tampering makes verify 1 and queries 65")
    func appendSummaryVerify() throws {
        let directory = TemporaryEventsDirectory()
        let file = directory.writeInput("drafts.jsonl", Array(Self.drafts.map { $0 + "\n" }.joined().utf8))
        let append = try Self.run(["append", file, "--events", directory.events], in: directory)
        #expect(append.status == 0, "\(append.errors)")
        #expect(append.output.contains("3 appended, 0 already present"))

        let summary = try Self.run(["summary", "--format", "json", "--events", directory.events], in: directory)
        #expect(summary.status == 0, "\(summary.errors)")
        let json = try JSONParser.parse(summary.output)
        #expect(json["events"]?.numberValue?.integerValue == 3)
        #expect(json["grants"]?["awardedFen"]?.numberValue?.integerValue == 150_000_050)
        #expect(json["enterprises"]?["registered"]?.numberValue?.integerValue == 1)
        #expect(json["asOf"] == .null)
        #expect(Timestamp(parsing: json["knownAt"]?.stringValue ?? "") != nil, "known at the wall clock's now")

        let verify = try Self.run(["verify", "--events", directory.events], in: directory)
        #expect(verify.status == 0)
        #expect(verify.output.contains("ok: 3 events in 3 logs verify"))

        let grants = String(decoding: directory.readLog("grants"), as: UTF8.self)
        #expect(grants.contains("\"amountFen\":150000050"))
        directory.writeLog("grants", Array(grants.replacingOccurrences(of: "\"amountFen\":150000050", with: "\"amountFen\":160000050").utf8))
        let broken = try Self.run(["verify", "--events", directory.events], in: directory)
        #expect(broken.status == 1)
        #expect(broken.output.contains("grants.jsonl:2: hash does not match"))
        let refused = try Self.run(["summary", "--events", directory.events], in: directory)
        #expect(refused.status == 65)
        #expect(refused.errors.contains("run `incentives verify`"))
        #expect(refused.output.isEmpty)
    }

    @Test("usage errors exit 64 on standard error; help exits 0 on standard output")
    func usage() throws {
        let directory = TemporaryEventsDirectory()
        let unknown = try Self.run(["frobnicate"], in: directory)
        #expect(unknown.status == 64)
        #expect(unknown.errors.contains("unknown command \"frobnicate\""))
        #expect(unknown.output.isEmpty)
        let badFormat = try Self.run(["summary", "--format", "yaml", "--events", directory.events], in: directory)
        #expect(badFormat.status == 64)
        #expect(badFormat.errors.contains("--format must be table, json or csv"))
        let nothing = try Self.run([], in: directory)
        #expect(nothing.status == 64)
        let help = try Self.run(["help"], in: directory)
        #expect(help.status == 0)
        #expect(help.output.contains("usage: incentives COMMAND"))
    }

    @Test("append - reads standard input; INCENTIVES_EVENTS and INCENTIVES_ACTOR are honoured")
    func standardInputAndEnvironment() throws {
        let directory = TemporaryEventsDirectory()
        let environment = ["INCENTIVES_EVENTS": directory.events, "INCENTIVES_ACTOR": "王会计"]
        let append = try Self.run(["append", "-", "--format", "json"], in: directory, environment: environment,
                                  input: Array(Self.drafts.prefix(2).map { $0 + "\n" }.joined().utf8))
        #expect(append.status == 0, "\(append.errors)")
        #expect((try? JSONParser.parse(append.output))?["appended"]?.arrayValue?.count == 2)
        let award = try Self.run(["award", "--grant", "G-2", "--enterprise", Codes.precision, "--programme", "yz",
                                  "--amount", "1,500,000.50", "--project", "p", "--effective", "2022-04-01", "--source", "doc"],
                                 in: directory, environment: environment)
        #expect(award.status == 0, "\(award.errors)")
        let line = try #require(directory.logLines("grants").last)
        let event = try JSONParser.parse(line)
        #expect(event["actor"]?.stringValue == "王会计")
        #expect(event["data"]?["amountFen"]?.numberValue?.integerValue == 150_000_050)
        // A refused draft from standard input names it.
        let refused = try Self.run(["append", "-"], in: directory, environment: environment,
                                   input: Array("{\"id\":\"x\"}\n".utf8))
        #expect(refused.status == 65)
        #expect(refused.errors.contains("standard input:1: missing member"))
    }

    @Test("with the system clock: append refuses a draft that gives recorded; import keeps history's times into an empty ledger")
    func recordedTimeWithTheSystemClock() throws {
        let directory = TemporaryEventsDirectory()
        let history = [
            Draft.programme("p-yz", "yz", name: "雁阵计划", effective: "2019-01-01", recorded: "2019-01-02T08:00:00Z"),
            Draft.register("e-precision", Codes.precision, name: Codes.precisionName, effective: "2019-01-01",
                           recorded: "2019-01-02T08:00:00Z"),
        ]
        let file = directory.writeInput("history.jsonl", Array(history.map { $0 + "\n" }.joined().utf8))
        let append = try Self.run(["append", file, "--events", directory.events], in: directory)
        #expect(append.status == 65)
        #expect(append.errors.contains("gives recorded 2019-01-02T08:00:00Z (and 1 more draft)"), "\(append.errors)")
        #expect(append.errors.contains("use `incentives import` into a new, empty ledger"))
        #expect(directory.logLines("grants").isEmpty && directory.logLines("tiers").isEmpty)

        let imported = try Self.run(["import", file, "--events", directory.events], in: directory)
        #expect(imported.status == 0, "\(imported.errors)")
        #expect(directory.logLines("grants").first?.contains("\"recorded\":\"2019-01-02T08:00:00Z\"") == true)
        let again = try Self.run(["import", file, "--events", directory.events], in: directory)
        #expect(again.status == 65)
        #expect(again.errors.contains("the ledger already holds events"))

        let award = try Self.run(["award", "--grant", "G-1", "--enterprise", Codes.precision, "--programme", "yz",
                                  "--amount", "1000", "--project", "p", "--effective", "2019-03-01", "--actor", "me",
                                  "--source", "doc", "--events", directory.events], in: directory)
        #expect(award.status == 0, "\(award.errors)")
        let recorded = try JSONParser.parse(try #require(directory.logLines("grants").last))["recorded"]?.stringValue
        #expect((recorded ?? "") > "2019-01-02T08:00:00Z", "recorded at the system clock's time, after history's: \(recorded ?? "-")")
        #expect(try Self.run(["verify", "--events", directory.events], in: directory).status == 0)
    }
}
