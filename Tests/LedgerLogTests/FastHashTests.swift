import IncentivesTestSupport
import LedgerLog
import Testing

/// `FastHash` places names in the snapshot's hash tables and gives the ids' fingerprints kept
/// with it: its values must never change without the snapshot's format version.
@Suite("Fast hash of names and ids")
struct FastHashTests {
    /// The hash as first written: eight bytes a step, the rest gathered one byte at a time.
    static func reference(_ bytes: [UInt8]) -> UInt64 {
        func mix(_ value: UInt64) -> UInt64 {
            var z = value
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var offset = 0
        while offset + 8 <= bytes.count {
            let word = (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * UInt64($1)) }
            state = mix(state ^ word) &+ 0x2545_F491_4F6C_DD1D
            offset += 8
        }
        if offset < bytes.count {
            let tail = (offset..<bytes.count).reduce(UInt64(0)) { $0 | UInt64(bytes[$1]) << (8 * UInt64($1 - offset)) }
            state = mix(state ^ tail)
        }
        return mix(state)
    }

    static func hash(_ bytes: [UInt8]) -> UInt64 { bytes.withUnsafeBytes { FastHash.hash($0) } }

    @Test("pinned values of names as the logs hold them")
    func pinnedValues() {
        let pinned: [(String, UInt64)] = [
            ("", 0xE220_A839_7B1D_CDAF), ("g-000001", 0x9A92_300D_7B25_8B23), ("91321204MA1R6B7T8K", 0x09F9_A205_50F1_ED09),
            ("泰姜政发〔2021〕6号", 0x9191_5E5E_6F29_723A), ("JY-TALENT", 0xF19D_90DD_133F_37C4),
        ]
        for (text, value) in pinned {
            #expect(Self.hash(Array(text.utf8)) == value, "\(text)")
            #expect(Self.reference(Array(text.utf8)) == value, "\(text), the reference")
        }
    }

    @Test("every length from 0 to 80, at every alignment, hashes as the reference does")
    func agreesWithTheReference() {
        var random = SplitMix64(seed: 0xFA57)
        for length in 0...80 {
            for _ in 0..<50 {
                let padding = Int(random.next() % 8)
                let bytes = (0..<(padding + length)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                let name = Array(bytes[padding...])
                let hashed = bytes.withUnsafeBytes { FastHash.hash(UnsafeRawBufferPointer(rebasing: $0[padding...])) }
                #expect(hashed == Self.reference(name), "length \(length), padding \(padding)")
            }
        }
    }
}
