import IncentivesTestSupport

/// The story's draws, from SplitMix64 (the generator the tests share): its output depends only on
/// its seed, on every machine and every version of Swift. The standard library's generator and
/// its `random(in:)` algorithms may change between releases, so the story never uses them.
struct SeededGenerator {
    private var source: SplitMix64

    init(seed: UInt64) {
        source = SplitMix64(seed: seed)
    }

    /// An independent stream for one part of the story (`stream`) and one entity (`index`), so that
    /// an enterprise's timeline does not depend on how many enterprises were drawn before it.
    init(seed: UInt64, stream: UInt64, index: UInt64 = 0) {
        var mixer = SplitMix64(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        let first = mixer.next()
        var second = SplitMix64(seed: first ^ (index &* 0x9E37_79B9_7F4A_7C15))
        source = SplitMix64(seed: second.next())
    }

    mutating func next() -> UInt64 { source.next() }

    /// A uniform integer in `range`, by rejection so that no value is favoured.
    mutating func integer(in range: ClosedRange<Int>) -> Int {
        precondition(range.lowerBound <= range.upperBound, "a non-empty range")
        let span = UInt64(range.upperBound - range.lowerBound) &+ 1
        if span == 0 { return Int(truncatingIfNeeded: next()) }
        let threshold = (0 &- span) % span
        while true {
            let value = next()
            if value >= threshold { return range.lowerBound + Int(value % span) }
        }
    }

    /// A uniform amount in `range` that is a multiple of `step`.
    mutating func amount(in range: ClosedRange<Int64>, step: Int64) -> Int64 {
        precondition(step > 0 && range.lowerBound % step == 0, "amount ranges start on a step")
        let steps = Int((range.upperBound - range.lowerBound) / step)
        return range.lowerBound + Int64(integer(in: 0...steps)) * step
    }

    /// True with probability `perMille`/1000 (integers only: no floating point in the story).
    mutating func chance(perMille: Int) -> Bool {
        integer(in: 0...999) < perMille
    }

    mutating func pick<Element>(_ elements: [Element]) -> Element {
        precondition(!elements.isEmpty, "something to pick from")
        return elements[integer(in: 0...(elements.count - 1))]
    }

    /// A second of the working day in China (08:30–17:30 Beijing time, 00:30–09:30 UTC).
    mutating func officeSecond() -> Int64 {
        Int64(integer(in: 1_800...34_200))
    }
}
