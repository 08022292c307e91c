/// A moment in UTC at one-second resolution, the ledger's transaction time.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let secondsSinceEpoch: Int64

    public init(secondsSinceEpoch: Int64) {
        self.secondsSinceEpoch = secondsSinceEpoch
    }

    public init?(date: CalendarDate, hour: Int, minute: Int, second: Int) {
        guard (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second) else { return nil }
        secondsSinceEpoch = Int64(date.daysSinceEpoch) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }

    /// Parses exactly `YYYY-MM-DDTHH:MM:SSZ`.
    public init?(parsing text: String) {
        var copy = text
        let parsed: Timestamp? = copy.withUTF8 { Timestamp(ascii: UnsafeRawBufferPointer($0)) }
        guard let parsed else { return nil }
        self = parsed
    }

    /// Parses exactly twenty bytes `YYYY-MM-DDTHH:MM:SSZ`.
    public init?(ascii bytes: UnsafeRawBufferPointer) {
        guard bytes.count == 20, bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"),
              bytes[16] == UInt8(ascii: ":"), bytes[19] == UInt8(ascii: "Z"),
              let date = CalendarDate(ascii: UnsafeRawBufferPointer(rebasing: bytes[0..<10])),
              let hour = parseDigits(bytes, 11, 2), let minute = parseDigits(bytes, 14, 2),
              let second = parseDigits(bytes, 17, 2) else { return nil }
        self.init(date: date, hour: hour, minute: minute, second: second)
    }

    public var date: CalendarDate {
        CalendarDate(daysSinceEpoch: Int32(floorDivide(secondsSinceEpoch, 86_400)))
    }

    public var description: String {
        let secondOfDay = Int(secondsSinceEpoch - Int64(date.daysSinceEpoch) * 86_400)
        return date.description + "T" + pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2)
            + ":" + pad(secondOfDay % 60, 2) + "Z"
    }

    public static func < (left: Timestamp, right: Timestamp) -> Bool {
        left.secondsSinceEpoch < right.secondsSinceEpoch
    }

    /// Accepts a timestamp, or a date meaning the end of that day in UTC. Not for what people
    /// type: a date given as a transaction time is the end of that day in the ledger's time zone.
    @available(*, deprecated, message: "read transaction times with LedgerTimeZone.moment(parsing:) (CommandContext.moment on the command line)")
    public init?(timestampOrEndOfDate text: String) {
        if let timestamp = Timestamp(parsing: text) {
            self = timestamp
        } else if let date = CalendarDate(parsing: text) {
            self = date.endOfDay
        } else {
            return nil
        }
    }
}

func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
    let quotient = value / divisor
    return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient
}
