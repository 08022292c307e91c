import IncentivesTestSupport
import LedgerLog
import Testing
@testable import IncentivesCLI

/// Names go from the ledger's bytes to JSON and CSV without becoming Strings (`string(utf8:)`,
/// `text(utf8:)`): the bytes written must be exactly those the String the bytes decode to gives,
/// malformed UTF-8 (which no verified ledger holds) included, repaired as `String(decoding:as:)` repairs it.
@Suite("Byte entry points of the writers")
struct ByteEntryPointTests {
    /// Bytes that are not UTF-8: a lone continuation, overlongs, a surrogate, beyond U+10FFFF,
    /// truncated sequences (at the end and before ASCII), a lead byte that never appears.
    static let malformed: [[UInt8]] = [
        [0x80], [0xC0, 0xAF], [0xC1, 0xBF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
        [0xF0, 0x80, 0x80, 0x80], [0x61, 0xE6, 0xB3], [0xE6, 0xB3, 0x61], [0xF0, 0x9F, 0x98], [0xFF], [0xFE, 0x41],
        [0xC2], [0x22, 0xE2, 0x80], [0x3D, 0xC2, 0x85, 0x80],
    ]

    /// Valid texts of every class the escaping treats apart, random bytes, and the malformed ones.
    static func samples(seed: UInt64) -> [[UInt8]] {
        var random = SplitMix64(seed: seed)
        var samples = malformed + [[], Array("91321204MA0000001X".utf8), Array("泰州鑫顺精密铸造股份有限公司".utf8)]
        for _ in 0..<300 { samples.append(Array(ByteOutputTests.randomCSVText(&random).utf8)) }
        for _ in 0..<300 {
            // Mostly plain text with a few bytes of the lead and continuation ranges.
            let count = random.below(10)
            samples.append((0..<count).map { _ in
                random.chance(1, in: 3) ? UInt8(truncatingIfNeeded: random.next()) : random.pick(Array("a\"\\, =-+\t".utf8))
            })
        }
        return samples
    }

    @Test("UTF-8 validation agrees with the standard library's", arguments: [1, 2, 3] as [UInt64])
    func validation(seed: UInt64) {
        for sample in Self.samples(seed: seed) {
            let valid = sample.withUnsafeBufferPointer { JSONByteWriter.isValidUTF8($0) }
            #expect(valid == (String(validating: sample, as: UTF8.self) != nil), "\(sample)")
        }
        for sample in Self.malformed {
            #expect(!sample.withUnsafeBufferPointer { JSONByteWriter.isValidUTF8($0) }, "\(sample)")
        }
    }

    @Test("JSON: a string written from bytes is the string written from their String", arguments: [1, 2, 3] as [UInt64])
    func json(seed: UInt64) {
        for sample in Self.samples(seed: seed) {
            for pretty in [false, true] {
                var fromBytes = JSONByteWriter(pretty: pretty), fromString = JSONByteWriter(pretty: pretty)
                fromBytes.beginObject()
                fromBytes.member("key", utf8: sample)
                fromBytes.key("list")
                fromBytes.beginArray()
                fromBytes.string(utf8: sample)
                fromBytes.endArray()
                fromBytes.endObject()
                let text = String(decoding: sample, as: UTF8.self)
                fromString.beginObject()
                fromString.member("key", text)
                fromString.key("list")
                fromString.beginArray()
                fromString.string(text)
                fromString.endArray()
                fromString.endObject()
                #expect(fromBytes.bytes == fromString.bytes, "\(sample)")
            }
        }
    }

    @Test("CSV: a cell written from bytes is the cell written from its String, in text and number columns",
          arguments: [1, 2, 3] as [UInt64])
    func csv(seed: UInt64) {
        for sample in Self.samples(seed: seed) {
            var fromBytes = CSVWriter(header: ["name", "count"], byteOrderMark: false, numberColumns: ["count"])
            var fromString = fromBytes
            fromBytes.text(utf8: sample)
            fromBytes.text(utf8: sample)
            fromBytes.endRow()
            let text = String(decoding: sample, as: UTF8.self)
            fromString.text(text)
            fromString.text(text)
            fromString.endRow()
            #expect(fromBytes.bytes == fromString.bytes, "\(sample)")
        }
    }
}
