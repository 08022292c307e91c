import LedgerColumns
import LedgerLog

/// The ledger's events as columns, one per field: built in memory by a read of the logs, or
/// mapped in place from the reader's snapshot. Both are read through the same subscript, so a
/// replay cannot tell (and cannot differ) which it was given. What the type-dependent columns
/// (a, b, c, d, small, flags, amount) hold is up to each event type's definition
/// (`EventDefinition.pack`, under Model/Events/); `code` is its `recordCode`.
public struct EventTable: Sendable {
    /// Days since 1970-01-01.
    var effective = Column<Int32>()
    /// Seconds since 1970-01-01T00:00:00Z (`RecordedTimes`: 4 bytes each while they allow it).
    var recorded = RecordedTimes()
    /// Each event's log rank and seq (`LogRuns`): they follow from its place.
    var logRuns = LogRuns()
    var code = Column<UInt8>()
    /// Interned texts (`Ledger.texts`); empty when `omitsActorsAndSources`.
    var actor = Column<Int32>()
    var source = Column<Int32>()
    /// Whether the actor and source columns are left out, for a ledger read for a query that
    /// shows neither (`LedgerScope`): every event's actor and source then read
    /// `TextIndex.notRead`. Such a ledger is only queried, never saved.
    var omitsActorsAndSources = false
    var a = Column<Int32>()
    var b = Column<Int32>()
    var c = Column<Int32>()
    var d = Column<Int32>()
    var small = Column<UInt8>()
    var flags = Column<UInt8>()
    var amount = Column<Int64>()
    /// Where the columns but `effective`, `recorded` and `code` go while the logs are read for a
    /// snapshot (`Ledger.readSavingSnapshot`), instead of memory; nil otherwise. Once the read is
    /// over they are taken back (`takeBackFields`), but for the actors and sources, which only
    /// the snapshot needs.
    var spill: Spill? = nil

    /// The columns set aside in a scratch file (see `spill`).
    final class Spill: Sendable {
        let actor, source, a, b, c, d: SpilledColumn<Int32>
        let small, flags: SpilledColumn<UInt8>
        let amount: SpilledColumn<Int64>

        init(file: SpillFile) {
            (actor, source) = (SpilledColumn(file: file), SpilledColumn(file: file))
            (a, b, c, d) = (SpilledColumn(file: file), SpilledColumn(file: file), SpilledColumn(file: file), SpilledColumn(file: file))
            (small, flags, amount) = (SpilledColumn(file: file), SpilledColumn(file: file), SpilledColumn(file: file))
        }
    }

    public init() {}

    /// No integer in an event line is larger (RFC 8785 numbers are exact only within 2^53 − 1).
    static let maximumAmountMagnitude: UInt64 = 9_007_199_254_740_991

    public var count: Int { code.count }

    /// The event at `index`. Every row was packed from an event or validated when its columns
    /// were read, so unpacking cannot fail.
    public subscript(index: Int) -> DomainEvent {
        get {
            guard let kind = EventKind(recordCode: code[index]),
                  let payload = kind.unpack(fields(at: index), in: .accepting(index: index)) else {
                preconditionFailure("event \(index) of a table holds a row it was given or validated")
            }
            let place = logRuns.place(of: index)
            return DomainEvent(
                effective: CalendarDate(daysSinceEpoch: effective[index]),
                recorded: Timestamp(secondsSinceEpoch: recorded[index]),
                seq: place.seq, logRank: place.logRank,
                actor: omitsActorsAndSources ? .notRead : TextIndex(rawValue: actor[index]),
                source: omitsActorsAndSources ? .notRead : TextIndex(rawValue: source[index]),
                payload: payload)
        }
    }

    /// The event a typed index names.
    public subscript(index: EventIndex) -> DomainEvent { self[index.offset] }

    @inline(__always)
    func fields(at index: Int) -> EventRecordFields {
        EventRecordFields(a: a[index], b: b[index], c: c[index], d: d[index], small: small[index], flags: flags[index],
                          amount: amount[index])
    }

    /// The type of event `index`, read from its column alone.
    @inline(__always)
    public func kind(at index: Int) -> EventKind {
        guard let kind = EventKind(recordCode: code[index]) else { preconditionFailure("a table holds known types") }
        return kind
    }

    @inline(__always)
    public func effectiveDate(at index: Int) -> CalendarDate { CalendarDate(daysSinceEpoch: effective[index]) }

    @inline(__always)
    public func recordedTime(at index: Int) -> Timestamp { Timestamp(secondsSinceEpoch: recorded[index]) }

    /// The rank of event `index`'s log (its place in the store's logs).
    @inline(__always)
    public func logRank(at index: Int) -> UInt8 { logRuns.logRank(at: index) }

    /// The seq of event `index` in its log.
    @inline(__always)
    public func seq(at index: Int) -> Int32 { logRuns.seq(at: index) }

    /// Whether event `index` is a retraction, read from its column alone.
    @inline(__always)
    func isRetraction(_ index: Int) -> Bool { code[index] == EventKind.eventRetracted.recordCode }

    mutating func append(_ event: DomainEvent) {
        var fields = EventRecordFields()
        let kind = event.kind
        kind.pack(event.payload, into: &fields)
        effective.append(event.effective.daysSinceEpoch)
        recorded.append(event.recorded.secondsSinceEpoch)
        logRuns.append(logRank: event.logRank, seq: event.seq)
        code.append(kind.recordCode)
        if let spill {
            if !omitsActorsAndSources {
                spill.actor.append(event.actor.rawValue)
                spill.source.append(event.source.rawValue)
            }
            spill.a.append(fields.a)
            spill.b.append(fields.b)
            spill.c.append(fields.c)
            spill.d.append(fields.d)
            spill.small.append(fields.small)
            spill.flags.append(fields.flags)
            spill.amount.append(fields.amount)
            return
        }
        if !omitsActorsAndSources {
            actor.append(event.actor.rawValue)
            source.append(event.source.rawValue)
        }
        a.append(fields.a)
        b.append(fields.b)
        c.append(fields.c)
        d.append(fields.d)
        small.append(fields.small)
        flags.append(fields.flags)
        amount.append(fields.amount)
    }

    /// Takes the columns a replay reads back from the spill into memory; the actors and sources
    /// stay there (returned, for the snapshot) and read `TextIndex.notRead` from now on.
    mutating func takeBackFields() -> (actor: SpilledColumn<Int32>, source: SpilledColumn<Int32>) {
        guard let spill else { preconditionFailure("a table whose columns were set aside") }
        let actorsAndSources = omitsActorsAndSources ? 0 : count
        precondition([spill.a.count, spill.b.count, spill.c.count, spill.d.count, spill.small.count, spill.flags.count,
                      spill.amount.count].allSatisfy { $0 == count } && spill.actor.count == actorsAndSources
                     && spill.source.count == actorsAndSources,
                     "one value per event in every column set aside (none of actors and sources a table omits)")
        self.spill = nil
        a = Column(spill.a.array)
        b = Column(spill.b.array)
        c = Column(spill.c.array)
        d = Column(spill.d.array)
        small = Column(spill.small.array)
        flags = Column(spill.flags.array)
        amount = Column(spill.amount.array)
        omitsActorsAndSources = true
        return (spill.actor, spill.source)
    }

    /// Takes every column back from the spill into memory, the actors and sources among them
    /// unless the table omits them: a read of the logs for a query, once the read is over.
    mutating func takeBackAllFields() {
        let keepsActorsAndSources = !omitsActorsAndSources
        let (actors, sources) = takeBackFields()
        guard keepsActorsAndSources else { return }
        actor = Column(actors.array)
        source = Column(sources.array)
        omitsActorsAndSources = false
    }

    /// Replaces the payload of event `index` (a retraction pointed at its target once ids are known).
    mutating func setPayload(_ payload: DomainEvent.Payload, at index: Int) {
        precondition(payload.kind.recordCode == code[index], "a payload keeps its type")
        var fields = EventRecordFields()
        payload.kind.pack(payload, into: &fields)
        a[index] = fields.a
        b[index] = fields.b
        c[index] = fields.c
        d[index] = fields.d
        small[index] = fields.small
        flags[index] = fields.flags
        amount[index] = fields.amount
    }

    mutating func reserveCapacity(_ count: Int) {
        effective.reserveCapacity(count)
        recorded.reserveCapacity(count)
        code.reserveCapacity(count)
        guard spill == nil else { return }
        if !omitsActorsAndSources {
            actor.reserveCapacity(count)
            source.reserveCapacity(count)
        }
        a.reserveCapacity(count)
        b.reserveCapacity(count)
        c.reserveCapacity(count)
        d.reserveCapacity(count)
        small.reserveCapacity(count)
        flags.reserveCapacity(count)
        amount.reserveCapacity(count)
    }

    /// The rows at `ranges`, in that order (copied column by column), with retraction targets
    /// renumbered by `place`.
    func reordered(_ ranges: [Range<Int>], place: (Int) -> Int) -> EventTable {
        func gather<Element>(_ column: Column<Element>) -> Column<Element> {
            var result: [Element] = []
            result.reserveCapacity(column.count)
            for range in ranges { result.append(contentsOf: column[range]) }
            return Column(result)
        }
        var result = EventTable()
        result.effective = gather(effective)
        result.recorded = recorded.reordered(ranges)
        result.logRuns = logRuns.reordered(ranges)
        result.code = gather(code)
        result.omitsActorsAndSources = omitsActorsAndSources
        if !omitsActorsAndSources {
            result.actor = gather(actor)
            result.source = gather(source)
        }
        result.a = gather(a)
        result.b = gather(b)
        result.c = gather(c)
        result.d = gather(d)
        result.small = gather(small)
        result.flags = gather(flags)
        result.amount = gather(amount)
        for index in 0..<result.count where result.isRetraction(index) {
            // The target is packed in `a` (`EventRetracted.pack`); set through the payload so the layout stays its own.
            if case .eventRetracted(let target?, let reason) = result.payloadBeforeRenumbering(at: index) {
                result.setPayload(.eventRetracted(target: EventIndex(offset: place(target.offset)), reason: reason), at: index)
            }
        }
        return result
    }

    /// The payload of row `index` without the check that a retraction's target lies before it
    /// (which holds only once targets are renumbered).
    private func payloadBeforeRenumbering(at index: Int) -> DomainEvent.Payload {
        guard let payload = kind(at: index).unpack(fields(at: index), in: .accepting(index: Int(Int32.max))) else {
            preconditionFailure("event \(index) of a table holds a row it was given")
        }
        return payload
    }
}

extension EventTable: RandomAccessCollection {
    public var startIndex: Int { 0 }
    public var endIndex: Int { count }
}
