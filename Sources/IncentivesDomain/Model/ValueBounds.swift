import LedgerLog

/// The documented bounds of every value an event carries, checked when a draft is parsed.
/// They are far beyond any real incentive and small enough that no total of a log that verifies,
/// however long, can overflow the 128-bit sums the read models keep.
public enum ValueBounds {
    /// One yuan is 100 fen; 10^12 fen is 10 billion yuan, the most one event may move.
    public static let amountFen: ClosedRange<Int64> = 1...1_000_000_000_000
    /// A capability evaluation's score.
    public static let score: ClosedRange<Int64> = 0...100
    /// A programme's cap counts awards over this many years.
    public static let capYears: ClosedRange<Int64> = 1...50
    /// Budget years, like every date.
    public static let year: ClosedRange<Int64> = 1900...2199
    /// Effective dates and every other date of an event.
    public static let firstDate = CalendarDate(year: 1900, month: 1, day: 1)!
    public static let lastDate = CalendarDate(year: 2199, month: 12, day: 31)!

    /// Why `date` (the member `name`) is outside the bounds, or nil.
    public static func dateProblem(_ date: CalendarDate, name: String) -> String? {
        guard date < firstDate || date > lastDate else { return nil }
        return "\(name) \(date) is outside the dates a ledger event may carry, \(firstDate) to \(lastDate)"
    }
}
