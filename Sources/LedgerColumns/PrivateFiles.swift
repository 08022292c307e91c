#if canImport(Glibc)
import Glibc
#endif
import LedgerLog

/// A directory only the reading user may write, and the secret key kept in it that
/// authenticates the column files there: a cache that nobody else can choose the contents of.
/// A directory or key that anyone else could have written is not used.
public struct PrivateCacheDirectory: Sendable {
    public static let keyBytes = 32

    public let path: String
    public let key: [UInt8]

    /// The directory at `path` (its parent is created too if missing, 0700) with the key in its
    /// file `keyFileName` (created once, 0600), or why it may not be used.
    public static func open(_ path: String, keyFileName: String) -> Result<PrivateCacheDirectory, ColumnFileError> {
        if let problem = PrivateFiles.ensurePrivateDirectory(path) { return .failure(.unreadable(problem)) }
        switch PrivateFiles.loadKey(path + "/" + keyFileName, bytes: keyBytes) {
        case .success(let key): return .success(PrivateCacheDirectory(path: path, key: key))
        case .failure(let error): return .failure(error)
        }
    }

    /// Whether `path` is (or, missing, is now made, 0700) a directory only this user may write:
    /// a place for scratch files that needs no key.
    public static func ensure(_ path: String) -> Bool {
        PrivateFiles.ensurePrivateDirectory(path) == nil
    }

    /// A digest naming what is cached of `directory`: its real path, device and inode, and `label`
    /// (an id the directory's owner gave it), under the client's `namespace`, so that another
    /// directory, or the same path after it was replaced, never finds this one's file. Nil when
    /// the directory cannot be resolved.
    public static func identity(of directory: String, label: String?, namespace: String) -> SHA256Digest? {
        guard let resolved = directory.withCString({ realpath($0, nil) }) else { return nil }
        defer { free(resolved) }
        let path = String(cString: resolved)
        var status = stat()
        guard stat(resolved, &status) == 0 else { return nil }
        var hasher = SHA256()
        hasher.update("\(namespace)\n\(path)\n\(status.st_dev)\n\(status.st_ino)\n")
        if let label { hasher.update("label \(label)\n") }
        return hasher.finalize()
    }
}

/// The POSIX calls of the cache, kept apart so that the rest reads as plain Swift.
enum PrivateFiles {
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
    static func loadKey(_ path: String, bytes count: Int) -> Result<[UInt8], ColumnFileError> {
        let existing = readKey(path, bytes: count)
        guard case .failure(.missing) = existing else { return existing }
        let temporary = path + ".tmp-\(getpid())-\(monotonicNanoseconds())"
        let descriptor = Glibc.open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return .failure(.unreadable("cannot create \(temporary): \(String(cString: strerror(errno)))")) }
        var generator = SystemRandomNumberGenerator()
        let key = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let written = key.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor)
        _ = close(descriptor)
        // Only the temporary this call created (O_EXCL) is removed.
        defer { _ = unlink(temporary) }
        guard written == count, synced == 0 else { return .failure(.unreadable("cannot write \(temporary)")) }
        if link(temporary, path) != 0, errno != EEXIST {
            return .failure(.unreadable("cannot create \(path): \(String(cString: strerror(errno)))"))
        }
        return readKey(path, bytes: count)
    }

    /// The key at `path`, only from a regular file of this user's with mode 0600 and `count` bytes.
    static func readKey(_ path: String, bytes count: Int) -> Result<[UInt8], ColumnFileError> {
        guard let file = openRegularNoFollow(path, mustBeOwnedByUser: true) else {
            return .failure(errno == ENOENT ? .missing : .unreadable("key \(path) is not a regular file of this user's"))
        }
        defer { _ = close(file.descriptor) }
        guard file.status.st_mode & 0o777 == 0o600 else { return .failure(.unreadable("key \(path) is not mode 0600")) }
        var key = [UInt8](repeating: 0, count: count)
        var done = 0
        while file.status.st_size == off_t(count), done < count {
            let result = key.withUnsafeMutableBytes { pread(file.descriptor, $0.baseAddress! + done, count - done, off_t(done)) }
            if result < 0, errno == EINTR { continue }
            guard result > 0 else { break }
            done += result
        }
        guard done == count else { return .failure(.unreadable("key \(path) is not \(count) bytes")) }
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
}
