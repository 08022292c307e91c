import Foundation
import IncentivesDomain
@testable import LedgerLog
import Testing

/// The store's promises seen from the command line: a repair never cuts into what was
/// acknowledged, a journal record anyone could write destroys nothing, no file type makes a
/// command hang, a log is never shared by two directories, and `incentives repair` says what it
/// moved to quarantine.
@Suite("Store safety from the command line")
struct StoreSafetyCommandTests {
    static let base = [
        Draft.programme("p-yz", "yz", name: "雁阵计划", effective: "2022-01-01"),
        Draft.register("e-precision", Codes.precision, name: Codes.precisionName, effective: "2022-01-01"),
        Draft.award("a-1", grant: "G-1", enterprise: Codes.precision, programme: "yz", amountFen: 100_000, effective: "2022-03-01"),
    ]

    static func disburse(_ scenario: LedgerScenario, _ id: String) -> CommandOutcome {
        scenario.when(["disburse", "--id", id, "--grant", "G-1", "--amount", "1", "--effective", "2022-04-01",
                       "--actor", "clerk", "--source", "doc-1"])
    }

    @Test("a cut inside what the last append acknowledged is refused with 65, never repaired; verify says FAILED")
    func cutInsideAcknowledged() {
        let scenario = LedgerScenario()
        scenario.given(Self.base)
        Self.disburse(scenario, "torn-1").then(exit: 0, output: ["appended torn-1"])
        let grants = scenario.directory.readLog("grants")
        scenario.directory.writeLog("grants", Array(grants.dropLast(30)))
        Self.disburse(scenario, "torn-2").then(exit: 65, errors: [
            "grants.jsonl is \(grants.count - 30) bytes long, shorter than the \(grants.count) bytes the last append acknowledged",
            "run `incentives verify` and restore the log from a copy",
        ])
        scenario.when(["repair"]).then(exit: 65, errors: ["acknowledged events were damaged or removed"])
        #expect(scenario.directory.readLog("grants") == Array(grants.dropLast(30)), "nothing was cut")
        #expect(LogText.names(in: scenario.events + "/.ledger-quarantine").isEmpty)
        scenario.when(["verify"]).then(exit: 1, output: ["last line has no newline", "FAILED"])
        // Restored from a copy, everything works again, torn-1 included.
        scenario.directory.writeLog("grants", grants)
        Self.disburse(scenario, "torn-2").then(exit: 0, output: ["appended torn-2"])
        scenario.when(["history", "torn-1"]).then(exit: 0, output: ["torn-1"])
    }

    @Test("a forged pending record cuts nothing: an append refuses it, and repair refuses a rollback that does not match the log")
    func forgedPendingRecord() {
        let scenario = LedgerScenario()
        scenario.given(Self.base)
        let grants = scenario.directory.readLog("grants")
        let zeros = String(repeating: "0", count: 64)
        scenario.directory.writeEventsFile(".ledger-journal", Array("pending\ngrants 100 \(grants.count) 983 \(zeros)\nend\n".utf8))
        Self.disburse(scenario, "d-1").then(exit: 65, errors: ["recorded by an earlier version", "incentives repair"])
        scenario.when(["summary"]).then(exit: 65, errors: ["recorded by an earlier version"])
        scenario.when(["repair"]).then(exit: 65, errors: ["asks to roll grants.jsonl back to byte 100", "no whole, intact event ends there",
                                                          "nothing was changed"])
        #expect(scenario.directory.readLog("grants") == grants)
        // Format 2, at a real line end but with a head the log does not have there.
        let first = LogText.lines(grants)[0].count + 1
        let forged = "ledger-journal 2 pending\ncommitted grants \(first) 1 \(zeros.dropLast())1\nbatch grants \(grants.count) 9 \(zeros)\n"
        scenario.directory.writeEventsFile(".ledger-journal", Array((forged + "end \(AppendJournal.checksum(Array(forged.utf8)[...]))\n").utf8))
        Self.disburse(scenario, "d-1").then(exit: 65, errors: ["not seq 1 with hash"])
        #expect(scenario.directory.readLog("grants") == grants)
        #expect(LogText.names(in: scenario.events + "/.ledger-quarantine").isEmpty)
    }

    @Test("repair: nothing to do, then an interrupted append rolled back into quarantine, named in one line")
    func repairCommand() throws {
        let scenario = LedgerScenario()
        scenario.given(Self.base)
        scenario.when(["repair"]).then(exit: 0, output: ["nothing to repair", "ok: 3 events in 3 logs verify"])
        let grants = scenario.directory.readLog("grants")
        let lines = LogText.lines(grants)
        let head = try #require(SHA256Digest(hex: try JSONParser.parse(lines.last!)["hash"]?.stringValue ?? ""))
        let junk = Array("{\"actor\":\"half".utf8)
        scenario.directory.writeLog("grants", grants + junk)
        scenario.directory.writeEventsFile(".ledger-journal", AppendJournal(entries: [
            .init(log: LogName(rawValue: "grants")!, fromBytes: grants.count, toBytes: grants.count + 400, toSeq: lines.count + 1,
                  head: .zero, fromSeq: lines.count, fromHead: head),
        ]).encoded())
        // Named by the ledger's clock (the scenario's), the log, the offset and the reason.
        let time = scenario.now.description.filter { $0 != "-" && $0 != ":" }
        let name = "\(time)-grants-at-\(grants.count)-interrupted-append.removed"
        scenario.when(["repair"]).then(exit: 0, output: [
            "grants.jsonl: an append was interrupted before it was acknowledged; its \(junk.count) bytes after byte \(grants.count) were moved to \(scenario.events)/.ledger-quarantine/\(name)",
            "ok: 3 events in 3 logs verify",
        ])
        #expect(scenario.directory.readLog("grants") == grants)
        #expect(FileManager.default.contents(atPath: scenario.events + "/.ledger-quarantine/" + name).map { [UInt8]($0) } == junk)
    }

    @Test("a FIFO in place of a log or the journal: every command answers at once, exit 74 naming it",
          arguments: ["grants.jsonl", ".ledger-journal"])
    func fifoNeverHangs(name: String) {
        let scenario = LedgerScenario()
        scenario.given(Self.base)
        let path = scenario.events + "/" + name
        #expect(unlink(path) == 0 && mkfifo(path, 0o644) == 0)
        let phrase = "\(path) is a FIFO (named pipe), not a regular file"
        scenario.when(["summary"]).then(exit: 74, errors: [phrase])
        scenario.when(["verify"]).then(exit: 74, errors: [phrase])
        Self.disburse(scenario, "d-1").then(exit: 74, errors: [phrase])
        scenario.when(["repair"]).then(exit: 74, errors: [phrase])
    }

    @Test("a FIFO, a socket-like stray or a symbolic link in place of the snapshot is not opened: the answer comes from the logs",
          arguments: ["fifo", "symlink", "directory"])
    func strangeSnapshotIsIgnored(kind: String) {
        let scenario = LedgerScenario()
        scenario.given(Self.base)
        let cold = scenario.when(["summary", "--format", "json", "--no-snapshot"])
        // The snapshot lives in the reading user's cache (here the scenario's own).
        let path = SnapshotCache.snapshotPath(of: IncentiveLogs.store(directory: scenario.events),
                                              environment: [SnapshotCache.directoryVariable: scenario.directory.cache])!
        _ = unlink(path)
        _ = mkdir(scenario.directory.cache, 0o700)
        switch kind {
        case "fifo": #expect(mkfifo(path, 0o644) == 0)
        case "symlink": #expect(symlink(scenario.directory.logPath("grants"), path) == 0)
        default: #expect(mkdir(path, 0o755) == 0)
        }
        let grants = scenario.directory.readLog("grants")
        let warm = scenario.when(["summary", "--format", "json"], environment: ["INCENTIVES_SNAPSHOT_TRACE": "1"])
        warm.then(exit: 0, errors: ["snapshot not used", kind == "symlink" ? "symbolic link" : "not a regular file"])
        #expect(warm.output == cold.output)
        #expect(scenario.directory.readLog("grants") == grants, "a symbolic link's target is never written")
        Self.disburse(scenario, "d-1").then(exit: 0, output: ["appended d-1"])
    }

    @Test("a symbolic link in place of the journal is not followed: its target is never written")
    func symlinkedJournal() throws {
        let scenario = LedgerScenario()
        scenario.given(Self.base)
        let target = scenario.directory.writeInput("precious.txt", Array("keep me\n".utf8))
        let journal = scenario.events + "/.ledger-journal"
        #expect(unlink(journal) == 0 && symlink(target, journal) == 0)
        Self.disburse(scenario, "d-1").then(exit: 74, errors: ["\(journal) is a symbolic link, not a regular file"])
        scenario.when(["summary"]).then(exit: 74, errors: ["is a symbolic link"])
        #expect(FileManager.default.contents(atPath: target).map { [UInt8]($0) } == Array("keep me\n".utf8))
    }

    @Test("a log hard-linked into a second events directory is refused in both, saying why")
    func sharedLog() throws {
        let scenario = LedgerScenario()
        scenario.given(Self.base)
        let second = scenario.directory.root + "/second"
        #expect(mkdir(second, 0o755) == 0 && link(scenario.directory.logPath("grants"), second + "/grants.jsonl") == 0)
        let phrases = ["grants.jsonl has 2 hard links", "a log belongs to one events directory only"]
        Self.disburse(scenario, "d-1").then(exit: 74, errors: phrases)
        scenario.when(["summary", "--events", second], addingEvents: false).then(exit: 74, errors: phrases)
    }
}
