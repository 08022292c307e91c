import LedgerColumns
import LedgerLog

extension LedgerSnapshot {
    /// Saves a snapshot of `ledger` at `path` (replacing any) with a MAC under `key`, or says why
    /// not: the ledger must be one a full verified read of `logs` produces, or one opened from a
    /// snapshot with the tail after it (each log's events in order, seq = line number, one id
    /// each, heads known), as only such a ledger may stand in for the logs. It is saved as it
    /// stands, its tail in runs behind the prefix, unless it holds more runs than a file may
    /// (`EventTable.LogRuns.maximumStored`): then in a full read's layout (`Ledger.inLogOrder()`, a
    /// copy). `stampsTakenAfter` is a moment no later than when the read took the logs' stamps.
    static func save(_ ledger: Ledger, logs: [LogName], to path: String, key: [UInt8], identity: SHA256Digest,
                     stampsTakenAfterNanoseconds: Int64, prefixDigests: [LogPrefixDigest?] = []) -> String? {
        let ledger = ledger.events.logRuns.storedRuns(logs: ledger.logs) == nil ? ledger.inLogOrder() : ledger
        guard isReadFromLogs(ledger, logs: logs) else { return "the ledger is not in the shape a verified read gives it" }
        return columnFile(of: ledger, identity: identity, stampsTakenAfterNanoseconds: stampsTakenAfterNanoseconds,
                          prefixDigests: prefixDigests).write(to: path, key: key)
    }

    /// The column file of a ledger: its metadata and every column, ready to be written. Whether
    /// the ledger is one a verified read gives is `save`'s to check (`isReadFromLogs`).
    static func columnFile(of ledger: Ledger, identity: SHA256Digest, stampsTakenAfterNanoseconds: Int64,
                           prefixDigests: [LogPrefixDigest?] = []) -> ColumnFileWriter {
        var file = ColumnFileWriter(schemaVersion: formatVersion,
                                    metadata: metadata(identity: identity, stampsTakenAfterNanoseconds: stampsTakenAfterNanoseconds,
                                                       logs: ledger.logs, prefixDigests: prefixDigests))
        let events = ledger.events
        precondition(!events.omitsActorsAndSources, "a ledger read for a query alone is never saved")
        // `save` checked them (tests write what they please, for the decoder to refuse).
        addEventColumns(events, runs: events.logRuns.runPairs, to: &file) { file in
            file.add(SnapshotColumn.actor.rawValue, events.actor)
            file.add(SnapshotColumn.source.rawValue, events.source)
        }
        file.add(SnapshotColumn.idBytes.rawValue, ledger.eventIds.arena)
        file.add(SnapshotColumn.idEnds.rawValue, ledger.eventIds.ends)
        // Made as it is written, after the columns before it are: the kept ones merged with those
        // of the ids read after them, or every id's sorted (twice the column's size meanwhile).
        let ids = ledger.eventIds
        let kept = ledger.snapshotFingerprints.flatMap { $0.count <= ids.count ? $0 : nil }
        file.add(SnapshotColumn.idFingerprints.rawValue, count: ids.count) {
            kept?.merged(withTheRestOf: ids) ?? ids.sortedFingerprints()
        }
        file.add(SnapshotColumn.replayOrder.rawValue, ledger.replayOrder)
        func add<Index>(_ interner: Interner<Index>, _ bytes: SnapshotColumn, _ offsets: SnapshotColumn, _ slots: SnapshotColumn) {
            file.add(bytes.rawValue, interner.arena)
            file.add(offsets.rawValue, interner.offsets)
            file.add(slots.rawValue, interner.slots)
        }
        add(ledger.programmes, .programmeBytes, .programmeOffsets, .programmeSlots)
        add(ledger.grants, .grantBytes, .grantOffsets, .grantSlots)
        add(ledger.enterprises, .enterpriseBytes, .enterpriseOffsets, .enterpriseSlots)
        add(ledger.centres, .centreBytes, .centreOffsets, .centreSlots)
        add(ledger.texts, .textBytes, .textOffsets, .textSlots)
        // The read models at the heads, so that the common question needs no replay.
        if let window = ledger.headWindow {
            let models = ledger.headModels ?? Projection(ledger: ledger, window: window).run()
            addModelColumns(models, window: window, to: &file)
            addGrantsByEnterprise(ledger: ledger, models: models, to: &file)
        }
        return file
    }

    /// The header's bytes: the ledger's identity, when the stamps were taken, the logs read and
    /// the digests of their bytes (one a log, or none at all).
    static func metadata(identity: SHA256Digest, stampsTakenAfterNanoseconds: Int64, logs: [LogSummary],
                         prefixDigests: [LogPrefixDigest?] = []) -> [UInt8] {
        SnapshotHeader(identity: identity, stampsTakenAfterNanoseconds: max(0, stampsTakenAfterNanoseconds), logs: logs,
                       prefixDigests: prefixDigests).encoded
    }

    /// The digests of the logs' bytes a verified read (stamps taken after `stampsTakenAfter`)
    /// read, as `logs` it says it read them, for its snapshot: each made only when it can be
    /// proved to be of those bytes (`EventStore.prefixDigest`), from `earlier` (the digests of a
    /// snapshot whose prefixes that read proved, or none) and what follows them. A log that cannot
    /// be read now gets none: its prefix is then read again line by line when its stamp changes.
    static func prefixDigests(of logs: [LogSummary], in store: EventStore, stampsTakenAfter: Int64,
                              earlier: [LogPrefixDigest?]) -> [LogPrefixDigest?] {
        guard logs.map(\.log) == store.logs else { return [] }
        return logs.enumerated().map { rank, summary in
            let before = earlier.count == logs.count ? earlier[rank] : nil
            return (try? store.prefixDigest(of: summary.log, bytes: summary.bytes, readWith: summary.stamp,
                                            takenAfter: stampsTakenAfter, extending: before)) ?? nil
        }
    }

    /// The events' columns in the file's order, the actors' and sources' added by
    /// `actorsAndSources`, and where each log's events are (`runs`: `EventTable.LogRuns.storedRuns(logs:)`).
    static func addEventColumns(_ events: EventTable, runs: [UInt32], to file: inout ColumnFileWriter,
                                actorsAndSources: (inout ColumnFileWriter) -> Void) {
        file.add(SnapshotColumn.effective.rawValue, events.effective)
        if events.recorded.isWide {
            file.add(SnapshotColumn.recorded.rawValue, events.recorded.full)
        } else {
            file.add(SnapshotColumn.recordedBase.rawValue, [events.recorded.base])
            file.add(SnapshotColumn.recordedSinceBase.rawValue, events.recorded.sinceBase)
        }
        file.add(SnapshotColumn.code.rawValue, events.code)
        actorsAndSources(&file)
        file.add(SnapshotColumn.a.rawValue, events.a)
        file.add(SnapshotColumn.b.rawValue, events.b)
        file.add(SnapshotColumn.c.rawValue, events.c)
        file.add(SnapshotColumn.d.rawValue, events.d)
        file.add(SnapshotColumn.small.rawValue, events.small)
        file.add(SnapshotColumn.flags.rawValue, events.flags)
        file.add(SnapshotColumn.amount.rawValue, events.amount)
        file.add(SnapshotColumn.logRuns.rawValue, runs)
    }

    /// The read models and the summary at the heads (`window`).
    static func addModelColumns(_ models: ReadModels, window: TimeWindow, to file: inout ColumnFileWriter) {
        models.addColumns(to: &file)
        file.add(SnapshotColumn.headSummary.rawValue, Summary(models: models, window: window).keptValues)
    }

    /// The grants by enterprise at the heads (`models`), with the keys and names `ledger` holds.
    static func addGrantsByEnterprise(ledger: Ledger, models: ReadModels, to file: inout ColumnFileWriter) {
        GrantBreakdown(ledger: ledger, models: models, grouping: .enterprise, filter: .init()).addKeptColumns(to: &file)
    }

    /// Whether `ledger` has the shape a full verified read of `logs` gives it, perhaps with tails
    /// read after a snapshot kept in runs behind the prefix (at most as many runs as a file stores).
    static func isReadFromLogs(_ ledger: Ledger, logs: [LogName]) -> Bool {
        guard ledger.logs.map(\.log) == logs,
              ledger.logs.reduce(0, { $0 + $1.events }) == ledger.events.count,
              ledger.eventIds.count == ledger.events.count, ledger.retractedAt.count == ledger.events.count,
              ledger.replayOrder.count == ledger.events.count, ledger.events.count < Int(Int32.max),
              ledger.logs.count <= maximumLogs else { return false }
        // Each log's events in order, seq the line number: what the decoder rebuilds from the stored runs.
        return ledger.events.logRuns.storedRuns(logs: ledger.logs) != nil
    }
}
