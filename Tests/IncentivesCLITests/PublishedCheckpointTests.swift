import Foundation
import IncentivesCLI
import LedgerLog
import Testing

/// Checkpoints published in December 2026 with the logs they were taken from
/// (Fixtures/checkpoint-2026-12: the bundled logs of that day, `incentives checkpoint` and
/// `incentives checkpoint --as-of 2022-12-31 --known-at 2023-01-15`). Whatever changes in the
/// read models, the build must still confirm what was published then: this is the promise of
/// `replay --check`, and these files are never re-recorded.
@Suite("Published checkpoints stay checkable")
struct PublishedCheckpointTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/checkpoint-2026-12").path
    static let checkpoints = ["checkpoint.json", "checkpoint-end-2022-known-2023-01-15.json"]

    /// The fixture's logs in a scratch directory, so that no command writes beside the committed files.
    static func copiedLogs() throws -> TemporaryEventsDirectory {
        // As published: logs without a manifest, a ledger from before `init` existed.
        let scratch = TemporaryEventsDirectory(ledger: false)
        for log in ["tiers", "centres", "grants"] {
            let bytes = try #require(FileManager.default.contents(atPath: fixture + "/\(log).jsonl"))
            scratch.writeLog(log, [UInt8](bytes))
        }
        return scratch
    }

    @Test(arguments: checkpoints)
    func aCheckpointPublishedInDecember2026StillChecks(name: String) throws {
        let scratch = try Self.copiedLogs()
        let io = CapturedIO()
        let code = CLI.run(["replay", "--check", Self.fixture + "/" + name, "--events", scratch.events],
                           environment: [:], io: io, clock: FixedClock(Timestamp(parsing: "2030-01-01T00:00:00Z")!))
        #expect(code == 0, "replay --check \(name): exit \(code)\n\(io.output)\(io.errors)")
        #expect(io.output.contains("ok: this build reproduces every read model"), "\(io.output)")
    }

    @Test
    func aChangedDigestInAPublishedCheckpointIsStillFound() throws {
        let scratch = try Self.copiedLogs()
        var text = try String(contentsOfFile: Self.fixture + "/checkpoint.json", encoding: .utf8)
        let digest = try #require(text.range(of: #""digest": ""#))
        let first = text.index(digest.upperBound, offsetBy: 0)
        text.replaceSubrange(first...first, with: text[first] == "0" ? "1" : "0")
        let path = scratch.writeInput("changed.json", Array(text.utf8))
        let io = CapturedIO()
        let code = CLI.run(["replay", "--check", path, "--events", scratch.events], environment: [:], io: io,
                           clock: FixedClock(Timestamp(parsing: "2030-01-01T00:00:00Z")!))
        #expect(code == 1, "\(io.output)\(io.errors)")
        #expect(io.output.contains("read model summary differs"), "\(io.output)")
    }

    /// Runs `replay --check` on a checkpoint text against a copy of the fixture's logs.
    static func check(_ text: String) throws -> (code: Int32, output: String, errors: String) {
        let scratch = try copiedLogs()
        let path = scratch.writeInput("checkpoint.json", Array(text.utf8))
        let io = CapturedIO()
        let code = CLI.run(["replay", "--check", path, "--events", scratch.events], environment: [:], io: io,
                           clock: FixedClock(Timestamp(parsing: "2030-01-01T00:00:00Z")!))
        return (code, io.output, io.errors)
    }

    @Test
    func aDigestVersionThisBuildDoesNotComputeIsADifferenceNotAMatch() throws {
        let published = try String(contentsOfFile: Self.fixture + "/checkpoint.json", encoding: .utf8)
        let text = published.replacingOccurrences(of: #""name": "grants","#, with: #""name": "grants", "digestVersion": 7,"#)
        #expect(text != published)
        let outcome = try Self.check(text)
        #expect(outcome.code == 1, "\(outcome)")
        #expect(outcome.output.contains("read model grants: digest version 7 is not one this build computes"), "\(outcome.output)")
        #expect(!outcome.output.contains("read model summary"), "\(outcome.output)")
    }

    @Test
    func aCheckpointNamingVersion1ExplicitlyChecksLikeOneThatNamesNone() throws {
        let published = try String(contentsOfFile: Self.fixture + "/checkpoint.json", encoding: .utf8)
        var text = published.replacingOccurrences(of: #""version": 1"#, with: #""version": 2"#)
        for name in ["summary", "programmes", "grants", "enterprises", "centres"] {
            text = text.replacingOccurrences(of: "\"name\": \"\(name)\",", with: "\"name\": \"\(name)\", \"digestVersion\": 1,")
        }
        #expect(text.components(separatedBy: "digestVersion").count == 6)
        let outcome = try Self.check(text)
        #expect(outcome.code == 0, "\(outcome)")
    }

    @Test
    func aCheckpointOfANewerFormatOrWithoutItsVersionsIsRefused() throws {
        let published = try String(contentsOfFile: Self.fixture + "/checkpoint.json", encoding: .utf8)
        let newer = try Self.check(published.replacingOccurrences(of: #""version": 1"#, with: #""version": 99"#))
        #expect(newer.code == 65 && newer.errors.contains("format version 99, newer than this build reads"), "\(newer)")
        let unnamed = try Self.check(published.replacingOccurrences(of: #""version": 1"#, with: #""version": 2"#))
        #expect(unnamed.code == 65 && unnamed.errors.contains("lacks digestVersion"), "\(unnamed)")
    }

    @Test
    func todaysCheckpointNamesTheVersionOfEachDigestAndChecks() throws {
        let scratch = try Self.copiedLogs()
        let clock = FixedClock(Timestamp(parsing: "2030-01-01T00:00:00Z")!)
        let written = CapturedIO()
        #expect(CLI.run(["checkpoint", "--events", scratch.events], environment: [:], io: written, clock: clock) == 0)
        #expect(written.output.components(separatedBy: #""digestVersion": 1"#).count == 6, "\(written.output)")
        let outcome = try Self.check(written.output)
        #expect(outcome.code == 0, "\(outcome)")
    }
}
