#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The calls that change a file's content, behind a value that tests replace to make a write
/// fail (a full disk) or be interrupted (EINTR) at a chosen moment. Each sets `errno` on failure
/// as the system call does.
public struct SystemCalls: Sendable {
    public var write: @Sendable (_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int, _ offset: Int) -> Int
    public var synchronize: @Sendable (_ descriptor: Int32) -> Int32
    public var truncate: @Sendable (_ descriptor: Int32, _ length: Int) -> Int32

    public init(write: @escaping @Sendable (Int32, UnsafeRawPointer, Int, Int) -> Int,
                synchronize: @escaping @Sendable (Int32) -> Int32,
                truncate: @escaping @Sendable (Int32, Int) -> Int32) {
        self.write = write
        self.synchronize = synchronize
        self.truncate = truncate
    }

    /// The operating system's own calls.
    public static let live = SystemCalls(
        write: { descriptor, bytes, count, offset in Glibc.pwrite(descriptor, bytes, count, off_t(offset)) },
        synchronize: { descriptor in Glibc.fsync(descriptor) },
        truncate: { descriptor, length in Glibc.ftruncate(descriptor, off_t(length)) })
}

/// The few POSIX calls the log needs, each turning errno into a sentence that names the file.
/// Kept apart so that the rest of the log layer reads as plain Swift.
public struct FileDescriptor: ~Copyable {
    public let raw: Int32
    public let path: String
    let system: SystemCalls

    init(raw: Int32, path: String, system: SystemCalls = .live) {
        self.raw = raw
        self.path = path
        self.system = system
    }

    public enum Mode: Sendable {
        case readOnly
        case readWrite(create: Bool)
        /// A file that must not exist yet (`O_EXCL`): a temporary file of our own, so that removing
        /// it afterwards can never remove anything that was not ours.
        case createNew
    }

    /// Opens a log, the journal, the snapshot or a quarantine file: only a regular file, never
    /// through a symbolic link, and never waiting (a FIFO in a file's place would block `open`
    /// until a writer came). A symbolic link, a FIFO, a socket, a device or a directory is refused
    /// with `.inputOutput` naming the file and what it is. With `maximumLinks`, a file with more
    /// hard links is refused too (a log shared by two events directories, whose locks do not see
    /// each other). Nil when the file does not exist and `mode` does not create it.
    public static func openRegular(_ path: String, _ mode: Mode, maximumLinks: Int? = nil,
                                   system: SystemCalls = .live) throws(LedgerError) -> FileDescriptor? {
        var flags = O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY
        switch mode {
        case .readOnly: flags |= O_RDONLY
        case .readWrite(let create): flags |= O_RDWR | (create ? O_CREAT : 0)
        case .createNew: flags |= O_RDWR | O_CREAT | O_EXCL
        }
        let raw = path.withCString { Glibc.open($0, flags, 0o644) }
        guard raw >= 0 else {
            let failure = errno
            if failure == ENOENT, case .readOnly = mode { return nil }
            if failure == ENOENT, case .readWrite(create: false) = mode { return nil }
            if [ELOOP, ENXIO, EISDIR, ENODEV, EOPNOTSUPP, ETXTBSY].contains(failure),
               let kind = nonRegularKind(path) {
                throw notRegular(path, kind)
            }
            errno = failure
            throw systemError("cannot open \(path)")
        }
        let file = FileDescriptor(raw: raw, path: path, system: system)
        var status = stat()
        guard fstat(raw, &status) == 0 else { throw systemError("cannot read the state of \(path)") }
        guard (status.st_mode & S_IFMT) == S_IFREG else { throw notRegular(path, kindName(status.st_mode)) }
        if let maximumLinks, Int(status.st_nlink) > maximumLinks {
            throw .inputOutput("\(path) has \(status.st_nlink) hard links: a log belongs to one events directory only, because appends are locked per directory and two directories appending to one file would write over each other's events; give each directory its own copy (cp, not ln) and remove the extra links")
        }
        // Reads and writes of a regular file never wait anyway; cleared so that nothing depends on it.
        let current = fcntl(raw, F_GETFL)
        guard current >= 0, fcntl(raw, F_SETFL, current & ~O_NONBLOCK) == 0 else {
            throw systemError("cannot set the flags of \(path)")
        }
        return file
    }

    /// Opens a regular file that must exist or be created (see `openRegular`).
    static func open(_ path: String, _ mode: Mode, maximumLinks: Int? = nil,
                     system: SystemCalls = .live) throws(LedgerError) -> FileDescriptor {
        guard let file = try openRegular(path, mode, maximumLinks: maximumLinks, system: system) else {
            errno = ENOENT
            throw systemError("cannot open \(path)")
        }
        return file
    }

    /// The events directory itself, read-only: a lock a dry run holds where no journal exists yet.
    static func openDirectory(_ path: String) throws(LedgerError) -> FileDescriptor {
        let raw = path.withCString { Glibc.open($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        guard raw >= 0 else { throw systemError("cannot open \(path)") }
        return FileDescriptor(raw: raw, path: path)
    }

    /// Nil when the file does not exist (a missing log is an empty log); only a regular file.
    static func openIfExists(_ path: String, maximumLinks: Int? = nil) throws(LedgerError) -> FileDescriptor? {
        try openRegular(path, .readOnly, maximumLinks: maximumLinks)
    }

    /// What the file at `path` is, when it is not a regular file; nil when it is one or is gone.
    static func nonRegularKind(_ path: String) -> String? {
        var status = stat()
        guard path.withCString({ lstat($0, &status) }) == 0, (status.st_mode & S_IFMT) != S_IFREG else { return nil }
        return kindName(status.st_mode)
    }

    static func kindName(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFLNK: return "a symbolic link"
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFSOCK: return "a socket"
        case S_IFDIR: return "a directory"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        default: return "not a regular file"
        }
    }

    static func notRegular(_ path: String, _ kind: String) -> LedgerError {
        .inputOutput("\(path) is \(kind), not a regular file: the ledger reads and writes only regular files in place (it follows no symbolic link and opens no pipe, socket or device); put the file itself there")
    }

    deinit { _ = Glibc.close(raw) }

    public func size() throws(LedgerError) -> Int {
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
            let result = system.write(raw, bytes.baseAddress! + done, bytes.count - done, offset + done)
            if result < 0 {
                if errno == EINTR { continue }
                throw systemError("cannot write \(path)")
            }
            done += result
        }
    }

    func truncate(to length: Int) throws(LedgerError) {
        guard system.truncate(raw, length) == 0 else { throw systemError("cannot truncate \(path)") }
    }

    func synchronize() throws(LedgerError) {
        guard system.synchronize(raw) == 0 else { throw systemError("cannot sync \(path) to disk") }
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
    // An input file the user names, not a ledger file: any file they may open is theirs to give.
    let raw = path.withCString { Glibc.open($0, O_RDONLY | O_CLOEXEC) }
    guard raw >= 0 else { return nil }
    let file = FileDescriptor(raw: raw, path: path)
    guard let size = try? file.size() else { return nil }
    return try? file.readBytes(count: size, at: 0)
}
