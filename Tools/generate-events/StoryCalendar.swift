import LedgerLog

/// The story's period and the calendar arithmetic it needs: budget years are calendar years,
/// the last one reported through 30 September, decisions and payments fall on weekdays.
struct StoryCalendar {
    let firstYear: Int
    let lastYear: Int
    let start: CalendarDate
    let end: CalendarDate

    init(start: CalendarDate, years: Int) {
        precondition(years >= 1, "at least one year")
        self.start = start
        firstYear = start.year
        lastYear = firstYear + years - 1
        end = CalendarDate(year: lastYear, month: 9, day: 30)!
    }

    /// The year whose figures are "published" on 15 January of the last year (the report year).
    var reportYear: Int { lastYear - 1 }

    var years: ClosedRange<Int> { firstYear...lastYear }

    /// Months of the period that fall in `year` (12, or 9 for the last year).
    func months(in year: Int) -> Int { year == lastYear ? 9 : 12 }

    var totalMonths: Int { years.reduce(0) { $0 + months(in: $1) } }

    func date(_ year: Int, _ month: Int, _ day: Int) -> CalendarDate {
        CalendarDate(year: year, month: month, day: min(day, CalendarDate.daysInMonth(year: year, month: month)))!
    }

    /// Monday is 0; 1970-01-01 was a Thursday.
    static func weekday(_ date: CalendarDate) -> Int {
        Int(((Int64(date.daysSinceEpoch) % 7) + 7 + 3) % 7)
    }

    /// `date` itself on a weekday, else the Monday after.
    static func workday(onOrAfter date: CalendarDate) -> CalendarDate {
        let weekday = weekday(date)
        return weekday < 5 ? date : date.adding(days: 7 - weekday)
    }

    /// `date` itself on a weekday, else the Friday before.
    static func workday(onOrBefore date: CalendarDate) -> CalendarDate {
        let weekday = weekday(date)
        return weekday < 5 ? date : date.adding(days: 4 - weekday)
    }

    func contains(_ date: CalendarDate) -> Bool { date >= start && date <= end }
}

extension CalendarDate {
    /// Days from `earlier` to this date.
    func days(since earlier: CalendarDate) -> Int { Int(daysSinceEpoch - earlier.daysSinceEpoch) }
}

/// Seconds since the epoch of a moment on a day: the plan keeps recorded times as plain integers.
func moment(_ date: CalendarDate, second: Int64) -> Int64 {
    Int64(date.daysSinceEpoch) * 86_400 + second
}

func dateOf(moment seconds: Int64) -> CalendarDate {
    Timestamp(secondsSinceEpoch: seconds).date
}

/// A recorded time `lagDays` after `date`, on a workday, during office hours, and strictly after `floor`.
func recordedTime(after date: CalendarDate, lagDays: ClosedRange<Int>, floor: Int64,
                  generator: inout SeededGenerator) -> Int64 {
    let day = StoryCalendar.workday(onOrAfter: date.adding(days: generator.integer(in: lagDays)))
    return max(moment(day, second: generator.officeSecond()), floor + 60)
}
