import LedgerColumns
import LedgerLog

extension Ledger {
    /// A snapshot is saved again once the events read after it reach this fraction of the
    /// ledger (1/100): rewriting costs about as much as reading that many events from the logs
    /// once, so a query pays at most about twice the best cost (the ski-rental rule).
    static let snapshotRefreshDivisor = 100

    /// The ledger for a query. With `verify` and `useSnapshot`, the reading user's snapshot of
    /// this ledger (see `SnapshotCache`, found through `environment`) is used when its MAC is
    /// this user's, it decodes in range, and every log is unchanged since its stamp was taken
    /// and settled, and still passes through the head it remembers: then only the events
    /// appended since are read, hashed and chain-checked (their ids proved new). Otherwise, or
    /// if anything after it does not read cleanly, the logs are read in full as by `load`,
    /// which reports any problem exactly as it would without a snapshot. A fresh snapshot is
    /// saved after a full read and when the events after it reach 1% of the ledger; failing to
    /// save one changes nothing but speed. Without `verify` no snapshot is read or saved.
    /// `now` is this machine's clock in nanoseconds (see `LogStamp.nowNanoseconds`), injected by tests.
    /// `scope` says what the query needs: with `.keptModels`, a snapshot that kept its read models,
    /// with nothing appended after it, gives a ledger of just those (see `LedgerScope`).
    public static func open(store: EventStore, verify: Bool = true, useSnapshot: Bool = true, scope: LedgerScope = .everything,
                            environment: [String: String], now: () -> Int64 = LogStamp.nowNanoseconds) throws(LedgerError) -> LedgerOpening {
        guard verify, useSnapshot else {
            let scratchDirectory = verify ? SnapshotCache.scratchDirectory(environment: environment) : nil
            return LedgerOpening(ledger: try load(store: store, verify: verify, scope: scope, scratchDirectory: scratchDirectory),
                                 source: .logs(snapshotRejected: nil), saving: .notAttempted)
        }
        return try open(
            snapshotOf: store, environment: environment, now: now, refreshAfterReverifying: true, scope: scope,
            resume: { points, stamps, digests, takenAfter, loader throws(LedgerError) in
                try store.read(resumingAt: points, stamps: stamps, digests: digests, stampsTakenAfter: takenAfter, consumer: &loader)
            },
            readAll: { () throws(LedgerError) in try load(store: store, verify: true) },
            // A query of everything reads every column it saves anyway (and would hash all of the
            // file, every page, to open it): it keeps the ledger it read, as the append path does.
            // Any other, those of every event (`everyEvent`) among them, is answered from the
            // snapshot just saved, never holding the whole ledger.
            readSaving: scope == .everything ? nil : { place, startedAt, rejection throws(LedgerError) in
                try readSavingSnapshot(store: store, place: place, stampsTakenAfter: startedAt, scope: scope, rejection: rejection)
            })
    }

    /// The append path's ledger, read under the writer's exclusive lock, the same way.
    static func open(writer: EventWriter, useSnapshot: Bool, environment: [String: String],
                     now: () -> Int64 = LogStamp.nowNanoseconds) throws(LedgerError) -> LedgerOpening {
        var opening = try openWhole(writer: writer, useSnapshot: useSnapshot, environment: environment, now: now)
        // The read models kept at the heads answer queries: an append reads none of them, and
        // its first event would let them go (`append`). Let go now, before validation and the
        // audit run (at ten million events, about 200 MB).
        opening.ledger.headModels = nil
        return opening
    }

    private static func openWhole(writer: EventWriter, useSnapshot: Bool, environment: [String: String],
                                  now: () -> Int64) throws(LedgerError) -> LedgerOpening {
        guard useSnapshot else {
            if let opening = try openThroughScratchSnapshot(writer: writer, environment: environment, now: now) { return opening }
            return LedgerOpening(ledger: try load(writer: writer), source: .logs(snapshotRejected: nil), saving: .notAttempted)
        }
        // Not saved again only because a prefix was verified again: the append about to follow
        // changes the log anyway.
        // An append answers nothing from the kept answers (and lets them go): they are not read.
        return try open(
            snapshotOf: writer.store, environment: environment, now: now, refreshAfterReverifying: false, keptAnswers: false,
            resume: { points, stamps, digests, takenAfter, loader throws(LedgerError) in
                try writer.read(resumingAt: points, stamps: stamps, digests: digests, stampsTakenAfter: takenAfter, consumer: &loader)
            },
            readAll: { () throws(LedgerError) in try load(writer: writer) },
            // With no snapshot to open, the logs are read as a query's first read reads them,
            // never holding the ledger whole while its snapshot is made, and the ledger is then
            // opened from that snapshot, as the next append's will be: at ten million events,
            // under a gigabyte where a read kept whole and then saved held 1.6 GB.
            saveFirst: { place, startedAt throws(LedgerError) in
                try writeSnapshotFromLogs(store: writer.store, place: place, stampsTakenAfter: startedAt) {
                    options, loader throws(LedgerError) in try appendRead(by: writer, options: options, into: &loader)
                }
            })
    }

    /// An append told to use no snapshot reads the logs as the first read of a snapshot's reader
    /// does (`writeSnapshotFromLogs`, never holding the ledger whole), into an unnamed file of the
    /// scratch directory that only this process can reach and that goes with it, and opens the
    /// ledger from that file: no snapshot of the cache is read or written, and at ten million
    /// events the append stays under a gigabyte where a read kept whole held 1.4 GB. Nil (the
    /// caller then reads the logs whole) without a scratch directory, for an empty ledger, or
    /// when the file cannot be written or read back.
    private static func openThroughScratchSnapshot(writer: EventWriter, environment: [String: String],
                                                   now: () -> Int64) throws(LedgerError) -> LedgerOpening? {
        guard let directory = SnapshotCache.scratchDirectory(environment: environment),
              let identity = SnapshotCache.identity(of: writer.store.directory) else { return nil }
        // No one else can open an unnamed file: its MAC is checked as any snapshot's, under a key
        // that needs no secret.
        let key = [UInt8](repeating: 0x5A, count: PrivateCacheDirectory.keyBytes)
        let place = SnapshotPlace(cache: SnapshotCache(directory: directory, key: key), path: directory, identity: identity)
        var scratch: ColumnFile? = nil
        let outcome = try writeSnapshotFromLogs(store: writer.store, place: place, stampsTakenAfter: now(), read: {
            options, loader throws(LedgerError) in try appendRead(by: writer, options: options, into: &loader)
        }, save: { file in
            switch file.writeUnnamed(in: directory, key: key) {
            case .success(let written):
                scratch = written
                return nil
            case .failure(let error):
                return error.description
            }
        })
        guard case .written(let logs) = outcome, let scratch else { return nil }
        do throws(SnapshotRejection) {
            var snapshot = try LedgerSnapshot.read(scratch, key: key, identity: identity, logs: writer.store.logs,
                                                   stillCurrent: LedgerSnapshot.stillAsWritten(logs))
            snapshot.ledger.logs = logs
            return LedgerOpening(ledger: snapshot.ledger, source: .logs(snapshotRejected: nil), saving: .notAttempted)
        } catch {
            return nil
        }
    }

    /// Where the snapshot of a store lives for one user: the cache, the file, the ledger's identity.
    struct SnapshotPlace {
        var cache: SnapshotCache
        var path: String
        var identity: SHA256Digest
    }

    static func snapshotPlace(of store: EventStore, environment: [String: String]) -> Result<SnapshotPlace, SnapshotRejection> {
        switch SnapshotCache.open(environment: environment) {
        case .failure(let rejection):
            return .failure(rejection)
        case .success(let cache):
            guard let place = cache.place(of: store) else { return .failure(.noCache("the events directory cannot be resolved")) }
            return .success(SnapshotPlace(cache: cache, path: place.path, identity: place.identity))
        }
    }

    private static func open(
        snapshotOf store: EventStore, environment: [String: String], now: () -> Int64, refreshAfterReverifying: Bool,
        keptAnswers: Bool = true, scope: LedgerScope = .everything,
        resume: ([TailState], [LogStamp?], [LogPrefixDigest?], Int64, inout LedgerLoader) throws(LedgerError) -> ReadReport?,
        readAll: () throws(LedgerError) -> Ledger,
        readSaving: ((SnapshotPlace, Int64, SnapshotRejection) throws(LedgerError) -> LedgerOpening?)? = nil,
        saveFirst: ((SnapshotPlace, Int64) throws(LedgerError) -> SavingRead)? = nil
    ) throws(LedgerError) -> LedgerOpening {
        // Taken before any stamp is: the stamps of this read are taken after this moment.
        let startedAt = now()
        let largeAbove = rereadEvents(environment)
        let place: SnapshotPlace
        switch snapshotPlace(of: store, environment: environment) {
        case .success(let found):
            place = found
        case .failure(let rejection):
            // No cache of one's own: no snapshot is read or saved, and the answer is the same.
            return LedgerOpening(ledger: try readAll(), source: .logs(snapshotRejected: rejection), saving: .notAttempted)
        }
        let rejection: SnapshotRejection
        do throws(SnapshotRejection) {
            // A query that can be answered from a snapshot saved as the logs are read does so when
            // events were appended after its snapshot (see `SnapshotRejection.appendedSince`).
            return try openFromSnapshot(store: store, place: place, startedAt: startedAt,
                                        refreshAfterReverifying: refreshAfterReverifying, scope: scope,
                                        largeAbove: largeAbove, mayReadAgain: readSaving != nil,
                                        keptAnswers: keptAnswers, resume: resume)
        } catch {
            rejection = error
        }
        // A query of less than everything need not hold the whole ledger: it is answered from the
        // snapshot once saved (`readSavingSnapshot`).
        if let readSaving, let opening = try readSaving(place, startedAt, rejection) { return opening }
        // The append path: its snapshot saved from the logs, then opened as any snapshot is (the
        // tail after it read by `resume`); if that fails, the logs are read whole as before.
        if let saveFirst, case .written = try saveFirst(place, startedAt) {
            do throws(SnapshotRejection) {
                let opening = try openFromSnapshot(store: store, place: place, startedAt: startedAt,
                                                   refreshAfterReverifying: false, scope: scope,
                                                   largeAbove: largeAbove, mayReadAgain: false,
                                                   keptAnswers: keptAnswers,
                                                   resume: resume)
                return LedgerOpening(ledger: opening.ledger, source: .logs(snapshotRejected: rejection), saving: .saved)
            } catch {
                // Read whole below, and saved again.
            }
        }
        var ledger = try readAll()
        guard ledger.count > 0 else {
            return LedgerOpening(ledger: ledger, source: .logs(snapshotRejected: rejection), saving: .notAttempted)
        }
        // The read models at the heads are made once: kept in the snapshot, and answering the
        // query that follows at the heads instead of a second replay of every event.
        if ledger.headModels == nil, let window = ledger.headWindow {
            ledger.headModels = Projection(ledger: ledger, window: window).run()
        }
        return LedgerOpening(ledger: ledger, source: .logs(snapshotRejected: rejection),
                             saving: saveSnapshot(of: ledger, store: store, place: place, stampsTakenAfter: startedAt))
    }

    /// A ledger of more than `largeAbove` events whose runs a file may not store
    /// (`EventTable.LogRuns.maximumStored`: after dozens of appends, each followed by a query)
    /// would be saved again from a copy in a full read's layout (at ten million events about
    /// 1.9 GB). When the caller `mayReadAgain` (a query of less than everything, whose read of the
    /// logs saves the snapshot as it goes, under a gigabyte, and leaves one run a log), a snapshot
    /// with events after it that would come to that is refused as `appendedSince`; otherwise (a
    /// query of everything, or the append path) such a ledger is answered and not saved. Below
    /// the limit the ledger held whole is small, and quicker to save.
    private static func openFromSnapshot(
        store: EventStore, place: SnapshotPlace, startedAt: Int64, refreshAfterReverifying: Bool, scope: LedgerScope,
        largeAbove: Int, mayReadAgain: Bool, keptAnswers: Bool = true,
        resume: ([TailState], [LogStamp?], [LogPrefixDigest?], Int64, inout LedgerLoader) throws(LedgerError) -> ReadReport?
    ) throws(SnapshotRejection) -> LedgerOpening {
        var bytesAfterSnapshot = 0
        func read(_ scope: LedgerScope) throws(SnapshotRejection) -> LedgerSnapshot {
            try LedgerSnapshot.read(path: place.path, key: place.cache.key, identity: place.identity, logs: store.logs,
                                    scope: scope, keptAnswers: keptAnswers) { header throws(SnapshotRejection) in
                bytesAfterSnapshot = try bytesAfter(header.points, in: store)
                return bytesAfterSnapshot
            }
        }
        var snapshot = try read(scope)
        // Each log read after the snapshot may add a run; past what a file may store, the
        // snapshot would be saved from a copy in a full read's layout (`Ledger.inLogOrder()`).
        if mayReadAgain, bytesAfterSnapshot > 0, snapshot.ledger.count > largeAbove,
           snapshot.ledger.events.logRuns.runCount + store.logs.count > EventTable.LogRuns.maximumStored {
            throw .appendedSince
        }
        if snapshot.ledger.holdsReadModelsOnly {
            if let opening = try readModelsOpening(snapshot, store: store, resume: resume) { return opening }
            snapshot = try read(.everything)
        }
        let points = snapshot.points, stamps = snapshot.stamps, takenAfter = snapshot.stampsTakenAfterNanoseconds
        let digests = snapshot.header.prefixDigests
        // The loader must hold the only reference to the arrays it appends to, or each would be copied.
        var loader = LedgerLoader()
        swap(&loader.ledger, &snapshot.ledger)
        let report: ReadReport?
        do throws(LedgerError) {
            report = try resume(points, stamps, digests, takenAfter, &loader)
        } catch {
            throw .tailProblem
        }
        guard let report else { throw .stale }
        guard report.problems.isEmpty else { throw .tailProblem }
        var ledger = Ledger()
        swap(&ledger, &loader.ledger)
        let identifiers = snapshot.identifiers
        let prefix = points.reduce(0) { $0 + $1.seq }
        guard ledger.absorbTail(prefixCount: prefix, pendingRetractions: loader.pendingRetractions,
                                mayBeInPrefix: identifiers.mayContain(bytes:)).isEmpty else {
            throw .tailProblem
        }
        ledger.logs = report.logs
        // Every prefix the snapshot remembers was proved (by its stamp, its digest or a read of
        // it): their digests stand, for a snapshot saved from this ledger to extend.
        ledger.prefixDigests = digests
        // The ids read after the snapshot follow its own, whose fingerprints it kept sorted.
        if identifiers.count == prefix { ledger.snapshotFingerprints = identifiers }
        let after = ledger.count - prefix
        // A log whose stamp did not prove its prefix had the prefix verified again (see
        // `EventStore.read(resumingAt:)`); a snapshot with its new stamp spares the next query
        // that, once the new stamps are settled themselves (else the next query verifies again).
        let reverified = !snapshot.header.stampsProve(report.logs.map(\.stamp))
        let settledNow = report.logs.allSatisfy { summary in
            summary.bytes == 0 || summary.stamp?.isSettled(takenAfterNanoseconds: startedAt) == true
        }
        var refresh = (after > 0 && after * snapshotRefreshDivisor >= ledger.count) || (refreshAfterReverifying && reverified && settledNow)
        // Runs a file may not store are saved from a copy in a full read's layout: above
        // `largeAbove` events (where that copy would take a command past its gigabyte) not at all.
        if refresh, ledger.count > largeAbove, ledger.events.logRuns.storedRuns(logs: ledger.logs) == nil { refresh = false }
        if refresh, ledger.headModels == nil, let window = ledger.headWindow {
            // Made once: kept in the snapshot, and answering the query that follows at the heads.
            ledger.headModels = Projection(ledger: ledger, window: window).run()
            // The replay walked every event column: their pages go before the file is written.
            ledger.releaseEventPages()
        }
        return LedgerOpening(ledger: ledger, source: .snapshot(eventsAfter: after),
                             saving: refresh ? saveSnapshot(of: ledger, store: store, place: place, stampsTakenAfter: startedAt)
                                 : .notAttempted, prefixesProvedByDigest: report.prefixesProvedByDigest)
    }

    /// Above this many events in a snapshot, a query that would save it again from a copy in a
    /// full read's layout reads the logs again instead (see `openFromSnapshot`): the copy holds
    /// about 130 bytes an event beside the mapped file, so from five million on it would hold more
    /// than half the gigabyte a command may. `rereadEventsVariable` sets another.
    public static let rereadEventsDefault = 5_000_000
    public static let rereadEventsVariable = "INCENTIVES_SNAPSHOT_REREAD_EVENTS"

    /// The limit `environment` sets (a whole number of events, 0 and up), else the default.
    static func rereadEvents(_ environment: [String: String]) -> Int {
        environment[rereadEventsVariable].flatMap { Int($0) }.map { max(0, $0) } ?? rereadEventsDefault
    }

    /// How many bytes the logs of `store` hold after `points`; stale when they no longer pass through them.
    private static func bytesAfter(_ points: [TailState], in store: EventStore) throws(SnapshotRejection) -> Int {
        let bytesAfter: Int?
        do throws(LedgerError) { bytesAfter = try store.bytesAfter(points) } catch { throw .unreadable(error.message) }
        guard let bytesAfter else { throw .stale }
        return bytesAfter
    }

    /// The opening of a snapshot read for its read models alone (`LedgerScope.readModels`,
    /// `.summary`): its ids (and perhaps its events) are neither read nor hashed, but the logs are
    /// still proved unchanged since the snapshot, as for any snapshot. Nil when a log's stamp does
    /// not prove its prefix (the caller then opens the snapshot whole, which verifies that prefix
    /// again and saves the new stamps) or something was appended meanwhile. Nothing is saved:
    /// nothing changed.
    private static func readModelsOpening(
        _ snapshot: LedgerSnapshot, store: EventStore,
        resume: ([TailState], [LogStamp?], [LogPrefixDigest?], Int64, inout LedgerLoader) throws(LedgerError) -> ReadReport?
    ) throws(SnapshotRejection) -> LedgerOpening? {
        let points = snapshot.points, stamps = snapshot.stamps
        // Every stamp must prove its log's prefix as it stands (a first look, checked again under
        // the lock): else the logs would be verified again here and once more by the whole
        // opening that saves the new stamps.
        let current: [LogStamp]
        do throws(LedgerError) { current = try store.stamps() } catch { throw .unreadable(error.message) }
        guard snapshot.header.stampsProve(current) else { return nil }
        // A fresh loader: nothing is expected after the snapshot, and nothing may be added to it.
        var loader = LedgerLoader()
        let report: ReadReport?
        do throws(LedgerError) {
            report = try resume(points, stamps, snapshot.header.prefixDigests, snapshot.stampsTakenAfterNanoseconds, &loader)
        } catch {
            throw .tailProblem
        }
        guard let report, report.problems.isEmpty, loader.ledger.count == 0,
              zip(report.logs, points).allSatisfy({ $0.events == $1.seq && $0.bytes == $1.bytes && $0.stamp != nil }),
              zip(report.logs, stamps).allSatisfy({ $0.stamp == $1 }) else {
            return nil
        }
        var ledger = snapshot.ledger
        ledger.logs = report.logs
        return LedgerOpening(ledger: ledger, source: ledger.holdsKeptModelsOnly ? .keptModels : .readModels, saving: .notAttempted)
    }

    /// Writes a snapshot of a ledger read from `store` in full or from a snapshot and its tail,
    /// whose stamps were taken after `stampsTakenAfter`.
    static func saveSnapshot(of ledger: Ledger, store: EventStore, place: SnapshotPlace, stampsTakenAfter: Int64) -> LedgerOpening.Saving {
        let digests = LedgerSnapshot.prefixDigests(of: ledger.logs, in: store, stampsTakenAfter: stampsTakenAfter,
                                                   earlier: ledger.prefixDigests)
        if let failure = LedgerSnapshot.save(ledger, logs: store.logs, to: place.path, key: place.cache.key,
                                             identity: place.identity, stampsTakenAfterNanoseconds: stampsTakenAfter,
                                             prefixDigests: digests) {
            return .failed(failure)
        }
        return .saved
    }
}
