import Foundation
import IncentivesCLI
import LedgerLog
import Testing

/// Issue 14: a checkpoint names its ledger, and `--known-at K` records the heads as of K.
@Suite("Checkpoints name their ledger and the heads of their moment")
struct CheckpointIdentityTests {
    static let clock = FixedClock(Timestamp(parsing: "2026-01-01T00:00:00Z")!)

    static func run(_ arguments: [String], ids: [UInt8] = Array(repeating: 0x11, count: 16)) -> CommandOutcome {
        let io = CapturedIO()
        let code = CLI.run(arguments, environment: [:], io: io, clock: clock, ledgerIds: .fixed(ids))
        return CommandOutcome(arguments: arguments, exitCode: code, output: io.output, errors: io.errors)
    }

    /// A copy of the bundled ledger (its ledger.json too), each log cut to the lines recorded at
    /// or before `knownAt` when given: the ledger as it stood then.
    static func bundledCopy(upTo knownAt: String? = nil) throws -> TemporaryEventsDirectory {
        let scratch = TemporaryEventsDirectory(ledger: false)
        let source = GoldenReplayTests.events
        let manifest = try #require(FileManager.default.contents(atPath: source + "/ledger.json"))
        scratch.writeEventsFile("ledger.json", [UInt8](manifest))
        for log in ["tiers", "centres", "grants"] {
            let text = try String(contentsOfFile: source + "/\(log).jsonl", encoding: .utf8)
            var kept = ""
            for line in text.split(separator: "\n") {
                if let knownAt {
                    let recorded = try #require(try JSONParser.parse(String(line))["recorded"]?.stringValue)
                    guard recorded <= knownAt else { continue }
                }
                kept += line + "\n"
            }
            scratch.writeLog(log, Array(kept.utf8))
        }
        return scratch
    }

    // MARK: --known-at K records the heads as of K

    @Test func aCheckpointTakenTodayForAPastMomentEqualsOneTakenThen() throws {
        let today = try Self.bundledCopy()
        let then = try Self.bundledCopy(upTo: "2023-01-15T23:59:59Z")
        #expect(then.readLog("grants").count < today.readLog("grants").count, "the cut removes events")
        let arguments = ["checkpoint", "--as-of", "2022-12-31", "--known-at", "2023-01-15"]
        let now = Self.run(arguments + ["--events", today.events])
        let past = Self.run(arguments + ["--events", then.events])
        now.then(exit: 0)
        past.then(exit: 0)
        #expect(now.output == past.output, "checkpoint --known-at K today:\n\(now.output)\nand at K:\n\(past.output)")
        // The heads are those of the prefix: what `verify` said of the ledger at K.
        let verifyThen = Self.run(["verify", "--format", "json", "--events", then.events])
        #expect(now.value("logs") == verifyThen.value("logs"))
        // And the whole of today's logs still checks against it.
        let path = today.writeInput("k.json", Array(now.output.utf8))
        Self.run(["replay", "--check", path, "--events", today.events]).then(exit: 0, output: ["ok: this build reproduces"])
    }

    @Test func withoutKnownAtTheHeadsAreTodays() throws {
        let today = try Self.bundledCopy()
        let checkpoint = Self.run(["checkpoint", "--events", today.events])
        let verify = Self.run(["verify", "--format", "json", "--events", today.events])
        #expect(checkpoint.value("logs") == verify.value("logs"))
    }

    @Test func aLogWithNothingRecordedByKHasTheEmptyHead() throws {
        let today = try Self.bundledCopy()
        let checkpoint = Self.run(["checkpoint", "--known-at", "2020-01-01", "--events", today.events])
        checkpoint.then(exit: 0)
        for entry in checkpoint.value("logs")?.arrayValue ?? [] {
            #expect(entry["events"] == .number(JSONNumber(0)))
            #expect(entry["head"] == .string(String(repeating: "0", count: 64)))
        }
    }

    // MARK: another ledger's checkpoint

    @Test func anotherLedgersCheckpointIsSaidToBeSoNamingBothIds() throws {
        let first = LedgerScenario(), second = LedgerScenario()
        // Two ledgers with their own ids: remake the second one's manifest.
        try FileManager.default.removeItem(atPath: second.events + "/ledger.json")
        Self.run(["init", "--events", second.events], ids: Array(repeating: 0x22, count: 16)).then(exit: 0)
        let programme = { (id: String) in Draft.programme(id, id, name: "programme \(id)", effective: "2022-01-01") }
        first.given([programme("P-1"), programme("P-2"), programme("P-3")])
        second.given([programme("Q-1")])
        let written = first.when(["checkpoint"])
        written.then(exit: 0)
        #expect(written.value("ledger") == .string(TemporaryEventsDirectory.ledgerId))
        let path = first.directory.writeInput("first.json", Array(written.output.utf8))
        let checked = second.when(["replay", "--check", path])
        checked.then(exit: 1, output: ["another ledger's checkpoint", TemporaryEventsDirectory.ledgerId,
                                       String(repeating: "22", count: 16)])
        #expect(!checked.output.contains("events were removed"), "\(checked.output)")
        // Against its own ledger, with more appended since, it checks.
        first.given([programme("P-4")])
        first.when(["replay", "--check", path]).then(exit: 0)
        // A checkpoint that names no ledger (written before ids) is compared event by event, as it was.
        let unnamed = first.directory.writeInput("unnamed.json", Array(written.output
            .replacingOccurrences(of: "\"ledger\": \"\(TemporaryEventsDirectory.ledgerId)\",", with: "").utf8))
        second.when(["replay", "--check", unnamed]).then(exit: 1, output: ["events were removed"])
        // Nor can a ledger without ledger.json tell: the comparison runs.
        try FileManager.default.removeItem(atPath: second.events + "/ledger.json")
        second.when(["replay", "--check", path]).then(exit: 1, output: ["events were removed"])
    }

    @Test func aCheckpointWhoseLedgerIsNotAnIdIsRefused() throws {
        let scenario = LedgerScenario()
        let written = scenario.when(["checkpoint"])
        let path = scenario.directory.writeInput("bad.json", Array(written.output
            .replacingOccurrences(of: TemporaryEventsDirectory.ledgerId, with: "not-an-id").utf8))
        scenario.when(["replay", "--check", path]).then(exit: 65, errors: ["ledger is not a ledger id"])
    }
}
