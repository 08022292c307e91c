import LedgerColumns
import LedgerLog

/// The earliest `recorded` of a retraction of each event, or `Timestamp.never`: read as
/// `retractedAt[index]`, like an array of a time per event. Few events are ever retracted, so
/// only those keep a time; a bit per event says which they are, and a replay's check of an event
/// that was not (nearly all) reads that bit alone: 1.25 MB at ten million events instead of 80 MB.
public struct RetractionTimes: Sendable, RandomAccessCollection {
    /// Bit `index % 64` of word `index / 64`: whether event `index` was retracted.
    private var marked: [UInt64] = []
    /// The retracted events, ascending, and the time of each (`times[k]` is `retracted[k]`'s).
    private var retracted: [Int32] = []
    private var times: [Int64] = []
    /// How many events there are.
    private var eventCount = 0

    public init() {}

    /// `count` events, of which `marks` were retracted (by a retraction recorded at that time;
    /// an event retracted more than once keeps its earliest).
    init(count: Int, marks: [(target: Int, recorded: Timestamp)]) {
        append(count: count)
        mark(contentsOf: marks)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { eventCount }

    /// How many events were retracted.
    public var retractedCount: Int { retracted.count }

    /// When event `index` was first retracted, or `.never`.
    public subscript(index: Int) -> Timestamp {
        @inline(__always) get {
            guard isMarked(index) else { return .never }
            return Timestamp(secondsSinceEpoch: times[place(of: index)])
        }
    }

    /// When the event a typed index names was first retracted, or `.never`.
    public subscript(index: EventIndex) -> Timestamp {
        @inline(__always) get { self[index.offset] }
    }

    /// Whether event `index` was ever retracted: one bit, with no search.
    @inline(__always)
    public func isMarked(_ index: Int) -> Bool {
        precondition(index >= 0 && index < eventCount, "a retraction time of an event of the ledger")
        return marked[index >> 6] >> UInt64(index & 63) & 1 != 0
    }

    /// Starts loading the bit of event `index` (see `Array.prefetch`).
    @inline(__always)
    func prefetch(_ index: Int) { marked.prefetch(index >> 6) }

    /// The position in `retracted` of `index`, or where it would go.
    private func place(of index: Int) -> Int {
        var low = 0, high = retracted.count
        while low < high {
            let middle = low + (high - low) / 2
            if Int(retracted[middle]) < index { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// One more event, not retracted.
    @inline(__always)
    mutating func append() {
        precondition(eventCount < Int(Int32.max), "event indexes fit in 32 bits")
        if eventCount & 63 == 0 { marked.append(0) }
        eventCount += 1
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

    /// Event `target` was retracted by a retraction recorded at `recorded`: kept if earlier than
    /// any before. One insertion; many at once go through `mark(contentsOf:)`.
    mutating func mark(_ target: Int, at recorded: Timestamp) {
        let position = place(of: target)
        if isMarked(target) {
            precondition(position < retracted.count && Int(retracted[position]) == target, "a marked event keeps a time")
            times[position] = Swift.min(times[position], recorded.secondsSinceEpoch)
            return
        }
        marked[target >> 6] |= 1 << UInt64(target & 63)
        retracted.insert(Int32(truncatingIfNeeded: target), at: position)
        times.insert(recorded.secondsSinceEpoch, at: position)
    }

    /// `mark(_:at:)` for each of `marks`, in one sort instead of an insertion each.
    mutating func mark(contentsOf marks: [(target: Int, recorded: Timestamp)]) {
        guard !marks.isEmpty else { return }
        var all: [(target: Int32, recorded: Int64)] = []
        all.reserveCapacity(retracted.count + marks.count)
        for (target, recorded) in zip(retracted, times) { all.append((target, recorded)) }
        for (target, recorded) in marks {
            precondition(target >= 0 && target < eventCount, "a retraction time of an event of the ledger")
            all.append((Int32(truncatingIfNeeded: target), recorded.secondsSinceEpoch))
        }
        setMarks(all)
    }

    /// Every event's time moved to `place(index)`: the events reordered, their count the same.
    func reordered(place: (Int) -> Int) -> RetractionTimes {
        var result = RetractionTimes()
        result.append(count: eventCount)
        var all: [(target: Int32, recorded: Int64)] = []
        all.reserveCapacity(retracted.count)
        for (target, recorded) in zip(retracted, times) {
            let moved = place(Int(target))
            precondition(moved >= 0 && moved < eventCount, "events are moved within the ledger")
            all.append((Int32(truncatingIfNeeded: moved), recorded))
        }
        result.setMarks(all)
        return result
    }

    /// Replaces the marks with `all` (in any order, an event perhaps more than once: its
    /// earliest time is kept).
    private mutating func setMarks(_ all: [(target: Int32, recorded: Int64)]) {
        let sorted = all.sorted { ($0.target, $0.recorded) < ($1.target, $1.recorded) }
        for word in marked.indices { marked[word] = 0 }
        retracted.removeAll(keepingCapacity: true)
        times.removeAll(keepingCapacity: true)
        for (target, recorded) in sorted where retracted.last != target {
            marked[Int(target) >> 6] |= 1 << UInt64(target & 63)
            retracted.append(target)
            times.append(recorded)
        }
    }
}
