#if canImport(Glibc)
import Glibc
#endif
import LedgerLog

/// The POSIX calls a snapshot needs, kept apart so that the snapshot code reads as plain Swift.
enum SnapshotFile {
    /// No snapshot is larger: a bound on what a damaged size field or a stray file can make us allocate.
    static let maximumBytes = 1 << 40

    /// The whole file at `path`.
    static func read(_ path: String) throws(SnapshotRejection) -> SnapshotBuffer {
        let descriptor = path.withCString { open($0, O_RDONLY | O_CLOEXEC) }
        guard descriptor >= 0 else {
            if errno == ENOENT { throw .missing }
            throw .unreadable(String(cString: strerror(errno)))
        }
        defer { _ = close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .unreadable(String(cString: strerror(errno))) }
        let size = Int(status.st_size)
        guard size <= maximumBytes else { throw .malformed("it is larger than any snapshot") }
        // Snapshots are replaced by renaming, never rewritten in place, so the mapped file stays as
        // it was; only someone truncating it by hand during the read could fault the mapping.
        if size > 0, let mapped = SnapshotBuffer(mapping: descriptor, count: size) { return mapped }
        let buffer = SnapshotBuffer(count: size)
        var done = 0
        while done < size {
            let result = pread(descriptor, buffer.mutableBytes.baseAddress! + done, size - done, off_t(done))
            if result < 0 {
                if errno == EINTR { continue }
                throw .unreadable(String(cString: strerror(errno)))
            }
            if result == 0 { throw .malformed("it shrank while it was being read") }
            done += result
        }
        return buffer
    }

    /// Replaces `path` with `buffer`'s bytes in one step: a temporary file beside it, renamed over
    /// it, so a reader sees the old snapshot or the new one, never part of one. Not synced: a crash
    /// can leave a torn file under the name, which its length and checksum reject. Returns the
    /// reason on failure, having removed the temporary file.
    static func replace(_ path: String, with buffer: SnapshotBuffer) -> String? {
        let temporary = path + ".tmp-\(getpid())-\(monotonicNanoseconds())"
        let descriptor = temporary.withCString { open($0, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644) }
        guard descriptor >= 0 else { return "cannot create \(temporary): \(String(cString: strerror(errno)))" }
        var failure: String? = nil
        var done = 0
        while done < buffer.count {
            let result = write(descriptor, buffer.bytes.baseAddress! + done, buffer.count - done)
            if result < 0 {
                if errno == EINTR { continue }
                failure = "cannot write \(temporary): \(String(cString: strerror(errno)))"
                break
            }
            done += result
        }
        if close(descriptor) != 0, failure == nil { failure = "cannot write \(temporary): \(String(cString: strerror(errno)))" }
        if failure == nil, rename(temporary, path) != 0 {
            failure = "cannot rename \(temporary) to \(path): \(String(cString: strerror(errno)))"
        }
        if failure != nil { _ = unlink(temporary) }
        return failure
    }
}
