import Foundation
import IncentivesCLI
import LedgerLog
import Testing

/// What the trial found in the queries and the command line: each a case that once answered
/// wrongly or unhelpfully.
@Suite("Trial findings: queries and the command line")
struct TrialFindingsTests {
    static let precision = Codes.precision
    static let boats = Codes.boats

    @Test("a grants filter naming nothing known is refused with the nearest known id")
    func unknownFilter() {
        let scenario = QueryCommandTests.district()
        scenario.when(["grants", "--programme", "yzz"]).then(exit: 65, errors: ["there is no programme yzz", "did you mean yz?"])
        let typo = String(Self.precision.dropLast()) + (Self.precision.hasSuffix("0") ? "1" : "0")
        scenario.when(["grants", "--by", "programme", "--enterprise", typo])
            .then(exit: 65, errors: ["there is no enterprise \(typo)", "did you mean \(Self.precision)?"])
        // A known filter that matches no grant in a year is an answer: zero, exit 0.
        scenario.when(["grants", "--programme", "yz", "--year", "2021", "--format", "json"]).then(exit: 0, json: ExpectedJSON.rows([]))
    }

    @Test("--unit wan reaches CSV, exactly, and every money header names its unit")
    func unitInCSV() {
        let scenario = QueryCommandTests.district()
        let wan = scenario.when(["grants", "--by", "year", "--unit", "wan", "--format", "csv"])
        #expect(wan.output == "year,count,awarded (万元),disbursed (万元),recovered (万元)\r\n"
            + "2022,2,170.000050,100.000000,0.000000\r\n2023,2,5.000000,30.000000,10.000000\r\n")
        scenario.when(["summary", "--unit", "wan", "--format", "csv"]).then(exit: 0, output: ["awarded (万元),175.000050\r\n"])
        scenario.when(["enterprise", Self.precision, "--unit", "wan", "--format", "csv"])
            .then(exit: 0, output: ["original (万元),awarded (万元)", ",150.000050,150.000050,100.000000,"])
        scenario.when(["enterprise", Self.precision, "--unit", "wan"]).then(exit: 0, output: ["amount (万元)"])
        // JSON stays in fen.
        scenario.when(["grants", "--unit", "wan", "--format", "json"]).then(exit: 0, output: ["\"awardedFen\": 170000050"])
    }

    @Test("history and restatements show money as money")
    func moneyInDetails() {
        let scenario = QueryCommandTests.district()
        scenario.now = Timestamp(parsing: "2025-01-15T10:00:00Z")!
        scenario.given([Draft.grantAmount("m-1", "GrantAmended", grant: "G-1", amountFen: 95_000_000, effective: "2022-12-20")])
        let history = scenario.when(["history", "G-1"])
        history.then(exit: 0, output: ["grant G-1 amended to ¥950,000.00", "grant G-1 paid ¥1,000,000.00",
                                       "under yz, ¥1,500,000.50, project"])
        #expect(!history.output.contains("amountFen"))
        scenario.when(["restatements", "--period", "2022", "--reported-at", "2025-01-15T09:30:00Z"])
            .then(exit: 1, output: ["grant G-1 amended to ¥950,000.00"])
    }

    @Test("enterprise: a revoked grant shows its amount and what is owed; over-payment is said; CSV names the enterprise")
    func enterpriseGrantLines() {
        let scenario = QueryCommandTests.district()
        let revoked = scenario.when(["enterprise", Self.boats])
        revoked.then(exit: 0, output: ["owed (元)"])
        let line = revoked.output.split(separator: "\n").first { $0.hasPrefix("G-4 ") }.map(String.init) ?? ""
        #expect(line.contains("800,000.00"), "the awarded amount, not 0.00: \(line)")
        #expect(line.contains("200,000.00"), "paid 300,000 less 100,000 recovered is owed: \(line)")
        #expect(line.contains("revoked"))
        scenario.given([Draft.grantAmount("d-9", "GrantDisbursed", grant: "G-1", amountFen: 60_000_000, effective: "2022-05-01")])
        let over = scenario.when(["enterprise", Self.precision])
        let overLine = over.output.split(separator: "\n").first { $0.hasPrefix("G-1 ") }.map(String.init) ?? ""
        #expect(overLine.contains("over-paid") && overLine.contains("99,999.50"), "\(overLine)")
        scenario.when(["enterprise", Self.precision, "--format", "json"])
            .then(exit: 0, output: ["\"owedFen\": 9999950", "\"status\": \"over-paid\""])
        scenario.when(["enterprise", Self.boats, "--format", "csv"]).then(exit: 0, output: ["enterprise,grant,", "\r\n\(Self.boats),G-4,"])
    }

    @Test("usage errors the trial met exit 64", arguments: [
        (["tiers", "--transitions", "--from", "2023-12-31", "--to", "2023-01-01"], "--from 2023-12-31 is after --to 2023-01-01"),
        (["help", "nonexistent"], "unknown command \"nonexistent\""),
        (["tiers", "--unit", "wan"], "unknown option --unit"),
        (["centres", "--unit", "wan"], "unknown option --unit"),
    ])
    func usage(arguments: [String], phrase: String) {
        let scenario = QueryCommandTests.district()
        let outcome = scenario.when(arguments, addingEvents: arguments[0] != "help")
        outcome.then(exit: 64, errors: [phrase])
        #expect(outcome.output.isEmpty)
    }

    @Test("grants without --by groups by year, as its usage says")
    func grantsDefaultGrouping() {
        let scenario = QueryCommandTests.district()
        let implicit = scenario.when(["grants", "--format", "json"])
        implicit.then(exit: 0)
        #expect(implicit.output == scenario.when(["grants", "--by", "year", "--format", "json"]).output)
        scenario.when(["help", "grants"], addingEvents: false)
            .then(exit: 0, output: ["[--by year|programme|tier|enterprise|month]", "year (the default)"])
    }

    @Test("restatements as CSV: totals, differences by programme and enterprise, and each event")
    func restatementsCSV() {
        let scenario = QueryCommandTests.district()
        scenario.now = Timestamp(parsing: "2025-01-15T10:00:00Z")!
        scenario.given([Draft.grantAmount("m-1", "GrantAmended", grant: "G-1", amountFen: 95_000_000, effective: "2022-12-20")])
        let csv = scenario.when(["restatements", "--period", "2022", "--reported-at", "2025-01-15T09:30:00Z", "--format", "csv"])
        csv.then(exit: 1)
        #expect(csv.output == "section,key,recorded,event,type,effective,grants,awarded (元),disbursed (元),recovered (元),details\r\n"
            + "reported,2022,,,,,2,1700000.50,1000000.00,0.00,\r\n"
            + "now,2022,,,,,2,1150000.00,1000000.00,0.00,\r\n"
            + "difference,2022,,,,,0,-550000.50,0.00,0.00,\r\n"
            + "programme,yz,,,,,0,-550000.50,0.00,0.00,\r\n"
            + "enterprise,\(Self.precision),,,,,0,-550000.50,0.00,0.00,\r\n"
            + "event,G-1,2025-01-15T10:00:00Z,m-1,GrantAmended,2022-12-20,0,-550000.50,0.00,0.00,\"grant G-1 amended to ¥950,000.00\"\r\n")
    }

    @Test("a reader that closes the pipe ends the command quietly with 0; a full disk is still 74")
    func closedPipe() throws {
        let binary = try BinaryLocator.requireIncentives()
        let scratch = FileManager.default.temporaryDirectory.path
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        close(ends[0])  // nobody will read: every write gets EPIPE
        let closed = ChildProcess.run(binary, ["history", "YZ-SME", "--events", GoldenReplayTests.events, "--no-snapshot"],
                                      scratch: scratch, outputDescriptor: ends[1])
        close(ends[1])
        #expect(closed.status == 0, "\(closed.errors)")
        #expect(closed.errors.isEmpty, "\(closed.errors)")
        let full = open("/dev/full", O_WRONLY)
        try #require(full >= 0)
        defer { close(full) }
        let disk = ChildProcess.run(binary, ["history", "YZ-SME", "--events", GoldenReplayTests.events, "--no-snapshot"],
                                    scratch: scratch, outputDescriptor: full)
        #expect(disk.status == 74)
        #expect(disk.errors.contains("could not write the output"))
    }

    @Test("StandardIO: a closed pipe is no failure, a full disk is")
    func standardIO() throws {
        ignoreSignalsThatWouldInterruptWrites()  // as `CLI.main` does: a write to a closed pipe fails with EPIPE
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        close(ends[0])
        let io = StandardIO(output: ends[1], error: ends[1])
        io.write("line\n")
        io.write("another\n")
        #expect(io.outputClosed)
        #expect(io.finish())
        close(ends[1])
        let full = open("/dev/full", O_WRONLY)
        try #require(full >= 0)
        defer { close(full) }
        let disk = StandardIO(output: full, error: full)
        disk.write("line\n")
        #expect(!disk.finish())
    }
}
