import LedgerLog

/// Every event of the three logs, decoded once, with the interned names they refer to and the
/// replay order. Queries at any (as-of, known-at) replay a filtered walk of this, never the files.
public struct Ledger: Sendable {
    public internal(set) var events: [DomainEvent] = []
    public internal(set) var eventIds = Interner(expectedCount: 1 << 12)
    public internal(set) var programmes = Interner()
    public internal(set) var grants = Interner(expectedCount: 1 << 12)
    public internal(set) var enterprises = Interner()
    public internal(set) var centres = Interner()
    public internal(set) var texts = Interner()
    /// `eventIndexById[i]` is the index in `events` of the event whose interned id is `i`.
    var eventIndexById: [Int32] = []
    /// The earliest `recorded` of a retraction of each event, or `Timestamp.never`.
    public internal(set) var retractedAt: [Timestamp] = []
    /// Indexes of `events` in replay order: (effective, recorded, log rank, seq).
    public internal(set) var replayOrder: [Int32] = []
    /// Heads and counts of the logs this ledger was read from.
    public internal(set) var logs: [LogSummary] = []

    public init() {}

    public var count: Int { events.count }

    public func eventId(of index: Int) -> String { eventIds.string(events[index].eventId) }

    public func eventIndex(ofId id: String) -> Int? {
        guard let interned = eventIds.find(id) else { return nil }
        let index = eventIndexById[Int(interned)]
        return index >= 0 ? Int(index) : nil
    }

    /// Adds a decoded event at the end of its log (the loader and the append path both call this).
    mutating func add(_ event: DomainEvent) {
        let index = Int32(events.count)
        events.append(event)
        retractedAt.append(.never)
        let idIndex = Int(event.eventId)
        if idIndex >= eventIndexById.count {
            eventIndexById.append(contentsOf: repeatElement(-1, count: idIndex - eventIndexById.count + 1))
        }
        if eventIndexById[idIndex] < 0 { eventIndexById[idIndex] = index }
        if case .eventRetracted(let target, _) = event.payload, target >= 0 {
            if event.recorded < retractedAt[Int(target)] { retractedAt[Int(target)] = event.recorded }
        }
    }

    /// Sorts the replay order; cheap when the logs are already in effective order.
    mutating func buildReplayOrder() {
        var keys = [UInt128]()
        keys.reserveCapacity(events.count)
        for (index, event) in events.enumerated() {
            keys.append(Ledger.replayKey(event) << 32 | UInt128(index))
        }
        if !keys.isSorted() { keys.sort() }
        replayOrder = keys.map { Int32(truncatingIfNeeded: $0 & 0xFFFF_FFFF) }
        precondition(replayOrder.count == events.count, "every event has a place in the replay order")
    }

    /// (effective, recorded, log rank) packed so that integer order is replay order;
    /// the event's index, appended below it, breaks ties by seq.
    @inline(__always)
    static func replayKey(_ event: DomainEvent) -> UInt128 {
        let effective = UInt128(Int64(event.effective.daysSinceEpoch) + 40_000)
        let recorded = UInt128(event.recorded.secondsSinceEpoch + 3_000_000_000)
        return (effective << 48) | (recorded << 4) | UInt128(event.logRank)
    }
}

extension Timestamp {
    /// Later than any real time: "never retracted", "no limit".
    public static let never = Timestamp(secondsSinceEpoch: Int64.max)
}

extension CalendarDate {
    /// Later than any real date: "no as-of limit".
    public static let distantFuture = CalendarDate(daysSinceEpoch: Int32.max)
}

extension Array where Element: Comparable {
    func isSorted() -> Bool {
        guard count > 1 else { return true }
        for index in 1..<count where self[index] < self[index - 1] { return false }
        return true
    }
}
