#if canImport(Glibc)
import Glibc
#endif
@testable import IncentivesDomain
import IncentivesTestSupport
import LedgerColumns
import LedgerLog
import Testing

/// The findings an audit keeps at the heads answer the same question again exactly as the audit
/// does, and nothing else: not another window, other options or rules, logs changed in any way
/// since, stamps too fresh to prove them, a damaged file, or one made under another key.
@Suite struct KeptAuditFindingsTests {
    /// A ledger read from its logs, its audit at the heads, and those findings kept with stamps
    /// the scratch directory's clock counts as settled.
    static func kept(seed: UInt64, drafts: Int = 300) throws -> (SnapshotScratchDirectory, Ledger, AuditReport) {
        var generator = ScenarioGenerator(seed: seed)
        return try kept(&generator, drafts: drafts)
    }

    static func kept(_ generator: inout ScenarioGenerator, drafts: Int = 300) throws -> (SnapshotScratchDirectory, Ledger, AuditReport) {
        let directory = SnapshotScratchDirectory()
        try directory.append([generator.drafts(drafts)])
        let ledger = try directory.open(useSnapshot: false).ledger
        let report = Auditor(ledger: ledger, window: headWindow(ledger)).run()
        #expect(keep(report, ledger, directory) == nil)
        return (directory, ledger, report)
    }

    static func headWindow(_ ledger: Ledger) -> TimeWindow { TimeWindow(asOf: nil, knownAt: ledger.headsRecorded!) }

    static func keep(_ report: AuditReport, _ ledger: Ledger, _ directory: SnapshotScratchDirectory,
                     stampsTakenAfter: Int64? = nil) -> String? {
        KeptAuditFindings.keep(report, logs: ledger.logs, stampsTakenAfter: stampsTakenAfter ?? directory.now(),
                               store: directory.store, environment: directory.environment)
    }

    static func read(_ directory: SnapshotScratchDirectory) -> KeptAuditFindings? {
        KeptAuditFindings.read(store: directory.store, environment: directory.environment)
    }

    static var keptPath: (SnapshotScratchDirectory) -> String {
        { $0.cachePath + "/" + KeptAuditFindings.filePrefix + $0.snapshotName.dropFirst(SnapshotCache.snapshotFilePrefix.count) }
    }

    @Test("kept findings answer the heads' window, any later known-at and any rules among them, as the audit does",
          arguments: [61, 62] as [UInt64])
    func keptFindingsAnswerAsTheAuditDoes(seed: UInt64) throws {
        let (directory, ledger, report) = try Self.kept(seed: seed)
        #expect(!report.findings.isEmpty, "a ledger with findings to keep")
        let kept = try #require(Self.read(directory))
        #expect(kept.logs == ledger.logs && kept.options == Auditor.Options())
        let heads = Self.headWindow(ledger)
        #expect(kept.report(in: heads, options: Auditor.Options()) == report)
        let later = TimeWindow(asOf: nil, knownAt: Timestamp(secondsSinceEpoch: heads.knownAt.secondsSinceEpoch + 86_400 * 400))
        for rules: [AuditRule] in [[.lateRecording], [.capExceeded, .concentration], AuditDifference.rules, AuditRule.allCases] {
            let options = Auditor.Options(rules: rules)
            #expect(kept.report(in: later, options: options) == Auditor(ledger: ledger, window: later, options: options).run(),
                    "rules \(rules)")
        }
        // The file is the user's own, as the snapshot is.
        var status = stat()
        #expect(stat(Self.keptPath(directory), &status) == 0 && status.st_mode & 0o777 == 0o600)
    }

    @Test("a finding whose message names the window (a payment with no award) answers only its own known-at")
    func findingsNamingTheWindowAnswerTheirKnownAtAlone() throws {
        let builder = try AuditLedgerBuilder()
        try builder.programme("yz-rd")
        let enterprise = AuditLedgerBuilder.code(1)
        try builder.register(enterprise)
        try builder.award("G1", to: enterprise, under: "yz-rd", amountFen: 100_000_000, effective: "2022-03-01")
        try builder.disburse("G1", amountFen: 10_000, effective: "2022-04-01", recorded: "2022-12-01T00:00:00Z", id: "pay-1")
        // Logs an older build may have written: the award retracted, its payment left without one.
        builder.writesUncheckedLogs = true
        try builder.retract("award:G1", effective: "2022-05-01", recorded: "2022-12-02T00:00:00Z")
        let ledger = try builder.ledger()
        let heads = Self.headWindow(ledger)
        let later = TimeWindow(asOf: nil, knownAt: Timestamp(secondsSinceEpoch: heads.knownAt.secondsSinceEpoch + 86_400))
        let report = Auditor(ledger: ledger, window: heads).run()
        let named = report.findings.filter { $0.rule.messageNamesTheWindow }
        #expect(named.count == 1 && named[0].message.contains("known at \(heads.knownAt)"))
        #expect(Auditor(ledger: ledger, window: later).run().findings != report.findings, "the message names the known-at")
        let kept = KeptAuditFindings(logs: ledger.logs, options: Auditor.Options(), knownAt: heads.knownAt, findings: report.findings)
        #expect(kept.report(in: heads, options: Auditor.Options()) == report)
        #expect(kept.report(in: later, options: Auditor.Options()) == nil)
        // Rules whose messages never name the window answer any known-at at the heads.
        let others = Auditor.Options(rules: AuditRule.allCases.filter { !$0.messageNamesTheWindow })
        #expect(kept.report(in: later, options: others) == Auditor(ledger: ledger, window: later, options: others).run())
    }

    @Test("no rule but those that say so names the window: at the heads, any known-at gives the same findings",
          arguments: [68, 69] as [UInt64])
    func onlyThoseRulesNameTheWindow(seed: UInt64) throws {
        var generator = ScenarioGenerator(seed: seed)
        let directory = SnapshotScratchDirectory()
        try directory.append([generator.drafts(300)])
        let ledger = try directory.open(useSnapshot: false).ledger
        let heads = Self.headWindow(ledger)
        let options = Auditor.Options(rules: AuditRule.allCases.filter { !$0.messageNamesTheWindow })
        let findings = Auditor(ledger: ledger, window: heads, options: options).run().findings
        #expect(!findings.isEmpty)
        for days: Int64 in [1, 400, 40_000] {
            let later = TimeWindow(asOf: nil, knownAt: Timestamp(secondsSinceEpoch: heads.knownAt.secondsSinceEpoch + days * 86_400))
            #expect(Auditor(ledger: ledger, window: later, options: options).run().findings == findings, "\(days) days later")
        }
    }

    @Test("another window, another late-recording threshold, or rules not kept: not answered from them")
    func notForOtherQuestions() throws {
        let (directory, ledger, _) = try Self.kept(seed: 63)
        let kept = try #require(Self.read(directory))
        let heads = Self.headWindow(ledger)
        let asOf = TimeWindow(asOf: CalendarDate(year: 2023, month: 6, day: 30)!, knownAt: heads.knownAt)
        let before = TimeWindow(asOf: nil, knownAt: Timestamp(secondsSinceEpoch: heads.knownAt.secondsSinceEpoch - 1))
        #expect(kept.report(in: asOf, options: Auditor.Options()) == nil)
        #expect(kept.report(in: before, options: Auditor.Options()) == nil)
        #expect(kept.report(in: heads, options: Auditor.Options(lateDays: 30)) == nil)
        // Findings of some rules kept (an append's: those above info) do not answer all of them.
        let some = Auditor(ledger: ledger, window: heads, options: Auditor.Options(rules: AuditDifference.rules)).run()
        #expect(Self.keep(some, ledger, directory) == nil)
        let partial = try #require(Self.read(directory))
        #expect(partial.report(in: heads, options: Auditor.Options()) == nil)
        #expect(partial.report(in: heads, options: Auditor.Options(rules: [.capExceeded])) ==
                Auditor(ledger: ledger, window: heads, options: Auditor.Options(rules: [.capExceeded])).run())
        // A window that is not the heads' is never kept.
        let windowed = Auditor(ledger: ledger, window: asOf).run()
        #expect(Self.keep(windowed, ledger, directory) == "not the window at the heads")
    }

    @Test("an append, an edit in place, a truncation, or stamps too fresh to prove the logs: not used")
    func notOnceTheLogsChange() throws {
        var generator = ScenarioGenerator(seed: 64)
        let (directory, ledger, report) = try Self.kept(&generator)
        #expect(Self.read(directory) != nil)
        // Stamps taken within the file system's clock tick of the last change prove nothing.
        #expect(Self.keep(report, ledger, directory, stampsTakenAfter: 0) == nil)
        #expect(Self.read(directory) == nil, "unsettled stamps")
        #expect(Self.keep(report, ledger, directory) == nil)
        #expect(Self.read(directory) != nil)
        // An edit in place, at the same length: the file's change time moves.
        let grants = directory.read("grants.jsonl")
        var edited = grants
        let digit = try #require(edited.lastIndex(of: UInt8(ascii: "7")))
        edited[digit] = UInt8(ascii: "8")
        directory.write("grants.jsonl", edited)
        #expect(Self.read(directory) == nil, "an edit in place")
        directory.write("grants.jsonl", grants)
        #expect(Self.read(directory) == nil, "the same bytes written back: the stamp still moved")
        // Kept again for the logs as they stand, then a log cut short.
        let again = try directory.open(useSnapshot: false).ledger
        #expect(Self.keep(Auditor(ledger: again, window: Self.headWindow(again)).run(), again, directory) == nil)
        #expect(Self.read(directory) != nil)
        directory.write("grants.jsonl", Array(grants.dropLast(1)))
        #expect(Self.read(directory) == nil, "a truncated log")
        directory.write("grants.jsonl", grants)
        let restored = try directory.open(useSnapshot: false).ledger
        #expect(Self.keep(Auditor(ledger: restored, window: Self.headWindow(restored)).run(), restored, directory) == nil)
        #expect(Self.read(directory) != nil)
        // An append through the tool.
        try directory.append([generator.drafts(5)])
        #expect(Self.read(directory) == nil, "events after the kept heads")
    }

    @Test("a damaged file, another build's format, or a file made under another key: not used")
    func damagedOrForeign() throws {
        let (directory, ledger, report) = try Self.kept(seed: 65)
        let path = Self.keptPath(directory)
        let original = try #require(readFileBytes(path))
        // A byte changed anywhere: in the header, a digest, or a column.
        for position in stride(from: 0, to: original.count, by: max(1, original.count / 23)) {
            var damaged = original
            damaged[position] ^= 0x01
            directory.write(path: path, damaged)
            #expect(Self.read(directory) == nil, "byte \(position) changed")
        }
        directory.write(path: path, original)
        #expect(Self.read(directory) != nil)
        // The same findings made under another user's key (another cache), copied in.
        let other = SnapshotScratchDirectory()
        let otherEnvironment = [SnapshotCache.directoryVariable: other.cachePath]
        #expect(KeptAuditFindings.keep(report, logs: ledger.logs, stampsTakenAfter: directory.now(), store: directory.store,
                                       environment: otherEnvironment) == nil)
        let foreign = try #require(readFileBytes(other.cachePath + "/" + String(path.split(separator: "/").last!)))
        #expect(foreign != original)
        directory.write(path: path, foreign)
        #expect(Self.read(directory) == nil, "another key's MAC")
        // Another format version: never read, even with a good MAC.
        var versioned = original
        let at = try #require(Self.schemaVersionOffset(original))
        versioned[at] &+= 1
        directory.write(path: path, versioned)
        #expect(Self.read(directory) == nil)
    }

    /// Where the file's schema version (`KeptAuditFindings.formatVersion`, little-endian) is.
    static func schemaVersionOffset(_ bytes: [UInt8]) -> Int? {
        let version = withUnsafeBytes(of: KeptAuditFindings.formatVersion.littleEndian) { Array($0) }
        let storage = withUnsafeBytes(of: ColumnFile.storageFormatVersion.littleEndian) { Array($0) }
        // The header begins with the magic, then the storage format and schema versions.
        for start in 0..<min(64, bytes.count - 8) where Array(bytes[start..<start + 4]) == storage
            && Array(bytes[start + 4..<start + 8]) == version {
            return start + 4
        }
        return nil
    }

    /// Appends `drafts` through a session of the reader's cache, audited as `incentives append` audits.
    static func auditedAppend(_ drafts: [EventDraft], to directory: SnapshotScratchDirectory) throws -> AuditDifference {
        let session = try AppendSession(store: directory.store, clock: FixedClock(try #require(RecordedHistory.latest(drafts))),
                                        useSnapshot: true, environment: directory.environment) { _ in }
        let batch = try session.prepare(RecordedHistory.withoutRecorded(drafts), audit: true)
        _ = try session.commit(batch)
        return try #require(batch.audit)
    }

    @Test("an audited append keeps the findings after its batch, those an audit of the logs it leaves gives; the next append reads them")
    func appendsKeepTheFindingsAfterTheirBatch() throws {
        var generator = ScenarioGenerator(seed: 70)
        let directory = SnapshotScratchDirectory()
        try directory.append([generator.drafts(200)])
        for round in 0..<3 {
            _ = try Self.auditedAppend(generator.drafts(25), to: directory)
            let cold = try Ledger.load(store: directory.store)
            let kept = try #require(KeptAuditFindings.read(store: directory.store, environment: directory.environment, heads: cold.logs),
                                    "round \(round)")
            #expect(kept.findings == AuditDifference.findings(of: cold), "round \(round): the audit of the logs as they stand")
            #expect(kept.options.rules == AuditDifference.rules && kept.logs.allSatisfy { $0.stamp == nil })
            // Kept without stamps, they prove nothing to a query, which audits the logs.
            #expect(KeptAuditFindings.read(store: directory.store, environment: directory.environment) == nil)
        }
        // The findings before a batch are read from the kept ones: kept as none for these heads
        // (only the user's own key makes such a file), every finding the ledger has is new to it.
        let cold = try Ledger.load(store: directory.store)
        let known = AuditDifference.findings(of: cold).filter { $0.severity > .info }
        #expect(!known.isEmpty)
        let empty = AuditReport(window: AuditDifference.window, options: Auditor.Options(rules: AuditDifference.rules), findings: [])
        #expect(KeptAuditFindings.keep(empty, logs: cold.logs, stampsTakenAfter: 0, store: directory.store,
                                       environment: directory.environment) == nil)
        let difference = try Self.auditedAppend(generator.drafts(5), to: directory)
        let after = try Ledger.load(store: directory.store)
        let everyFinding = AuditDifference.findings(of: after).filter { $0.severity > .info }
        #expect(difference.added == everyFinding, "every finding after the batch is new to none")
        // Without the reader's cache the session audits both sides itself.
        #expect(KeptAuditFindings.keep(empty, logs: after.logs, stampsTakenAfter: 0, store: directory.store,
                                       environment: directory.environment) == nil)
        let drafts = generator.drafts(5)
        let session = try AppendSession(store: directory.store, clock: FixedClock(try #require(RecordedHistory.latest(drafts))),
                                        useSnapshot: false, environment: directory.environment) { _ in }
        let batch = try session.prepare(RecordedHistory.withoutRecorded(drafts), audit: true)
        let added = try #require(batch.audit).added
        #expect(added.count < everyFinding.count, "the real findings before, not the kept none")
    }

    /// The bundled logs' findings at their heads as this build's rules find them (ten of the
    /// eleven rules fire there), and those of payment-before-award, which does not fire there, on a
    /// small ledger written without the append path's checks (each of its three messages, the one
    /// naming the window too); and the kept format they belong to. Change what a rule finds, what
    /// it says or the findings' order, and this fails until `KeptAuditFindings.formatVersion` is
    /// raised and both are recorded again: no build reads findings that another build's rules kept.
    static let pinnedRules: (formatVersion: UInt32, digest: String) = (
        1, "31da2c90a484f1bb9e71b0fa97f19d1875092b541db455de39fb6cf1810bce14")

    /// The findings of payment-before-award in each of its cases.
    static func paymentBeforeAwardFindings() throws -> [AuditFinding] {
        let enterprise = AuditLedgerBuilder.code(1)
        let builder = try AuditLedgerBuilder()
        builder.writesUncheckedLogs = true
        try builder.programme("yz-rd")
        try builder.register(enterprise)
        try builder.award("G1", to: enterprise, under: "yz-rd", amountFen: auditYuan(1_000_000), effective: "2022-03-01")
        try builder.award("G2", to: enterprise, under: "yz-rd", amountFen: auditYuan(500_000), effective: "2022-03-01")
        try builder.disburse("G1", amountFen: auditYuan(100), effective: "2022-02-20", id: "pay-early")
        try builder.disburse("G2", amountFen: auditYuan(100), effective: "2022-03-01", id: "pay-same-day")
        try builder.retract("award:G2", effective: "2022-03-02")
        try builder.award("G2", to: enterprise, under: "yz-rd", amountFen: auditYuan(500_000), effective: "2022-03-01",
                          id: "award:G2:again")
        let findings = try builder.audit(rules: [.paymentBeforeAward]).findings
            + builder.audit(asOf: "2022-02-28", rules: [.paymentBeforeAward]).findings
        #expect(findings.map(\.event) == ["pay-early", "pay-same-day", "pay-early"], "each case fires once")
        return findings
    }

    @Test("the rules' findings on the bundled logs, and payment-before-award's, are pinned to the kept findings' format version")
    func rulesArePinnedToTheFormat() throws {
        let store = IncentiveLogs.store(directory: DraftParserFuzzRegressionTests.repository + "/Events")
        let ledger = try Ledger.load(store: store)
        let report = Auditor(ledger: ledger, window: Self.headWindow(ledger)).run()
        #expect(Set(report.findings.map(\.rule)).count >= 9, "the bundled logs fire most rules")
        let findings = report.findings + (try Self.paymentBeforeAwardFindings())
        #expect(Set(findings.map(\.rule)) == Set(AuditRule.allCases), "every rule fires")
        var hasher = SHA256()
        for finding in findings {
            hasher.update([finding.rule.name, finding.severity.name, finding.subject, finding.event ?? "-",
                           finding.effective.description, finding.message].joined(separator: "\t") + "\n")
        }
        let digest = hasher.finalize().hex
        #expect(KeptAuditFindings.formatVersion == Self.pinnedRules.formatVersion && digest == Self.pinnedRules.digest,
                "the rules' findings changed: raise KeptAuditFindings.formatVersion and record it here with \(digest)")
    }

    @Test("a kept file's bytes changed at random decode to findings an audit can give, or are refused: never a trap")
    func mutatedFilesDecodeOrAreRefused() throws {
        let (directory, _, _) = try Self.kept(seed: 66, drafts: 120)
        let original = try #require(readFileBytes(Self.keptPath(directory)))
        let decoded = try KeptAuditFindings.decodeUnauthenticated(original, logs: IncentiveLogs.all)
        #expect(!decoded.findings.isEmpty)
        var random = SplitMix64(seed: 67)
        for round in 0..<400 {
            var bytes = original
            for _ in 0...Int(random.next() % 4) {
                let position = Int(random.next() % UInt64(bytes.count))
                bytes[position] = UInt8(truncatingIfNeeded: random.next())
            }
            if round % 5 == 0 { bytes = Array(bytes.prefix(Int(random.next() % UInt64(bytes.count)))) }
            #expect(SnapshotDecoderFuzzOracle.checkKeptFindings(bytes) == nil, "round \(round)")
        }
    }
}
