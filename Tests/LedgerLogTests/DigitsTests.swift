import IncentivesTestSupport
import Testing
@testable import LedgerLog

/// Sealing writes dates, times and integers straight into the line: the bytes must be exactly
/// the `description` every reader and the independent checker expect.
@Suite("Digits written into lines")
struct DigitsTests {
    @Test("dates and timestamps: edges and a seeded sweep agree with description")
    func datesAndTimestamps() {
        var seconds: [Int64] = [0, 1, -1, 86_399, 86_400, -86_400, 951_782_400, 4_102_444_799, 253_402_300_799,
                                253_402_300_800, -62_167_219_200, -62_167_219_201]
        var random = SplitMix64(seed: 86_400)
        for _ in 0..<20_000 { seconds.append(Int64(random.next() % 253_402_300_800)) }
        for value in seconds {
            let moment = Timestamp(secondsSinceEpoch: value)
            var bytes: [UInt8] = []
            moment.appendDigits(to: &bytes)
            #expect(bytes == Array(moment.description.utf8), "\(value)")
            var dateBytes: [UInt8] = []
            moment.date.appendDigits(to: &dateBytes)
            #expect(dateBytes == Array(moment.date.description.utf8), "\(value)")
        }
    }

    @Test("integers: 0, 1, powers of ten either side, the extremes", arguments: [
        0, 1, 9, 10, 11, 99, 100, 999_999_999, 1_000_000_000, Int(Int32.max), -1, -10, Int.max, Int.min, Int.min + 1,
    ])
    func integers(value: Int) {
        var bytes: [UInt8] = []
        appendDecimal(value, to: &bytes)
        #expect(bytes == Array(String(value).utf8))
    }

    @Test("padding to a width")
    func padding() {
        for (value, width, expected) in [(0, 4, "0000"), (7, 2, "07"), (12, 2, "12"), (123, 2, "123"), (2026, 4, "2026")] {
            var bytes: [UInt8] = []
            appendPadded(value, width: width, to: &bytes)
            #expect(bytes == Array(expected.utf8))
        }
    }
}
