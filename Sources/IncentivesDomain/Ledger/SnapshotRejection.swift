import LedgerColumns

/// Why a snapshot was not used. Each sends the read back to the logs: a snapshot is a cache,
/// so being unable to use one changes how long a query takes, never its answer.
public enum SnapshotRejection: Error, Sendable, Equatable, CustomStringConvertible {
    case missing
    /// This user has no cache directory of their own to keep it in, or its key may not be used.
    case noCache(String)
    /// It is of another ledger (another directory, or another ledger id).
    case otherLedger
    case unreadable(String)
    case notASnapshot
    case otherFormat(version: UInt32)
    /// Written in another layout of the storage layer (`ColumnFile.storageFormatVersion`).
    case otherStorageFormat(version: UInt32)
    /// Written by a build whose name hashing differs (its interner tables would not be found).
    case otherBuild
    case otherLogs
    /// Its MAC is not the one this user's key gives: damaged, or not written by this user.
    case damaged
    case malformed(String)
    /// A log no longer passes through the head the snapshot remembers (edited, replaced,
    /// truncated), as a read of its prefix found.
    case stale
    /// The read after the snapshot found a problem; a full read reports it as it would anyway.
    case tailProblem
    /// Events were appended after a large snapshot that already holds as many runs of its logs'
    /// events as a file may (tails read after earlier snapshots): a query reads the logs again as
    /// a first read does, saving it anew in one run a log, rather than save it from a copy of the
    /// ledger laid out so (`Ledger.open`).
    case appendedSince

    public var description: String {
        switch self {
        case .missing: return "there is none"
        case .noCache(let why): return "no private cache to keep it in (\(why))"
        case .otherLedger: return "it is of another ledger"
        case .unreadable(let why): return "it cannot be read (\(why))"
        case .notASnapshot: return "it is not a ledger snapshot"
        case .otherFormat(let version): return "it has format version \(version); this build reads \(LedgerSnapshot.formatVersion)"
        case .otherStorageFormat(let version):
            return "it has storage format \(version); this build reads \(ColumnFile.storageFormatVersion)"
        case .otherBuild: return "it was written by a build that hashes names differently"
        case .otherLogs: return "it covers other logs than this store's"
        case .damaged: return "its MAC does not match this user's key (damaged, or not written by this user)"
        case .malformed(let why): return "it is malformed: \(why)"
        case .stale: return "a log no longer passes through the head it remembers (changed other than by appending)"
        case .tailProblem: return "what was appended after it does not read cleanly"
        case .appendedSince: return "events were appended after it, which holds as many tails as it may: the logs are read again, and it is saved anew"
        }
    }
}

extension SnapshotRejection {
    /// What a `.malformed` rejection says, or its description.
    var reason: String {
        if case .malformed(let why) = self { return why }
        return description
    }

    /// The rejection a refusal of the storage layer amounts to.
    init(_ error: ColumnFileError) {
        switch error {
        case .missing: self = .missing
        case .unreadable(let why): self = .unreadable(why)
        case .notAColumnFile: self = .notASnapshot
        case .otherStorageFormat(let version): self = .otherStorageFormat(version: version)
        case .otherSchema(let version): self = .otherFormat(version: version)
        case .damaged: self = .damaged
        case .malformed(let why): self = .malformed(why)
        }
    }
}
