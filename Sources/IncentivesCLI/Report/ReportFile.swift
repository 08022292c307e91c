#if canImport(Glibc)
import Glibc
#endif
import LedgerLog

/// Writes a page to its file in one step: into a new temporary file beside it, synced, then
/// renamed over the name, so a reader sees the old file or the whole new one, never part of one.
/// An existing file is replaced (reports are redone); a failure leaves it as it was.
enum ReportFile {
    static func write(_ bytes: [UInt8], to path: String) throws(LedgerError) {
        precondition(!path.isEmpty, "a file name")
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let temporary = path + ".tmp-\(getpid())-\(now.tv_sec)\(now.tv_nsec)"
        let descriptor = temporary.withCString { open($0, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644) }
        guard descriptor >= 0 else {
            throw .inputOutput("cannot create \(temporary) to write \(path): \(String(cString: strerror(errno))); check that the folder exists and is writable; \(path) was not changed")
        }
        var failure: String? = nil
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = "cannot write \(temporary): \(String(cString: strerror(errno)))"
                    return
                }
                offset += written
            }
        }
        if failure == nil, fsync(descriptor) != 0 { failure = "cannot sync \(temporary): \(String(cString: strerror(errno)))" }
        if close(descriptor) != 0, failure == nil { failure = "cannot write \(temporary): \(String(cString: strerror(errno)))" }
        if failure == nil, rename(temporary, path) != 0 {
            failure = "cannot rename \(temporary) to \(path): \(String(cString: strerror(errno)))"
        }
        if let failure {
            _ = unlink(temporary)
            throw .inputOutput(failure + "; \(path) was not changed")
        }
    }
}
