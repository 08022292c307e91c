import IncentivesTestSupport
import Testing

/// The sequence seeded tests, scenarios and the story's corpora were recorded with.
@Suite("SplitMix64")
struct SplitMix64Tests {
    @Test("the published reference sequence for seed 1234567")
    func referenceSequence() {
        var random = SplitMix64(seed: 1_234_567)
        let drawn = (0..<5).map { _ in random.next() }
        #expect(drawn == [6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423,
                          4_593_380_528_125_082_431, 16_408_922_859_458_223_821])
    }

    @Test("the same seed draws the same values; bounded draws stay in bounds")
    func replaysAndBounds() {
        var first = SplitMix64(seed: 86_400), second = SplitMix64(seed: 86_400)
        for _ in 0..<1_000 {
            let value = first.below(7)
            #expect(value == second.below(7))
            #expect((0..<7).contains(value))
        }
        var never = SplitMix64(seed: 3)
        #expect((0..<100).allSatisfy { _ in !never.chance(0, in: 5) })
        var always = SplitMix64(seed: 3)
        #expect((0..<100).allSatisfy { _ in always.chance(5, in: 5) })
        var picker = SplitMix64(seed: 9)
        #expect(Set((0..<200).map { _ in picker.pick(["a", "b", "c"]) }) == ["a", "b", "c"])
    }
}
