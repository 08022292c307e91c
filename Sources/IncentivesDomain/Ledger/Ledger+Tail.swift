import LedgerColumns
import LedgerLog

extension Ledger {
    /// Completes a ledger decoded from a snapshot to which the loader appended the events read
    /// after it (the tail, at the end, in log order): proves the tail's ids new, points the tail's
    /// retractions at their targets, moves tail events to where a full read puts them (each after
    /// its own log's events) and merges them into the replay order. Afterwards the ledger equals
    /// the one a full read gives, except perhaps for the numbering of interned names, which no
    /// answer depends on. Returns the problems a full read would also report (reused ids).
    /// `mayBeInPrefix` tells from an id's bytes (by their fingerprint) whether it may be among the prefix's ids:
    /// when no tail id may and no retraction needs a target, the prefix's ids are not scanned.
    mutating func absorbTail(prefixCounts: [Int], pendingRetractions: [(retraction: Int, target: String)],
                             mayBeInPrefix: ([UInt8]) -> Bool = { _ in true }) -> [LogProblem] {
        let prefix = prefixCounts.reduce(0, +)
        precondition(prefix <= events.count && replayOrder.count == prefix, "the ledger holds a snapshot and its tail")
        guard events.count > prefix else { return [] }
        var tailCounts = [Int](repeating: 0, count: prefixCounts.count)
        for index in prefix..<events.count { tailCounts[Int(events.logRank(at: index))] += 1 }

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
        placeTail(prefixCounts: prefixCounts, tailCounts: tailCounts)
        mergeTailIntoReplayOrder(prefix: prefix, prefixCounts: prefixCounts, tailCounts: tailCounts)
        return []
    }

    /// Where event `old` goes when each log's tail moves behind that log's prefix.
    private static func placement(prefixCounts: [Int], tailCounts: [Int]) -> (Int) -> Int {
        let prefix = prefixCounts.reduce(0, +)
        var prefixStarts: [Int] = [], tailStarts: [Int] = [], newStarts: [Int] = []
        var prefixStart = 0, tailStart = prefix, newStart = 0
        for rank in prefixCounts.indices {
            prefixStarts.append(prefixStart)
            tailStarts.append(tailStart)
            newStarts.append(newStart)
            prefixStart += prefixCounts[rank]
            tailStart += tailCounts[rank]
            newStart += prefixCounts[rank] + tailCounts[rank]
        }
        return { old in
            for rank in prefixCounts.indices {
                if old >= prefixStarts[rank], old < prefixStarts[rank] + prefixCounts[rank] {
                    return newStarts[rank] + (old - prefixStarts[rank])
                }
                if old >= tailStarts[rank], old < tailStarts[rank] + tailCounts[rank] {
                    return newStarts[rank] + prefixCounts[rank] + (old - tailStarts[rank])
                }
            }
            preconditionFailure("every event is in a prefix or a tail")
        }
    }

    /// Moves each log's tail events behind that log's prefix, renumbering retraction targets
    /// and the replay order's prefix. A no-op when only the last logs have tails (the usual case).
    private mutating func placeTail(prefixCounts: [Int], tailCounts: [Int]) {
        let needsMoving = prefixCounts.indices.contains { rank in
            tailCounts[rank] > 0 && prefixCounts[(rank + 1)...].contains { $0 > 0 }
        }
        guard needsMoving else { return }
        let prefix = prefixCounts.reduce(0, +)
        let place = Ledger.placement(prefixCounts: prefixCounts, tailCounts: tailCounts)
        var ranges: [Range<Int>] = []
        var prefixStart = 0, tailStart = prefix
        for rank in prefixCounts.indices {
            ranges.append(prefixStart..<(prefixStart + prefixCounts[rank]))
            ranges.append(tailStart..<(tailStart + tailCounts[rank]))
            prefixStart += prefixCounts[rank]
            tailStart += tailCounts[rank]
        }
        eventIds = eventIds.reordered(ranges)
        events = events.reordered(ranges, place: place)
        retractedAt = retractedAt.reordered(place: place)
        // The prefix's replay order keeps its order: ties are within one log, which moves as a block.
        for position in replayOrder.indices { replayOrder[position] = Int32(place(Int(replayOrder[position]))) }
    }

    /// Inserts the tail events into the (sorted) replay order of the prefix: each by binary search,
    /// so the cost is the tail's size times log of the ledger's, plus one copy.
    private mutating func mergeTailIntoReplayOrder(prefix: Int, prefixCounts: [Int], tailCounts: [Int]) {
        var tailKeys: [UInt128] = []
        var newStart = 0
        for rank in prefixCounts.indices {
            for index in (newStart + prefixCounts[rank])..<(newStart + prefixCounts[rank] + tailCounts[rank]) {
                tailKeys.append(replayKey(of: index) << 32 | UInt128(index))
            }
            newStart += prefixCounts[rank] + tailCounts[rank]
        }
        tailKeys.sort()
        let order = replayOrder
        func key(_ position: Int) -> UInt128 {
            let index = Int(order[position])
            return replayKey(of: index) << 32 | UInt128(index)
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
