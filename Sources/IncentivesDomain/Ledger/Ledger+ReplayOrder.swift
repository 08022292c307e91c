import LedgerColumns

extension Ledger {
    /// Sorts the replay order: (effective, recorded, log rank), then position in `events`
    /// (`BucketedOrder`, bucketed by effective day, on the machine's cores).
    mutating func buildReplayOrder() {
        replayOrder = Column(BucketedOrder.sortedIndexes(count: events.count, keys: ReplayKeys(ledger: self)))
        precondition(replayOrder.count == events.count, "every event has a place in the replay order")
    }

    /// Each event's `replayKey(of:)`, the effective day in its bits from 48 up.
    struct ReplayKeys: BucketedKeys {
        let ledger: Ledger

        @inline(__always)
        func key(_ index: Int) -> UInt128 { ledger.replayKey(of: index) }
    }
}
