import LedgerColumns
import LedgerLog

/// The ids of all events, in event order.
public typealias EventIdentifiers = StringColumn

/// Every event of the three logs as columns, with the interned names they refer to and the
/// replay order: built by a read of the logs, or mapped in place from the reader's snapshot.
/// Queries at any (as-of, known-at) replay a filtered walk of this, never the files.
public struct Ledger: Sendable {
    /// The events; not to be read from a ledger opened for its kept read models alone (`omission`).
    public internal(set) var events: EventTable {
        @inline(__always) _read {
            precondition(omission?.events != true, "a ledger opened for its kept read models holds no events")
            yield eventStorage
        }
        @inline(__always) _modify {
            precondition(omission?.events != true, "a ledger opened for its kept read models holds no events")
            yield &eventStorage
        }
    }
    private var eventStorage = EventTable()
    /// The id of each event, by event index.
    public internal(set) var eventIds: EventIdentifiers {
        @inline(__always) _read {
            precondition(omission?.names.contains(.eventIds) ?? true, "a ledger opened for its read models holds no event ids")
            precondition(idsSetAside == nil, "the ids were set aside: read them one at a time (`eventId(of:)`)")
            yield eventIdStorage
        }
        @inline(__always) _modify {
            precondition(omission?.names.contains(.eventIds) ?? true, "a ledger opened for its read models holds no event ids")
            yield &eventIdStorage
        }
    }
    private var eventIdStorage = EventIdentifiers()
    /// Where the events' ids go while the logs are read for a snapshot
    /// (`Ledger.readSavingSnapshot`), instead of `eventIds`; nil otherwise.
    var spilledIds: SpilledIds? = nil
    /// The events' ids, when a read for a query set them aside for good in a scratch file
    /// (`LedgerLoader.setsIdsAside`), instead of `eventIds`: an answer names a few of them
    /// (`eventId(of:)` reads each back), and at ten million events they are 130 MB.
    var idsSetAside: SpilledIds? = nil
    /// The sorted fingerprints of the first of `eventIds`, as the snapshot this ledger was opened
    /// from kept them (the ids read after it follow them): a snapshot saved from this ledger merges
    /// them with the rest's (`FingerprintIndex.merged`) instead of hashing and sorting every id.
    /// Nil once the ids are laid out otherwise (`inLogOrder()`).
    var snapshotFingerprints: FingerprintIndex? = nil
    /// The digests of the logs' prefixes (`LogPrefixDigest`) the snapshot this ledger was opened
    /// from kept, each of a prefix the opening proved: a snapshot saved from this ledger keeps
    /// their whole chunks and hashes only what follows. Empty otherwise.
    var prefixDigests: [LogPrefixDigest?] = []

    /// The events' ids set aside in a scratch file as a string column's two columns (see `spilledIds`).
    final class SpilledIds: Sendable {
        let bytes: SpilledColumn<UInt8>
        /// Where each id ends in `bytes`, as `EventIdentifiers` has it.
        let ends: SpilledColumn<UInt32>

        init(file: SpillFile) {
            bytes = SpilledColumn(file: file)
            ends = SpilledColumn(file: file)
        }

        func append(_ id: Span<UInt8>) {
            precondition(bytes.count + id.count <= Int(UInt32.max), "ids fit the ends' 32 bits")
            bytes.append(contentsOf: id)
            ends.append(UInt32(bytes.count))
        }

        /// Id `position`, read back from the scratch file; nil when it cannot be.
        func id(at position: Int) -> String? {
            guard position >= 0, position < ends.count,
                  let bounds = ends.elements(max(position - 1, 0) ..< position + 1) else { return nil }
            let start = position == 0 ? 0 : Int(bounds[0]), end = Int(bounds[bounds.count - 1])
            guard start < end, end <= bytes.count, end - start <= EventID.maximumLength,
                  let id = bytes.elements(start..<end) else { return nil }
            return String(decoding: id, as: UTF8.self)
        }

        /// The first position holding `id`, by one pass over the file: a block of ends at a time,
        /// and the bytes of that block's ids in one read, so that the ids are never in memory
        /// whole. Nil when none holds it, or when the file cannot be read (`failure` then says why).
        func firstIndex(of id: String) -> Int? {
            let wanted = Array(id.utf8), blockCount = SpilledColumn<UInt32>.blockCount
            var start = 0, byteStart = 0
            while start < ends.count {
                let count = min(blockCount, ends.count - start)
                guard let blockEnds = ends.elements(start ..< start + count) else { return nil }
                let byteEnd = Int(blockEnds[count - 1])
                precondition(byteStart <= byteEnd && byteEnd <= bytes.count, "the ids set aside end where they were written")
                guard let blockBytes = bytes.elements(byteStart ..< byteEnd) else { return nil }
                var from = 0
                for (offset, end) in blockEnds.enumerated() {
                    let to = Int(end) - byteStart
                    precondition(from <= to && to <= blockBytes.count, "the ids set aside end where they were written")
                    if to - from == wanted.count, blockBytes[from..<to].elementsEqual(wanted) { return start + offset }
                    from = to
                }
                byteStart = byteEnd
                start += count
            }
            return nil
        }

        /// Why the scratch file failed, if it did.
        var failure: String? { bytes.failure ?? ends.failure }

        /// The ids, in memory of our own; nil when they cannot be read back whole.
        var column: EventIdentifiers? {
            try? EventIdentifiers(arena: Column(bytes.array), ends: Column(ends.array), count: ends.count,
                                  lengths: 1...EventID.maximumLength)
        }
    }

    /// How many events have an id (kept or set aside).
    var idCount: Int { (spilledIds ?? idsSetAside)?.ends.count ?? eventIds.count }
    public internal(set) var programmes = Interner<ProgrammeIndex>()
    public internal(set) var grants = Interner<GrantIndex>(expectedCount: 1 << 12)
    public internal(set) var enterprises = Interner<EnterpriseIndex>()
    public internal(set) var centres = Interner<CentreIndex>()
    public internal(set) var texts = Interner<TextIndex>()
    /// The earliest `recorded` of a retraction of each event, or `Timestamp.never`.
    public internal(set) var retractedAt = RetractionTimes()
    /// Indexes of `events` in replay order: (effective, recorded, log rank, seq).
    public internal(set) var replayOrder = Column<Int32>()
    /// The events a read for a scope left out of `events` (`LedgerLoader.leavesOutUnreplayedEvents`).
    var leftOutEvents = LeftOutEvents()
    /// Heads and counts of the logs this ledger was read from.
    public internal(set) var logs: [LogSummary] = []
    /// The read models at the logs' heads, when a snapshot kept them and nothing was added since
    /// (see `models(in:)`); any change to the events drops them.
    var headModels: ReadModels? = nil
    /// Set on a ledger opened for its read models alone (`LedgerScope.readModels`, `.summary`):
    /// its event ids were not read (nor hashed), nor the name tables it was not asked for, and, at
    /// the heads, not its events either: it answers the heads' window from `headModels` (or
    /// `keptSummary`, `keptGrantsByEnterprise`) and nothing else. Such a ledger is only queried, never added to or saved.
    var omission: Omission? = nil
    /// The summary at the heads, when a ledger was opened for it alone (`LedgerScope.keptSummary`).
    var keptSummary: Summary? = nil
    /// The breakdown of grants by enterprise at the heads, when a ledger was opened for it alone
    /// (`LedgerScope.grantsByEnterprise`).
    var keptGrantsByEnterprise: GrantBreakdown.Kept? = nil

    struct Omission: Sendable, Equatable {
        /// Whether the events were left out too (kept read models at the heads).
        var events: Bool
        var eventCount: Int
        /// How many names each table has, as the snapshot's directory states it.
        var nameCounts: NameCounts
        /// The tables read (the others are empty), the events' ids among them or not.
        var names: NameTables
        /// The kinds of events (record-code bits) never replayed (`LedgerScope.unreplayedCodes`):
        /// a read of the logs that keeps no ids leaves them out of the events altogether
        /// (`LedgerLoader.leavesOutUnreplayedEvents`, `eventCount` then counts the others), a
        /// snapshot's reader keeps them, with `TextIndex.notRead` for every name.
        var unreplayedCodes: UInt32 = 0
    }

    struct NameCounts: Sendable, Equatable {
        var programmes: Int
        var grants: Int
        var enterprises: Int
        var centres: Int
        var texts: Int
    }

    public init() {}

    public var count: Int { omission?.eventCount ?? eventStorage.count }

    /// See `Omission.unreplayedCodes`.
    var unreplayedCodes: UInt32 { omission?.unreplayedCodes ?? 0 }

    /// Whether this ledger holds only the read models kept at its heads (see `omission`).
    public var holdsKeptModelsOnly: Bool { omission?.events == true }

    /// Whether this ledger was opened for its read models alone (see `omission`).
    public var holdsReadModelsOnly: Bool { omission != nil }

    /// How many names each table has (the read models have a slot per name).
    var nameCounts: NameCounts {
        omission?.nameCounts ?? NameCounts(programmes: programmes.count, grants: grants.count, enterprises: enterprises.count,
                                           centres: centres.count, texts: texts.count)
    }

    public func eventId(of index: Int) -> String {
        guard let idsSetAside else { return eventIds.string(index) }
        // The file this process wrote during the read, in the page cache: a failure here is the
        // machine's (as running out of memory would be, were they kept), not the logs'.
        guard let id = idsSetAside.id(at: index) else {
            preconditionFailure("the events' ids set aside in a scratch file cannot be read back: \(idsSetAside.failure ?? "out of range")")
        }
        return id
    }

    /// A scan: callers with many ids use `eventIds.indexes(of:)`. Where the ids were set aside,
    /// a pass over their scratch file (`history` looks its subject up so).
    public func eventIndex(ofId id: String) -> Int? {
        guard let idsSetAside else { return eventIds.firstIndex(of: id) }
        let found = idsSetAside.firstIndex(of: id)
        if let failure = idsSetAside.failure {
            preconditionFailure("the events' ids set aside in a scratch file cannot be read back: \(failure)")
        }
        return found
    }

    /// Starts loading the slot of the id table that looking up or adding an id of `hash`
    /// (`FastHash` of its bytes) probes first, where the ids are hashed (the append path).
    func prefetchEventId(hash: UInt64) { eventIds.prefetch(hash: hash) }

    /// Adds a decoded event at the end of its log (the loader and the append path both call this).
    mutating func add(_ event: DomainEvent, id: Span<UInt8>) {
        append(event, id: id)
        retractedAt.append(.never)
        if case .eventRetracted(let target?, _) = event.payload {
            markRetracted(target.offset, at: event.recorded)
        }
        precondition(events.count == idCount && events.count == retractedAt.count, "one id and one retraction time per event")
    }

    /// The event and its id at the end of their columns; what was kept of the old heads goes.
    mutating func append(_ event: DomainEvent, id: Span<UInt8>) {
        headModels = nil
        keptSummary = nil
        keptGrantsByEnterprise = nil
        events.append(event)
        if let spilledIds {
            spilledIds.append(id)
        } else {
            eventIds.append(id)
        }
    }

    mutating func reserveCapacity(forEvents count: Int) {
        events.reserveCapacity(count)
        retractedAt.reserveCapacity(count)
        if spilledIds == nil { eventIds.reserveCapacity(forStrings: count, typicalBytes: Ledger.typicalIdBytes) }
    }

    mutating func markRetracted(_ target: Int, at recorded: Timestamp) {
        if recorded < retractedAt[target] { retractedAt[target] = recorded }
    }

    /// Points each retraction read from the logs at its target, once every id is known.
    mutating func resolveRetractions(_ pending: [(retraction: Int, target: String)]) {
        guard !pending.isEmpty else { return }
        // Ids set aside are taken back for the one pass, and let go again.
        let found = (spilledIds.map { $0.column ?? EventIdentifiers() } ?? eventIds).indexes(of: Set(pending.map(\.target)))
        resolveRetractions(targets: pending.map { ($0.retraction, found[$0.target]) })
    }

    /// (effective, recorded, log rank) packed so that integer order is replay order;
    /// the event's index, appended below it, breaks ties by seq.
    @inline(__always)
    func replayKey(of index: Int) -> UInt128 {
        replayKey(of: index, logRank: events.logRank(at: index))
    }

    /// The same, with the event's log rank at hand (`EventTable.LogRuns.ranksByEvent()`).
    @inline(__always)
    func replayKey(of index: Int, logRank: UInt8) -> UInt128 {
        let effective = UInt128(Int64(events.effective[index]) + 40_000)
        let recorded = UInt128(events.recorded[index] + 3_000_000_000)
        return (effective << 48) | (recorded << 4) | UInt128(logRank)
    }

    /// The same key for an event at hand.
    @inline(__always)
    static func replayKey(_ event: DomainEvent) -> UInt128 {
        let effective = UInt128(Int64(event.effective.daysSinceEpoch) + 40_000)
        let recorded = UInt128(event.recorded.secondsSinceEpoch + 3_000_000_000)
        return (effective << 48) | (recorded << 4) | UInt128(event.logRank)
    }

    /// "g-000001" and the like.
    static let typicalIdBytes = 8
}

extension Timestamp {
    /// Later than any real time: "never retracted", "no limit".
    public static let never = Timestamp(secondsSinceEpoch: Int64.max)
}

extension CalendarDate {
    /// Later than any real date: "no as-of limit".
    public static let distantFuture = CalendarDate(daysSinceEpoch: Int32.max)
}
