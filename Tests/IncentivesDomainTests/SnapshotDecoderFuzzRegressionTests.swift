#if canImport(Glibc)
import Glibc
#endif
@testable import IncentivesDomain
import IncentivesTestSupport
import LedgerLog
import Testing

/// Replays the snapshot-decoder fuzz target's kept crash inputs
/// (Tests/LedgerLogTests/Fixtures/fuzz-regressions/snapshot-decoder/) and corpus seeds
/// (Tools/fuzz/corpus/snapshot-decoder/) through its oracle.
@Suite("Snapshot decoder fuzz regressions and corpus replay")
struct SnapshotDecoderFuzzRegressionTests {
    static var seeds: [(name: String, bytes: [UInt8])] {
        DraftParserFuzzRegressionTests.draftInputs(DraftParserFuzzRegressionTests.repository + "/Tools/fuzz/corpus/snapshot-decoder")
    }

    @Test("kept crash inputs and corpus seeds decode in range or are refused")
    func replay() {
        let kept = DraftParserFuzzRegressionTests.draftInputs(
            DraftParserFuzzRegressionTests.repository + "/Tests/LedgerLogTests/Fixtures/fuzz-regressions/snapshot-decoder")
        #expect(!Self.seeds.isEmpty)
        for input in kept + Self.seeds {
            #expect(SnapshotDecoderFuzzOracle.check(input.bytes) == nil, "\(input.name): \(SnapshotDecoderFuzzOracle.check(input.bytes) ?? "")")
        }
    }

    @Test("every seed is a snapshot, or an audit's kept findings, that its decoder accepts, so that the fuzzer starts deep inside it")
    func seedsDecode() throws {
        #expect(Self.seeds.contains { $0.name.hasSuffix(Self.findingsSuffix) } && Self.seeds.contains { $0.name.hasSuffix(".snapshot") })
        for seed in Self.seeds {
            if seed.name.hasSuffix(Self.findingsSuffix) {
                let kept = try KeptAuditFindings.decodeUnauthenticated(seed.bytes, logs: SnapshotDecoderFuzzOracle.logs)
                #expect(!kept.findings.isEmpty, "\(seed.name)")
                continue
            }
            let snapshot = try LedgerSnapshot.decodeUnauthenticated(seed.bytes, logs: SnapshotDecoderFuzzOracle.logs)
            #expect(snapshot.ledger.count > 0, "\(seed.name)")
        }
    }

    static let findingsSuffix = ".findings"

    /// The findings seed: an audit's kept findings on a generated ledger, fixed as the snapshot seed is.
    static func currentFindingsSeed() throws -> [UInt8] {
        var generator = ScenarioGenerator(seed: 61)
        let directory = SnapshotScratchDirectory()
        try directory.append([generator.drafts(120)])
        var ledger = try Ledger.load(store: directory.store)
        for rank in ledger.logs.indices { ledger.logs[rank].stamp = nil }
        let report = Auditor(ledger: ledger, window: TimeWindow(asOf: nil, knownAt: try #require(ledger.headsRecorded))).run()
        let zeros = [UInt8](repeating: 0, count: 32)
        let file = try #require(KeptAuditFindings.columnFile(of: report, logs: ledger.logs, identity: SHA256Digest(bytes: zeros),
                                                             stampsTakenAfter: 0))
        return file.bytes(key: zeros)
    }

    @Test("the findings seed is kept findings of this build's format (re-record with INCENTIVES_RECORD_FUZZ_SEEDS=1)")
    func findingsSeedIsCurrent() throws {
        let bytes = try Self.currentFindingsSeed()
        let path = DraftParserFuzzRegressionTests.repository + "/Tools/fuzz/corpus/snapshot-decoder/kept-audit" + Self.findingsSuffix
        if getenv("INCENTIVES_RECORD_FUZZ_SEEDS") != nil {
            TemporaryFileFixture.write(path: path, bytes)
        }
        #expect(readFileBytes(path) == bytes, "the seed is the one this build writes")
    }

    /// The seed: the snapshot of a three-event ledger as this build writes it, with its stamps,
    /// identity and key fixed so that the bytes are the same on every machine.
    static func currentSeed() throws -> [UInt8] {
        var generator = ScenarioGenerator(seed: 3)
        let directory = SnapshotScratchDirectory()
        try directory.append([generator.drafts(3)])
        var ledger = try Ledger.load(store: directory.store)
        for rank in ledger.logs.indices { ledger.logs[rank].stamp = nil }
        let zeros = [UInt8](repeating: 0, count: 32)
        // Each log's digest (one chunk: the logs are small), so that the fuzzer starts with them too.
        let digests = ledger.logs.map { summary -> LogPrefixDigest? in
            guard summary.bytes > 0, let bytes = readFileBytes(directory.store.path(of: summary.log)) else { return nil }
            return LogPrefixDigest(bytes: summary.bytes, chunks: [SHA256.hash(Array(bytes[..<summary.bytes]))])
        }
        #expect(digests.contains { $0 != nil })
        return LedgerSnapshot.columnFile(of: ledger, identity: SHA256Digest(bytes: zeros), stampsTakenAfterNanoseconds: 0,
                                         prefixDigests: digests).bytes(key: zeros)
    }

    @Test("the seed is a snapshot of this build's format (re-record with INCENTIVES_RECORD_FUZZ_SEEDS=1)")
    func seedIsCurrent() throws {
        let bytes = try Self.currentSeed()
        let path = DraftParserFuzzRegressionTests.repository + "/Tools/fuzz/corpus/snapshot-decoder/three-events.snapshot"
        if getenv("INCENTIVES_RECORD_FUZZ_SEEDS") != nil {
            TemporaryFileFixture.write(path: path, bytes)
        }
        #expect(readFileBytes(path) == bytes, "the seed is the one this build writes")
    }
}
