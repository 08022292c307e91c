#if canImport(Glibc)
import Glibc
#endif
@testable import IncentivesDomain
import IncentivesTestSupport
import LedgerColumns
import LedgerLog
import Testing

/// What a snapshot may be trusted for: it is the reading user's cache, authenticated with that
/// user's key, and whatever its bytes, it gives exactly what a full read gives or is rejected
/// (never a trap, never a different answer).
@Suite struct SnapshotTrustTests {
    /// A ledger of several awards in every log, read once so that its snapshot is saved.
    static func saved(seed: UInt64 = 31, count: Int = 200) throws -> (SnapshotScratchDirectory, Ledger) {
        var generator = ScenarioGenerator(seed: seed)
        let directory = SnapshotScratchDirectory()
        try directory.append([generator.drafts(count)])
        let first = try directory.open()
        #expect(first.saving == .saved)
        return (directory, try Ledger.load(store: directory.store))
    }

    func contents(_ ledger: Ledger) -> [String] { LedgerSnapshotTests().contents(ledger) }

    func key(_ directory: SnapshotScratchDirectory) -> [UInt8] {
        readFileBytes(directory.cachePath + "/" + SnapshotCache.keyFileName) ?? []
    }

    /// Puts `mac` in the MAC field: what the key's holder (or a forger, with another key) would write.
    static func sign(_ bytes: inout [UInt8], key: [UInt8]) {
        ColumnFileMAC.sign(&bytes, key: key)
    }

    static let macRange = ColumnFile.macOffset..<(ColumnFile.macOffset + ColumnFile.macBytes)

    /// How many events the snapshot holds.
    static func eventCount(_ bytes: [UInt8]) throws -> Int {
        try ColumnFile(bytes: bytes).column(SnapshotColumn.code.rawValue, as: UInt8.self).count
    }

    /// Where the value of `column` for event `row` starts.
    static func cell(_ bytes: [UInt8], _ column: SnapshotColumn, row: Int) throws -> Int {
        let placement = try #require(try ColumnFile(bytes: bytes).placement(of: column.rawValue))
        return placement.offset + row * placement.width
    }

    static func put<Value: FixedWidthInteger>(_ value: Value, into bytes: inout [UInt8], at offset: Int) {
        withUnsafeBytes(of: value.littleEndian) { bytes.replaceSubrange(offset..<(offset + $0.count), with: $0) }
    }

    /// Opens with the snapshot as given, and checks it was rejected for `expected` and the
    /// answer is the full read's.
    func expectRejected(_ directory: SnapshotScratchDirectory, _ bytes: [UInt8], cold: Ledger,
                        _ matches: (SnapshotRejection) -> Bool, _ label: String,
                        sourceLocation: SourceLocation = #_sourceLocation) throws {
        directory.writeSnapshot(bytes)
        let opening = try directory.open()
        guard case .logs(snapshotRejected: let rejection?) = opening.source, matches(rejection) else {
            Issue.record("\(label): unexpected source \(opening.source)", sourceLocation: sourceLocation)
            return
        }
        let same = contents(opening.ledger) == contents(cold)
        #expect(same, "\(label): the answer is the full read's", sourceLocation: sourceLocation)
        #expect(opening.saving == .saved, "\(label): rebuilt", sourceLocation: sourceLocation)
    }

    @Test("a record out of range (effective −1,000,000 days, recorded Int64.max) is rejected, even under the user's own key")
    func recordsOutOfRangeAreRejected() throws {
        let (directory, cold) = try Self.saved()
        let original = directory.readSnapshot()
        let count = try Self.eventCount(original)
        let key = key(directory)
        #expect(key.count == 32)
        let cases: [(String, SnapshotColumn, (inout [UInt8], Int) -> Void)] = [
            ("effective −1,000,000 days", .effective, { Self.put(Int32(-1_000_000), into: &$0, at: $1) }),
            ("effective after 9999", .effective, { Self.put(Int32(3_000_000), into: &$0, at: $1) }),
            // Stored as seconds since the first: a time out of order, or after the log's last.
            ("recorded 68 years on", .recordedSinceBase, { Self.put(Int32.max, into: &$0, at: $1) }),
            ("an unknown record code", .code, { $0[$1] = 99 }),
            ("an actor outside its table", .actor, { Self.put(Int32.max, into: &$0, at: $1) }),
            ("an amount beyond 2^53", .amount, { Self.put(Int64.max, into: &$0, at: $1) }),
        ]
        for (label, column, change) in cases {
            for position in [0, count / 2, count - 1] {
                var bytes = original
                change(&bytes, try Self.cell(original, column, row: position))
                #expect(bytes != original)
                var signed = bytes
                Self.sign(&signed, key: key)
                try expectRejected(directory, signed, cold: cold, {
                    if case .malformed = $0 { return true }
                    return false
                }, "\(label), event \(position), signed with the user's key")
                // Without the key the MAC gives it away first.
                try expectRejected(directory, bytes, cold: cold, { $0 == .damaged }, "\(label), event \(position), unsigned")
            }
        }
        // The base the recorded times count from, out of the years a time may have.
        for base in [Int64.max, Int64.min, LedgerSnapshot.earliestRecordedSeconds - 1] {
            var bytes = original
            Self.put(base, into: &bytes, at: try Self.cell(original, .recordedBase, row: 0))
            Self.sign(&bytes, key: key)
            try expectRejected(directory, bytes, cold: cold, {
                if case .malformed = $0 { return true }
                return false
            }, "recorded base \(base), signed with the user's key")
        }
        #expect(try directory.open().usedSnapshot, "the rebuilt snapshot is used")
    }

    @Test("a row its type would not pack so, or naming outside its tables, is rejected for that reason under the user's own key")
    func rowsNotAsTheirTypePacksThemAreRejected() throws {
        let (directory, cold) = try Self.saved()
        let original = directory.readSnapshot()
        let key = key(directory)
        let codes = try ColumnFile(bytes: original).column(SnapshotColumn.code.rawValue, as: UInt8.self)
        let awards = (0..<codes.count).filter { codes[$0] == GrantAwarded.recordCode }
        let rows = try #require(awards.first.flatMap { first in awards.last.map { [first, $0] } })
        let cases: [(String, SnapshotColumn, Int32, String)] = [
            // A grant's award uses a to d and the amount; its small field stays zero.
            ("a field its type leaves zero", .small, 7, "is not stored as its type stores it"),
            ("its programme past the programmes", .c, Int32.max, "refers outside its tables"),
            ("no grant", .a, -1, "refers outside its tables"),
        ]
        for (label, column, value, reason) in cases {
            for row in rows {
                var bytes = original
                let offset = try Self.cell(original, column, row: row)
                if column == .small { bytes[offset] = UInt8(value) } else { Self.put(value, into: &bytes, at: offset) }
                Self.sign(&bytes, key: key)
                try expectRejected(directory, bytes, cold: cold, { $0 == .malformed("event \(row) \(reason)") },
                                   "\(label), event \(row)")
            }
        }
    }

    @Test("recorded times stored both ways, or neither, are refused; stored in full (times over 68 years apart) they read back the same")
    func recordedTimesStoredOneWay() throws {
        let (_, cold) = try Self.saved(seed: 37, count: 150)
        let zeros = [UInt8](repeating: 0, count: 32)
        let logs = cold.logs.map(\.log)
        func file(_ ledger: Ledger) -> ColumnFileWriter {
            LedgerSnapshot.columnFile(of: ledger, identity: SHA256Digest(bytes: zeros), stampsTakenAfterNanoseconds: 0)
        }
        func decode(_ file: ColumnFileWriter) -> Result<LedgerSnapshot, SnapshotRejection> {
            Result { () throws(SnapshotRejection) in try LedgerSnapshot.decodeUnauthenticated(file.bytes(key: zeros), logs: logs) }
        }
        #expect(!cold.events.recorded.isWide, "a ledger's own times are kept in 4 bytes")
        var both = file(cold)
        both.add(SnapshotColumn.recorded.rawValue, (0..<cold.count).map { cold.events.recorded[$0] })
        guard case .failure(.malformed) = decode(both) else {
            Issue.record("both ways: not refused")
            return
        }
        // The same times, stored in full: what a ledger holding times over 68 years apart writes.
        var wide = cold
        wide.events.recorded = EventTable.RecordedTimes(full: Column((0..<cold.count).map { cold.events.recorded[$0] }))
        guard case .success(let decoded) = decode(file(wide)) else {
            Issue.record("stored in full: refused")
            return
        }
        #expect(decoded.ledger.events.recorded.isWide)
        #expect(contents(decoded.ledger) == contents(cold))
    }

    @Test("a header whose log counts move an event into the next log is refused: each event's log and seq follow from the counts")
    func shiftedLogCountsAreRefused() throws {
        let (_, cold) = try Self.saved(seed: 36, count: 300)
        let zeros = [UInt8](repeating: 0, count: 32)
        func decode(_ ledger: Ledger) -> Result<LedgerSnapshot, SnapshotRejection> {
            let bytes = LedgerSnapshot.columnFile(of: ledger, identity: SHA256Digest(bytes: zeros), stampsTakenAfterNanoseconds: 0)
                .bytes(key: zeros)
            return Result { () throws(SnapshotRejection) in try LedgerSnapshot.decodeUnauthenticated(bytes, logs: ledger.logs.map(\.log)) }
        }
        guard case .success(let decoded) = decode(cold) else {
            Issue.record("the snapshot as written decodes")
            return
        }
        #expect(contents(decoded.ledger) == contents(cold))
        var shifted = 0
        for rank in cold.logs.indices.dropLast() where cold.logs[rank].events > 1 && cold.logs[rank + 1].events > 1 {
            for shift in [-1, 1] {
                var forged = cold
                forged.logs[rank].events += shift
                forged.logs[rank + 1].events -= shift
                guard case .failure(let rejection) = decode(forged), case .malformed = rejection else {
                    Issue.record("\(cold.logs[rank].log) holding \(shift) event: not refused as malformed")
                    continue
                }
                shifted += 1
            }
        }
        #expect(shifted >= 2, "at least one boundary between logs was moved both ways")
    }

    @Test("awards raised to 9×10^12 fen with the integrity value recomputed without the key are rejected")
    func forgedAmountsAreRejected() throws {
        let (directory, cold) = try Self.saved(seed: 32, count: 300)
        let original = directory.readSnapshot()
        var forged = original
        var raised = 0
        for row in 0..<(try Self.eventCount(original))
        where forged[try Self.cell(original, .code, row: row)] == GrantAwarded.recordCode && raised < 8 {
            Self.put(Int64(9_000_000_000_000), into: &forged, at: try Self.cell(original, .amount, row: row))
            raised += 1
        }
        #expect(raised == 8)
        // The best a forger without the user's key can do: a plain digest, or a MAC under a key of their own.
        var plain = forged
        plain.replaceSubrange(Self.macRange, with: SHA256.hash(Array(forged[Self.macRange.upperBound...])).bytes)
        try expectRejected(directory, plain, cold: cold, { $0 == .damaged }, "plain SHA-256")
        var otherKey = forged
        Self.sign(&otherKey, key: Array(repeating: 7, count: 32))
        try expectRejected(directory, otherKey, cold: cold, { $0 == .damaged }, "another key")
        // Under the user's own key the same bytes would be accepted: only that user can write them.
        var own = forged
        Self.sign(&own, key: key(directory))
        directory.writeSnapshot(own)
        #expect(try directory.open().usedSnapshot)
    }

    @Test("a snapshot beside the logs (where older builds kept it) is never read")
    func formerLocationIsIgnored() throws {
        let (directory, _) = try Self.saved(seed: 33, count: 60)
        let bytes = directory.readSnapshot()
        directory.write(LedgerSnapshot.formerFileName, bytes)
        _ = unlink(directory.snapshotPath)
        let opening = try directory.open()
        #expect(opening.source == .logs(snapshotRejected: .missing))
        #expect(directory.read(LedgerSnapshot.formerFileName) == bytes, "left as it was")
    }

    @Test("a snapshot of another ledger directory is not used for this one")
    func anotherLedgersSnapshot() throws {
        let (first, _) = try Self.saved(seed: 34, count: 80)
        let second = SnapshotScratchDirectory()
        var generator = ScenarioGenerator(seed: 34)
        try second.append([generator.drafts(80)])
        let cold = try Ledger.load(store: second.store)
        // Same logs, same events, another directory: the header names the ledger it is of.
        #expect(try second.open().saving == .saved)
        // Even with the same user's key (one cache for both), the header names the ledger it is of.
        let key = readFileBytes(first.cachePath + "/" + SnapshotCache.keyFileName) ?? []
        _ = unlink(second.cachePath + "/" + SnapshotCache.keyFileName)
        second.write(path: second.cachePath + "/" + SnapshotCache.keyFileName, key)
        try expectRejected(second, first.readSnapshot(), cold: cold, { $0 == .otherLedger }, "another directory's")
    }

    @Test("the ledger id in ledger.json is part of the snapshot's key: another id, another snapshot")
    func ledgerIdentity() throws {
        let (directory, _) = try Self.saved(seed: 35, count: 60)
        let original = directory.snapshotPath
        #expect(try directory.open().usedSnapshot)
        directory.write("ledger.json", Array(#"{"formatVersion":1,"ledgerId":"00000000000000000000000000000001","timeZone":"+08:00"}"#.utf8))
        #expect(directory.snapshotPath != original)
        #expect(try directory.open().source == .logs(snapshotRejected: .missing))
        #expect(try directory.open().usedSnapshot)
        directory.write("ledger.json", Array(#"{"formatVersion":1,"ledgerId":"00000000000000000000000000000002","timeZone":"+08:00"}"#.utf8))
        #expect(try directory.open().source == .logs(snapshotRejected: .missing))
        _ = unlink(directory.path + "/ledger.json")
        let withoutId = directory.snapshotPath
        #expect(withoutId != original)
        directory.write("ledger.json", Array("not json".utf8))
        #expect(directory.snapshotPath == withoutId, "an unreadable ledger.json is as none")
    }

    @Test("the cache directory is created 0700 and the key 0600; a cache others could write is not used")
    func cachePermissions() throws {
        let (directory, cold) = try Self.saved(seed: 36, count: 60)
        var status = stat()
        #expect(stat(directory.cachePath, &status) == 0 && status.st_mode & 0o777 == 0o700)
        let keyPath = directory.cachePath + "/" + SnapshotCache.keyFileName
        #expect(stat(keyPath, &status) == 0 && status.st_mode & 0o777 == 0o600 && status.st_size == 32)
        #expect(stat(directory.snapshotPath, &status) == 0 && status.st_mode & 0o777 == 0o600)

        func expectNoSnapshot(_ label: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
            let opening = try directory.open()
            guard case .logs(snapshotRejected: .noCache?) = opening.source else {
                Issue.record("\(label): unexpected source \(opening.source)", sourceLocation: sourceLocation)
                return
            }
            #expect(opening.saving == .notAttempted, "\(label)", sourceLocation: sourceLocation)
            #expect(contents(opening.ledger) == contents(cold), "\(label)", sourceLocation: sourceLocation)
        }
        #expect(chmod(directory.cachePath, 0o770) == 0)
        try expectNoSnapshot("a group-writable cache")
        #expect(chmod(directory.cachePath, 0o707) == 0)
        try expectNoSnapshot("an other-writable cache")
        #expect(chmod(directory.cachePath, 0o700) == 0)
        #expect(try directory.open().usedSnapshot)

        #expect(chmod(keyPath, 0o644) == 0)
        try expectNoSnapshot("a key others may read")
        #expect(chmod(keyPath, 0o600) == 0)
        let key = readFileBytes(keyPath) ?? []
        _ = unlink(keyPath)
        directory.write(path: directory.cachePath + "/real.key", key)
        #expect(symlink(directory.cachePath + "/real.key", keyPath) == 0)
        try expectNoSnapshot("a key that is a symbolic link")
        _ = unlink(keyPath)
        _ = unlink(directory.cachePath + "/real.key")
        directory.write(path: keyPath, Array(key[..<16]))
        try expectNoSnapshot("a key of the wrong length")
        _ = unlink(keyPath)
        // A new key is made; the snapshot under the old one is rejected and rebuilt.
        let opening = try directory.open()
        #expect(opening.source == .logs(snapshotRejected: .damaged))
        #expect(opening.saving == .saved)
        #expect(readFileBytes(keyPath) != key)
        #expect(try directory.open().usedSnapshot)
    }

    @Test("a snapshot that is a symbolic link or a FIFO is not read")
    func snapshotFileKinds() throws {
        let (directory, _) = try Self.saved(seed: 37, count: 60)
        let bytes = directory.readSnapshot()
        _ = unlink(directory.snapshotPath)
        directory.write(path: directory.cachePath + "/elsewhere", bytes)
        #expect(symlink(directory.cachePath + "/elsewhere", directory.snapshotPath) == 0)
        guard case .logs(snapshotRejected: .unreadable) = try directory.open().source else {
            Issue.record("a symbolic link was followed")
            return
        }
        _ = unlink(directory.snapshotPath)
        _ = unlink(directory.cachePath + "/elsewhere")
        #expect(mkfifo(directory.snapshotPath, 0o600) == 0)
        defer { _ = unlink(directory.snapshotPath) }
        guard case .logs(snapshotRejected: .unreadable) = try directory.open().source else {
            Issue.record("a FIFO was read")
            return
        }
    }

    @Test("stamps taken within a clock tick of their file's change are verified again, then saved once settled")
    func racyStampsAreVerifiedAgain() throws {
        var generator = ScenarioGenerator(seed: 38)
        let directory = SnapshotScratchDirectory()
        try directory.append([generator.drafts(120)])
        // The clock reads the moment the last log changed: every stamp is taken within the tick.
        var changed: Int64 = 0
        for log in directory.store.logs {
            var status = stat()
            guard stat(directory.store.path(of: log), &status) == 0 else { continue }
            changed = max(changed, Int64(status.st_ctim.tv_sec) * 1_000_000_000 + Int64(status.st_ctim.tv_nsec))
        }
        let moment = changed
        directory.now = { moment }
        #expect(try directory.open().saving == .saved)
        // Later: the logs are unchanged, but the stamps proved nothing when taken; the prefixes are
        // read again and a snapshot with settled stamps is saved.
        directory.now = SnapshotScratchDirectory.settledClock()
        let reverified = try directory.open()
        #expect(reverified.source == .snapshot(eventsAfter: 0))
        #expect(reverified.saving == .saved)
        let trusted = try directory.open()
        #expect(trusted.source == .snapshot(eventsAfter: 0))
        #expect(trusted.saving == .notAttempted)
    }

    @Test("bytes changed anywhere decode to a snapshot in range or are rejected, never a trap")
    func decodingAnyBytesNeverTraps() throws {
        let (directory, _) = try Self.saved(seed: 39, count: 40)
        let original = directory.readSnapshot()
        let logs = directory.store.logs
        #expect(throws: Never.self) { _ = try LedgerSnapshot.decodeUnauthenticated(original, logs: logs) }
        var generator = SplitMix64(seed: 39)
        var rejected = 0
        for _ in 0..<2_000 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let position = Int.random(in: 0..<bytes.count, using: &generator)
                bytes[position] = UInt8.random(in: 0...255, using: &generator)
            }
            do { _ = try LedgerSnapshot.decodeUnauthenticated(bytes, logs: logs) } catch { rejected += 1 }
        }
        #expect(rejected > 0)
        for length in stride(from: 0, to: original.count, by: max(1, original.count / 200)) {
            #expect(throws: SnapshotRejection.self) { _ = try LedgerSnapshot.decodeUnauthenticated(Array(original[..<length]), logs: logs) }
        }
    }
}

