/// Why a snapshot was not used. Each sends the read back to the logs: a snapshot is a cache,
/// so being unable to use one changes how long a query takes, never its answer.
public enum SnapshotRejection: Error, Sendable, Equatable, CustomStringConvertible {
    case missing
    case unreadable(String)
    case notASnapshot
    case otherFormat(version: UInt32)
    /// Written by a build whose name hashing differs (its interner tables would not be found).
    case otherBuild
    case otherLogs
    /// Its checksum does not match: the file was damaged.
    case damaged
    case malformed(String)
    /// A log was changed other than by a verified append since the snapshot's read (edited,
    /// replaced), or no longer passes through the head the snapshot remembers (truncated).
    case stale
    /// The read after the snapshot found a problem; a full read reports it as it would anyway.
    case tailProblem

    public var description: String {
        switch self {
        case .missing: return "there is none"
        case .unreadable(let why): return "it cannot be read (\(why))"
        case .notASnapshot: return "it is not a ledger snapshot"
        case .otherFormat(let version): return "it has format version \(version); this build reads \(LedgerSnapshot.formatVersion)"
        case .otherBuild: return "it was written by a build that hashes names differently"
        case .otherLogs: return "it covers other logs than this store's"
        case .damaged: return "its checksum does not match (damaged)"
        case .malformed(let why): return "it is malformed: \(why)"
        case .stale: return "a log was changed since, other than by an append, or no longer passes through the head it remembers"
        case .tailProblem: return "what was appended after it does not read cleanly"
        }
    }
}
