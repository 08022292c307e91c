import LedgerLog

extension EventIdentifiers {
    /// Ids rebuilt from a snapshot's arrays, refused unless each id has 1 to 64 bytes and the
    /// last ends at the arena's end.
    init(snapshotArena arena: [UInt8], ends: [UInt32], count: Int) throws(SnapshotRejection) {
        guard ends.count == count, arena.count < Int(UInt32.max) else { throw .malformed("it does not hold one id per event") }
        var start = 0
        for end in ends {
            let length = Int(end) - start
            guard length >= 1, length <= EventID.maximumLength else { throw .malformed("an event id has a wrong length") }
            start = Int(end)
        }
        guard start == arena.count else { throw .malformed("the event ids do not span their bytes") }
        self.init()
        self.arena = arena
        self.ends = ends
    }

    /// The bytes of the id of event `index`, valid during `body`.
    func withBytes<Result>(of index: Int, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        let start = index == 0 ? 0 : Int(ends[index - 1])
        return arena.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[start..<Int(ends[index])])) }
    }

    /// The ids of the events in `ranges`, in that order, copied in bulk.
    func reordered(_ ranges: [Range<Int>]) -> EventIdentifiers {
        var result = EventIdentifiers()
        result.arena.reserveCapacity(arena.count)
        result.ends.reserveCapacity(ends.count)
        for range in ranges where !range.isEmpty {
            let start = range.lowerBound == 0 ? 0 : Int(ends[range.lowerBound - 1])
            let end = Int(ends[range.upperBound - 1])
            let shift = result.arena.count - start
            result.arena.append(contentsOf: arena[start..<end])
            for index in range { result.ends.append(UInt32(Int(ends[index]) + shift)) }
        }
        return result
    }
}
