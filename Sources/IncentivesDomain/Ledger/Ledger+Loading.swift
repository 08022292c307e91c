import LedgerColumns
import LedgerLog

extension Ledger {
    /// Reads and decodes every log. With `verify`, a log with any problem is refused: no query
    /// answers silently from a ledger that does not verify.
    /// With a `scope` narrower than `.everything`, the ledger keeps only what that scope reads
    /// (`LedgerScope.namesKeptByFullRead`): the texts it does not show are not interned and the
    /// events' ids go once retractions are resolved. Such a ledger is only queried, never
    /// saved as a snapshot nor appended to.
    /// With a `scratchDirectory` (see `SnapshotCache.scratchDirectory`), a verified read for a
    /// scope that names the events' ids sets them aside in an unnamed scratch file there rather
    /// than in memory (`LedgerLoader.setsIdsAside`), and the columns it does not look at until the
    /// read is over; without one they are kept in memory, and if the file fails (a full disk:
    /// `scratchCapacityBytes` stands in for its free space in tests) the read is done again so.
    public static func load(store: EventStore, verify: Bool = true, workerCount: Int? = nil,
                            eventLimits: [LogName: Int] = [:], scope: LedgerScope = .everything,
                            scratchDirectory: String? = nil, scratchCapacityBytes: Int = Int.max) throws(LedgerError) -> Ledger {
        var options = ReadOptions()
        options.eventLimits = eventLimits
        options.verifyHashes = verify
        options.consumeLinesWithProblems = !verify
        if let workerCount { options.workerCount = workerCount }
        var loader = LedgerLoader()
        loader.defersRetractionTimes = true
        let kept = scope.namesKeptByFullRead
        if let kept {
            loader.keptTexts = kept.contains(.texts) ? (scope.keepsActorsAndSources ? .all : .payloads)
                : kept.contains(.entityTexts) ? .entities : .none
            // Unverified, a line may be consumed that the read's id table skipped (or not): keep the ids.
            loader.keepsIds = kept.contains(.eventIds) || !verify
            // Verified, every line read is consumed, so the targets can be found by line and the
            // ids go to the scratch file, in event order.
            if verify, kept.contains(.eventIds), let scratchDirectory, let file = SpillFile(directory: scratchDirectory, capacityBytes: scratchCapacityBytes) {
                loader.keepsIds = false
                loader.ledger.spilledIds = SpilledIds(file: file)
                // The columns the read itself does not look at go aside too, while the read's own
                // id table is held, and come back once it is let go: the read's peak no longer
                // holds both (at ten million events, 270 to 350 MB of columns).
                loader.ledger.events.spill = EventTable.Spill(file: file)
            }
            loader.ledger.events.omitsActorsAndSources = loader.keptTexts != .all
            loader.unreplayedCodes = scope.unreplayedCodes
            loader.leavesOutUnreplayedEvents = !loader.keepsIds && loader.unreplayedCodes != 0
        }
        let report = try store.read(options: options, consumer: &loader)
        if verify, let refusal = refusal(of: report, in: store) { throw refusal }
        if loader.ledger.events.spill != nil { loader.ledger.events.takeBackAllFields() }
        // A column that could not be written or read back is not whole: caught before it is used.
        let spillFailed = loader.ledger.spilledIds?.failure != nil
        var ledger = spillFailed ? Ledger() : loader.finish()
        if loader.setsIdsAside {
            guard !spillFailed, let ids = ledger.spilledIds, ids.failure == nil, ids.ends.count == ledger.count else {
                // A write failed (a full disk): read again with the ids in memory, this read let go first.
                (ledger, loader) = (Ledger(), LedgerLoader())
                return try load(store: store, verify: verify, workerCount: workerCount, eventLimits: eventLimits, scope: scope)
            }
            ledger.spilledIds = nil
            ledger.idsSetAside = ids
        }
        ledger.logs = report.logs
        ledger.buildReplayOrder()
        if let kept { ledger.keepOnly(kept, searchable: scope.lookups, unreplayedCodes: loader.unreplayedCodes) }
        return ledger
    }

    /// Every log read by `writer` under its lock (the append path) into `loader`; refused, with
    /// what to do, if any does not verify. The one read of every way an append opens the ledger.
    static func appendRead(by writer: EventWriter, options: ReadOptions = ReadOptions(),
                           into loader: inout LedgerLoader) throws(LedgerError) -> ReadReport {
        let report = try writer.read(options: options, consumer: &loader)
        if let first = report.problems.first {
            throw .badData("cannot append: the logs do not verify (\(report.problems.count) problem\(report.problems.count == 1 ? "" : "s"), the first: \(first)); run `incentives verify` and restore the damaged log from a copy")
        }
        return report
    }

    /// Why a verified read refuses to answer from `report`'s logs, if it does.
    static func refusal(of report: ReadReport, in store: EventStore) -> LedgerError? {
        guard let first = report.problems.first else { return nil }
        return .badData("the logs in \(store.directory) do not verify (\(report.problems.count) problem\(report.problems.count == 1 ? "" : "s"), the first: \(first)); run `incentives verify` for the full list, or pass --no-verify to answer from them anyway")
    }

    /// Drops what a read for a scope keeps no longer (the events' ids and the id tables `kept`
    /// does not name) and records what it holds (`omission`), as a snapshot's reader leaves
    /// them: reading the ids then traps, and the counts of every table stay known.
    private mutating func keepOnly(_ kept: NameTables, searchable: NameTables, unreplayedCodes: UInt32) {
        precondition(omission == nil, "a ledger read in full")
        let counts = nameCounts
        if !kept.contains(.eventIds) { eventIds = EventIdentifiers() }
        // The id tables were needed to read (events refer to entities by them), not to answer:
        // those the scope does not name go, as a snapshot's reader leaves them unread.
        Ledger.narrow(&programmes, kept: kept.contains(.programmes), searchable: searchable.contains(.programmes))
        Ledger.narrow(&grants, kept: kept.contains(.grants), searchable: searchable.contains(.grants))
        Ledger.narrow(&enterprises, kept: kept.contains(.enterprises), searchable: searchable.contains(.enterprises))
        Ledger.narrow(&centres, kept: kept.contains(.centres), searchable: searchable.contains(.centres))
        if !searchable.contains(.texts) { texts.dropHashTable() }
        precondition(idCount == 0 || idCount == events.count, "one id per event (kept or set aside), or none")
        omission = Omission(events: false, eventCount: events.count, nameCounts: counts, names: kept,
                            unreplayedCodes: unreplayedCodes)
    }

    /// An id table a scope does not name becomes an empty one; one it names keeps its names.
    /// Either way it has no hash table when the scope looks no name up in it, so a lookup traps.
    private static func narrow<Index: InternedIndex>(_ interner: inout Interner<Index>, kept: Bool, searchable: Bool) {
        if !kept {
            interner = searchable ? Interner() : .unsearchable()
        } else if !searchable {
            interner.dropHashTable()
        }
    }

    /// Decodes lines a writer read under its lock (the append path).
    static func load(writer: EventWriter) throws(LedgerError) -> Ledger {
        var loader = LedgerLoader()
        loader.defersRetractionTimes = true
        let report = try appendRead(by: writer, into: &loader)
        var ledger = loader.finish()
        ledger.logs = report.logs
        ledger.buildReplayOrder()
        return ledger
    }

    /// `add(_:id:)` for a read that sets the retraction times once it is done
    /// (`LedgerLoader.defersRetractionTimes`): every event but those of the read has one. Not
    /// `keepingId`, for a read that keeps none (`LedgerLoader.keepsIds`): then no event has one.
    mutating func addWithoutRetractionTime(_ event: DomainEvent, id: Span<UInt8>, keepingId: Bool) {
        if keepingId {
            append(event, id: id)
        } else {
            precondition(headModels == nil && eventIds.count == 0, "a read from the start that keeps no ids")
            events.append(event)
        }
        if case .eventRetracted(let target?, _) = event.payload {
            // A line's retraction names its target by id, resolved after the read; never by index.
            preconditionFailure("a retraction read from a log has no target yet (event \(target.offset))")
        }
        precondition(idCount == (keepingId ? events.count : 0), "one id per event, or none")
    }

    /// Points each retraction at the event `targets` found for it (nil: none, or not of its
    /// log, or not earlier, and then it retracts nothing), as `resolveRetractions(_:)` does by id.
    mutating func resolveRetractions(targets: [(retraction: Int, target: Int?)]) {
        guard !targets.isEmpty else { return }
        headModels = nil
        for (retraction, target) in targets {
            guard let target, target < retraction,
                  events[target].logRank == events[retraction].logRank,
                  case .eventRetracted(_, let reason) = events[retraction].payload else { continue }
            events.setPayload(.eventRetracted(target: EventIndex(offset: target), reason: reason), at: retraction)
            markRetracted(target, at: events[retraction].recorded)
        }
    }

    /// Gives every event added by `addWithoutRetractionTime(_:id:)` its retraction time: never,
    /// until `resolveRetractions(_:)` points the retractions at their targets.
    mutating func fillRetractionTimes() {
        precondition(retractedAt.count <= events.count, "retraction times only for events")
        retractedAt.reserveCapacity(events.count)
        retractedAt.append(contentsOf: repeatElement(.never, count: events.count - retractedAt.count))
    }
}
