#if canImport(Glibc)
import Glibc
#endif
import LedgerLog

/// The POSIX calls a snapshot needs, kept apart so that the snapshot code reads as plain Swift.
enum SnapshotFile {
    /// No snapshot is larger: a bound on what a damaged size field or a stray file can make us allocate.
    static let maximumBytes = 1 << 40

    /// The whole file at `path`, only if it is a regular file of this user's (not followed
    /// through a symbolic link, never blocking on a FIFO).
    static func read(_ path: String) throws(SnapshotRejection) -> SnapshotBuffer {
        guard let (descriptor, status) = SnapshotCache.openRegularNoFollow(path, mustBeOwnedByUser: true) else {
            if errno == ENOENT { throw .missing }
            throw .unreadable(errno == EPERM ? "not a regular file of this user's" : String(cString: strerror(errno)))
        }
        defer { _ = close(descriptor) }
        let size = Int(status.st_size)
        guard size >= 0, size <= maximumBytes else { throw .malformed("it is larger than any snapshot") }
        // Snapshots are replaced by renaming, never rewritten in place, so the mapped file stays as
        // it was; only someone truncating it by hand during the read could fault the mapping.
        if size > 0, let mapped = SnapshotBuffer(mapping: descriptor, count: size) { return mapped }
        let buffer = SnapshotBuffer(count: size)
        var done = 0
        while done < size {
            guard let base = buffer.mutableBytes.baseAddress else { throw .unreadable("no memory") }
            let result = pread(descriptor, base + done, size - done, off_t(done))
            if result < 0 {
                if errno == EINTR { continue }
                throw .unreadable(String(cString: strerror(errno)))
            }
            if result == 0 { throw .malformed("it shrank while it was being read") }
            done += result
        }
        return buffer
    }

    /// Replaces `path` with what `write` puts in a sink, in one step: written to an unnamed file
    /// in the same directory (Linux `O_TMPFILE`), so that a crash or an interrupt while writing
    /// leaves nothing behind, then named beside the snapshot and renamed over it, so that a reader
    /// sees the old snapshot or the new one, never part of one. Where unnamed files are not
    /// available, a named temporary file is written instead. Not synced: a crash can leave a torn
    /// file under the name, which its length and MAC reject. Returns the reason on failure.
    static func replace(_ path: String, key: [UInt8], write: (SnapshotSink) -> Void) -> String? {
        let directory = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let temporary = path + ".tmp-\(getpid())-\(monotonicNanoseconds())"
        let unnamed = (directory.isEmpty ? "." : directory).withCString { open($0, __O_TMPFILE | O_WRONLY | O_CLOEXEC, 0o600) }
        if unnamed >= 0 {
            if let failure = fill(unnamed, name: temporary, key: key, write: write) {
                _ = close(unnamed)
                return failure
            }
            let linked = "/proc/self/fd/\(unnamed)".withCString { source in
                temporary.withCString { linkat(AT_FDCWD, source, AT_FDCWD, $0, AT_SYMLINK_FOLLOW) }
            }
            _ = close(unnamed)
            if linked == 0 { return rename(temporary, path) }
            // No /proc, or a file system that cannot link an unnamed file: the named way below.
        }
        let descriptor = temporary.withCString { open($0, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600) }
        guard descriptor >= 0 else { return "cannot create \(temporary): \(String(cString: strerror(errno)))" }
        var failure = fill(descriptor, name: temporary, key: key, write: write)
        if close(descriptor) != 0, failure == nil { failure = "cannot write \(temporary): \(String(cString: strerror(errno)))" }
        if let failure {
            _ = unlink(temporary)
            return failure
        }
        return rename(temporary, path)
    }

    private static func fill(_ descriptor: Int32, name: String, key: [UInt8], write: (SnapshotSink) -> Void) -> String? {
        let sink = SnapshotSink(descriptor: descriptor, name: name, key: key)
        write(sink)
        return sink.finish()
    }

    /// Renames `temporary` over `path`, removing `temporary` if that fails.
    private static func rename(_ temporary: String, _ path: String) -> String? {
        guard Glibc.rename(temporary, path) != 0 else { return nil }
        let failure = "cannot rename \(temporary) to \(path): \(String(cString: strerror(errno)))"
        _ = unlink(temporary)
        return failure
    }
}
