import LedgerColumns
import LedgerLog

/// Where the reading user keeps ledger snapshots, and the secret key that authenticates them.
///
/// A snapshot is this user's cache, never a file beside the logs: whoever may write the events
/// directory must not be able to choose what a warm query answers. So it lives in a directory
/// only this user may write (`$INCENTIVES_CACHE_DIR`, else `$XDG_CACHE_HOME/incentives`, else
/// `$HOME/.cache/incentives`, created 0700), and it carries an HMAC-SHA256 under a random key
/// kept there (`snapshot.key`, 0600, created once); see `LedgerColumns.PrivateCacheDirectory`.
/// A directory or key that anyone else could have written is not used: the query then runs
/// without a snapshot, with no error.
public struct SnapshotCache: Sendable {
    public static let directoryVariable = "INCENTIVES_CACHE_DIR"
    public static let keyFileName = "snapshot.key"
    /// A snapshot's file name is this and the hex SHA-256 of its ledger's identity.
    public static let snapshotFilePrefix = "snapshot-"
    /// What a ledger's identity digest is computed under.
    static let identityNamespace = "incentives ledger snapshot identity"

    public let directory: String
    let key: [UInt8]

    /// The cache directory `environment` names, or nil when it names none (no home).
    public static func directory(environment: [String: String]) -> String? {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        if let explicit = value(directoryVariable) { return explicit }
        if let cache = value("XDG_CACHE_HOME"), cache.hasPrefix("/") { return cache + "/incentives" }
        if let home = value("HOME") { return home + "/.cache/incentives" }
        return nil
    }

    /// The cache for `environment`, created if missing; or why none may be used.
    public static func open(environment: [String: String]) -> Result<SnapshotCache, SnapshotRejection> {
        guard let directory = directory(environment: environment) else {
            return .failure(.noCache("no cache directory: set \(directoryVariable), XDG_CACHE_HOME or HOME"))
        }
        switch PrivateCacheDirectory.open(directory, keyFileName: keyFileName) {
        case .success(let cache): return .success(SnapshotCache(directory: cache.path, key: cache.key))
        case .failure(.unreadable(let why)): return .failure(.noCache(why))
        case .failure(let error): return .failure(.noCache(error.description))
        }
    }

    /// Where a read that keeps no snapshot may set what it reads aside in an unnamed scratch file
    /// (`SpillFile`): the cache directory, made if missing (no key is), when only this user may
    /// write it; nil otherwise. Nothing is left in it: such a file has no name.
    public static func scratchDirectory(environment: [String: String]) -> String? {
        guard let directory = directory(environment: environment), PrivateCacheDirectory.ensure(directory) else { return nil }
        return directory
    }

    /// Where the snapshot of the ledger in `store`'s directory lives, and the identity its header
    /// must name; nil when the events directory cannot be resolved.
    func place(of store: EventStore) -> (path: String, identity: SHA256Digest)? {
        guard let identity = Self.identity(of: store.directory) else { return nil }
        return (directory + "/" + Self.snapshotFilePrefix + identity.hex, identity)
    }

    /// Where the snapshot of `store`'s ledger is kept for the user whose cache `environment`
    /// names; nil when there is no cache directory or the events directory cannot be resolved.
    /// Creates nothing.
    public static func snapshotPath(of store: EventStore, environment: [String: String]) -> String? {
        guard let directory = directory(environment: environment), let identity = identity(of: store.directory) else { return nil }
        return directory + "/" + snapshotFilePrefix + identity.hex
    }

    /// The ledger's directory by real path, device and inode, and its id when `ledger.json` gives one.
    static func identity(of eventsDirectory: String) -> SHA256Digest? {
        PrivateCacheDirectory.identity(of: eventsDirectory, label: ledgerId(in: eventsDirectory), namespace: identityNamespace)
    }

    /// The ledger id of `DIR/ledger.json`, read as every command reads it (`LedgerManifest`); nil
    /// when there is none or it is damaged (the command itself then says so).
    static func ledgerId(in directory: String) -> String? {
        (try? LedgerManifest.read(directory: directory))??.ledgerId
    }
}
