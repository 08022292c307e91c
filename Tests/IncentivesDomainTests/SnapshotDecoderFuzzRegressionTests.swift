@testable import IncentivesDomain
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

    @Test("every seed is a snapshot the decoder accepts, so that the fuzzer starts deep inside it")
    func seedsDecode() throws {
        for seed in Self.seeds {
            let snapshot = try LedgerSnapshot.decodeUnauthenticated(seed.bytes, logs: SnapshotDecoderFuzzOracle.logs)
            #expect(snapshot.ledger.count > 0, "\(seed.name)")
        }
    }
}
