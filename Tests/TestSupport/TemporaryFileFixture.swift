#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A scratch directory of its own for one test, made with mkdtemp under `$TMPDIR` (or /tmp), and
/// removed with everything in it when the value goes away: tests that run in parallel never share
/// files, and none are left behind.
///
/// Plain POSIX, not Foundation: a test module that imports this one would otherwise see
/// Foundation's overloads, and its expressions would type-check differently.
public final class TemporaryFileFixture: Sendable {
    public let path: String

    /// How deep removal descends; a test makes a few levels at most.
    public static let maximumDepth = 32

    /// A new empty directory named `prefix.XXXXXX` under `base` (by default `$TMPDIR`, or /tmp).
    public init(prefix: String = "incentives-tests", under base: String? = nil) {
        let parent = base ?? Self.temporaryBase()
        guard let made = Self.makeDirectory(prefix: prefix, under: parent) else {
            preconditionFailure("mkdtemp failed under \(parent): errno \(errno)")
        }
        path = made
    }

    private init(made: String) { path = made }

    /// As `init`, but nil when the directory cannot be made (a fuzz oracle skips the input then).
    public static func attempt(prefix: String, under base: String? = nil) -> TemporaryFileFixture? {
        makeDirectory(prefix: prefix, under: base ?? temporaryBase()).map { TemporaryFileFixture(made: $0) }
    }

    deinit { Self.remove(path) }

    /// `$TMPDIR` when set and not empty, else /tmp.
    public static func temporaryBase() -> String {
        guard let value = getenv("TMPDIR"), value.pointee != 0 else { return "/tmp" }
        return String(cString: value)
    }

    private static func makeDirectory(prefix: String, under parent: String) -> String? {
        precondition(!prefix.isEmpty && !prefix.contains("/"), "a prefix is one plain name")
        var template = Array((parent + "/" + prefix + ".XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard made != nil else { return nil }
        return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    // MARK: Files

    /// The path of `name` inside this directory.
    public func file(_ name: String) -> String { path + "/" + name }

    /// Makes a directory inside this one (and returns its path).
    @discardableResult
    public func makeDirectory(_ name: String, mode: mode_t = 0o755) -> String {
        let made = file(name)
        precondition(mkdir(made, mode) == 0, "cannot create \(made): errno \(errno)")
        return made
    }

    /// Writes `name` (created or truncated), all of `bytes`.
    public func write(_ name: String, _ bytes: [UInt8]) { Self.write(path: file(name), bytes) }

    /// The bytes of `name`, or nil when it cannot be read.
    public func read(_ name: String) -> [UInt8]? { Self.read(path: file(name)) }

    public func exists(_ name: String) -> Bool { access(file(name), F_OK) == 0 }

    /// The names in this directory, sorted (no "." or "..").
    public func names() -> [String] { Self.names(in: path) }

    /// Writes a file anywhere (created 0600 or truncated), all of `bytes`; traps when it cannot.
    public static func write(path: String, _ bytes: [UInt8]) { PlainFile.writeAll(path: path, bytes) }

    /// The bytes of a file anywhere, or nil when it cannot be opened or read (or passes 1 GiB).
    public static func read(path: String) -> [UInt8]? { PlainFile.readAll(path: path) }

    /// The names in a directory, sorted (no "." or ".."); empty when it cannot be listed.
    public static func names(in directory: String) -> [String] {
        guard let stream = opendir(directory) else { return [] }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    // MARK: Removal

    /// Removes a directory and everything in it, without following links: directories a test
    /// made unreadable are opened up first. Quietly does what it can.
    public static func remove(_ directory: String) { remove(directory, depth: 0) }

    private static func remove(_ directory: String, depth: Int) {
        guard depth <= maximumDepth else { return }
        _ = chmod(directory, 0o700)
        for name in names(in: directory) {
            let entry = directory + "/" + name
            var status = stat()
            if lstat(entry, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
                remove(entry, depth: depth + 1)
            } else {
                _ = unlink(entry)
            }
        }
        _ = rmdir(directory)
    }
}

/// Whole-file reads and writes with the system calls, which the fixture's own `read` and `write`
/// would hide inside it.
private enum PlainFile {
    /// The largest file a test reads back whole.
    static let maximumReadBytes = 1 << 30

    static func writeAll(path: String, _ bytes: [UInt8]) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        precondition(descriptor >= 0, "cannot write \(path): errno \(errno)")
        defer { _ = close(descriptor) }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { raw in
                write(descriptor, raw.baseAddress! + written, raw.count - written)
            }
            if count < 0 && errno == EINTR { continue }
            precondition(count > 0, "short write of \(path): errno \(errno)")
            written += count
        }
    }

    static func readAll(path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { _ = close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { return nil }
            if count == 0 { return bytes }
            guard bytes.count + count <= maximumReadBytes else { return nil }
            bytes += buffer[0..<count]
        }
    }
}
