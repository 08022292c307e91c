import LedgerColumns
import LedgerLog

extension LedgerSnapshot {
    /// Reads the snapshot at `path` for a store with `logs`: header and its MAC, then the columns
    /// `scope` needs, each hashed against its digest. `stillCurrent` is asked, once the header is
    /// authenticated and before any column is read, whether the logs still pass through the heads
    /// the snapshot remembers (throwing when not, so that a stale snapshot costs little) and how
    /// many bytes they hold after them. The snapshot must be of the ledger `identity` names and
    /// carry a MAC under `key`; its columns are used in place. When nothing follows the snapshot,
    /// a scope that needs less than everything reads less (see `LedgerScope`, `Ledger.omission`).
    static func read(path: String, key: [UInt8], identity: SHA256Digest, logs: [LogName], scope: LedgerScope = .everything,
                     keptAnswers: Bool = true,
                     stillCurrent: (SnapshotHeader) throws(SnapshotRejection) -> Int) throws(SnapshotRejection) -> LedgerSnapshot {
        let file: ColumnFile
        do throws(ColumnFileError) { file = try ColumnFile.open(path: path) } catch { throw SnapshotRejection(error) }
        return try read(file, key: key, identity: identity, logs: logs, scope: scope, keptAnswers: keptAnswers,
                        stillCurrent: stillCurrent)
    }

    /// A snapshot's reader's `stillCurrent` for a file this process has just written from logs
    /// read as `logs`: nothing follows it, and it must name those heads (else another process
    /// replaced it meanwhile).
    static func stillAsWritten(_ logs: [LogSummary]) -> (SnapshotHeader) throws(SnapshotRejection) -> Int {
        { header throws(SnapshotRejection) in
            guard header.points == LedgerSnapshot.points(of: logs) else { throw .stale }
            return 0
        }
    }

    /// The same, of a column file already open (an unnamed scratch snapshot: `Ledger.openThroughScratchSnapshot`).
    /// Read whole (`.everything`), the answers kept at the heads are neither hashed nor decoded
    /// when events follow the snapshot (the first of them lets them go) or `keptAnswers` is false
    /// (an append, which answers nothing from them): at ten million events, about 200 MB.
    static func read(_ file: ColumnFile, key: [UInt8], identity: SHA256Digest, logs: [LogName], scope: LedgerScope = .everything,
                     keptAnswers: Bool = true,
                     stillCurrent: (SnapshotHeader) throws(SnapshotRejection) -> Int) throws(SnapshotRejection) -> LedgerSnapshot {
        // Another schema is named as such (a build's upgrade, not damage); then nothing is trusted before the MAC.
        guard file.schemaVersion == formatVersion else { throw .otherFormat(version: file.schemaVersion) }
        do throws(ColumnFileError) { try file.authenticateHeader(key: key) } catch { throw SnapshotRejection(error) }
        let header = try readHeader(file, logs: logs)
        guard header.identity == identity else { throw .otherLedger }
        let bytesAfter = try stillCurrent(header)
        // A tail needs every id (to prove its own new) and every name (to intern its own): all of it.
        var part: Part? = nil
        let keepsModels = file.hasColumn(SnapshotColumn.headAppliedEvents.rawValue)
        func modelsPart(_ window: TimeWindow, names: NameTables, parts: ReadModelParts, lookups: NameTables) -> Part {
            let searchable = lookups.inSnapshot.intersection(names.inSnapshot)
            return header.isAtHeads(window) && keepsModels ? .keptModels(names: names.inSnapshot, parts: parts, searchable: searchable)
                : .events(names: names.inSnapshot, searchable: searchable, actorsAndSources: names.inSnapshot.showsEveryText)
        }
        switch scope {
        case .everything: break
        case .everyEvent(let actorsAndSources, let lookups):
            // Every event, name and id; not the ids' fingerprints, the kept answers, the hash
            // tables no lookup needs, nor (unless shown) the actors and sources: at ten million
            // events, half the file's pages.
            guard bytesAfter == 0 else { break }
            part = .events(names: NameTables.all.union(.eventIds), searchable: lookups.inSnapshot, actorsAndSources: actorsAndSources)
        case .readModels(let window, let names, let parts, let lookups):
            guard bytesAfter == 0 else { break }
            part = modelsPart(window, names: names, parts: parts, lookups: lookups)
        case .summary(let window):
            guard bytesAfter == 0 else { break }
            part = header.isAtHeads(window) && file.hasColumn(SnapshotColumn.headSummary.rawValue) ? .keptSummary
                : .events(names: [], searchable: [], actorsAndSources: false)
        case .grantsByEnterprise(let window):
            guard bytesAfter == 0 else { break }
            part = header.isAtHeads(window) && file.hasColumn(SnapshotColumn.headByEnterpriseCount.rawValue)
                ? .keptGrantsByEnterprise
                : modelsPart(window, names: LedgerScope.grantsByEnterpriseNames, parts: LedgerScope.grantsByEnterpriseParts,
                             lookups: [])
        }
        let columns: [SnapshotColumn]
        let readsKeptAnswers = keptAnswers && bytesAfter == 0
        switch part {
        case nil:
            columns = SnapshotColumn.allCases.filter {
                file.hasColumn($0.rawValue) && (readsKeptAnswers || !SnapshotColumn.keptAnswers.contains($0))
            }
        case .keptModels(let names, let parts, let searchable)?:
            columns = SnapshotColumn.keptModels(parts) + SnapshotColumn.names(names, searchable: searchable)
        case .keptSummary?: columns = [.headSummary]
        case .keptGrantsByEnterprise?: columns = SnapshotColumn.keptGrantsByEnterprise
        case .events(let names, let searchable, let actorsAndSources)?:
            columns = SnapshotColumn.events(in: file).filter { actorsAndSources || ($0 != .actor && $0 != .source) }
                + SnapshotColumn.names(names, searchable: searchable)
        }
        // The digests are computed on another core while the columns are checked (every value is
        // checked, so checking bytes a digest will refuse is safe); a mismatch discards the result.
        var decoded: Result<LedgerSnapshot, SnapshotRejection> = .failure(.damaged)
        do throws(ColumnFileError) {
            decoded = try file.verifying(columns: columns.map(\.rawValue), releasingPages: part == nil) { () throws(ColumnFileError) in
                do throws(SnapshotRejection) {
                    return .success(try decode(file, header: header, part: part, keptModels: readsKeptAnswers))
                } catch {
                    return .failure(error)
                }
            }
        } catch {
            throw SnapshotRejection(error)
        }
        let snapshot = try decoded.get()
        // A query that names events by id (every event's, an enterprise's profile in a window)
        // reads the ids and names again only for what its answer names, once checked whole: their
        // pages go from the process's memory until then (at ten million events, about 250 MB).
        if case .events(let names, _, _)? = part, names.contains(.eventIds) {
            file.releasePages(ofColumns: SnapshotColumn.names(names, searchable: []).map(\.rawValue))
        }
        // Everything (an append's ledger, which validation reads here and there and the audit
        // reads in part): each chunk's pages went as it was hashed (`releasingPages`), and here go
        // those the checks faulted in again after that; what is read later comes back from the
        // page cache (a mapped file's pages are faulted in by runs). At ten million events, 1.2 GB
        // that would otherwise stay in the process's memory for the whole command.
        if part == nil {
            file.releasePages(ofColumns: columns.map(\.rawValue))
        }
        return snapshot
    }

    /// What a scope that needs less than everything reads of a snapshot nothing follows (see `LedgerScope`).
    enum Part {
        /// The read models kept at the heads (those of `parts`) and the name tables `names`, with
        /// the hash tables of those in `searchable` (the others are read by index only).
        case keptModels(names: NameTables, parts: ReadModelParts, searchable: NameTables)
        /// The summary kept at the heads.
        case keptSummary
        /// The grants by enterprise (no filter) kept at the heads.
        case keptGrantsByEnterprise
        /// The events and the replay order (a window to replay, or every event for a query of them
        /// all) and the name tables `names` (the ids among them when it names `eventIds`), those in
        /// `searchable` with their hash tables, and the events' actors and sources if
        /// `actorsAndSources`: no fingerprints of the ids, no kept answer.
        case events(names: NameTables, searchable: NameTables, actorsAndSources: Bool)
    }

    /// The count of each name table, as the authenticated directory states it (a read model has a
    /// slot per name), checked against the tables `names` read.
    static func nameCounts(_ file: ColumnFile, read names: NameTables, in ledger: Ledger) throws(ColumnFileError) -> Ledger.NameCounts {
        func nameCount(_ offsets: SnapshotColumn) throws(ColumnFileError) -> Int {
            guard let entries = file.elementCount(of: offsets.rawValue), entries >= 1, entries - 1 < Int(Int32.max) else {
                throw .malformed("its column \(offsets) does not count names")
            }
            return entries - 1
        }
        let counts = Ledger.NameCounts(
            programmes: try nameCount(.programmeOffsets), grants: try nameCount(.grantOffsets),
            enterprises: try nameCount(.enterpriseOffsets), centres: try nameCount(.centreOffsets), texts: try nameCount(.textOffsets))
        guard !names.contains(.programmes) || ledger.programmes.count == counts.programmes,
              !names.contains(.grants) || ledger.grants.count == counts.grants,
              !names.contains(.enterprises) || ledger.enterprises.count == counts.enterprises,
              !names.contains(.centres) || ledger.centres.count == counts.centres,
              !names.contains(.texts) || ledger.texts.count == counts.texts else {
            throw .malformed("its name tables disagree with their counts")
        }
        return counts
    }

    /// What a ledger opened for an answer kept at the heads holds (see `decodeKept`).
    enum KeptAnswer {
        /// The read models of these parts.
        case models(ReadModelParts)
        case summary
        case grantsByEnterprise
    }

    /// A ledger of an answer kept at the heads (read models of some parts with the name tables
    /// `names`, the summary, or the grants by enterprise), no events: see `Ledger.omission`.
    /// Every kept value is range-checked as in `decode`.
    static func decodeKept(_ file: ColumnFile, header: SnapshotHeader, names: NameTables, searchable: NameTables = .all,
                           answer: KeptAnswer) throws(SnapshotRejection) -> LedgerSnapshot {
        do throws(ColumnFileError) {
            var ledger = Ledger()
            let count = header.logs.reduce(0) { $0 + $1.events }
            try decodeNames(file, into: &ledger, tables: names, searchable: searchable, eventCount: count)
            ledger.omission = Ledger.Omission(events: true, eventCount: count,
                                              nameCounts: try nameCounts(file, read: names, in: ledger), names: names)
            ledger.logs = header.logs
            let counts = ledger.nameCounts
            switch answer {
            case .models(let parts):
                ledger.headModels = try ReadModels.decode(file, for: ledger, parts: parts)
            case .summary:
                ledger.keptSummary = try Summary(kept: try file.column(SnapshotColumn.headSummary.rawValue), window: TimeWindow(asOf: nil, knownAt: .never),
                                                 events: count, grants: counts.grants, enterprises: counts.enterprises,
                                                 centres: counts.centres)
            case .grantsByEnterprise:
                ledger.keptGrantsByEnterprise = try GrantBreakdown.Kept(file, grants: counts.grants, enterprises: counts.enterprises)
            }
            return LedgerSnapshot(header: header, ledger: ledger, identifiers: .empty)
        } catch {
            throw SnapshotRejection(error)
        }
    }

    /// The name tables `tables` (the others stay empty), those of `searchable` with their hash
    /// tables, the others without (read by index only: a lookup traps).
    /// The events' ids (`.eventIds`) are `eventCount` strings of 1 to 64 bytes.
    static func decodeNames(_ file: ColumnFile, into ledger: inout Ledger, tables: NameTables = .all,
                            searchable: NameTables = .all, eventCount: Int) throws(ColumnFileError) {
        func interner<Index>(_ table: NameTables, _ bytes: SnapshotColumn, _ offsets: SnapshotColumn,
                             _ slots: SnapshotColumn) throws(ColumnFileError) -> Interner<Index> {
            guard searchable.contains(table) else {
                return try Interner(arena: try file.column(bytes.rawValue), offsets: try file.column(offsets.rawValue))
            }
            return try Interner(arena: try file.column(bytes.rawValue), offsets: try file.column(offsets.rawValue),
                                slots: try file.column(slots.rawValue))
        }
        if tables.contains(.programmes) { ledger.programmes = try interner(.programmes, .programmeBytes, .programmeOffsets, .programmeSlots) }
        if tables.contains(.grants) { ledger.grants = try interner(.grants, .grantBytes, .grantOffsets, .grantSlots) }
        if tables.contains(.enterprises) {
            ledger.enterprises = try interner(.enterprises, .enterpriseBytes, .enterpriseOffsets, .enterpriseSlots)
        }
        if tables.contains(.centres) { ledger.centres = try interner(.centres, .centreBytes, .centreOffsets, .centreSlots) }
        if tables.contains(.texts) { ledger.texts = try interner(.texts, .textBytes, .textOffsets, .textSlots) }
        if tables.contains(.eventIds) {
            ledger.eventIds = try StringColumn(arena: try file.column(SnapshotColumn.idBytes.rawValue),
                                               ends: try file.column(SnapshotColumn.idEnds.rawValue), count: eventCount,
                                               lengths: 1...EventID.maximumLength)
        }
    }

    /// Decodes snapshot bytes without their MAC: for the fuzzer and tests, which must reach the
    /// decoder with any bytes. Whatever the bytes, this returns a snapshot whose every value is
    /// in range, or throws; it never traps.
    /// `part` decodes what a query at the heads or a window reads instead of everything.
    static func decodeUnauthenticated(_ bytes: [UInt8], logs: [LogName], part: Part? = nil) throws(SnapshotRejection) -> LedgerSnapshot {
        let file: ColumnFile
        do throws(ColumnFileError) { file = try ColumnFile(bytes: bytes) } catch { throw SnapshotRejection(error) }
        return try decode(file, header: try readHeader(file, logs: logs), part: part)
    }

    /// What `part` reads of `file` (everything when nil): the one dispatch both the reader and
    /// the fuzzer's way in use, so that what is fuzzed is what is read.
    static func decode(_ file: ColumnFile, header: SnapshotHeader, part: Part?,
                       keptModels: Bool = true) throws(SnapshotRejection) -> LedgerSnapshot {
        switch part {
        case nil: return try decode(file, header: header, keptModels: keptModels)
        case .keptModels(let names, let parts, let searchable)?:
            return try decodeKept(file, header: header, names: names, searchable: searchable, answer: .models(parts))
        case .keptSummary?: return try decodeKept(file, header: header, names: [], answer: .summary)
        case .keptGrantsByEnterprise?: return try decodeKept(file, header: header, names: [], answer: .grantsByEnterprise)
        case .events(let names, let searchable, let actorsAndSources)?:
            return try decode(file, header: header, names: names, searchable: searchable, ids: false, actorsAndSources: actorsAndSources)
        }
    }

    static func readHeader(_ file: ColumnFile, logs: [LogName]) throws(SnapshotRejection) -> SnapshotHeader {
        guard file.schemaVersion == formatVersion else { throw .otherFormat(version: file.schemaVersion) }
        return try SnapshotHeader.read(file.metadata, logs: logs)
    }

    /// The ledger whose columns `file` holds, used in place, refused unless every column checks
    /// out: interners consistent, ids of 1 to 64 bytes, every event row in range (see
    /// `EventTable.validated`), and the replay order proved to be the sorted order of the events,
    /// so that even a file that passes the MAC but was not written by us cannot make a later
    /// step read out of bounds or answer differently from the logs.
    /// Without `ids` and with some name tables only (a window's replay, nothing after the
    /// snapshot), the ledger is opened for its read models alone (`Ledger.omission`), and the
    /// read models kept at the heads are not read.
    static func decode(_ file: ColumnFile, header: SnapshotHeader, names: NameTables = .all, searchable: NameTables = .all,
                       ids: Bool = true, actorsAndSources: Bool = true, keptModels: Bool = true) throws(SnapshotRejection) -> LedgerSnapshot {
        do throws(ColumnFileError) {
            func column<Element: FixedWidthInteger & Sendable>(_ id: SnapshotColumn) throws(ColumnFileError) -> Column<Element> {
                try file.column(id.rawValue)
            }
            let count = header.logs.reduce(0) { $0 + $1.events }
            var ledger = Ledger()
            // With `ids`, the ids are read below, with their fingerprints.
            try decodeNames(file, into: &ledger, tables: ids ? names.subtracting(.eventIds) : names, searchable: searchable,
                            eventCount: count)
            var identifiers = FingerprintIndex.empty
            if ids {
                ledger.eventIds = try StringColumn(arena: try column(.idBytes), ends: try column(.idEnds), count: count,
                                                   lengths: 1...EventID.maximumLength)
                identifiers = try FingerprintIndex(try column(.idFingerprints), count: count)
            }
            let counts = try nameCounts(file, read: names, in: ledger)
            var events = EventTable()
            events.effective = try column(.effective)
            events.recorded = try recordedTimes(file)
            // Every event of a snapshot is where a verified read (and the tails read after it) put it:
            // each log's in order, seq the line number, in the runs stored.
            guard let runs = EventTable.LogRuns(stored: try column(.logRuns) as Column<UInt32>, logs: header.logs) else {
                throw .malformed("its runs are not those of its logs")
            }
            events.logRuns = runs
            events.code = try column(.code)
            if ids || actorsAndSources {
                events.actor = try column(.actor)
                events.source = try column(.source)
            } else {
                // A window's replay, or a query of every event that shows neither: their columns
                // are neither read nor hashed.
                events.omitsActorsAndSources = true
            }
            events.a = try column(.a)
            events.b = try column(.b)
            events.c = try column(.c)
            events.d = try column(.d)
            events.small = try column(.small)
            events.flags = try column(.flags)
            events.amount = try column(.amount)
            let bounds = EventRecordBounds(
                programmes: Int32(counts.programmes), grants: Int32(counts.grants),
                enterprises: Int32(counts.enterprises), centres: Int32(counts.centres), texts: Int32(counts.texts))
            switch events.validated(EventTable.Limits(logs: header.logs, bounds: bounds)) {
            case .success(let retractedAt): ledger.retractedAt = retractedAt
            case .failure(let rejection): throw ColumnFileError.malformed(rejection.reason)
            }
            ledger.events = events
            let replayOrder: Column<Int32> = try column(.replayOrder)
            try checkReplayOrder(replayOrder, of: ledger)
            ledger.replayOrder = replayOrder
            ledger.logs = header.logs
            if !ids || names != .all {
                ledger.omission = Ledger.Omission(events: false, eventCount: count, nameCounts: counts, names: names)
            } else if keptModels, file.hasColumn(SnapshotColumn.headAppliedEvents.rawValue) {
                ledger.headModels = try ReadModels.decode(file, for: ledger)
            }
            return LedgerSnapshot(header: header, ledger: ledger, identifiers: identifiers)
        } catch {
            throw SnapshotRejection(error)
        }
    }

    /// The recorded times, wide or as offsets from a base (see `EventTable.RecordedTimes`): one
    /// of the two, and a base a verified read can give (each time is checked with its row).
    static func recordedTimes(_ file: ColumnFile) throws(ColumnFileError) -> EventTable.RecordedTimes {
        let wide = file.hasColumn(SnapshotColumn.recorded.rawValue)
        let narrow = file.hasColumn(SnapshotColumn.recordedBase.rawValue) || file.hasColumn(SnapshotColumn.recordedSinceBase.rawValue)
        guard wide != narrow else { throw .malformed("its recorded times are stored both ways or not at all") }
        if wide { return EventTable.RecordedTimes(full: try file.column(SnapshotColumn.recorded.rawValue)) }
        let base: Column<Int64> = try file.column(SnapshotColumn.recordedBase.rawValue)
        guard base.count == 1, isPlausibleRecorded(base[0]) else { throw .malformed("its recorded times' base is out of range") }
        return EventTable.RecordedTimes(base: base[0], sinceBase: try file.column(SnapshotColumn.recordedSinceBase.rawValue))
    }

    /// The replay order must list every event once, in ascending (replay key, index): strictly
    /// rising keys over in-range indexes prove both, in one pass.
    static func checkReplayOrder(_ order: Column<Int32>, of ledger: Ledger) throws(ColumnFileError) {
        guard order.count == ledger.events.count else { throw .malformed("its replay order does not list every event") }
        var previous: UInt128? = nil
        // With more runs than a short scan finds an event's in (tails kept behind the prefix),
        // each event's log rank from a byte an event, not a search of the runs per event.
        let runs = ledger.events.logRuns
        let ranks = runs.runCount > EventTable.LogRuns.scannedRuns ? runs.ranksByEvent() : nil
        for value in order {
            guard value >= 0, Int(value) < ledger.events.count else { throw .malformed("its replay order names a missing event") }
            let index = Int(value)
            let key = (ranks.map { ledger.replayKey(of: index, logRank: $0[index]) } ?? ledger.replayKey(of: index)) << 32
                | UInt128(UInt32(value))
            if let previous, key <= previous { throw .malformed("its replay order is not sorted") }
            previous = key
        }
    }
}
