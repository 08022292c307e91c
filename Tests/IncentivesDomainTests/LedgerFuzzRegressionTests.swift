import IncentivesDomain
import IncentivesTestSupport
import LedgerLog
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Replays the ledger fuzz target's kept crash inputs
/// (Tests/LedgerLogTests/Fixtures/fuzz-regressions/ledger/) and corpus seeds
/// (Tools/fuzz/corpus/ledger/) through its oracle, and a few hundred seeded random inputs.
@Suite("Ledger fuzz regressions and corpus replay")
struct LedgerFuzzRegressionTests {
    static var seeds: [(name: String, bytes: [UInt8])] {
        DraftParserFuzzRegressionTests.draftInputs(DraftParserFuzzRegressionTests.repository + "/Tools/fuzz/corpus/ledger")
    }

    @Test("kept crash inputs and corpus seeds append and answer without a trap")
    func replay() {
        let kept = DraftParserFuzzRegressionTests.draftInputs(
            DraftParserFuzzRegressionTests.repository + "/Tests/LedgerLogTests/Fixtures/fuzz-regressions/ledger")
        #expect(Self.seeds.count >= 3)
        for input in kept + Self.seeds {
            #expect(LedgerFuzzOracle.check(input.bytes) == nil, "\(input.name)")
        }
    }

    /// The decoder reaches the append path: the valid seed's drafts are appended and read back.
    @Test func theValidSeedAppendsEveryDraft() throws {
        let seed = try #require(Self.seeds.first { $0.name == "valid-story" })
        let scratch = TemporaryFileFixture(prefix: "ledger-fuzz-test")
        #expect(LedgerFuzzOracle.check(seed.bytes, directory: scratch.path) == nil)
        let ledger = try Ledger.open(store: IncentiveLogs.store(directory: scratch.path), useSnapshot: false, environment: [:]).ledger
        #expect(ledger.events.count == 8)
    }

    @Test("seeded random inputs", arguments: 0..<4)
    func random(seed: UInt64) {
        var state = seed &+ 0x9E37_79B9_7F4A_7C15
        for _ in 0..<25 {
            var bytes: [UInt8] = []
            for _ in 0..<(Int(state % 300) + 1) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                bytes.append(UInt8(truncatingIfNeeded: state >> 33))
            }
            #expect(LedgerFuzzOracle.check(bytes) == nil)
        }
    }
}
