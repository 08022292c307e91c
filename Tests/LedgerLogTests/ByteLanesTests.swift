import IncentivesTestSupport
import Testing
@testable import LedgerLog

/// The word tests that skip runs of bytes eight at a time (`ByteLanes`) must agree with a byte
/// test on "none" and on the first byte found, whatever the byte and wherever it lies.
@Suite("Byte lanes")
struct ByteLanesTests {
    /// The lane of the lowest mark, or nil for none.
    static func firstMarked(_ marks: UInt64) -> Int? {
        marks == 0 ? nil : marks.trailingZeroBitCount / 8
    }

    static func word(_ bytes: [UInt8]) -> UInt64 {
        bytes.enumerated().reduce(0) { $0 | UInt64($1.element) << (8 * $1.offset) }
    }

    @Test("equal and below find the first byte a byte test finds, for every byte at every lane")
    func lanesAgreeWithBytes() {
        var random = SplitMix64(seed: 0xB17E)
        let targets: [UInt8] = [0x00, 0x20, 0x22, 0x5C, 0x7F, 0x80, 0xC2, 0xE2, 0xFF]
        let bounds: [UInt8] = [0x01, 0x20, 0x7F, 0x80]
        for lane in 0..<8 {
            for value in 0...255 {
                for _ in 0..<4 {
                    var bytes = (0..<8).map { _ in UInt8(truncatingIfNeeded: random.below(256)) }
                    bytes[lane] = UInt8(value)
                    let word = Self.word(bytes)
                    for target in targets {
                        #expect(Self.firstMarked(ByteLanes.equal(word, to: target)) == bytes.firstIndex(of: target),
                                "\(bytes) equal to \(target)")
                    }
                    for bound in bounds {
                        #expect(Self.firstMarked(ByteLanes.below(word, bound)) == bytes.firstIndex { $0 < bound },
                                "\(bytes) below \(bound)")
                    }
                }
            }
        }
    }
}
