/// What a ledger keeps of the events a read of the logs for a scope left out
/// (`LedgerLoader.leavesOutUnreplayedEvents`): when each was recorded, log by log (4 bytes an
/// event, against some 35 of a row). Nothing else is asked of them once the read is over but
/// how many a log had by a moment: the heads an answer known at that moment rests on count
/// every event of a log recorded by then, kept or not (`AnswerProvenance`).
struct LeftOutEvents: Sendable {
    /// The events' recorded times, in the order read.
    private var recorded = EventTable.RecordedTimes()
    /// Where each log's events lie in `recorded`, by log rank: the logs are read one after the other.
    private var ranges: [Range<Int>] = []

    init() {}

    var count: Int { recorded.count }

    /// Room for `count` events in all: pages reserved but never filled cost address space only.
    mutating func reserveCapacity(_ count: Int) { recorded.reserveCapacity(count) }

    /// One more event left out, of log `logRank`, recorded at `seconds` since the epoch.
    mutating func append(logRank: UInt8, recordedSeconds seconds: Int64) {
        let rank = Int(logRank)
        while ranges.count <= rank { ranges.append(recorded.count..<recorded.count) }
        precondition(ranges[rank].upperBound == recorded.count, "the logs are read one after the other")
        recorded.append(seconds)
        ranges[rank] = ranges[rank].lowerBound..<recorded.count
    }

    /// How many of log `logRank`'s events left out were recorded at or before `knownAt`
    /// (seconds since the epoch): a prefix of them, as a verified log's recorded times never go
    /// back (only a verified read leaves events out, `LedgerLoader.keepsIds`).
    func knownCount(logRank: Int, knownAt: Int64) -> Int {
        guard logRank < ranges.count else { return 0 }
        let range = ranges[logRank]
        var low = range.lowerBound, high = range.upperBound
        while low < high {
            let middle = low + (high - low) / 2
            if recorded[middle] <= knownAt { low = middle + 1 } else { high = middle }
        }
        return low - range.lowerBound
    }
}
