import LedgerColumns
import LedgerLog

/// The earliest `recorded` of a retraction of each event, or `Timestamp.never`: read and written
/// as `retractedAt[index]`, like an array of a time per event. Few events are ever retracted, so
/// only those keep a time, in a table by event; a bit per event says which they are, and a
/// replay's check of an event that was not (nearly all) reads that bit alone: 1.25 MB at ten
/// million events instead of 80 MB. The table is only looked up by event, never walked in its
/// own order, so its order changes no answer.
public struct RetractionTimes: Sendable, RandomAccessCollection {
    /// Bit `index % 64` of word `index / 64`: whether event `index` was retracted.
    private var marked: [UInt64] = []
    /// The time of each retracted event (seconds since the epoch), by event index.
    private var times: [Int32: Int64] = [:]
    /// How many events there are.
    private var eventCount = 0

    public init() {}

    /// `count` events, of which `marks` were retracted (by a retraction recorded at that time;
    /// an event retracted more than once keeps its earliest).
    init(count: Int, marks: [(target: Int, recorded: Timestamp)]) {
        append(count: count)
        for (target, recorded) in marks { mark(target, at: recorded) }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { eventCount }

    /// How many events were retracted.
    public var retractedCount: Int { times.count }

    /// When event `index` was first retracted, or `.never`. Setting `.never` forgets it.
    public subscript(index: Int) -> Timestamp {
        @inline(__always) get {
            guard isMarked(index) else { return .never }
            guard let seconds = times[Int32(truncatingIfNeeded: index)] else { preconditionFailure("a marked event keeps a time") }
            return Timestamp(secondsSinceEpoch: seconds)
        }
        set {
            precondition(index >= 0 && index < eventCount, "a retraction time of an event of the ledger")
            let bit: UInt64 = 1 << UInt64(index & 63)
            if newValue == .never {
                marked[index >> 6] &= ~bit
                times[Int32(truncatingIfNeeded: index)] = nil
            } else {
                marked[index >> 6] |= bit
                times[Int32(truncatingIfNeeded: index)] = newValue.secondsSinceEpoch
            }
        }
    }

    /// When the event a typed index names was first retracted, or `.never`.
    public subscript(index: EventIndex) -> Timestamp {
        @inline(__always) get { self[index.offset] }
    }

    /// Whether event `index` was ever retracted: one bit, with no lookup.
    @inline(__always)
    public func isMarked(_ index: Int) -> Bool {
        precondition(index >= 0 && index < eventCount, "a retraction time of an event of the ledger")
        return marked[index >> 6] >> UInt64(index & 63) & 1 != 0
    }

    /// Starts loading the bit of event `index` (see `Array.prefetch`).
    @inline(__always)
    func prefetch(_ index: Int) { marked.prefetch(index >> 6) }

    /// One more event, retracted at `time` (`.never`: not retracted).
    @inline(__always)
    mutating func append(_ time: Timestamp) {
        precondition(eventCount < Int(Int32.max), "event indexes fit in 32 bits")
        if eventCount & 63 == 0 { marked.append(0) }
        eventCount += 1
        if time != .never { self[eventCount - 1] = time }
    }

    /// One more event for each of `times`.
    mutating func append<Times: Sequence<Timestamp>>(contentsOf times: Times) {
        for time in times { append(time) }
    }

    /// `count` more events, none retracted.
    mutating func append(count: Int) {
        precondition(count >= 0 && count <= Int(Int32.max) - eventCount, "event indexes fit in 32 bits")
        eventCount += count
        let words = (eventCount + 63) >> 6
        if words > marked.count { marked.append(contentsOf: repeatElement(0, count: words - marked.count)) }
    }

    mutating func reserveCapacity(_ count: Int) {
        marked.reserveCapacity((count + 63) >> 6)
    }

    /// Event `target` was retracted by a retraction recorded at `recorded`: kept if earlier than any before.
    mutating func mark(_ target: Int, at recorded: Timestamp) {
        if recorded < self[target] { self[target] = recorded }
    }

    /// Every event's time moved to `place(index)`: the events reordered, their count the same.
    func reordered(place: (Int) -> Int) -> RetractionTimes {
        var result = RetractionTimes()
        result.append(count: eventCount)
        for (target, seconds) in times {
            let moved = place(Int(target))
            precondition(moved >= 0 && moved < eventCount && !result.isMarked(moved), "events are moved within the ledger, one to a place")
            result[moved] = Timestamp(secondsSinceEpoch: seconds)
        }
        return result
    }
}
