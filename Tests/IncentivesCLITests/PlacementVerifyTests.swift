import Foundation
import IncentivesCLI
import LedgerLog
import Testing

/// `verify` checks that each event is in the log its type belongs in. Reproduction: with
/// tiers.jsonl and grants.jsonl swapped, `verify` said ok while every query refused the logs.
@Suite("verify checks where each event is")
struct PlacementVerifyTests {
    static let clock = FixedClock(Timestamp(parsing: "2026-01-01T00:00:00Z")!)

    static func run(_ arguments: [String]) -> CommandOutcome {
        let io = CapturedIO()
        let code = CLI.run(arguments, environment: [:], io: io, clock: clock)
        return CommandOutcome(arguments: arguments, exitCode: code, output: io.output, errors: io.errors)
    }

    /// A copy of the bundled logs with two of them swapped.
    static func swapped(_ first: String, _ second: String) throws -> TemporaryEventsDirectory {
        let scratch = TemporaryEventsDirectory()
        for log in ["tiers", "centres", "grants"] {
            let name = log == first ? second : log == second ? first : log
            let bytes = try #require(FileManager.default.contents(atPath: GoldenReplayTests.events + "/\(name).jsonl"))
            scratch.writeLog(log, [UInt8](bytes))
        }
        return scratch
    }

    @Test func swappedTiersAndGrantsFailVerifyLikeTheyFailQueries() throws {
        let scratch = try Self.swapped("tiers", "grants")
        let verify = Self.run(["verify", "--events", scratch.events])
        verify.then(exit: 1, output: [
            "tiers.jsonl:1: event g-000001 of type ProgrammeEstablished belongs in grants.jsonl, not tiers.jsonl",
            "grants.jsonl:1: event t-000001 of type EnterpriseRegistered belongs in tiers.jsonl, not grants.jsonl",
            "FAILED:",
        ])
        #expect(!verify.output.contains("ok:"), "\(verify.output)")
        // Listed up to 100 per log, the rest counted on one line of the log.
        let listed = verify.output.split(separator: "\n").filter { $0.hasPrefix("tiers.jsonl:") && $0.contains("belongs in grants.jsonl") }
        #expect(listed.count == 100)
        // grants.jsonl's 983 events less its one retraction, which belongs to its target's log.
        #expect(verify.output.contains("tiers.jsonl:0: 882 more events in tiers.jsonl belong in another log (982 in all)"), "\(verify.output)")
        #expect(verify.output.contains("grants.jsonl:0: 1399 more events in grants.jsonl belong in another log (1499 in all)"), "\(verify.output)")
        // The queries refuse these logs too: verify and the queries now agree.
        Self.run(["summary", "--events", scratch.events]).then(exit: 65, errors: ["belongs in"])
    }

    @Test func placementProblemsAreInTheJSONReportWithTheirLogAndLine() throws {
        let scratch = try Self.swapped("centres", "tiers")
        let verify = Self.run(["verify", "--format", "json", "--events", scratch.events])
        #expect(verify.exitCode == 1)
        #expect(verify.value("ok") == .bool(false))
        guard case .array(let problems)? = verify.value("problems") else {
            Issue.record("no problems array: \(verify.output)")
            return
        }
        let first = try #require(problems.first)
        #expect(first["log"] == .string("tiers") && first["line"] == .number(JSONNumber(1)), "\(first)")
        #expect(first["problem"]?.stringValue?.contains("of type CentreOpened belongs in centres.jsonl") == true, "\(first)")
    }

    @Test func theBundledLogsHaveEveryEventInPlace() {
        Self.run(["verify", "--events", GoldenReplayTests.events]).then(exit: 0, output: ["ok: 2501 events in 3 logs verify"])
    }
}
