/// A day in the proleptic Gregorian calendar, stored as days since 1970-01-01 so that
/// comparing and sorting dates is integer arithmetic with no calendar library in the hot path.
public struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let daysSinceEpoch: Int32

    /// Years outside this range are refused: nothing in a ledger of public money needs them,
    /// and a bound keeps every date four digits wide.
    public static let minimumYear = 1900
    public static let maximumYear = 9999

    public init(daysSinceEpoch: Int32) {
        self.daysSinceEpoch = daysSinceEpoch
    }

    public init?(year: Int, month: Int, day: Int) {
        guard year >= CalendarDate.minimumYear, year <= CalendarDate.maximumYear,
              month >= 1, month <= 12, day >= 1,
              day <= CalendarDate.daysInMonth(year: year, month: month) else { return nil }
        self.daysSinceEpoch = Int32(CalendarDate.daysFromCivil(year: year, month: month, day: day))
    }

    /// Parses exactly `YYYY-MM-DD` (ASCII), refusing impossible days such as 2023-02-30.
    public init?(parsing text: String) {
        var copy = text
        let parsed: CalendarDate? = copy.withUTF8 { buffer in
            CalendarDate(ascii: UnsafeRawBufferPointer(buffer))
        }
        guard let parsed else { return nil }
        self = parsed
    }

    /// Parses exactly ten bytes `YYYY-MM-DD`.
    public init?(ascii bytes: UnsafeRawBufferPointer) {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let year = parseDigits(bytes, 0, 4),
              let month = parseDigits(bytes, 5, 2),
              let day = parseDigits(bytes, 8, 2) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    public var components: (year: Int, month: Int, day: Int) {
        CalendarDate.civilFromDays(Int(daysSinceEpoch))
    }

    public var year: Int { components.year }

    public var description: String {
        let (year, month, day) = components
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
    }

    public static func < (left: CalendarDate, right: CalendarDate) -> Bool {
        left.daysSinceEpoch < right.daysSinceEpoch
    }

    public func adding(days: Int) -> CalendarDate {
        CalendarDate(daysSinceEpoch: daysSinceEpoch + Int32(days))
    }

    /// The same month and day `years` earlier or later; 29 February falls back to the 28th.
    public func adding(years: Int) -> CalendarDate {
        let (year, month, day) = components
        let targetYear = year + years
        let clampedDay = min(day, CalendarDate.daysInMonth(year: targetYear, month: month))
        return CalendarDate(daysSinceEpoch: Int32(CalendarDate.daysFromCivil(year: targetYear, month: month, day: clampedDay)))
    }

    /// The last moment of this day in UTC, used where a date stands for "known by the end of that day".
    public var endOfDay: Timestamp {
        Timestamp(secondsSinceEpoch: (Int64(daysSinceEpoch) + 1) * 86_400 - 1)
    }

    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Howard Hinnant's days_from_civil: exact for every Gregorian date.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

@inline(__always)
func parseDigits(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ count: Int) -> Int? {
    var value = 0
    for index in start..<(start + count) {
        let digit = Int(bytes[index]) &- 48
        guard digit >= 0, digit <= 9 else { return nil }
        value = value * 10 + digit
    }
    return value
}

func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}
