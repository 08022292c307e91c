#if canImport(Glibc)
import Glibc
#endif
import LedgerLog

/// One event in a snapshot: a fixed 48-byte record, every field written explicitly (never the
/// in-memory layout of `DomainEvent`, which the compiler may change):
///
///     0 effective (i32 days)   4 a (i32)        8 recorded (i64 seconds)
///     16 actor (i32)           20 source (i32)  24 code (u8)  25 small (u8)  26 flags (u8)  27 zero
///     28 b (i32)               32 c (i32)       36 d (i32)    40 amount (i64)
///
/// What a, b, c, d, small, flags and amount hold is up to the event type's definition
/// (`EventDefinition.pack`, under Model/Events/), whose `recordCode` is the code. Seq and log rank
/// are not stored: records are in log order, and a verified log's seq is its line number.
enum SnapshotEventRecord {
    static let size = 48

    static func write(_ event: DomainEvent, to record: UnsafeMutableRawPointer) {
        var fields = SnapshotRecordFields()
        let kind = event.kind
        kind.pack(event.payload, into: &fields)
        record.storeBytes(of: event.effective.daysSinceEpoch.littleEndian, toByteOffset: 0, as: Int32.self)
        record.storeBytes(of: fields.a.littleEndian, toByteOffset: 4, as: Int32.self)
        record.storeBytes(of: event.recorded.secondsSinceEpoch.littleEndian, toByteOffset: 8, as: Int64.self)
        record.storeBytes(of: event.actor.rawValue.littleEndian, toByteOffset: 16, as: Int32.self)
        record.storeBytes(of: event.source.rawValue.littleEndian, toByteOffset: 20, as: Int32.self)
        record.storeBytes(of: kind.recordCode, toByteOffset: 24, as: UInt8.self)
        record.storeBytes(of: fields.small, toByteOffset: 25, as: UInt8.self)
        record.storeBytes(of: fields.flags, toByteOffset: 26, as: UInt8.self)
        record.storeBytes(of: UInt8(0), toByteOffset: 27, as: UInt8.self)
        record.storeBytes(of: fields.b.littleEndian, toByteOffset: 28, as: Int32.self)
        record.storeBytes(of: fields.c.littleEndian, toByteOffset: 32, as: Int32.self)
        record.storeBytes(of: fields.d.littleEndian, toByteOffset: 36, as: Int32.self)
        record.storeBytes(of: fields.amount.littleEndian, toByteOffset: 40, as: Int64.self)
    }

    /// How many names each interner holds: every index a record refers to must be below it.
    /// Also where the record's event lies, for a retraction's target: an earlier event of the same log.
    struct Bounds {
        var programmes: Int32
        var grants: Int32
        var enterprises: Int32
        var centres: Int32
        var texts: Int32
        var index = 0
        var logStart = 0

        /// The index `raw` stands for in its table, or nil when it lies outside.
        @inline(__always)
        func index<Index: NameIndex>(_ raw: Int32) -> Index? {
            let count: Int32
            switch Index.table {
            case .programmes: count = programmes
            case .grants: count = grants
            case .enterprises: count = enterprises
            case .centres: count = centres
            case .texts: count = texts
            }
            return raw >= 0 && raw < count ? Index(rawValue: raw) : nil
        }

        /// An optional index as records store it: -1 is none (`.some(nil)`), outside the table nil.
        @inline(__always)
        func optionalIndex<Index: NameIndex>(_ raw: Int32) -> Index?? {
            raw == -1 ? .some(nil) : index(raw).map { .some($0) }
        }

        /// A retraction's target: -1 is none, otherwise an earlier event of the same log.
        @inline(__always)
        func earlierEvent(_ raw: Int32) -> EventIndex?? {
            if raw == -1 { return .some(nil) }
            return Int(raw) >= logStart && Int(raw) < index ? .some(EventIndex(rawValue: raw)) : nil
        }
    }

    /// Decodes the record of the event at `index` (seq and rank given), refusing any field out of
    /// range: a date or time outside the years the event format allows, an amount beyond the
    /// integers an event line may hold, an index into an interner, a tier, a centre kind, a
    /// retraction target outside the events of the same log before it (`logStart..<index`), and
    /// any record that is not exactly what `write` makes of the event it decodes to (unused
    /// fields not zero), so that one event has one record.
    @inline(__always)
    static func read(_ record: UnsafeRawPointer, index: Int, logStart: Int, seq: Int32, logRank: UInt8,
                     bounds: Bounds) -> DomainEvent? {
        func int32(_ offset: Int) -> Int32 { Int32(littleEndian: record.loadUnaligned(fromByteOffset: offset, as: Int32.self)) }
        let fields = SnapshotRecordFields(
            a: int32(4), b: int32(28), c: int32(32), d: int32(36),
            small: record.load(fromByteOffset: 25, as: UInt8.self), flags: record.load(fromByteOffset: 26, as: UInt8.self),
            amount: Int64(littleEndian: record.loadUnaligned(fromByteOffset: 40, as: Int64.self)))
        let effective = int32(0)
        let recorded = Int64(littleEndian: record.loadUnaligned(fromByteOffset: 8, as: Int64.self))
        guard effective >= LedgerSnapshot.earliestDay, effective <= LedgerSnapshot.latestDay,
              LedgerSnapshot.isPlausibleRecorded(recorded), fields.amount.magnitude <= maximumAmountMagnitude else { return nil }
        var bounds = bounds
        (bounds.index, bounds.logStart) = (index, logStart)
        guard let kind = EventKind(recordCode: record.load(fromByteOffset: 24, as: UInt8.self)),
              record.load(fromByteOffset: 27, as: UInt8.self) == 0,
              let actor: TextIndex = bounds.index(int32(16)), let source: TextIndex = bounds.index(int32(20)),
              let payload = kind.unpack(fields, in: bounds) else { return nil }
        let event = DomainEvent(
            effective: CalendarDate(daysSinceEpoch: effective), recorded: Timestamp(secondsSinceEpoch: recorded),
            seq: seq, logRank: logRank, actor: actor, source: source, payload: payload)
        var canonical: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)
        let same = withUnsafeMutableBytes(of: &canonical) { written in
            guard let base = written.baseAddress else { return false }
            write(event, to: base)
            return memcmp(base, record, size) == 0
        }
        return same ? event : nil
    }

    /// No integer in an event line is larger (RFC 8785 numbers are exact only within 2^53 − 1).
    static let maximumAmountMagnitude: UInt64 = 9_007_199_254_740_991
}
