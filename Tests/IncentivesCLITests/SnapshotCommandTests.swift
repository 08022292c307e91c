import Foundation
import IncentivesDomain
import LedgerLog
import Testing

/// The snapshot is the reading user's cache: every answer is the same with it, without it and
/// after deleting it; one that does not match the logs, or that this user's key did not
/// authenticate, is ignored and the logs are verified.
@Suite("Snapshots and warm queries")
struct SnapshotCommandTests {
    static let trace = ["INCENTIVES_SNAPSHOT_TRACE": "1"]

    static let queries: [[String]] = [
        ["summary"], ["summary", "--format", "json"], ["summary", "--format", "csv", "--unit", "wan"],
        ["summary", "--as-of", "2022-06-30", "--known-at", "2022-07-01"],
        ["grants", "--by", "enterprise"], ["grants", "--by", "year", "--format", "json"],
        ["grants", "--by", "programme", "--format", "csv"], ["grants", "--by", "enterprise", "--format", "json"],
        ["grants", "--by", "year", "--programme", "yz"], ["grants", "--by", "tier", "--enterprise", Codes.pharma],
        ["grants", "--by", "tier", "--known-at", "2022-05-01T00:00:00Z"], ["grants", "--by", "month", "--format", "csv"],
        ["enterprise", Codes.precision, "--format", "json"], ["tiers", "--transitions"], ["centres", "--format", "json"],
        ["tiers"], ["tiers", "--transitions", "--as-of", "2022-12-31", "--format", "csv"], ["centres", "--as-of", "2022-06-30"],
        ["programmes", "--format", "json"], ["programmes", "--known-at", "2022-05-01T00:00:00Z"],
        ["enterprise", Codes.precision, "--as-of", "2022-06-30", "--format", "csv"], ["enterprise", Codes.pharma],
        ["history", "G-1"], ["history", Codes.precision, "--format", "json"],
        ["audit"], ["audit", "--format", "json", "--as-of", "2022-12-31"],
        ["restatements", "--period", "2022", "--reported-at", "2022-06-30"],
        ["report", "--html", "-"], ["statement", Codes.precision, "--html", "-", "--as-of", "2022-12-31"],
    ]

    /// Events in all three logs, over several appends, with an amendment and a retraction.
    static func ledger() -> LedgerScenario {
        let scenario = LedgerScenario()
        scenario.given(at: "2022-01-02T08:00:00Z", [
            Draft.programme("p-yz", "yz", name: "雁阵计划", effective: "2022-01-01",
                            extra: ",\"capFen\":150000000,\"minTier\":\"startup\""),
            Draft.register("e-precision", Codes.precision, name: Codes.precisionName, effective: "2022-01-01"),
            Draft.register("e-pharma", Codes.pharma, name: Codes.pharmaName, sector: "pharma", effective: "2022-01-01"),
        ])
        scenario.given(at: "2022-02-01T09:00:00Z", [
            Draft.tier("t-1", enterprise: Codes.precision, tier: "startup", effective: "2022-02-01"),
        ])
        scenario.given(at: "2022-03-01T10:00:00Z", [
            Draft.award("a-1", grant: "G-1", enterprise: Codes.precision, programme: "yz", amountFen: 100_000_000,
                        effective: "2022-03-01"),
        ])
        scenario.given(at: "2022-04-01T10:00:00Z", [
            Draft.award("a-2", grant: "G-2", enterprise: Codes.pharma, programme: "yz", amountFen: 40_000_000,
                        effective: "2022-04-01"),
        ])
        scenario.given(at: "2022-05-02T10:00:00Z", [
            Draft.grantAmount("d-1", "GrantDisbursed", grant: "G-1", amountFen: 30_000_000, effective: "2022-05-01"),
        ])
        scenario.given(at: "2022-05-02T11:00:00Z", [
            Draft.openCentre("o-1", centre: "C-1", name: "联合创新中心", partner: "南京大学", effective: "2022-05-01"),
        ])
        scenario.given(at: "2022-08-01T10:00:00Z", [
            Draft.grantAmount("m-1", "GrantAmended", grant: "G-2", amountFen: 30_000_000, effective: "2022-04-01"),
        ])
        scenario.given(at: "2022-08-02T10:00:00Z", [Draft.retract("r-1", target: "d-1", effective: "2022-08-02")])
        scenario.given(at: "2022-09-01T09:00:00Z", [
            Draft.tier("t-2", enterprise: Codes.precision, tier: "sme", effective: "2022-09-01"),
        ])
        return scenario
    }

    /// Where the scenario's snapshot is kept: in its user's cache, not beside the logs.
    func snapshotPath(_ scenario: LedgerScenario) -> String {
        SnapshotCache.snapshotPath(of: IncentiveLogs.store(directory: scenario.events),
                                   environment: [SnapshotCache.directoryVariable: scenario.directory.cache])!
    }

    /// A file with one award after the scenario's events, for `append`.
    static func lateAward(_ scenario: LedgerScenario) -> String {
        scenario.directory.writeInput("late.jsonl", Array((Draft.award(
            "a-late", grant: "G-LATE", enterprise: Codes.pharma, programme: "yz", amountFen: 7_000_000,
            effective: "2022-10-01") + "\n").utf8))
    }

    func expectSameAnswers(_ scenario: LedgerScenario, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for query in Self.queries {
            let cold = scenario.when(query + ["--no-snapshot"])
            let warm = scenario.when(query)
            // 1 is restatements' "the figures changed".
            #expect(cold.exitCode == 0 || (query[0] == "restatements" && cold.exitCode == 1), "\(query): \(cold.errors)",
                    sourceLocation: sourceLocation)
            #expect(warm.exitCode == cold.exitCode && warm.output == cold.output && warm.errors == cold.errors,
                    "\(label): \(query) answers differently from the snapshot", sourceLocation: sourceLocation)
        }
    }

    func snapshotExists(_ scenario: LedgerScenario) -> Bool {
        FileManager.default.fileExists(atPath: snapshotPath(scenario))
    }

    func removeSnapshot(_ scenario: LedgerScenario) throws {
        try FileManager.default.removeItem(atPath: snapshotPath(scenario))
    }

    func snapshotBytes(_ scenario: LedgerScenario) -> [UInt8] {
        FileManager.default.contents(atPath: snapshotPath(scenario)).map { [UInt8]($0) } ?? []
    }

    func writeSnapshot(_ scenario: LedgerScenario, _ bytes: [UInt8]) {
        let path = snapshotPath(scenario)
        try? FileManager.default.removeItem(atPath: path)
        precondition(FileManager.default.createFile(atPath: path, contents: Data(bytes), attributes: [.posixPermissions: 0o600]))
    }

    @Test("every answer is the same with the snapshot, without it, and after deleting it")
    func sameAnswers() throws {
        let scenario = Self.ledger()
        // The appends saved one: each read more than 1% of the ledger after the last (the
        // second read the first's 3 events in full, each later one the events of the one before
        // after its snapshot), and the last append's 1 event is read after it.
        #expect(snapshotExists(scenario))
        scenario.when(["summary"], environment: Self.trace).then(exit: 0, errors: ["snapshot used, 1 event read after it", "snapshot saved"])
        // Its stamps may be too fresh to prove the logs (racily clean): then it is opened whole and
        // saved again; the kept read models alone answer once they are settled (`KeptModelOpeningTests`).
        scenario.when(["summary"], environment: Self.trace).then(exit: 0, errors: ["snapshot used"])
        scenario.when(["grants", "--by", "enterprise"], environment: Self.trace).then(exit: 0, errors: ["snapshot used"])
        scenario.when(["summary", "--as-of", "2022-06-30"], environment: Self.trace)
            .then(exit: 0, errors: ["snapshot used, 0 events read after it"])
        scenario.when(["audit"], environment: Self.trace).then(exit: 0, errors: ["snapshot used, 0 events read after it"])
        expectSameAnswers(scenario, "warm")
        try removeSnapshot(scenario)
        let first = scenario.when(["grants", "--by", "enterprise"], environment: Self.trace)
        first.then(exit: 0, errors: ["snapshot not used (there is none)"])
        expectSameAnswers(scenario, "after deleting the snapshot")
    }

    @Test("events appended after the snapshot are read, hashed and included")
    func appendAfterSnapshot() {
        let scenario = Self.ledger()
        scenario.when(["summary"]).then(exit: 0)
        // The append itself starts from the snapshot.
        let path = scenario.directory.writeInput("later.jsonl", Array((Draft.award(
            "a-3", grant: "G-3", enterprise: Codes.pharma, programme: "yz", amountFen: 7_000_000,
            effective: "2022-10-01") + "\n").utf8))
        scenario.when(["append", path], environment: Self.trace).then(exit: 0, errors: ["snapshot used, 0 events read after it"])
        scenario.when(["grants", "--by", "enterprise", "--format", "json"], environment: Self.trace)
            .then(exit: 0, output: ["\"count\": 2"], errors: ["snapshot used, 1 event read after it"])
        expectSameAnswers(scenario, "after an append")
        // A new enterprise in the first log and a centre in the second, behind the snapshot's events.
        scenario.given([
            Draft.register("e-boats", Codes.boats, name: Codes.boatsName, effective: "2022-10-02"),
            Draft.closeCentre("c-1", centre: "C-1", effective: "2022-10-03"),
            Draft.award("a-4", grant: "G-4", enterprise: Codes.boats, programme: "yz", amountFen: 5_000_000,
                        effective: "2022-10-04"),
        ])
        scenario.when(["enterprise", Codes.boats, "--format", "json"]).then(exit: 0, output: ["\"G-4\""])
        expectSameAnswers(scenario, "after appends to every log")
    }

    @Test("a damaged snapshot is ignored, and rebuilt")
    func damagedSnapshot() {
        let scenario = Self.ledger()
        scenario.when(["summary"]).then(exit: 0)
        var bytes = snapshotBytes(scenario)
        bytes[bytes.count / 2] ^= 0x01
        writeSnapshot(scenario, bytes)
        scenario.when(["summary"], environment: Self.trace).then(exit: 0, errors: ["MAC does not match", "snapshot saved"])
        #expect(snapshotBytes(scenario) != bytes)
        expectSameAnswers(scenario, "after a damaged snapshot")
    }

    @Test("a snapshot of another format version is ignored")
    func otherVersion() {
        let scenario = Self.ledger()
        scenario.when(["summary"]).then(exit: 0)
        var bytes = snapshotBytes(scenario)
        bytes[8] = 99
        writeSnapshot(scenario, bytes)
        scenario.when(["summary"], environment: Self.trace).then(exit: 0, errors: ["storage format 99; this build reads", "snapshot saved"])
        // The client's schema version (the u32 at byte 12) is named as such.
        bytes = snapshotBytes(scenario)
        bytes[12] = 99
        writeSnapshot(scenario, bytes)
        scenario.when(["summary"], environment: Self.trace).then(exit: 0, errors: ["format version 99; this build reads", "snapshot saved"])
        expectSameAnswers(scenario, "after another version's snapshot")
    }

    @Test("a log rewritten at the same length is not trusted: the query verifies it and refuses")
    func rewrittenLog() {
        let scenario = Self.ledger()
        scenario.when(["summary"]).then(exit: 0)
        // The last grants line (the retraction) is edited in place, its stated hash left as it was.
        let original = scenario.directory.readLog("grants")
        let text = String(decoding: original, as: UTF8.self).replacingOccurrences(of: "\"reason\":\"recorded in error\"",
                                                                                  with: "\"reason\":\"recorded in ERROR\"")
        #expect(text.utf8.count == original.count && Array(text.utf8) != original)
        scenario.directory.writeLog("grants", Array(text.utf8))
        let outcome = scenario.when(["summary"])
        outcome.then(exit: 65, errors: ["do not verify", "grants.jsonl:6: hash does not match the event's content"])
        #expect(outcome.output.isEmpty)
        scenario.when(["audit", "--format", "json"]).then(exit: 65, errors: ["do not verify"])
    }

    @Test("a truncated log makes the snapshot stale: the logs are read in full")
    func truncatedLog() {
        let scenario = Self.ledger()
        scenario.when(["summary"]).then(exit: 0)
        let lines = scenario.directory.logLines("grants")
        scenario.directory.writeLog("grants", Array((lines[0..<3].joined(separator: "\n") + "\n").utf8))
        scenario.when(["summary", "--format", "json"], environment: Self.trace)
            .then(exit: 0, errors: ["no longer passes through the head it remembers", "snapshot saved"])
        expectSameAnswers(scenario, "after truncation")
    }

    @Test("--no-snapshot and INCENTIVES_NO_SNAPSHOT neither read nor write a snapshot; --no-verify never does")
    func disabled() throws {
        let scenario = Self.ledger()
        try removeSnapshot(scenario)
        scenario.when(["summary", "--no-snapshot"], environment: Self.trace).then(exit: 0, errors: ["snapshot not asked for"])
        scenario.when(["summary"], environment: ["INCENTIVES_NO_SNAPSHOT": "1"]).then(exit: 0)
        scenario.when(["summary", "--no-verify"]).then(exit: 0)
        #expect(!snapshotExists(scenario))
        scenario.when(["summary"], environment: ["INCENTIVES_NO_SNAPSHOT": "0"]).then(exit: 0)
        #expect(snapshotExists(scenario))
    }

    @Test("a line edited inside the remembered prefix is found: the changed file is read in full and the query refuses")
    func changeInsideTheRememberedPrefix() {
        let scenario = Self.ledger()
        scenario.when(["summary", "--format", "json"]).then(exit: 0)
        // The first award is raised in place: a line inside the verified prefix, not its last.
        let original = scenario.directory.readLog("grants")
        let text = String(decoding: original, as: UTF8.self).replacingOccurrences(of: "\"amountFen\":100000000",
                                                                                  with: "\"amountFen\":900000000")
        #expect(Array(text.utf8) != original && text.utf8.count == original.count)
        scenario.directory.writeLog("grants", Array(text.utf8))
        scenario.when(["verify"]).then(exit: 1, output: ["grants.jsonl:2: hash does not match"])
        scenario.when(["summary", "--no-snapshot"]).then(exit: 65, errors: ["do not verify"])
        // The file changed since the snapshot was taken, and not by an append: not trusted.
        scenario.when(["summary", "--format", "json"], environment: Self.trace)
            .then(exit: 65, errors: ["do not verify"])
        // An append reads the changed log in full too, and refuses to extend it.
        scenario.when(["append", Self.lateAward(scenario)]).then(exit: 65, errors: ["verify"])
    }

    @Test("after appends through the tool the snapshot is still used; an edit after them is still found")
    func editAfterAppends() {
        let scenario = Self.ledger()
        scenario.when(["summary"]).then(exit: 0)
        let before = scenario.directory.readLog("grants")
        scenario.when(["append", Self.lateAward(scenario)]).then(exit: 0)
        scenario.when(["summary"], environment: Self.trace).then(exit: 0, errors: ["snapshot used, 1 event read after it"])
        // The appended line stays; a byte of the prefix changes (same length).
        var edited = scenario.directory.readLog("grants")
        let position = edited.firstIndex(of: UInt8(ascii: "9"))!
        #expect(position < before.count)
        edited[position] = UInt8(ascii: "8")
        scenario.directory.writeLog("grants", edited)
        scenario.when(["summary"], environment: Self.trace).then(exit: 65, errors: ["do not verify"])
    }

    @Test("whoever may write the events directory cannot choose a warm answer: a snapshot there is never read")
    func snapshotBesideTheLogsIsIgnored() throws {
        let scenario = Self.ledger()
        scenario.when(["summary"]).then(exit: 0)
        let expected = scenario.when(["summary", "--no-snapshot"])
        // A valid snapshot of this very ledger, forged or not, put where older builds kept it.
        scenario.directory.writeEventsFile(".ledger-snapshot", snapshotBytes(scenario))
        try removeSnapshot(scenario)
        let warm = scenario.when(["summary"], environment: Self.trace)
        warm.then(exit: 0, errors: ["snapshot not used (there is none)", "snapshot saved"])
        #expect(warm.output == expected.output)
        scenario.directory.writeEventsFile(".ledger-snapshot", Array("garbage".utf8))
        scenario.when(["summary"], environment: Self.trace).then(exit: 0, errors: ["snapshot used"])
        scenario.when(["verify"]).then(exit: 0)
    }

    @Test("a cache directory others may write is not used: the query runs without a snapshot, with no error")
    func sharedCacheIsNotUsed() throws {
        let scenario = Self.ledger()
        scenario.when(["summary"]).then(exit: 0)
        let expected = scenario.when(["summary", "--no-snapshot"])
        #expect(chmod(scenario.directory.cache, 0o777) == 0)
        let outcome = scenario.when(["summary"], environment: Self.trace)
        outcome.then(exit: 0, errors: ["no private cache to keep it in", "may be written by others"])
        #expect(outcome.output == expected.output)
        #expect(!outcome.errors.contains("snapshot saved"))
        #expect(chmod(scenario.directory.cache, 0o700) == 0)
        scenario.when(["summary"], environment: Self.trace).then(exit: 0, errors: ["snapshot used"])
        // Without any cache directory (no INCENTIVES_CACHE_DIR, XDG_CACHE_HOME or HOME) there is no snapshot either.
        let homeless = scenario.when(["summary"], environment: ["INCENTIVES_CACHE_DIR": "", "INCENTIVES_SNAPSHOT_TRACE": "1"])
        homeless.then(exit: 0, errors: ["no cache directory"])
        #expect(homeless.output == expected.output)
    }

    @Test("a snapshot that cannot be written changes no answer and leaves no temporary file")
    func unwritable() throws {
        let scenario = Self.ledger()
        try removeSnapshot(scenario)
        try FileManager.default.createDirectory(atPath: snapshotPath(scenario), withIntermediateDirectories: false)
        scenario.when(["summary"], environment: Self.trace).then(exit: 0, errors: ["snapshot not used (it cannot be read", "snapshot not saved"])
        expectSameAnswers(scenario, "without a writable snapshot")
        let names = try FileManager.default.contentsOfDirectory(atPath: scenario.events).sorted()
        #expect(names == [".ledger-journal", "centres.jsonl", "grants.jsonl", "ledger.json", "tiers.jsonl"])
        let cached = try FileManager.default.contentsOfDirectory(atPath: scenario.directory.cache).sorted()
        // The audit's kept findings (`KeptAuditCommandTests`) are a file of their own, written whole.
        let snapshotName = String(snapshotPath(scenario).split(separator: "/").last!)
        let findingsName = KeptAuditFindings.filePrefix + snapshotName.dropFirst(SnapshotCache.snapshotFilePrefix.count)
        #expect(cached == [findingsName, snapshotName, SnapshotCache.keyFileName])
    }
}
