import Foundation
import IncentivesCLI
import IncentivesTestSupport
import LedgerLog
import Testing

/// A private scratch area for one test: `events` is an empty ledger made by `incentives init`
/// (or, with `ledger: false`, an empty folder) and `inputs` holds draft files, so that draft
/// files never sit among the logs.
/// Removed, with everything in it, when the value goes away (the shared fixture).
final class TemporaryEventsDirectory: @unchecked Sendable {
    let scratch = TemporaryFileFixture(prefix: "incentives-tests")
    var root: String { scratch.path }
    var events: String { root + "/Events" }
    var inputs: String { root + "/inputs" }
    /// The snapshot cache of this test's user (created, 0700, by the first query that saves one).
    var cache: String { root + "/cache" }

    /// The id `init` gives every scratch ledger: tests never depend on system randomness.
    static let ledgerId = "5c7a7c5e1ed9e700000000000000000a"

    init(ledger: Bool = true) {
        scratch.makeDirectory("Events")
        scratch.makeDirectory("inputs")
        if ledger { makeLedger() }
    }

    /// `incentives init --events EVENTS`, with a fixed id.
    func makeLedger() {
        let io = CapturedIO()
        let bytes = stride(from: 0, to: 32, by: 2).map { offset -> UInt8 in
            let start = Self.ledgerId.utf8.index(Self.ledgerId.utf8.startIndex, offsetBy: offset)
            return UInt8(String(Self.ledgerId.utf8[start..<Self.ledgerId.utf8.index(start, offsetBy: 2)])!, radix: 16)!
        }
        let code = CLI.run(["init", "--events", events], environment: [:], io: io, ledgerIds: .fixed(bytes))
        precondition(code == 0, "incentives init failed in \(events): \(io.errors)")
    }

    /// Writes an input file and returns its path.
    @discardableResult
    func writeInput(_ name: String, _ bytes: [UInt8]) -> String {
        let path = inputs + "/" + name
        precondition(FileManager.default.createFile(atPath: path, contents: Data(bytes)), "cannot write \(path)")
        return path
    }

    func logPath(_ log: String) -> String { events + "/" + log + ".jsonl" }

    /// Writes any file of the events directory (the append journal, for instance).
    func writeEventsFile(_ name: String, _ bytes: [UInt8]) {
        let path = events + "/" + name
        precondition(FileManager.default.createFile(atPath: path, contents: Data(bytes)), "cannot write \(path)")
    }

    func readLog(_ log: String) -> [UInt8] {
        FileManager.default.contents(atPath: logPath(log)).map { [UInt8]($0) } ?? []
    }

    func writeLog(_ log: String, _ bytes: [UInt8]) {
        precondition(FileManager.default.createFile(atPath: logPath(log), contents: Data(bytes)), "cannot write \(log)")
    }

    /// The lines of a log (without newlines).
    func logLines(_ log: String) -> [String] {
        String(decoding: readLog(log), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .dropLast().map(String.init)
    }

    /// The bytes of every log file, and whether it exists: "nothing was appended" is this staying equal.
    func logSnapshot() -> [String: [UInt8]?] {
        var snapshot: [String: [UInt8]?] = [:]
        for log in ["tiers", "centres", "grants"] {
            snapshot[log] = FileManager.default.contents(atPath: logPath(log)).map { [UInt8]($0) }
        }
        return snapshot
    }
}
