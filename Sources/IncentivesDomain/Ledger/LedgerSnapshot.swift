import LedgerColumns
import LedgerLog

/// The ledger's columns saved in the reading user's cache (see `SnapshotCache`) as a column file
/// (`LedgerColumns.ColumnFile`), tied to the chain state of each log where the verified read it
/// comes from ended. A later query maps it and uses its columns in place, then reads, hashes and
/// chain-checks only what was appended since.
///
/// It is a cache: it is used only when its MAC is this user's, it is of this ledger, every
/// column checks out row by row (see `EventTable.validated`), and every log's file is unchanged
/// since it was known good (its stamp is the one remembered and was settled when taken) and
/// still passes through the head it remembers; otherwise it is ignored and rebuilt from a full
/// verified read. Deleting it changes no answer. Its metadata is `SnapshotHeader`; its columns
/// are listed in `SnapshotColumn`. Derived state (retraction times; each event's log and seq,
/// from the stored runs) is rebuilt on load, not stored.
public struct LedgerSnapshot: Sendable {
    /// Where snapshots were once kept, beside the logs: never read again (anyone who may write
    /// the events directory could have written it).
    public static let formerFileName = ".ledger-snapshot"
    /// The column file's schema version. Bump on any change of the columns or of what a stored
    /// value means (record codes, tier or centre-kind numbers, the decoding of an event): an
    /// older file is then ignored and rebuilt.
    public static let formatVersion: UInt32 = 10
    /// The dates and times a verified read can give (years 1900 to 9999, as the event format
    /// allows): a row outside them is refused, never computed with.
    static let earliestDay = CalendarDate(year: CalendarDate.minimumYear, month: 1, day: 1)?.daysSinceEpoch ?? 0
    static let latestDay = CalendarDate(year: CalendarDate.maximumYear, month: 12, day: 31)?.daysSinceEpoch ?? 0
    static let earliestRecordedSeconds = Int64(earliestDay) * 86_400
    static let latestRecordedSeconds = Int64(latestDay) * 86_400 + 86_399

    static func isPlausibleRecorded(_ seconds: Int64) -> Bool {
        seconds >= earliestRecordedSeconds && seconds <= latestRecordedSeconds
    }

    /// Interner tables are stored hashed; a build whose `FastHash` differs must not use them.
    static var nameHashProbe: UInt64 {
        FingerprintIndex.fingerprint(of: Array("incentives ledger snapshot: name hash probe".utf8))
    }
    /// Limits on what a header may claim, checked before anything is allocated.
    static let maximumLogs = 64
    static let maximumLogNameBytes = 255

    /// What its metadata says: the ledger's identity, each log where the snapshot's verified read
    /// ended (with the file's stamp then) and when the stamps were taken.
    var header: SnapshotHeader
    /// The chain state of each log (in store order) where the snapshot's verified read ended.
    var points: [TailState] { header.points }
    /// When the stamps were taken, at the earliest (nanoseconds since the epoch).
    var stampsTakenAfterNanoseconds: Int64 { header.stampsTakenAfterNanoseconds }
    var ledger: Ledger
    /// Answers "may this id be in the snapshot?" for the ids read after it.
    var identifiers = FingerprintIndex.empty

    /// Each log's stamp at the read the snapshot comes from; nil where it is not known.
    var stamps: [LogStamp?] { ledger.logs.map(\.stamp) }

    static func points(of summaries: [LogSummary]) -> [TailState] {
        summaries.map { TailState(bytes: $0.bytes, seq: $0.events, head: $0.head, lastRecorded: $0.lastRecorded) }
    }
}

/// The columns of a snapshot, by their ids in the column file. Fixed once given, never reused.
enum SnapshotColumn: UInt32, CaseIterable, Comparable {
    static func < (left: SnapshotColumn, right: SnapshotColumn) -> Bool { left.rawValue < right.rawValue }

    case effective = 1, recorded
    // 3 and 4 held each event's seq and log rank (format 5 and before): they follow from the
    // runs (`logRuns`) and the logs' event counts in the header, so they are not stored.
    case code = 5, actor, source, a, b, c, d, small, flags, amount
    /// The recorded times as seconds since a base (`EventTable.RecordedTimes`): the base (one
    /// value) and each event's offset, instead of `recorded` whenever every time fits.
    case recordedBase = 15, recordedSinceBase
    /// Where each log's events are (`EventTable.LogRuns.storedRuns(logs:)`): a (log rank, event
    /// count) pair a run, in index order. One run a log after a full read; a snapshot saved from
    /// a ledger opened with a tail keeps the tail in runs behind the prefix (format 9 and after).
    case logRuns = 17
    case idBytes = 20, idEnds, idFingerprints
    case replayOrder = 30
    case programmeBytes = 40, programmeOffsets, programmeSlots
    case grantBytes = 43, grantOffsets, grantSlots
    case enterpriseBytes = 46, enterpriseOffsets, enterpriseSlots
    case centreBytes = 49, centreOffsets, centreSlots
    case textBytes = 52, textOffsets, textSlots
    /// The read models at the heads (`ReadModels+Columns`).
    case headAppliedEvents = 60
    case headGrantPresent = 61, headGrantEnterprise, headGrantProgramme, headGrantProject, headGrantAwarded,
         headGrantAwardEvent, headGrantOriginal, headGrantCurrent, headGrantDisbursedLow, headGrantDisbursedHigh,
         headGrantRecoveredLow, headGrantRecoveredHigh, headGrantRevoked, headGrantAmendments, headGrantPayments
    case headEnterprisePresent = 80, headEnterpriseRegistered, headEnterpriseName, headEnterpriseSector,
         headEnterpriseDeregistered, headEnterpriseTier, headEnterpriseLastScore, headEnterpriseLastScoreDate,
         headEnterpriseHistoryStarts, headTierChangeEffective, headTierChangeFrom, headTierChangeTo, headTierChangeEvent
    case headProgrammePresent = 100, headProgrammeEstablished, headProgrammeName, headProgrammeTermStarts, headTermFrom,
         headTermMinTier, headTermCap, headTermYears, headProgrammeBudgetStarts, headBudgetYear, headBudgetAmount
    case headCentrePresent = 120, headCentreName, headCentreKind, headCentreCity, headCentrePartner, headCentreOpened,
         headCentreClosed
    /// The summary at the heads (`Summary+Kept`).
    case headSummary = 130
    /// The grants by enterprise at the heads, no filter (`GrantBreakdown+Kept`).
    case headByEnterpriseKeyBytes = 140, headByEnterpriseKeyEnds, headByEnterpriseNameBytes, headByEnterpriseNameEnds,
         headByEnterpriseCount, headByEnterpriseAwarded, headByEnterpriseDisbursed, headByEnterpriseRecovered

    /// The interners' columns (of `tables`): every name the events and read models refer to; the
    /// hash tables of those in `searchable` only.
    static func names(_ tables: NameTables = .all, searchable: NameTables = .all) -> [SnapshotColumn] {
        var columns: [SnapshotColumn] = []
        func add(_ table: NameTables, _ bytes: SnapshotColumn, _ offsets: SnapshotColumn, _ slots: SnapshotColumn) {
            guard tables.contains(table) else { return }
            columns += searchable.contains(table) ? [bytes, offsets, slots] : [bytes, offsets]
        }
        add(.programmes, .programmeBytes, .programmeOffsets, .programmeSlots)
        add(.grants, .grantBytes, .grantOffsets, .grantSlots)
        add(.enterprises, .enterpriseBytes, .enterpriseOffsets, .enterpriseSlots)
        add(.centres, .centreBytes, .centreOffsets, .centreSlots)
        add(.texts, .textBytes, .textOffsets, .textSlots)
        if tables.contains(.eventIds) { columns += [.idBytes, .idEnds] }
        return columns
    }
    /// The events' columns and the replay order: what a window's replay reads. The recorded
    /// times are in `recorded` or in `recordedBase` and `recordedSinceBase`, whichever `file`
    /// holds (a file with both or neither is refused when decoded).
    static func events(in file: ColumnFile) -> [SnapshotColumn] {
        let recordedColumns: [SnapshotColumn] = [.recorded, .recordedBase, .recordedSinceBase]
        return allCases.filter { $0.rawValue <= logRuns.rawValue }
            .filter { !recordedColumns.contains($0) || file.hasColumn($0.rawValue) } + [.replayOrder]
    }

    /// The grants by enterprise kept at the heads (a whole read hashes them too, and uses none).
    static var keptGrantsByEnterprise: [SnapshotColumn] {
        allCases.filter { (headByEnterpriseKeyBytes...headByEnterpriseRecovered).contains($0) }
    }

    /// Everything kept to answer at the heads: the read models, the summary, the grants by enterprise.
    static var keptAnswers: [SnapshotColumn] { keptModels() + [.headSummary] + keptGrantsByEnterprise }

    /// The read models kept at the heads (of `parts`).
    static func keptModels(_ parts: ReadModelParts = .all) -> [SnapshotColumn] {
        func within(_ range: ClosedRange<SnapshotColumn>) -> [SnapshotColumn] { allCases.filter { range.contains($0) } }
        var columns: [SnapshotColumn] = [.headAppliedEvents]
        if parts.contains(.grants) { columns += within(headGrantPresent...headGrantPayments) }
        if parts.contains(.enterprises) { columns += within(headEnterprisePresent...headTierChangeEvent) }
        if parts.contains(.programmes) { columns += within(headProgrammePresent...headBudgetAmount) }
        if parts.contains(.centres) { columns += within(headCentrePresent...headCentreClosed) }
        return columns
    }
}
