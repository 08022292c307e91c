import LedgerLog

/// A ledger and how it was obtained: from a snapshot and the events after it, or from the logs
/// in full (and why), and what became of the snapshot. For tests and `INCENTIVES_SNAPSHOT_TRACE`.
public struct LedgerOpening: Sendable {
    public enum Source: Sendable, Equatable {
        /// The snapshot, then this many events read after it.
        case snapshot(eventsAfter: Int)
        /// The read models the snapshot kept at the heads, and nothing else (`LedgerScope`).
        case keptModels
        /// The snapshot's events, to replay a window, without the columns the query does not read:
        /// the ids or names it does not show, the actors and sources, the ids' fingerprints (`LedgerScope`).
        case readModels
        /// Every log read in full; nil when no snapshot was asked for.
        case logs(snapshotRejected: SnapshotRejection?)
    }

    public enum Saving: Sendable, Equatable {
        case notAttempted
        case saved
        /// The directory refused it (read-only, full); the answer is the same without it.
        case failed(String)
    }

    public var ledger: Ledger
    public var source: Source
    public var saving: Saving
    /// The logs whose prefixes, their stamps changed since the snapshot, were proved by the
    /// digests it kept (`LogPrefixDigest`), not read again line by line.
    public var prefixesProvedByDigest: [LogName] = []

    public var usedSnapshot: Bool {
        switch source {
        case .snapshot, .keptModels, .readModels: return true
        case .logs: return false
        }
    }

    /// One line saying what happened.
    public var note: String {
        var text: String
        switch source {
        case .snapshot(let count):
            text = "snapshot used, \(count) event\(count == 1 ? "" : "s") read after it"
            if !prefixesProvedByDigest.isEmpty {
                text += " (prefix of \(prefixesProvedByDigest.map(\.fileName).joined(separator: ", ")) proved by its digest)"
            }
        case .keptModels:
            text = "snapshot used for its read models at the heads alone (events not read)"
        case .readModels:
            text = "snapshot used, 0 events read after it (its events alone: the columns this query does not read left unread)"
        case .logs(nil):
            text = "snapshot not asked for; logs read in full"
        case .logs(let rejection?):
            text = "snapshot not used (\(rejection)); logs read in full"
        }
        switch saving {
        case .notAttempted: break
        case .saved: text += "; snapshot saved"
        case .failed(let why): text += "; snapshot not saved: \(why)"
        }
        return text
    }
}
