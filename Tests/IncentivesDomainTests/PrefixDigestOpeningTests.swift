@testable import IncentivesDomain
import IncentivesTestSupport
import LedgerColumns
import LedgerLog
import Testing

/// A snapshot keeps the digest of each log's bytes as its read verified them (`LogPrefixDigest`):
/// the first query after an append proves the appended log's prefix by hashing it again, reads the
/// tail and saves the snapshot with the digest grown over the tail; a prefix edited since is
/// found, the file read whole and refused.
@Suite struct PrefixDigestOpeningTests {
    /// The digests the snapshot at `directory` keeps, by log.
    static func keptDigests(_ directory: SnapshotScratchDirectory) throws -> [LogPrefixDigest?] {
        let file = try ColumnFile.open(path: directory.snapshotPath)
        return try SnapshotHeader.read(file.metadata, logs: directory.store.logs).prefixDigests
    }

    /// Each log's length now.
    static func lengths(_ directory: SnapshotScratchDirectory) -> [Int] {
        directory.store.logs.map { directory.read($0.fileName).count }
    }

    /// A ledger of 150 drafts of `ScenarioGenerator(seed:)`, its snapshot saved, then `appended`
    /// more drafts appended; with each log's length when the snapshot was saved.
    static func savedThenAppended(seed: UInt64, appended: Int) throws -> (directory: SnapshotScratchDirectory, before: [Int]) {
        var generator = ScenarioGenerator(seed: seed)
        let directory = SnapshotScratchDirectory()
        try directory.append([generator.drafts(150)])
        #expect(try directory.open().saving == .saved)
        let before = lengths(directory)
        #expect(try keptDigests(directory).map { $0?.bytes ?? 0 } == before, "a digest of every log as read")
        try directory.append([generator.drafts(appended)])
        return (directory, before)
    }

    @Test("after an append the prefix is proved by its digest, the answer a full read's, the digest grown over the tail")
    func appendedPrefixProvedByDigest() throws {
        let (directory, before) = try Self.savedThenAppended(seed: 61, appended: 6)
        let grown = zip(directory.store.logs, zip(before, Self.lengths(directory))).filter { $1.0 != $1.1 }.map(\.0)
        #expect(!grown.isEmpty)
        let opening = try directory.open()
        #expect(opening.source == .snapshot(eventsAfter: 6) && opening.saving == .saved)
        #expect(opening.prefixesProvedByDigest == grown, "\(opening.note)")
        #expect(opening.note.contains("proved by its digest"))
        let cold = try directory.open(useSnapshot: false).ledger
        let window = KeptModelOpeningTests.headWindow(cold)
        #expect(KeptModelOpeningTests.answer(opening.ledger, window) == KeptModelOpeningTests.answer(cold, window))
        // Saved with each digest grown over what was appended, equal to one made afresh.
        let kept = try Self.keptDigests(directory)
        #expect(kept.map { $0?.bytes ?? 0 } == Self.lengths(directory))
        let fresh = LedgerSnapshot.prefixDigests(of: cold.logs, in: directory.store, stampsTakenAfter: directory.now(), earlier: [])
        #expect(kept == fresh)
        // The next query finds the snapshot current.
        let next = try directory.open()
        #expect(next.source == .snapshot(eventsAfter: 0) && next.saving == .notAttempted && next.prefixesProvedByDigest.isEmpty)
    }

    @Test("a prefix edited at the same length after an append does not hash to its digest: the logs are read whole and refused")
    func editedPrefixIsFound() throws {
        let (directory, before) = try Self.savedThenAppended(seed: 62, appended: 4)
        let after = Self.lengths(directory)
        let rank = try #require(before.indices.first { before[$0] != after[$0] })
        let name = directory.store.logs[rank].fileName
        var bytes = directory.read(name)
        let digit = try #require(bytes[..<(before[rank] / 2)].lastIndex(of: UInt8(ascii: "1")))
        bytes[digit] = UInt8(ascii: "2")
        directory.write(name, bytes)
        #expect(throws: LedgerError.self) { _ = try directory.open() }
    }
}
