import LedgerLog

/// The decoded ledger saved in the reading user's cache (see `SnapshotCache`), tied to the
/// chain state of each log where the verified read it comes from ended. A later query decodes
/// it instead of the logs and reads, hashes and chain-checks only what was appended since.
///
/// It is a cache: it is used only when its MAC is this user's, it is of this ledger, every
/// field decodes in range, and every log's file is unchanged since it was known good (its stamp
/// is the one remembered and was settled when taken) and still passes through the head it
/// remembers; otherwise it is ignored and rebuilt from a full verified read. Deleting it changes
/// no answer. Layout (all integers little-endian, every array 8-byte aligned):
///
///     header   magic "ILEDGSNP", format version (u32), 0 (u32), HMAC-SHA256 of every other byte
///              of the file (32 bytes), file length (u64), name-hash probe (u64), ledger identity
///              (32 bytes), stamps taken after (i64 nanoseconds since the epoch), log count (u64),
///              then per log: name (u64 length, bytes, padding), events, bytes (u64), head (32
///              bytes), last recorded (i64 seconds, `Int64.min` for none), the log file's stamp
///              at that read (u64 1 if known, else 0; device, inode, bytes (u64), change time
///              (i64 seconds, i64 nanoseconds))
///     body     events (u64 count, 48-byte records, see `SnapshotEventRecord`), event ids
///              (u32 ends, u8 bytes), the ids' sorted fingerprints (u64, see
///              `SnapshotIdentifierIndex`), replay order (i32), then the programme, grant,
///              enterprise, centre and text interners (u8 bytes, u64 offsets, u64 hash slots)
///
/// An array is a u64 element count, the elements, and zeros to the next multiple of 8.
/// Derived state (retraction times) is rebuilt on load, not stored.
public struct LedgerSnapshot: Sendable {
    /// Where snapshots were once kept, beside the logs: never read again (anyone who may write
    /// the events directory could have written it).
    public static let formerFileName = ".ledger-snapshot"
    /// Bump on any change of the layout or of what a stored field means (record codes, tier or
    /// centre-kind numbers, the decoding of an event): an older file is then ignored and rebuilt.
    public static let formatVersion: UInt32 = 3
    static let magic: [UInt8] = Array("ILEDGSNP".utf8)
    /// The MAC's place in the header: after magic, version and a reserved word.
    static let macOffset = 16
    static let macBytes = 32
    /// The MAC covers the bytes before it and from here to the end.
    static let authenticatedAgainFrom = macOffset + macBytes
    /// The dates and times a verified read can give (years 1900 to 9999, as the event format
    /// allows): a record outside them is refused, never computed with.
    static let earliestDay = CalendarDate(year: CalendarDate.minimumYear, month: 1, day: 1)?.daysSinceEpoch ?? 0
    static let latestDay = CalendarDate(year: CalendarDate.maximumYear, month: 12, day: 31)?.daysSinceEpoch ?? 0
    static let earliestRecordedSeconds = Int64(earliestDay) * 86_400
    static let latestRecordedSeconds = Int64(latestDay) * 86_400 + 86_399

    static func isPlausibleRecorded(_ seconds: Int64) -> Bool {
        seconds >= earliestRecordedSeconds && seconds <= latestRecordedSeconds
    }

    /// Interner tables are stored hashed; a build whose `FastHash` differs must not use them.
    static var nameHashProbe: UInt64 {
        var text = "incentives ledger snapshot: name hash probe"
        return text.withUTF8 { FastHash.hash(UnsafeRawBufferPointer($0)) }
    }
    /// Limits on what a header may claim, checked before anything is allocated.
    static let maximumLogs = 64
    static let maximumLogNameBytes = 255

    /// The chain state of each log (in store order) where the snapshot's verified read ended.
    var points: [TailState]
    /// When the stamps were taken, at the earliest (nanoseconds since the epoch).
    var stampsTakenAfterNanoseconds: Int64
    var ledger: Ledger
    /// Answers "may this id be in the snapshot?" for the ids read after it.
    var identifiers = SnapshotIdentifierIndex.empty

    /// Each log's stamp at the read the snapshot comes from; nil where it is not known.
    var stamps: [LogStamp?] { ledger.logs.map(\.stamp) }

    static func points(of summaries: [LogSummary]) -> [TailState] {
        summaries.map { TailState(bytes: $0.bytes, seq: $0.events, head: $0.head, lastRecorded: $0.lastRecorded) }
    }
}
