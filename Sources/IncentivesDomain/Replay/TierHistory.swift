import LedgerColumns
import LedgerLog
/// An enterprise's tier changes, in replay order: a run of a list of changes that one replay (or
/// one snapshot's kept models) shares among all its enterprises, so that a million enterprises
/// cost one allocation, not a million. Reads like an array of `TierChange`, indexed from 0.
public struct TierHistory: RandomAccessCollection, Sendable, Equatable {
    /// The shared list; this history is `count` entries of it from `start`.
    private var storage: [TierChange]
    private var start: Int32
    private var length: Int32

    /// No change yet.
    public init() {
        storage = []
        start = 0
        length = 0
    }

    /// Entries `range` of `storage`, which other histories may share.
    init(sharing storage: [TierChange], _ range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= storage.count && storage.count <= Int(Int32.max),
                     "a history lies inside its list")
        self.storage = storage
        start = Int32(range.lowerBound)
        length = Int32(range.count)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { Int(length) }

    public subscript(position: Int) -> TierChange {
        // Checked here: a position past this history would still lie inside the shared list.
        precondition(position >= 0 && position < Int(length), "tier history position in range")
        return storage[Int(start) + position]
    }

    /// Adds a change at the end. A history that shares its list first takes a list of its own,
    /// so no other enterprise's history changes.
    mutating func append(_ change: TierChange) {
        precondition(length < Int32.max, "a tier history fits in 31 bits")
        if start != 0 || Int(length) != storage.count { storage = Array(self) }
        storage.append(change)
        start = 0
        length += 1
    }

    /// The tier after every change effective on or before `date`, in list order (see
    /// `EnterpriseState.tier(on:)`): read from the shared list's span, with no iterator.
    func tier(on date: CalendarDate) -> Tier {
        var tier = Tier.none
        let changes = storage.span
        for position in Int(start)..<Int(start + length) where changes[position].effective <= date {
            tier = changes[position].to
        }
        return tier
    }

    /// `tier(on:)` of each of `dates` (ascending), given to `body` with its position: one walk
    /// of the changes when they are in effective order (a replay's are), else date by date.
    func forEachTier(on dates: [CalendarDate], _ body: (Int, Tier) -> Void) {
        let changes = storage.span
        let range = Int(start)..<Int(start + length)
        var ordered = true
        for position in range.dropFirst() where changes[position - 1].effective > changes[position].effective { ordered = false }
        guard ordered else {
            for (index, date) in dates.enumerated() { body(index, tier(on: date)) }
            return
        }
        var tier = Tier.none, next = range.lowerBound
        for (index, date) in dates.enumerated() {
            precondition(index == 0 || dates[index - 1] <= date, "dates in ascending order")
            while next < range.upperBound, changes[next].effective <= date {
                tier = changes[next].to
                next += 1
            }
            body(index, tier)
        }
    }

    /// Starts loading the first of this history's changes into the cache: the lists of a
    /// million enterprises lie anywhere in the shared list (a hint only).
    func prefetch() {
        if length > 0 { storage.prefetch(Int(start)) }
    }

    public static func == (left: TierHistory, right: TierHistory) -> Bool {
        left.elementsEqual(right)
    }
}
