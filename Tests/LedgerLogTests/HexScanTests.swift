import IncentivesTestSupport
import Testing
@testable import LedgerLog

/// The scan checks the 64 hex digits of `prev` and `hash` eight bytes at a time: every byte
/// value at every place must be judged as one byte at a time would judge it.
@Suite("Hex digits of prev and hash")
struct HexScanTests {
    static func isHexByte(_ byte: UInt8) -> Bool { (48...57).contains(byte) || (97...102).contains(byte) }

    @Test("the word test agrees with the byte test on words of every kind")
    func wordAgreesWithBytes() {
        var random = SplitMix64(seed: 0x4E_C5)
        let interesting: [UInt8] = [0x00, 0x2F, 0x30, 0x39, 0x3A, 0x40, 0x41, 0x46, 0x60, 0x61, 0x66, 0x67, 0x7F, 0x80, 0xB0, 0xE1, 0xFF]
        for round in 0..<200_000 {
            let bytes = (0..<8).map { _ -> UInt8 in
                switch random.next() % 3 {
                case 0: return interesting[Int(random.next() % UInt64(interesting.count))]
                case 1: return Array("0123456789abcdef".utf8)[Int(random.next() % 16)]
                default: return UInt8(truncatingIfNeeded: random.next())
                }
            }
            // Most words all hex, to test the accepting side as hard as the refusing one.
            let word = bytes.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
            #expect(isLowercaseHex(word) == bytes.allSatisfy(Self.isHexByte), "round \(round): \(bytes)")
        }
        for value in 0...255 {
            let byte = UInt8(value)
            let word = UInt64(0x3030_3030_3030_3030) & ~0xFF | UInt64(byte)
            #expect(isLowercaseHex(word) == Self.isHexByte(byte), "byte \(value)")
            #expect(isLowercaseHex(word.byteSwapped) == Self.isHexByte(byte), "byte \(value), last")
        }
    }

    @Test("any byte at any of the 128 hex places is refused there unless it is a lowercase hex digit")
    func everyByteAtEveryPlace() throws {
        let (line, _) = LogFixtures.event(LogFixtures.alpha, "e-1", minute: 1).seal(seq: 1, previous: .zero)
        let bytes = Array(line.dropLast())
        guard case .success(let scanned) = bytes.withUnsafeBytes({ ScannedEventLine.scan($0) }) else {
            Issue.record("the fixture line scans")
            return
        }
        for start in [scanned.previousHashOffset, scanned.hashOffset] {
            for place in start..<(start + 64) {
                for value in 0...255 {
                    var changed = bytes
                    changed[place] = UInt8(value)
                    let result = changed.withUnsafeBytes { ScannedEventLine.scan($0) }
                    switch result {
                    case .success:
                        #expect(Self.isHexByte(UInt8(value)), "byte \(value) at \(place) accepted")
                    case .failure(let failure):
                        #expect(!Self.isHexByte(UInt8(value)), "byte \(value) at \(place) refused")
                        #expect(failure.offset == place && failure.reason == .invalidField, "byte \(value) at \(place): \(failure)")
                    }
                }
            }
        }
    }
}
