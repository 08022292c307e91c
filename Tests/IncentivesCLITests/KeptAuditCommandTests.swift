import Foundation
import IncentivesDomain
import LedgerLog
import Testing

/// `audit` at the heads keeps its findings in the reader's cache: asked again while the logs
/// stand as they were, it answers from them, byte for byte as an audit of the logs does; after an
/// append, an edit, with another window or options, or with the cache turned off, it audits.
@Suite("Audit findings kept at the heads")
struct KeptAuditCommandTests {
    static let trace = SnapshotCommandTests.trace
    static let keptNote = "the findings kept at the heads"

    /// Runs `audit` until it answers from kept findings: the stamps of logs just written may be
    /// too fresh to prove them (racily clean), and then it audits and keeps them again.
    static func auditUntilKept(_ scenario: LedgerScenario) -> Bool {
        for _ in 0..<100 {
            if scenario.when(["audit"], environment: trace).errors.contains(keptNote) { return true }
            usleep(25_000)
        }
        return false
    }

    static let questions: [[String]] = [
        ["audit"], ["audit", "--format", "json"], ["audit", "--format", "csv", "--bom"],
        ["audit", "--rule", "cap-exceeded,late-recording"], ["audit", "--rule", "concentration", "--format", "json"],
        ["audit", "--fail-on", "warning"], ["audit", "--fail-on", "error", "--format", "csv"],
        ["audit", "--known-at", "2030-01-01"],
    ]

    /// Every question, from the kept findings, answers exactly as `--no-snapshot` does.
    static func expectSameAnswers(_ scenario: LedgerScenario, sourceLocation: SourceLocation = #_sourceLocation) {
        for question in questions {
            let cold = scenario.when(question + ["--no-snapshot"])
            let warm = scenario.when(question, environment: trace)
            #expect(warm.errors.contains(keptNote), "\(question) answered from the kept findings", sourceLocation: sourceLocation)
            #expect(warm.exitCode == cold.exitCode && warm.output == cold.output, "\(question)", sourceLocation: sourceLocation)
            #expect(scenario.when(question).errors == cold.errors, "\(question): the same warnings", sourceLocation: sourceLocation)
        }
    }

    @Test("asked again while the logs stand, the audit answers from its kept findings exactly as from the logs")
    func keptFindingsAnswer() {
        let scenario = SnapshotCommandTests.ledger()
        #expect(Self.auditUntilKept(scenario))
        Self.expectSameAnswers(scenario)
        #expect(!scenario.when(["audit", "--no-snapshot"]).output.isEmpty)
    }

    @Test("another window, another threshold, --no-snapshot or --no-verify: audited from the logs")
    func otherQuestionsAreAudited() {
        let scenario = SnapshotCommandTests.ledger()
        #expect(Self.auditUntilKept(scenario))
        for question in [["audit", "--as-of", "2022-06-30"], ["audit", "--known-at", "2022-08-01T00:00:00Z"],
                         ["audit", "--late-days", "10"], ["audit", "--no-snapshot"]] {
            let outcome = scenario.when(question, environment: Self.trace)
            #expect(outcome.exitCode == 0 && !outcome.errors.contains(Self.keptNote), "\(question)")
        }
        let unverified = scenario.when(["audit", "--no-verify"], environment: Self.trace)
        #expect(!unverified.errors.contains(Self.keptNote) && unverified.errors.contains("--no-verify"))
        #expect(scenario.when(["audit"], environment: ["INCENTIVES_NO_SNAPSHOT": "1", "INCENTIVES_SNAPSHOT_TRACE": "1"])
            .errors.contains(Self.keptNote) == false)
    }

    @Test("--no-snapshot, INCENTIVES_NO_SNAPSHOT and --no-verify keep no findings")
    func nothingKeptWithoutTheCache() throws {
        let scenario = SnapshotCommandTests.ledger()
        // The scenario's appends kept the findings after their last batch (`AppendSession`).
        func kept() throws -> [String: Data] {
            let directory = scenario.directory.cache
            var files: [String: Data] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: directory) where name.hasPrefix(KeptAuditFindings.filePrefix) {
                files[name] = FileManager.default.contents(atPath: directory + "/" + name)
            }
            return files
        }
        let before = try kept()
        #expect(before.count == 1)
        scenario.when(["audit", "--no-snapshot"]).then(exit: 0)
        scenario.when(["audit"], environment: ["INCENTIVES_NO_SNAPSHOT": "1"]).then(exit: 0)
        scenario.when(["audit", "--no-verify"]).then(exit: 0)
        #expect(try kept() == before, "nothing kept without the cache")
        scenario.when(["audit"]).then(exit: 0)
        #expect(try kept() != before, "the same audit with the cache keeps its own")
    }

    @Test("after an append the audit reads the logs and finds what the append added; an edit in place is refused")
    func changedLogsAreAudited() {
        let scenario = SnapshotCommandTests.ledger()
        #expect(Self.auditUntilKept(scenario))
        let before = scenario.when(["audit", "--format", "json"])
        scenario.when(["append", SnapshotCommandTests.lateAward(scenario)]).then(exit: 0)
        let after = scenario.when(["audit", "--format", "json"], environment: Self.trace)
        #expect(after.exitCode == 0 && !after.errors.contains(Self.keptNote))
        #expect(after.output == scenario.when(["audit", "--format", "json", "--no-snapshot"]).output)
        #expect(after.output != before.output, "the appended award is in the heads, and in any finding it makes")
        #expect(Self.auditUntilKept(scenario))
        Self.expectSameAnswers(scenario)
        // The first award raised in place, the line's length kept: the kept findings are not
        // used, and the audit refuses, as any read of a log that does not verify does.
        let original = scenario.directory.readLog("grants")
        let text = String(decoding: original, as: UTF8.self).replacingOccurrences(of: "\"amountFen\":100000000",
                                                                                  with: "\"amountFen\":900000000")
        #expect(Array(text.utf8) != original && text.utf8.count == original.count)
        scenario.directory.writeLog("grants", Array(text.utf8))
        scenario.when(["audit"], environment: Self.trace).then(exit: 65, errors: ["do not verify"])
        #expect(!scenario.when(["audit"], environment: Self.trace).errors.contains(Self.keptNote))
    }
}
