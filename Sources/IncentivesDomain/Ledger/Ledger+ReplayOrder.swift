import LedgerColumns

extension Ledger {
    /// Sorts the replay order: (effective, recorded, log rank), then position in `events`.
    mutating func buildReplayOrder() {
        let order = Ledger.sortedIndexes(count: events.count) { replayKey(of: $0) }
        replayOrder = Column(order)
        precondition(replayOrder.count == events.count, "every event has a place in the replay order")
    }

    /// The most effective days a replay order is bucketed by; a wider span (only from dates far
    /// apart) is sorted whole instead.
    static let maximumReplayDays = 1 << 20

    /// Indexes `0..<count` in the order of (`key`, index), where `key` is a replay key
    /// (`replayKey(of:)`, the effective day in its bits from 48 up). The logs are in recorded order,
    /// not effective order, so they are first spread by effective day (a stable counting sort on
    /// 4-byte indexes), and only each day's events, a few thousand, are sorted by their whole key:
    /// the same order as sorting every key at once, with a buffer of one day's keys instead of
    /// two of every event's (320 MB at ten million events), and each day's sort in the cache.
    static func sortedIndexes(count: Int, key: (Int) -> UInt128) -> [Int32] {
        precondition(count < Int(Int32.max), "event indexes fit in 32 bits")
        guard count > 0 else { return [] }
        var lowest = key(0) >> 48, highest = lowest
        var isSorted = true
        var previous = key(0)
        for index in 1..<count {
            let current = key(index)
            if current < previous { isSorted = false }
            previous = current
            let day = current >> 48
            if day < lowest { lowest = day } else if day > highest { highest = day }
        }
        if isSorted { return (0..<count).map { Int32(truncatingIfNeeded: $0) } }
        guard highest - lowest < UInt128(maximumReplayDays) else { return sortedWhole(count: count, key: key) }

        // Where each day's events start, then each event placed after the earlier ones of its day.
        let dayCount = Int(highest - lowest) + 1
        var starts = [Int](repeating: 0, count: dayCount + 1)
        for index in 0..<count { starts[Int((key(index) >> 48) - lowest) + 1] += 1 }
        for day in 0..<dayCount { starts[day + 1] += starts[day] }
        var order = [Int32](repeating: 0, count: count)
        var next = starts
        for index in 0..<count {
            let day = Int((key(index) >> 48) - lowest)
            order[next[day]] = Int32(truncatingIfNeeded: index)
            next[day] += 1
        }

        // Each day by its whole key, unless it already is in order.
        var keys: [UInt128] = []
        for day in 0..<dayCount where starts[day + 1] - starts[day] > 1 {
            let range = starts[day]..<starts[day + 1]
            keys.removeAll(keepingCapacity: true)
            var dayIsSorted = true
            for position in range {
                let keyed = key(Int(order[position])) << 32 | UInt128(UInt32(bitPattern: order[position]))
                if let last = keys.last, keyed < last { dayIsSorted = false }
                keys.append(keyed)
            }
            if dayIsSorted { continue }
            keys.sort()
            for (offset, keyed) in keys.enumerated() {
                order[range.lowerBound + offset] = Int32(truncatingIfNeeded: keyed & 0xFFFF_FFFF)
            }
        }
        return order
    }

    /// The same order by one sort of every key with its index below it.
    static func sortedWhole(count: Int, key: (Int) -> UInt128) -> [Int32] {
        var keys = [UInt128]()
        keys.reserveCapacity(count)
        for index in 0..<count { keys.append(key(index) << 32 | UInt128(index)) }
        keys.sort()
        return keys.map { Int32(truncatingIfNeeded: $0 & 0xFFFF_FFFF) }
    }
}
