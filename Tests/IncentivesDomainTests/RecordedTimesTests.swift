@testable import IncentivesDomain
import IncentivesTestSupport
import LedgerColumns
import LedgerLog
import Testing

/// Recorded times are kept in 4 bytes, as seconds since the table's first, while every time
/// fits (`EventTable.RecordedTimes`), else in 8: either way each time reads back exactly, for
/// every time the event format allows.
@Suite struct RecordedTimesTests {
    static let earliest = LedgerSnapshot.earliestRecordedSeconds, latest = LedgerSnapshot.latestRecordedSeconds

    func built(_ values: [Int64]) -> EventTable.RecordedTimes {
        var times = EventTable.RecordedTimes()
        for value in values { times.append(value) }
        return times
    }

    func values(_ times: EventTable.RecordedTimes) -> [Int64] { (0..<times.count).map { times[$0] } }

    @Test("times within 68 years of the first stay narrow; one further away widens the column, and every time reads back",
          arguments: [1, 2, 3, 4] as [UInt64])
    func seeded(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let start = Self.earliest + Int64(random.below(Int(Self.latest - Self.earliest)))
        // A ledger's clock: within a few years of its first time, ties included.
        var near: [Int64] = []
        var clock = start
        for _ in 0..<500 {
            near.append(Swift.min(Swift.max(clock, Self.earliest), Self.latest))
            clock += Int64(random.below(3)) * Int64(random.below(200_000))
        }
        let narrow = built(near)
        #expect(!narrow.isWide)
        #expect(values(narrow) == near)
        // Then the extremes the bounds allow, and the edges of 4 bytes from the base.
        let far = near + [Self.earliest, Self.latest, near[0] + Int64(Int32.max), near[0] + Int64(Int32.min),
                          near[0] + Int64(Int32.max) + 1, near[0] - 1]
            .map { Swift.min(Swift.max($0, Self.earliest), Self.latest) }
        let wide = built(far)
        #expect(values(wide) == far)
        let cut = random.below(far.count)
        let ranges = [cut..<far.count, 0..<cut]
        #expect(values(wide.reordered(ranges)) == Array(far[cut...] + far[..<cut]))
        #expect(values(narrow.reordered([0..<0, 250..<500, 0..<250])) == Array(near[250...] + near[..<250]))
    }

    @Test("the edges: exactly 2^31 − 1 and −2^31 seconds from the first stay narrow; one second more widens")
    func edges() {
        let base: Int64 = 1_700_000_000
        let fits = built([base, base + Int64(Int32.max), base + Int64(Int32.min)])
        #expect(!fits.isWide && values(fits) == [base, base + Int64(Int32.max), base + Int64(Int32.min)])
        for beyond in [base + Int64(Int32.max) + 1, base + Int64(Int32.min) - 1] {
            let widened = built([base, base + 5, beyond, base])
            #expect(widened.isWide && values(widened) == [base, base + 5, beyond, base])
        }
        #expect(built([]).count == 0)
        #expect(values(built([Self.latest, Self.earliest])) == [Self.latest, Self.earliest])
    }

    @Test("a narrow column read from a file reads back as its base plus each offset")
    func fromFile() {
        let times = EventTable.RecordedTimes(base: 1_000_000_000, sinceBase: Column([0, -5, 7, Int32.max]))
        #expect(values(times) == [1_000_000_000, 999_999_995, 1_000_000_007, 1_000_000_000 + Int64(Int32.max)])
        var appended = times
        appended.append(900_000_000)
        #expect(!appended.isWide && appended[4] == 900_000_000)
    }
}
