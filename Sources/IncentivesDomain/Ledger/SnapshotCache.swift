#if canImport(Glibc)
import Glibc
#endif
import LedgerLog

/// Where the reading user keeps ledger snapshots, and the secret key that authenticates them.
///
/// A snapshot is this user's cache, never a file beside the logs: whoever may write the events
/// directory must not be able to choose what a warm query answers. So it lives in a directory
/// only this user may write (`$INCENTIVES_CACHE_DIR`, else `$XDG_CACHE_HOME/incentives`, else
/// `$HOME/.cache/incentives`, created 0700), and it carries an HMAC-SHA256 under a random key
/// kept there (`snapshot.key`, 0600, created once). A directory or key that anyone else could
/// have written is not used: the query then runs without a snapshot, with no error.
public struct SnapshotCache: Sendable {
    public static let directoryVariable = "INCENTIVES_CACHE_DIR"
    public static let keyFileName = "snapshot.key"
    /// A snapshot's file name is this and the hex SHA-256 of its ledger's identity.
    public static let snapshotFilePrefix = "snapshot-"
    static let keyBytes = 32

    public let directory: String
    let key: [UInt8]

    init(directory: String, key: [UInt8]) {
        precondition(key.count == SnapshotCache.keyBytes, "a snapshot key has 32 bytes")
        self.directory = directory
        self.key = key
    }

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
        return open(directory: directory)
    }

    /// The cache in `directory` (its parent is created too if missing), or why it may not be used.
    static func open(directory: String) -> Result<SnapshotCache, SnapshotRejection> {
        if let problem = ensurePrivateDirectory(directory) { return .failure(.noCache(problem)) }
        switch loadKey(directory + "/" + keyFileName) {
        case .success(let key): return .success(SnapshotCache(directory: directory, key: key))
        case .failure(let rejection): return .failure(rejection)
        }
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
        guard let resolved = eventsDirectory.withCString({ realpath($0, nil) }) else { return nil }
        defer { free(resolved) }
        let path = String(cString: resolved)
        var status = stat()
        guard stat(resolved, &status) == 0 else { return nil }
        var hasher = SHA256()
        hasher.update("incentives ledger snapshot identity\n\(path)\n\(status.st_dev)\n\(status.st_ino)\n")
        if let ledgerId = ledgerId(in: path) { hasher.update("ledgerId \(ledgerId)\n") }
        return hasher.finalize()
    }

    /// The ledger id of `DIR/ledger.json`, read as every command reads it (`LedgerManifest`); nil
    /// when there is none or it is damaged (the command itself then says so).
    static func ledgerId(in directory: String) -> String? {
        (try? LedgerManifest.read(directory: directory))??.ledgerId
    }

    /// Creates `directory` (and a missing parent) 0700, and refuses one not owned by this user
    /// or writable by its group or others.
    static func ensurePrivateDirectory(_ directory: String) -> String? {
        if mkdir(directory, 0o700) != 0, errno == ENOENT {
            let parent = String(directory[..<(directory.lastIndex(of: "/") ?? directory.startIndex)])
            if !parent.isEmpty { _ = mkdir(parent, 0o700) }
            _ = mkdir(directory, 0o700)
        }
        var status = stat()
        guard stat(directory, &status) == 0 else {
            return "cannot use cache directory \(directory): \(String(cString: strerror(errno)))"
        }
        guard status.st_mode & S_IFMT == S_IFDIR else { return "cache \(directory) is not a directory" }
        guard status.st_uid == geteuid() else { return "cache directory \(directory) belongs to another user" }
        guard status.st_mode & 0o022 == 0 else { return "cache directory \(directory) may be written by others" }
        return nil
    }

    /// Reads the key, creating it first if there is none: written under a temporary name and
    /// linked into place, so that two processes racing agree on the first key linked.
    static func loadKey(_ path: String) -> Result<[UInt8], SnapshotRejection> {
        let existing = readKey(path)
        guard case .failure(.missing) = existing else { return existing }
        let temporary = path + ".tmp-\(getpid())-\(monotonicNanoseconds())"
        let descriptor = Glibc.open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return .failure(.noCache("cannot create \(temporary): \(String(cString: strerror(errno)))")) }
        var generator = SystemRandomNumberGenerator()
        let key = (0..<keyBytes).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let written = key.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor)
        _ = close(descriptor)
        defer { _ = unlink(temporary) }
        guard written == keyBytes, synced == 0 else { return .failure(.noCache("cannot write \(temporary)")) }
        if link(temporary, path) != 0, errno != EEXIST {
            return .failure(.noCache("cannot create \(path): \(String(cString: strerror(errno)))"))
        }
        return readKey(path)
    }

    /// The key at `path`, only from a regular file of this user's with mode 0600 and 32 bytes.
    static func readKey(_ path: String) -> Result<[UInt8], SnapshotRejection> {
        guard let file = openRegularNoFollow(path, mustBeOwnedByUser: true) else {
            return .failure(errno == ENOENT ? .missing : .noCache("key \(path) is not a regular file of this user's"))
        }
        defer { _ = close(file.descriptor) }
        guard file.status.st_mode & 0o777 == 0o600 else { return .failure(.noCache("key \(path) is not mode 0600")) }
        guard file.status.st_size == off_t(keyBytes), let key = readAll(file.descriptor, count: keyBytes) else {
            return .failure(.noCache("key \(path) is not \(keyBytes) bytes"))
        }
        return .success(key)
    }

    /// Opens `path` for reading without following a symbolic link or blocking on a FIFO, and
    /// keeps it only if it is a regular file (of this user's, when asked); errno says why not.
    static func openRegularNoFollow(_ path: String, mustBeOwnedByUser: Bool) -> (descriptor: Int32, status: stat)? {
        let descriptor = Glibc.open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG,
              !mustBeOwnedByUser || status.st_uid == geteuid() else {
            _ = close(descriptor)
            errno = EPERM
            return nil
        }
        return (descriptor, status)
    }

    private static func readAll(_ descriptor: Int32, count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let result = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + done, count - done, off_t(done)) }
            if result < 0, errno == EINTR { continue }
            guard result > 0 else { return nil }
            done += result
        }
        return bytes
    }
}
