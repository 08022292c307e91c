/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny generator whose output depends only on its
/// seed, on every machine and every version of Swift, so every seeded test, scenario and corpus
/// replays exactly. Its sequence must never change: recorded seeds and fixtures depend on it.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// A value in `0..<bound`, through the standard library's unbiased `next(upperBound:)`.
    public mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0, "a bound is positive")
        return Int(next(upperBound: UInt64(bound)))
    }

    /// True `numerator` times in `denominator`.
    public mutating func chance(_ numerator: Int, in denominator: Int) -> Bool {
        below(denominator) < numerator
    }

    public mutating func pick<Element>(_ choices: [Element]) -> Element {
        precondition(!choices.isEmpty, "something to pick from")
        return choices[below(choices.count)]
    }
}
