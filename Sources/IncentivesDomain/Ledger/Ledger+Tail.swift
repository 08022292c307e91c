import LedgerColumns
import LedgerLog

extension Ledger {
    /// Completes a ledger decoded from a snapshot to which the loader appended the events read
    /// after it (the tail, at the end, in log order): proves the tail's ids new, points the tail's
    /// retractions at their targets and merges the tail into the replay order. The tail stays where
    /// it is, behind every log's prefix: moving each log's tail behind its own log's events would
    /// copy every column off the mapping (at ten million events, most of a second append's memory).
    /// Afterwards the ledger answers every question as the one a full read gives: within a log the
    /// events keep their order, and every order the answers use (replay, history, provenance)
    /// is by (log, seq) or by keys that end with the log and the index within it. A snapshot is
    /// saved as it stands, the runs stored with it (`SnapshotColumn.logRuns`); `inLogOrder()` gives
    /// the full read's layout itself (but perhaps for the numbering of interned names), for a
    /// ledger whose runs a file may not store. Returns the problems a full read would also report (reused ids).
    /// `mayBeInPrefix` tells from an id's bytes (by their fingerprint) whether it may be among the prefix's ids:
    /// when no tail id may and no retraction needs a target, the prefix's ids are not scanned.
    /// `prefix` is how many events the snapshot holds: those before the tail.
    mutating func absorbTail(prefixCount prefix: Int, pendingRetractions: [(retraction: Int, target: String)],
                             mayBeInPrefix: ([UInt8]) -> Bool = { _ in true }) -> [LogProblem] {
        precondition(prefix >= 0 && prefix <= events.count && replayOrder.count == prefix, "the ledger holds a snapshot and its tail")
        guard events.count > prefix else { return [] }

        // One pass over every id: where each tail id and each retraction target first occurs.
        var wanted: [[UInt8]] = []
        for index in prefix..<events.count { wanted.append(eventIds.bytes(of: index)) }
        for pending in pendingRetractions { wanted.append(Array(pending.target.utf8)) }
        var probe = StringProbe(strings: wanted, maximumLength: EventID.maximumLength)
        let mustScan = !pendingRetractions.isEmpty || wanted.contains(where: mayBeInPrefix)
        // Tail ids are unique among themselves (the reader proved it); the scan finds them in the prefix.
        if mustScan { probe.scan(eventIds, 0..<events.count) }
        var problems: [LogProblem] = []
        for index in prefix..<events.count {
            guard let found = probe.index(of: wanted[index - prefix]), let first = probe.firstIndex[found], first < prefix else { continue }
            let event = events[index], earlier = events[first]
            problems.append(LogProblem(
                log: IncentiveLogs.all[Int(event.logRank)], line: Int(event.seq),
                problem: "id \(eventId(of: index)) already used at \(IncentiveLogs.all[Int(earlier.logRank)].fileName):\(earlier.seq)"))
        }
        guard problems.isEmpty else { return problems }
        // As `resolveRetractions` does after a full read, with the probe's answers.
        for (retraction, targetId) in pendingRetractions {
            guard let found = probe.index(of: Array(targetId.utf8)), let target = probe.firstIndex[found], target < retraction,
                  events.logRank(at: target) == events.logRank(at: retraction),
                  case .eventRetracted(_, let reason) = events[retraction].payload else { continue }
            events.setPayload(.eventRetracted(target: EventIndex(offset: target), reason: reason), at: retraction)
            markRetracted(target, at: events.recordedTime(at: retraction))
        }
        mergeTailIntoReplayOrder(prefix: prefix)
        return []
    }

    /// This ledger laid out as a full read of its logs lays it out: each log's events together, the
    /// logs in rank order, and within a log the order they have here (their seqs', for a ledger
    /// read with verification). Itself when it already is; else a copy, every column gathered
    /// anew, retraction targets and the replay order renumbered: what a snapshot stores when the
    /// runs as they stand are more than a file may (`EventTable.LogRuns.maximumStored`).
    /// The read models at the heads and the kept fingerprints are let go: they follow the old layout.
    func inLogOrder() -> Ledger {
        let runs = events.logRuns
        guard !runs.isInLogOrder else { return self }
        // The runs in index order cover every event once; stably sorted by log they give the layout.
        let pieces = (0..<runs.runCount).map { run in
            let (indexes, logRank, _) = runs.run(run)
            return (indexes: indexes, logRank: logRank)
        }
        let order = pieces.indices.sorted { (pieces[$0].logRank, $0) < (pieces[$1].logRank, $1) }
        var newStarts = [Int](repeating: 0, count: pieces.count)
        var next = 0
        for piece in order {
            newStarts[piece] = next
            next += pieces[piece].indexes.count
        }
        precondition(next == events.count, "the runs cover every event once")
        let lowerBounds = pieces.map(\.indexes.lowerBound)
        func place(_ old: Int) -> Int {
            var low = 0, high = lowerBounds.count
            while low < high {
                let middle = low + (high - low) / 2
                if lowerBounds[middle] <= old { low = middle + 1 } else { high = middle }
            }
            let piece = low - 1
            precondition(piece >= 0 && pieces[piece].indexes.contains(old), "every event is in a run")
            return newStarts[piece] + (old - lowerBounds[piece])
        }
        let ranges = order.map { pieces[$0].indexes }
        var placed = self
        placed.eventIds = eventIds.reordered(ranges)
        placed.events = events.reordered(ranges, place: place)
        placed.retractedAt = retractedAt.reordered(place: place)
        // Replay keys end with the log's rank and ties fall by index; within a log the order is kept.
        placed.replayOrder = Column((0..<replayOrder.count).map { Int32(place(Int(replayOrder[$0]))) })
        placed.headModels = nil
        placed.snapshotFingerprints = nil
        assert(placed.events.logRuns.isInLogOrder, "placed in log order")
        return placed
    }

    /// Inserts the tail events into the (sorted) replay order of the prefix: each by binary search,
    /// so the cost is the tail's size times log of the ledger's, plus one copy.
    private mutating func mergeTailIntoReplayOrder(prefix: Int) {
        var tailKeys: [UInt128] = []
        tailKeys.reserveCapacity(events.count - prefix)
        for index in prefix..<events.count { tailKeys.append(replaySortKey(index)) }
        tailKeys.sort()
        let order = replayOrder
        func key(_ position: Int) -> UInt128 {
            replaySortKey(Int(order[position]))
        }
        var merged: [Int32] = []
        merged.reserveCapacity(events.count)
        var position = 0
        for tailKey in tailKeys {
            var low = position, high = order.count
            while low < high {
                let middle = (low + high) / 2
                if key(middle) < tailKey { low = middle + 1 } else { high = middle }
            }
            merged.append(contentsOf: order[position..<low])
            merged.append(Int32(truncatingIfNeeded: tailKey & 0xFFFF_FFFF))
            position = low
        }
        merged.append(contentsOf: order[position...])
        precondition(merged.count == events.count, "every event has a place in the replay order")
        replayOrder = Column(merged)
    }
}

extension Ledger {
    /// Lets go the pages this process touched of the event columns and the replay order where they
    /// are mapped and unwritten (`Column.releasePages(ofBytes:)`): they come back from the page
    /// cache when read again. After a replay that walked them all, before the snapshot is written.
    func releaseEventPages() {
        func release<Element>(_ column: Column<Element>) {
            column.releasePages(ofBytes: 0..<column.count * MemoryLayout<Element>.stride)
        }
        release(events.effective)
        events.recorded.releasePages()
        release(events.code)
        release(events.actor)
        release(events.source)
        release(events.a)
        release(events.b)
        release(events.c)
        release(events.d)
        release(events.small)
        release(events.flags)
        release(events.amount)
        release(replayOrder)
    }
}
