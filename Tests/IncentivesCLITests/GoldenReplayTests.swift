import Foundation
import IncentivesCLI
import LedgerLog
import Testing

/// The bundled Events/ replays to committed expected outputs of the main queries at several
/// points in time. A mismatch fails with a readable diff; `INCENTIVES_RECORD_GOLDEN=1 swift test
/// --filter GoldenReplayTests` re-records the files on purpose.
@Suite("Golden replays of the bundled Events/")
struct GoldenReplayTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let events = repository + "/Events"
    static let goldenFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden").path
    /// "Now" for queries without --known-at: fixed, so the files never depend on the day they run.
    static let clock = FixedClock(Timestamp(parsing: "2026-01-01T00:00:00Z")!)

    /// Each case: a golden file name and the command that produces it.
    static let cases: [(name: String, arguments: [String])] = [
        ("summary-now", ["summary", "--format", "json"]),
        ("summary-end-2021", ["summary", "--as-of", "2021-12-31", "--format", "json"]),
        ("summary-end-2022-known-2023-01-15", ["summary", "--as-of", "2022-12-31", "--known-at", "2023-01-15", "--format", "json"]),
        ("summary-end-2022-known-now", ["summary", "--as-of", "2022-12-31", "--format", "json"]),
        ("grants-by-year", ["grants", "--by", "year", "--format", "json"]),
        ("grants-by-year-known-2023-01-15", ["grants", "--by", "year", "--known-at", "2023-01-15", "--format", "json"]),
        ("grants-by-programme", ["grants", "--by", "programme", "--format", "json"]),
        ("grants-by-tier", ["grants", "--by", "tier", "--format", "json"]),
        ("grants-by-month-2022", ["grants", "--by", "month", "--year", "2022", "--format", "json"]),
        ("tiers-transitions-2022", ["tiers", "--transitions", "--from", "2022-01-01", "--to", "2022-12-31", "--format", "json"]),
        ("centres", ["centres", "--format", "json"]),
        ("audit", ["audit", "--format", "json"]),
        ("audit-known-2023-01-15", ["audit", "--known-at", "2023-01-15", "--format", "json"]),
        ("checkpoint-end-2022", ["checkpoint", "--as-of", "2022-12-31", "--known-at", "2023-06-30"]),
    ]

    static var recording: Bool { ProcessInfo.processInfo.environment["INCENTIVES_RECORD_GOLDEN"] == "1" }

    @Test(arguments: cases.map(\.name))
    func bundledEventsReplayToTheGoldenOutput(name: String) throws {
        let arguments = Self.cases.first { $0.name == name }!.arguments + ["--events", Self.events]
        let io = CapturedIO()
        let code = CLI.run(arguments, environment: [:], io: io, clock: Self.clock)
        #expect(code == 0, "incentives \(arguments.joined(separator: " ")) failed: \(io.errors)")
        let path = Self.goldenFolder + "/\(name).json"
        if Self.recording {
            try FileManager.default.createDirectory(atPath: Self.goldenFolder, withIntermediateDirectories: true)
            try io.output.write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOfFile: path, encoding: .utf8) else {
            Issue.record("no golden file \(name).json; record it with INCENTIVES_RECORD_GOLDEN=1 swift test --filter GoldenReplayTests")
            return
        }
        if expected != io.output {
            Issue.record("incentives \(arguments.dropLast(2).joined(separator: " ")) no longer matches Golden/\(name).json:\n\(Self.diff(expected, io.output))\nIf the change is intended, re-record with INCENTIVES_RECORD_GOLDEN=1.")
        }
    }

    /// The first differing lines with their numbers, enough to see what changed.
    static func diff(_ expected: String, _ actual: String) -> String {
        let old = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let new = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var lines: [String] = []
        for index in 0..<max(old.count, new.count) where lines.count < 30 {
            let before = index < old.count ? String(old[index]) : "(none)"
            let after = index < new.count ? String(new[index]) : "(none)"
            if before != after {
                lines.append("line \(index + 1):\n  - \(before)\n  + \(after)")
            }
        }
        return lines.joined(separator: "\n")
    }
}
