import LedgerColumns

extension EventTable {
    /// Each event's recorded time (seconds since the epoch), read as `recorded[index]`. Kept in 4
    /// bytes, as seconds since the table's first recorded time (`base`), while every time lies
    /// within 68 years of it, as the ledger's own clock does: 40 MB less at ten million events.
    /// A time further away (history imported from long ago, or a ledger kept past that) turns the
    /// column into 8 bytes a time, so every time the event format allows (years 1900 to 9999) is
    /// held exactly either way.
    struct RecordedTimes: Sendable {
        /// Seconds since `base`, while the column is narrow.
        private(set) var sinceBase = Column<Int32>()
        /// Every time, once one did not fit in `sinceBase` (which is then empty).
        private(set) var full = Column<Int64>()
        private(set) var isWide = false
        /// The first time appended (0 for an empty table): the time `sinceBase` counts from.
        private(set) var base: Int64 = 0

        /// Lets go the pages of the mapped column this process touched (`Column.releasePages(ofBytes:)`).
        func releasePages() {
            sinceBase.releasePages(ofBytes: 0..<sinceBase.count * MemoryLayout<Int32>.stride)
            full.releasePages(ofBytes: 0..<full.count * MemoryLayout<Int64>.stride)
        }

        init() {}

        /// A narrow column read from a snapshot.
        init(base: Int64, sinceBase: Column<Int32>) {
            self.base = base
            self.sinceBase = sinceBase
        }

        /// A wide column read from a snapshot.
        init(full: Column<Int64>) {
            self.full = full
            isWide = true
        }

        var count: Int { isWide ? full.count : sinceBase.count }

        subscript(index: Int) -> Int64 {
            @inline(__always) get { isWide ? full[index] : base &+ Int64(sinceBase[index]) }
        }

        /// Starts loading the time of event `index` into the cache (see `Array.prefetch`).
        @inline(__always)
        func prefetch(_ index: Int) {
            if isWide { full.prefetch(index) } else { sinceBase.prefetch(index) }
        }

        mutating func append(_ seconds: Int64) {
            if isWide { return full.append(seconds) }
            if sinceBase.count == 0 { base = seconds }
            // Within Int64: the bounds of a time (and so of `base`) are far inside it.
            let offset = seconds.subtractingReportingOverflow(base)
            guard !offset.overflow, let narrow = Int32(exactly: offset.partialValue) else {
                widen()
                return full.append(seconds)
            }
            sinceBase.append(narrow)
        }

        /// Every time in 8 bytes from now on.
        private mutating func widen() {
            var times: [Int64] = []
            times.reserveCapacity(Swift.max(sinceBase.count * 2, 16))
            for offset in sinceBase { times.append(base &+ Int64(offset)) }
            full = Column(times)
            sinceBase = Column()
            isWide = true
        }

        mutating func reserveCapacity(_ count: Int) {
            if isWide { full.reserveCapacity(count) } else { sinceBase.reserveCapacity(count) }
        }

        /// The times of the events at `ranges`, in that order.
        func reordered(_ ranges: [Range<Int>]) -> RecordedTimes {
            var result = RecordedTimes()
            result.reserveCapacity(count)
            for range in ranges {
                for index in range { result.append(self[index]) }
            }
            return result
        }
    }
}
