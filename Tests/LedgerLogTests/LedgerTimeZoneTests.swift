import Foundation
import IncentivesTestSupport
import Testing
@testable import LedgerLog

/// Transaction times as people give and read them, and the chain state of a log's prefix.
@Suite("Ledger time zone and prefix heads")
struct LedgerTimeZoneTests {
    static let beijing = LedgerTimeZone.chinaStandardTime

    @Test("a date is the end of that day in the zone; Z and offsets name their moment")
    func parsing() {
        #expect(Self.beijing.moment(parsing: "2021-12-31") == Timestamp(parsing: "2021-12-31T15:59:59Z"))
        #expect(Self.beijing.moment(parsing: "2023-02-01T09:00:00+08:00") == Timestamp(parsing: "2023-02-01T01:00:00Z"))
        #expect(Self.beijing.moment(parsing: "2023-02-01T09:00:00Z") == Timestamp(parsing: "2023-02-01T09:00:00Z"))
        #expect(Self.beijing.moment(parsing: "2023-03-01T00:30:00+14:00") == Timestamp(parsing: "2023-02-28T10:30:00Z"))
        #expect(Self.beijing.moment(parsing: "2023-02-28T20:00:00-05:30") == Timestamp(parsing: "2023-03-01T01:30:00Z"))
        #expect(Self.beijing.moment(parsing: "2024-02-29") == Timestamp(parsing: "2024-02-29T15:59:59Z"))
        let utc = LedgerTimeZone(offsetMinutes: 0)!
        #expect(utc.moment(parsing: "2021-12-31") == Timestamp(parsing: "2021-12-31T23:59:59Z"))
        let west = LedgerTimeZone(offsetMinutes: -210)!
        #expect(west.moment(parsing: "2021-12-31") == Timestamp(parsing: "2022-01-01T03:29:59Z"))
        for bad in ["", "2021-12-31T", "2023-02-30", "2023-02-01T09:00:00+8:00", "2023-02-01T09:00:00+14:01", "2023-02-01T09:00:00-00:00",
                    "2023-02-01T09:00:00 08:00", "2023-02-01t09:00:00Z", "2023-02-01T09:00:00+08:00Z", "2023-02-01T25:00:00+08:00",
                    "２０２３-02-01", "2023-02-01T09:00:00+08:0"] {
            #expect(Self.beijing.moment(parsing: bad) == nil, "\(bad)")
        }
        #expect(LedgerTimeZone(offsetMinutes: 14 * 60 + 1) == nil)
    }

    @Test("moments shown in the zone, with the offset; parsing what is shown gives the moment back")
    func formatting() {
        let moment = Timestamp(parsing: "2023-10-06T03:05:51Z")!
        #expect(Self.beijing.format(moment) == "2023-10-06 11:05:51+08:00")
        #expect(LedgerTimeZone(offsetMinutes: 0)!.format(moment) == "2023-10-06 03:05:51+00:00")
        #expect(LedgerTimeZone(offsetMinutes: -300)!.format(moment) == "2023-10-05 22:05:51-05:00")
        #expect(Self.beijing.format(Timestamp(parsing: "2021-12-31T16:00:00Z")!) == "2022-01-01 00:00:00+08:00")
        var random = SplitMix64(seed: 8)
        for _ in 0..<500 {
            let moment = Timestamp(secondsSinceEpoch: Int64(random.below(4_000_000_000)))
            let zone = LedgerTimeZone(offsetMinutes: random.below(28 * 60 + 1) - 14 * 60)!
            let shown = zone.format(moment)
            let text = String(shown.prefix(10)) + "T" + String(shown.dropFirst(11))
            #expect(zone.moment(parsing: text) == moment, "\(moment) \(zone) \(shown)")
        }
    }

    @Test("the chain state after any prefix of a log is its line's seq and hash, counted from either end")
    func prefixChainState() throws {
        let directory = LogScratchDirectory()
        let store = try LogFixtures.populated(directory, alphaCount: 9, betaCount: 0)
        let report = try store.verify()
        let summary = try #require(report.logs.first { $0.log == LogFixtures.alpha })
        let lines = LogFiles.lines(directory.read("alpha.jsonl"))
        #expect(lines.count == 9)
        #expect(try store.chainState(of: LogFixtures.alpha, throughLine: 0, of: summary) == .empty)
        for count in 1...9 {
            let value = try JSONParser.parse(lines[count - 1])
            let state = try #require(try store.chainState(of: LogFixtures.alpha, throughLine: count, of: summary))
            #expect(state.seq == count)
            #expect(state.head.hex == value["hash"]?.stringValue, "line \(count)")
            #expect(state.bytes == lines.prefix(count).reduce(0) { $0 + $1.count + 1 })
        }
        // Lines appended after the read are never looked at.
        try LogFixtures.append((1...3).map { LogFixtures.event(LogFixtures.alpha, "later.\($0)", minute: 500 + $0) }, to: store)
        #expect(try store.chainState(of: LogFixtures.alpha, throughLine: 7, of: summary)?.seq == 7)
        // A line rewritten since the read is not named as the head it was.
        var changed = lines
        changed[6] = Array(String(decoding: changed[6], as: UTF8.self).replacingOccurrences(of: "\"amount\":601", with: "\"amount\":602").utf8)
        #expect(changed[6] != lines[6])
        directory.write("alpha.jsonl", LogFiles.join(changed))
        #expect(try store.chainState(of: LogFixtures.alpha, throughLine: 7, of: summary) == nil)
    }

    @Test("in a log of many pages the prefix's line is found by bisection on seq: the same states as counting, and a changed line is still refused")
    func prefixChainStateByBisection() throws {
        let directory = LogScratchDirectory()
        let store = try LogFixtures.populated(directory, alphaCount: 1_500, betaCount: 0)
        let report = try store.verify()
        let summary = try #require(report.logs.first { $0.log == LogFixtures.alpha })
        #expect(summary.bytes > 4 * EventStore.bisectionProbeBytes, "large enough to bisect")
        let lines = LogFiles.lines(directory.read("alpha.jsonl"))
        var ends: [Int] = []
        var total = 0
        for line in lines {
            total += line.count + 1
            ends.append(total)
        }
        for count in Array(stride(from: 1, through: 1_500, by: 37)) + [2, 749, 750, 751, 1_499, 1_500] {
            let value = try JSONParser.parse(lines[count - 1])
            let state = try #require(try store.chainState(of: LogFixtures.alpha, throughLine: count, of: summary), "line \(count)")
            #expect(state.seq == count && state.bytes == ends[count - 1], "line \(count)")
            #expect(state.head.hex == value["hash"]?.stringValue, "line \(count)")
        }
        var changed = lines
        changed[999] = Array(String(decoding: changed[999], as: UTF8.self).replacingOccurrences(of: "\"amount\":", with: "\"amount\":1").utf8)
        #expect(changed[999] != lines[999])
        directory.write("alpha.jsonl", LogFiles.join(changed))
        #expect(try store.chainState(of: LogFixtures.alpha, throughLine: 1_000, of: summary) == nil)
    }
}
