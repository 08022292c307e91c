#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import IncentivesTestSupport
import Testing
@testable import LedgerLog

/// A fresh directory under the system's temporary directory, removed with everything in it when
/// the value goes away (the shared fixture); read and written through the log layer's own files.
final class LogScratchDirectory: Sendable {
    let fixture = TemporaryFileFixture(prefix: "ledgerlog-tests")
    var path: String { fixture.path }

    func file(_ name: String) -> String { fixture.file(name) }

    func read(_ name: String) -> [UInt8] {
        LogFiles.read(file(name))
    }

    func write(_ name: String, _ bytes: [UInt8]) {
        LogFiles.write(file(name), bytes)
    }

    func exists(_ name: String) -> Bool { fixture.exists(name) }

    /// Every file's bytes, by name: "nothing changed" is this map staying equal.
    func snapshot() -> [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        for name in LogFiles.names(in: path) { files[name] = read(name) }
        return files
    }
}
