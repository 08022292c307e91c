@testable import LedgerLog
import Testing

/// A crash in the middle of an append, seen from the command line: verify reports it, the next
/// append says what it repairs and rolls the unacknowledged bytes back; a batch that was
/// complete when the crash came is kept.
@Suite("Interrupted appends from the command line")
struct InterruptedAppendCommandTests {
    /// What an append of `batch` writes, undone again: the logs as they would be after it, the
    /// journal it would write before writing them, and where each log stood before.
    struct Crash {
        var before: [String: [UInt8]?]
        var after: [String: [UInt8]]
        /// The pending record, in the journal's own encoding.
        var journal: [UInt8]
    }

    static func prepareCrash(_ scenario: LedgerScenario, batch: [String]) throws -> Crash {
        let before = scenario.directory.logSnapshot()
        scenario.given(batch)
        var after: [String: [UInt8]] = [:]
        var entries: [AppendJournal.Entry] = []
        for log in ["tiers", "centres", "grants"] {
            let bytes = scenario.directory.readLog(log)
            after[log] = bytes
            let from = (before[log] ?? nil)?.count ?? 0
            guard bytes.count > from else { continue }
            let lines = scenario.directory.logLines(log)
            let head = try #require(SHA256Digest(hex: try JSONParser.parse(lines.last!)["hash"]?.stringValue ?? ""))
            // Where the log stood before the batch: its line count and last hash then.
            let fromLines = LogText.lines((before[log] ?? nil) ?? [])
            let fromHead = try fromLines.last.map { try #require(SHA256Digest(hex: try JSONParser.parse($0)["hash"]?.stringValue ?? "")) } ?? .zero
            entries.append(.init(log: LogName(rawValue: log)!, fromBytes: from, toBytes: bytes.count, toSeq: lines.count, head: head,
                                 fromSeq: fromLines.count, fromHead: fromHead))
        }
        for (log, bytes) in before { scenario.directory.writeLog(log, bytes ?? []) }
        return Crash(before: before, after: after, journal: AppendJournal(entries: entries).encoded())
    }

    static let base = [
        Draft.programme("p-yz", "yz", name: "雁阵计划", effective: "2022-01-01"),
        Draft.register("e-precision", Codes.precision, name: Codes.precisionName, effective: "2022-01-01"),
    ]
    static let batch = [
        Draft.award("a-1", grant: "G-1", enterprise: Codes.precision, programme: "yz", amountFen: 100, effective: "2022-03-01"),
        Draft.tier("t-1", enterprise: Codes.precision, tier: "sme", effective: "2022-03-01"),
        Draft.award("a-2", grant: "G-2", enterprise: Codes.precision, programme: "yz", amountFen: 200, effective: "2022-03-02"),
    ]

    @Test("a half-written batch: verify exits 1, queries refuse, the next append says so and rolls it back")
    func rolledBack() throws {
        let scenario = LedgerScenario()
        scenario.given(Self.base)
        let crash = try Self.prepareCrash(scenario, batch: Self.batch)
        // The crash came after the grants log got part of its lines, before the tiers log got any.
        let grantsBefore = (crash.before["grants"] ?? nil) ?? []
        let written = crash.after["grants"]!.count - grantsBefore.count
        let partial = Array(crash.after["grants"]!.prefix(grantsBefore.count + written / 2))
        scenario.directory.writeLog("grants", partial)
        scenario.directory.writeEventsFile(".ledger-journal", crash.journal)

        let removed = partial.count - grantsBefore.count
        scenario.when(["verify"]).then(exit: 1, output: [
            "grants.jsonl:0: an append was interrupted: \(removed) bytes after byte \(grantsBefore.count) were never acknowledged",
        ])
        // Queries answer from the acknowledged events, with a warning, and change nothing.
        let beforeQuery = scenario.directory.logSnapshot()
        scenario.when(["summary", "--format", "json"]).then(exit: 0, output: ["\"count\": 0", "\"events\": 2"], errors: [
            "warning: grants.jsonl: an append was interrupted: \(removed) bytes after byte \(grantsBefore.count) were never acknowledged; queries answer without them",
        ])
        #expect(scenario.directory.logSnapshot() == beforeQuery)

        let next = scenario.append([Draft.openCentre("o-1", centre: "C-1", name: "中心", effective: "2022-05-01")])
        next.then(exit: 0, output: ["1 appended"], errors: [
            "incentives append: grants.jsonl: an append was interrupted before it was acknowledged; its \(removed) bytes after byte \(grantsBefore.count) were moved to \(scenario.events)/.ledger-quarantine/",
        ])
        #expect(scenario.directory.readLog("grants") == grantsBefore)
        let quarantined = LogText.names(in: scenario.events + "/.ledger-quarantine")
        #expect(quarantined.count == 1 && quarantined[0].hasSuffix("-grants-at-\(grantsBefore.count)-interrupted-append.removed"))
        #expect(readFileBytes(scenario.events + "/.ledger-quarantine/" + quarantined[0]) == Array(partial.dropFirst(grantsBefore.count)))
        scenario.when(["verify"]).then(exit: 0, output: ["ok: 3 events in 3 logs verify"])
        // The rolled-back drafts can simply be appended again.
        scenario.given(Self.batch).then(exit: 0, output: ["3 appended, 0 already present"])
    }

    @Test("a batch complete in every log when the crash came is kept, without a notice")
    func completeKept() throws {
        let scenario = LedgerScenario()
        scenario.given(Self.base)
        let crash = try Self.prepareCrash(scenario, batch: Self.batch)
        for (log, bytes) in crash.after { scenario.directory.writeLog(log, bytes) }
        scenario.directory.writeEventsFile(".ledger-journal", crash.journal)

        scenario.when(["verify"]).then(exit: 0, output: ["ok: 5 events in 3 logs verify"])
        let next = scenario.append([Draft.openCentre("o-1", centre: "C-1", name: "中心", effective: "2022-05-01")])
        next.then(exit: 0, output: ["1 appended"])
        // Back-dated drafts draw a late-recording warning; nothing else is said.
        #expect(next.errors.split(separator: "\n").allSatisfy { $0.hasPrefix("warning: late-recording") }, "nothing to repair: \(next.errors)")
        scenario.when(["summary", "--format", "json"]).then(exit: 0, output: ["\"count\": 2", "\"sme\": 1"])
    }
}
