import LedgerLog

/// The period a restatement compares: a year (`2022`), a quarter (`2022Q3`) or a month (`2022-07`).
public struct RestatementPeriod: Sendable, Equatable, CustomStringConvertible {
    public enum Length: String, Sendable { case year, quarter, month }

    public let first: CalendarDate
    public let last: CalendarDate
    public let length: Length
    /// As it was written: `2022`, `2022Q3`, `2022-07`.
    public let description: String

    public static let forms = "a year (2022), a quarter (2022Q3) or a month (2022-07)"

    public init?(parsing text: String) {
        let bytes = Array(text.utf8)
        func digits(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                guard bytes[index] >= 48, bytes[index] <= 57 else { return nil }
                value = value * 10 + Int(bytes[index] - 48)
            }
            return value
        }
        guard bytes.count >= 4, let year = digits(0..<4),
              (CalendarDate.minimumYear...CalendarDate.maximumYear).contains(year) else { return nil }
        let firstMonth: Int, months: Int
        switch bytes.count {
        case 4:
            (firstMonth, months, length) = (1, 12, .year)
        case 6 where bytes[4] == UInt8(ascii: "Q") || bytes[4] == UInt8(ascii: "q"):
            guard let quarter = digits(5..<6), (1...4).contains(quarter) else { return nil }
            (firstMonth, months, length) = (quarter * 3 - 2, 3, .quarter)
        case 7 where bytes[4] == UInt8(ascii: "-"):
            guard let month = digits(5..<7), (1...12).contains(month) else { return nil }
            (firstMonth, months, length) = (month, 1, .month)
        default:
            return nil
        }
        let lastMonth = firstMonth + months - 1
        first = CalendarDate(year: year, month: firstMonth, day: 1)!
        last = CalendarDate(year: year, month: lastMonth, day: CalendarDate.daysInMonth(year: year, month: lastMonth))!
        description = length == .quarter ? "\(year)Q\((firstMonth + 2) / 3)" : text
    }

    public func contains(_ date: CalendarDate) -> Bool { first <= date && date <= last }
}
