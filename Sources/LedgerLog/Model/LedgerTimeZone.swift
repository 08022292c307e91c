/// The civil time a ledger's people work in, as a fixed offset from UTC (the district works in
/// China Standard Time, +08:00, which has no daylight saving). It says what a calendar date
/// given as a transaction time means (`--known-at 2021-12-31` is the end of that day there) and
/// how recorded times are shown to people; the logs themselves always hold UTC.
public struct LedgerTimeZone: Sendable, Equatable, CustomStringConvertible {
    /// Minutes east of UTC, within ±14:00.
    public let offsetMinutes: Int

    /// China Standard Time: the zone of a ledger whose `ledger.json` names none, or that has no
    /// `ledger.json` at all (a ledger from before manifests).
    public static let chinaStandardTime = LedgerTimeZone(uncheckedOffsetMinutes: 8 * 60)

    /// UTC itself, for ledgers kept in it (`init --time-zone +00:00`).
    public static let utc = LedgerTimeZone(uncheckedOffsetMinutes: 0)

    public init?(offsetMinutes: Int) {
        guard abs(offsetMinutes) <= 14 * 60 else { return nil }
        self.offsetMinutes = offsetMinutes
    }

    private init(uncheckedOffsetMinutes: Int) {
        offsetMinutes = uncheckedOffsetMinutes
    }

    /// The zone of a manifest, or China Standard Time when there is none.
    public init(manifest: LedgerManifest?) {
        offsetMinutes = manifest?.timeZoneOffsetMinutes ?? LedgerTimeZone.chinaStandardTime.offsetMinutes
    }

    /// `+08:00`.
    public var description: String { LedgerManifest.formatOffset(offsetMinutes) }

    private var offsetSeconds: Int64 { Int64(offsetMinutes) * 60 }

    /// The last second of `date` in this zone: `2021-12-31` at +08:00 is `2021-12-31T15:59:59Z`.
    public func endOfDay(_ date: CalendarDate) -> Timestamp {
        Timestamp(secondsSinceEpoch: date.endOfDay.secondsSinceEpoch - offsetSeconds)
    }

    /// A moment as people of this zone read it: `2023-10-06 11:05:51+08:00`.
    public func format(_ moment: Timestamp) -> String {
        let local = Timestamp(secondsSinceEpoch: moment.secondsSinceEpoch + offsetSeconds).description
        // `YYYY-MM-DDTHH:MM:SSZ` shifted by the offset: a space for the T and the offset for the Z.
        return String(local.prefix(10)) + " " + String(local.dropFirst(11).prefix(8)) + description
    }

    /// A transaction time as a person gives it: `YYYY-MM-DDTHH:MM:SSZ`, `YYYY-MM-DDTHH:MM:SS±HH:MM`,
    /// or a date `YYYY-MM-DD`, meaning the end of that day in this zone. Nil for anything else.
    public func moment(parsing text: String) -> Timestamp? {
        switch LedgerTimeZone.parse(text) {
        case .moment(let moment)?: return moment
        case .endOfDate(let date)?: return endOfDay(date)
        case nil: return nil
        }
    }

    /// What a transaction time given as text is, before a zone gives a date-only one its moment.
    public enum ParsedMoment: Sendable, Equatable {
        case moment(Timestamp)
        case endOfDate(CalendarDate)
    }

    /// The syntax of `moment(parsing:)` alone, so that a malformed value is refused before
    /// anything (such as the ledger's zone) is read.
    public static func parse(_ text: String) -> ParsedMoment? {
        if let moment = Timestamp(parsing: text) { return .moment(moment) }
        if let date = CalendarDate(parsing: text) { return .endOfDate(date) }
        let bytes = Array(text.utf8)
        // `YYYY-MM-DDTHH:MM:SS` then `±HH:MM`.
        guard bytes.count == 25, let local = Timestamp(parsing: String(decoding: bytes[0..<19], as: UTF8.self) + "Z"),
              let offset = LedgerManifest.parseOffset(String(decoding: bytes[19...], as: UTF8.self)) else { return nil }
        return .moment(Timestamp(secondsSinceEpoch: local.secondsSinceEpoch - Int64(offset) * 60))
    }

    /// The forms `moment(parsing:)` accepts, for messages.
    public static let forms = "YYYY-MM-DD (the end of that day in the ledger's time zone), YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DDTHH:MM:SS+08:00"
}
