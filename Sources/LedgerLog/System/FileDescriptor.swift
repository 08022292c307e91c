#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The few POSIX calls the log needs, each turning errno into a sentence that names the file.
/// Kept apart so that the rest of the log layer reads as plain Swift.
struct FileDescriptor: ~Copyable {
    let raw: Int32
    let path: String

    enum Mode {
        case readOnly
        case readWrite(create: Bool)
    }

    static func open(_ path: String, _ mode: Mode) throws(LedgerError) -> FileDescriptor {
        let flags: Int32
        switch mode {
        case .readOnly: flags = O_RDONLY | O_CLOEXEC
        case .readWrite(let create): flags = O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0)
        }
        let raw = path.withCString { Glibc.open($0, flags, 0o644) }
        guard raw >= 0 else { throw systemError("cannot open \(path)") }
        return FileDescriptor(raw: raw, path: path)
    }

    /// Nil when the file does not exist (a missing log is an empty log).
    static func openIfExists(_ path: String) throws(LedgerError) -> FileDescriptor? {
        let raw = path.withCString { Glibc.open($0, O_RDONLY | O_CLOEXEC) }
        if raw < 0 {
            if errno == ENOENT { return nil }
            throw systemError("cannot open \(path)")
        }
        return FileDescriptor(raw: raw, path: path)
    }

    deinit { _ = Glibc.close(raw) }

    func size() throws(LedgerError) -> Int {
        var status = stat()
        guard fstat(raw, &status) == 0 else { throw systemError("cannot read the size of \(path)") }
        return Int(status.st_size)
    }

    /// Reads up to `count` bytes at `offset`; fewer only at end of file.
    func read(into buffer: UnsafeMutableRawPointer, count: Int, at offset: Int) throws(LedgerError) -> Int {
        var done = 0
        while done < count {
            let result = pread(raw, buffer + done, count - done, off_t(offset + done))
            if result < 0 {
                if errno == EINTR { continue }
                throw systemError("cannot read \(path)")
            }
            if result == 0 { break }
            done += result
        }
        return done
    }

    /// Reads up to `count` bytes at `offset` into a new array (shorter only at end of file).
    func readBytes(count: Int, at offset: Int) throws(LedgerError) -> [UInt8] {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 1), alignment: 16)
        defer { buffer.deallocate() }
        let got = try read(into: buffer.baseAddress!, count: count, at: offset)
        return Array(UnsafeRawBufferPointer(rebasing: buffer[0..<got]))
    }

    func write(_ bytes: [UInt8], at offset: Int) throws(LedgerError) {
        var failure: LedgerError? = nil
        bytes.withUnsafeBytes { pointer in
            do throws(LedgerError) { try write(pointer, at: offset) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws(LedgerError) {
        var done = 0
        while done < bytes.count {
            let result = pwrite(raw, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
            if result < 0 {
                if errno == EINTR { continue }
                throw systemError("cannot write \(path)")
            }
            done += result
        }
    }

    func truncate(to length: Int) throws(LedgerError) {
        guard ftruncate(raw, off_t(length)) == 0 else { throw systemError("cannot truncate \(path)") }
    }

    func synchronize() throws(LedgerError) {
        guard fsync(raw) == 0 else { throw systemError("cannot sync \(path) to disk") }
    }

    /// Blocks until the lock is held; released when the descriptor closes.
    func lock(exclusive: Bool) throws(LedgerError) {
        while flock(raw, exclusive ? LOCK_EX : LOCK_SH) != 0 {
            if errno == EINTR { continue }
            throw systemError("cannot lock \(path)")
        }
    }
}

func systemError(_ what: String) -> LedgerError {
    let code = errno
    let reason = String(cString: strerror(code))
    var advice = ""
    switch code {
    case ENOSPC, EDQUOT: advice = "; free some disk space and try again"
    case EFBIG: advice = "; the file-size limit was reached, raise it (ulimit -f) and try again"
    case EACCES, EPERM: advice = "; check the permissions of the events directory and its files"
    case EROFS: advice = "; the file system is mounted read-only: append where it is writable"
    case ENOENT: advice = "; check the path"
    default: break
    }
    return .inputOutput("\(what): \(reason)\(advice)")
}

func synchronizeDirectory(_ path: String) throws(LedgerError) {
    let raw = path.withCString { Glibc.open($0, O_RDONLY | O_CLOEXEC | O_DIRECTORY) }
    guard raw >= 0 else { throw systemError("cannot open directory \(path)") }
    defer { _ = Glibc.close(raw) }
    guard fsync(raw) == 0 || errno == EINVAL else { throw systemError("cannot sync directory \(path)") }
}

func fileExists(_ path: String) -> Bool {
    var status = stat()
    return path.withCString { stat($0, &status) } == 0
}

func isDirectory(_ path: String) -> Bool {
    var status = stat()
    guard path.withCString({ stat($0, &status) }) == 0 else { return false }
    return (status.st_mode & S_IFMT) == S_IFDIR
}

func currentUnixSeconds() -> Int {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return now.tv_sec
}

/// Monotonic nanoseconds, for measuring how long a replay took (never hashed or compared).
public func monotonicNanoseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
}

/// A closed pipe (`incentives … | head`) and a file-size limit (`ulimit -f`) become errors we
/// report and clean up after, instead of signals that kill the process mid-append.
public func ignoreSignalsThatWouldInterruptWrites() {
    signal(SIGPIPE, SIG_IGN)
    signal(SIGXFSZ, SIG_IGN)
}

/// The process environment as a dictionary (only looked up by key, never iterated for output).
public func processEnvironment() -> [String: String] {
    var result: [String: String] = [:]
    var pointer = environ
    while let entry = pointer.pointee {
        let text = String(cString: entry)
        if let equals = text.firstIndex(of: "=") {
            result[String(text[..<equals])] = String(text[text.index(after: equals)...])
        }
        pointer += 1
    }
    return result
}

func activeProcessorCount() -> Int {
    Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
}

/// The whole content of a file, or nil when it cannot be read.
public func readFileBytes(_ path: String) -> [UInt8]? {
    guard let file = try? FileDescriptor.open(path, .readOnly), let size = try? file.size() else { return nil }
    return try? file.readBytes(count: size, at: 0)
}
