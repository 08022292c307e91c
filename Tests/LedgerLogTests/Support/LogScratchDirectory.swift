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
        for name in LogFiles.names(in: path) { _ = unlink(path + "/" + name) }
        _ = rmdir(path)
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

enum LogFiles {
    static func read(_ path: String) -> [UInt8] {
        readFileBytes(path) ?? []
    }

    static func write(_ path: String, _ bytes: [UInt8]) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        precondition(descriptor >= 0, "could not open \(path)")
        defer { close(descriptor) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            precondition(written > 0, "could not write \(path)")
            offset += written
        }
    }

    /// Names in a directory, without "." and "..", sorted.
    static func names(in directory: String) -> [String] {
        guard let handle = opendir(directory) else { return [] }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// The lines of a log, each without its newline; a final unterminated fragment is kept.
    static func lines(_ bytes: [UInt8]) -> [[UInt8]] {
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
        if lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }

    /// Joins lines, each followed by a newline.
    static func join(_ lines: [[UInt8]]) -> [UInt8] {
        var bytes: [UInt8] = []
        for line in lines { bytes += line + [UInt8(ascii: "\n")] }
        return bytes
    }
}
