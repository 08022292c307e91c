#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import LedgerLog

/// A fresh directory under the system's temporary directory, removed when the value goes away.
/// Each test gets its own, so tests that run in parallel never share files.
///
/// Plain POSIX, not Foundation: importing Foundation into this module would change how the
/// other test files' expressions type-check.
final class LogScratchDirectory: @unchecked Sendable {
    let path: String

    init() {
        let base = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((base + "/ledgerlog-tests.XXXXXX").utf8CString)
        let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(created != nil, "mkdtemp failed under \(base)")
        path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    deinit {
        LogScratchDirectory.remove(path)
    }

    /// Removes a directory and what it holds (quarantine folders, directories put in a file's place).
    static func remove(_ directory: String) {
        for name in LogFiles.names(in: directory) {
            let entry = directory + "/" + name
            var status = stat()
            if lstat(entry, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
                _ = chmod(entry, 0o755)
                remove(entry)
            } else {
                _ = unlink(entry)
            }
        }
        _ = rmdir(directory)
    }

    func file(_ name: String) -> String { path + "/" + name }

    func read(_ name: String) -> [UInt8] {
        LogFiles.read(file(name))
    }

    func write(_ name: String, _ bytes: [UInt8]) {
        LogFiles.write(file(name), bytes)
    }

    func exists(_ name: String) -> Bool {
        access(file(name), F_OK) == 0
    }

    /// Every file's bytes, by name: "nothing changed" is this map staying equal.
    func snapshot() -> [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        for name in LogFiles.names(in: path) { files[name] = read(name) }
        return files
    }
}
