import LedgerColumns
import LedgerLog

extension Ledger {
    /// A query's read of every log when it saves the snapshot, for a query of less than everything
    /// (`LedgerScope`; one of everything keeps the ledger it read): the same snapshot, byte for byte,
    /// as `LedgerSnapshot.columnFile(of:)` makes of a ledger read whole, without ever holding
    /// that ledger whole. While the logs are read, the events' ids and the columns a replay does
    /// not read first go to a scratch file beside the snapshot (`SpillFile`) instead of memory;
    /// then each part of the file is set aside there as soon as it is made and let go (names,
    /// ids, events, read models), only what the next part is made from is in memory, and the
    /// file is copied out of the scratch file in the kernel. The query is then answered from the
    /// snapshot just written, as the next query would be (`SavingReadTests`). At ten million events the whole ledger is a gigabyte, twice
    /// that with its read models and the read's own id table beside it.
    ///
    /// Nil when no scratch file can be made or the read is not one a snapshot may stand for:
    /// the caller then reads and saves as before. A snapshot that cannot be written or read
    /// back leaves the query to read the logs again for itself (`load`), as without a cache.
    static func readSavingSnapshot(store: EventStore, place: SnapshotPlace, stampsTakenAfter: Int64, scope: LedgerScope,
                                   rejection: SnapshotRejection) throws(LedgerError) -> LedgerOpening? {
        let outcome = try writeSnapshotFromLogs(store: store, place: place, stampsTakenAfter: stampsTakenAfter) {
            options, loader throws(LedgerError) in
            let report = try store.read(options: options, consumer: &loader)
            if let refusal = refusal(of: report, in: store) { throw refusal }
            return report
        }
        switch outcome {
        case .notSaved:
            return nil
        case .failed(let failure):
            return try answeringFromLogs(store: store, scope: scope, rejection: rejection, saving: .failed(failure))
        case .written(let logs):
            // Its own bytes: refused only if another query replaced it meanwhile (then with other heads).
            do throws(SnapshotRejection) {
                var snapshot = try LedgerSnapshot.read(path: place.path, key: place.cache.key, identity: place.identity,
                                                       logs: store.logs, scope: scope, stillCurrent: LedgerSnapshot.stillAsWritten(logs))
                snapshot.ledger.logs = logs
                return LedgerOpening(ledger: snapshot.ledger, source: .logs(snapshotRejected: rejection), saving: .saved)
            } catch {
                return try answeringFromLogs(store: store, scope: scope, rejection: rejection, saving: .saved)
            }
        }
    }

    /// What a saving read of the logs came to (`writeSnapshotFromLogs`).
    enum SavingRead {
        /// No scratch file could be made, or the read is not one a snapshot may stand for.
        case notSaved
        /// Something could not be written aside, read back or saved (a full disk), and why.
        case failed(String)
        /// The snapshot of the logs `logs` is saved at the place given.
        case written(logs: [LogSummary])
    }

    /// Reads every log by `read` (which refuses a read with problems) and saves their snapshot
    /// at `place`, never holding the ledger whole (see `readSavingSnapshot`). `read` is the
    /// store's own read for a query, the writer's for an append (which holds the directory's
    /// lock: a second reader's lock would wait for it).
    /// `save`, when given, writes the file in place of `place.path` (nil, or why it could not).
    static func writeSnapshotFromLogs(store: EventStore, place: SnapshotPlace, stampsTakenAfter: Int64,
                                      read: (ReadOptions, inout LedgerLoader) throws(LedgerError) -> ReadReport,
                                      save: ((ColumnFileWriter) -> String?)? = nil) throws(LedgerError) -> SavingRead {
        // Two scratch files beside the snapshot (in the cache directory): what the read sets aside,
        // let go once taken back, and the file's columns.
        guard let readSpill = SpillFile(directory: place.cache.directory),
              let spill = SpillFile(directory: place.cache.directory) else { return .notSaved }
        var options = ReadOptions()
        options.verifyHashes = true
        options.consumeLinesWithProblems = false
        var loader = LedgerLoader()
        loader.defersRetractionTimes = true
        loader.ledger.events.spill = EventTable.Spill(file: readSpill)
        loader.ledger.spilledIds = SpilledIds(file: readSpill)
        let report = try read(options, &loader)
        let logs = report.logs, count = loader.ledger.count
        guard count > 0, count < Int(Int32.max), logs.map(\.log) == store.logs, logs.count <= LedgerSnapshot.maximumLogs,
              logs.reduce(0, { $0 + $1.events }) == count, loader.ledger.idCount == count,
              loader.ledger.events.logRuns == EventTable.LogRuns(logs: logs),
              let runs = loader.ledger.events.logRuns.storedRuns(logs: logs),
              let window = headWindow(of: logs) else { return .notSaved }
        // The digests of the bytes just read (the file's bytes hashed again, while their stamps
        // prove them those the read verified), for a query after an append to prove them by.
        let prefixDigests = LedgerSnapshot.prefixDigests(of: logs, in: store, stampsTakenAfter: stampsTakenAfter, earlier: [])

        // The names first, while they are all that is large: set aside, then let go (a replay
        // needs only how many there are).
        let names = NameRuns(loader.ledger, in: spill)
        loader.ledger.omission = Omission(events: false, eventCount: count, nameCounts: loader.ledger.nameCounts, names: [.eventIds])
        (loader.ledger.programmes, loader.ledger.grants, loader.ledger.enterprises) = (.unsearchable(), .unsearchable(), .unsearchable())
        (loader.ledger.centres, loader.ledger.texts) = (.unsearchable(), .unsearchable())
        // The ids and the columns a replay reads, back in memory to point retractions at their
        // targets and make the replay order; the actors and sources stay aside.
        if let ids = loader.ledger.spilledIds?.column { loader.ledger.eventIds = ids }
        loader.ledger.spilledIds = nil
        let idsReadBack = loader.ledger.eventIds.count == count
        var actorsAndSources: (actor: SpilledColumn<Int32>, source: SpilledColumn<Int32>)? = loader.ledger.events.takeBackFields()
        // What could not be written aside or read back (a full disk) is read again from the logs.
        guard idsReadBack, readSpill.failure == nil, spill.failure == nil else {
            loader = LedgerLoader()
            return .failed(readSpill.failure ?? spill.failure ?? "the ids set aside could not be read back")
        }
        var ledger = loader.finish()
        // The loader's copy would keep every column alive.
        loader = LedgerLoader()
        ledger.logs = logs
        ledger.buildReplayOrder()

        var file = ColumnFileWriter(schemaVersion: LedgerSnapshot.formatVersion,
                                    metadata: LedgerSnapshot.metadata(identity: place.identity, stampsTakenAfterNanoseconds: stampsTakenAfter,
                                                                      logs: logs, prefixDigests: prefixDigests),
                                    spill: spill)
        LedgerSnapshot.addEventColumns(ledger.events, runs: runs, to: &file) { file in
            guard let (actors, sources) = actorsAndSources else { preconditionFailure("the actors and sources set aside") }
            file.add(SnapshotColumn.actor.rawValue, actors)
            file.add(SnapshotColumn.source.rawValue, sources)
        }
        // The read's scratch file goes with its last column: its pages are dropped, never written back.
        actorsAndSources = nil
        guard readSpill.failure == nil else { return .failed(readSpill.failure ?? "") }
        file.add(SnapshotColumn.idBytes.rawValue, ledger.eventIds.arena)
        file.add(SnapshotColumn.idEnds.rawValue, ledger.eventIds.ends)
        // Made at once by a spilling writer, which keeps no closure: the ids go right after.
        file.add(SnapshotColumn.idFingerprints.rawValue, count: count) { [ids = ledger.eventIds] in ids.sortedFingerprints() }
        ledger.eventIds = EventIdentifiers()
        file.add(SnapshotColumn.replayOrder.rawValue, ledger.replayOrder)
        names.add(to: &file)

        do {
            let models = Projection(ledger: ledger, window: window).run()
            LedgerSnapshot.addModelColumns(models, window: window, to: &file)
            // The events go; the keys and names of the enterprises come back, without hash
            // tables, for the grants by enterprise.
            ledger.events = EventTable()
            ledger.replayOrder = Column()
            ledger.retractedAt = RetractionTimes()
            ledger.enterprises = names.enterprises(from: spill)
            ledger.texts = names.texts(from: spill)
            if spill.failure == nil { LedgerSnapshot.addGrantsByEnterprise(ledger: ledger, models: models, to: &file) }
            ledger = Ledger()
        }

        let failure = if let save { save(file) } else { file.write(to: place.path, key: place.cache.key) }
        if let failure { return .failed(failure) }
        return .written(logs: logs)
    }

    /// The query's own read of the logs, as without a cache, when the saving read cannot answer.
    private static func answeringFromLogs(store: EventStore, scope: LedgerScope, rejection: SnapshotRejection,
                                          saving: LedgerOpening.Saving) throws(LedgerError) -> LedgerOpening {
        LedgerOpening(ledger: try load(store: store, verify: true, scope: scope), source: .logs(snapshotRejected: rejection),
                      saving: saving)
    }

    /// The window at the heads of logs with these summaries.
    private static func headWindow(of logs: [LogSummary]) -> TimeWindow? {
        logs.compactMap(\.lastRecorded).max().map { TimeWindow(asOf: nil, knownAt: $0) }
    }

    /// The name tables' columns, set aside in a scratch file.
    private struct NameRuns {
        var programmes: (SpilledRun<UInt8>, SpilledRun<Int64>, SpilledRun<UInt64>)
        var grants: (SpilledRun<UInt8>, SpilledRun<Int64>, SpilledRun<UInt64>)
        var enterprises: (SpilledRun<UInt8>, SpilledRun<Int64>, SpilledRun<UInt64>)
        var centres: (SpilledRun<UInt8>, SpilledRun<Int64>, SpilledRun<UInt64>)
        var texts: (SpilledRun<UInt8>, SpilledRun<Int64>, SpilledRun<UInt64>)

        init(_ ledger: Ledger, in spill: SpillFile) {
            func runs<Index>(_ interner: Interner<Index>) -> (SpilledRun<UInt8>, SpilledRun<Int64>, SpilledRun<UInt64>) {
                (spill.store(interner.arena), spill.store(interner.offsets), spill.store(interner.slots))
            }
            programmes = runs(ledger.programmes)
            grants = runs(ledger.grants)
            enterprises = runs(ledger.enterprises)
            centres = runs(ledger.centres)
            texts = runs(ledger.texts)
        }

        /// Adds them to `file`, in the order `LedgerSnapshot.columnFile(of:)` does.
        func add(to file: inout ColumnFileWriter) {
            func add(_ runs: (SpilledRun<UInt8>, SpilledRun<Int64>, SpilledRun<UInt64>), _ bytes: SnapshotColumn,
                     _ offsets: SnapshotColumn, _ slots: SnapshotColumn) {
                file.add(bytes.rawValue, runs.0)
                file.add(offsets.rawValue, runs.1)
                file.add(slots.rawValue, runs.2)
            }
            add(programmes, .programmeBytes, .programmeOffsets, .programmeSlots)
            add(grants, .grantBytes, .grantOffsets, .grantSlots)
            add(enterprises, .enterpriseBytes, .enterpriseOffsets, .enterpriseSlots)
            add(centres, .centreBytes, .centreOffsets, .centreSlots)
            add(texts, .textBytes, .textOffsets, .textSlots)
        }

        /// A table's names read back, to be read by index only.
        private static func names<Index>(_ runs: (SpilledRun<UInt8>, SpilledRun<Int64>, SpilledRun<UInt64>),
                                         from spill: SpillFile) -> Interner<Index> {
            var interner = Interner<Index>.unsearchable()
            interner.arena = Column(spill.load(runs.0))
            interner.offsets = Column(spill.load(runs.1))
            return interner
        }

        func enterprises(from spill: SpillFile) -> Interner<EnterpriseIndex> { NameRuns.names(enterprises, from: spill) }
        func texts(from spill: SpillFile) -> Interner<TextIndex> { NameRuns.names(texts, from: spill) }
    }
}
