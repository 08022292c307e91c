#if canImport(Glibc)
import Glibc
#endif
import IncentivesTestSupport
@testable import LedgerColumns
import LedgerLog
import Testing

/// The column file: what is written is read back in place, and whatever its bytes, a file is
/// either read as written or refused (never a trap, never another value).
@Suite struct ColumnFileTests {
    static let key = [UInt8](repeating: 9, count: 32)

    static func sample(seed: UInt64 = 1) -> ColumnFileWriter {
        var generator = SplitMix64(seed: seed)
        var writer = ColumnFileWriter(schemaVersion: 7, metadata: Array("metadata of the client".utf8))
        writer.add(1, (0..<1_000).map { _ in Int32.random(in: .min ... .max, using: &generator) })
        writer.add(2, (0..<333).map { _ in UInt8.random(in: 0...255, using: &generator) })
        writer.add(3, [Int64]())
        writer.add(4, (0..<77).map { _ in UInt64.random(in: 0 ... .max, using: &generator) })
        return writer
    }

    @Test("columns are read back as written, at aligned places, under the schema and metadata given")
    func roundTrip() throws {
        let writer = Self.sample()
        let file = try ColumnFile(bytes: writer.bytes(key: Self.key))
        #expect(file.schemaVersion == 7)
        #expect(file.metadata == Array("metadata of the client".utf8))
        #expect(file.macMatches(key: Self.key))
        #expect(!file.macMatches(key: [UInt8](repeating: 8, count: 32)))
        var generator = SplitMix64(seed: 1)
        let first: Column<Int32> = try file.column(1)
        #expect(first.array == (0..<1_000).map { _ in Int32.random(in: .min ... .max, using: &generator) })
        let second: Column<UInt8> = try file.column(2)
        #expect(second.count == 333)
        let empty: Column<Int64> = try file.column(3)
        #expect(empty.isEmpty)
        for id: UInt32 in [1, 2, 4] { #expect(try #require(file.placement(of: id)).offset % ColumnFile.alignment == 0) }
        #expect(first.isMapped, "read in place")
        #expect(throws: ColumnFileError.self) { let _: Column<Int64> = try file.column(1) }
        #expect(throws: ColumnFileError.self) { let _: Column<Int32> = try file.column(99) }
        #expect(!file.hasColumn(99) && file.hasColumn(3))
    }

    @Test("the pages of columns let go leave the process's memory, and read back as they were checked")
    func releasedPagesReadBack() throws {
        let scratch = TemporaryFileFixture(prefix: "column-file-release-tests")
        var generator = SplitMix64(seed: 11)
        let values = (0..<300_000).map { _ in Int32.random(in: .min ... .max, using: &generator) }
        var writer = ColumnFileWriter(schemaVersion: 7, metadata: [1])
        writer.add(1, values)
        writer.add(2, [Int64](0..<50_000))
        #expect(writer.write(to: scratch.file("columns"), key: Self.key) == nil)
        let file = try ColumnFile.open(path: scratch.file("columns"))
        let column: Column<Int32> = try file.verifying(columns: [1, 2]) { () throws(ColumnFileError) in try file.column(1) }
        #expect(column.isMapped && column.array == values)
        func residentKilobytes() -> Int? { Self.residentKilobytes(of: column) }
        let before = try #require(residentKilobytes())
        file.releasePages(ofColumns: [1])
        let after = try #require(residentKilobytes())
        #expect(before - after >= 1_000, "most of the column's 1.2 MB left (\(before) KB → \(after) KB)")
        #expect(column.array == values, "faulted in again as they were")
        let other: Column<Int64> = try file.column(2)
        #expect(other.array == [Int64](0..<50_000))
        #expect(try file.verifying(columns: [1, 2]) { () throws(ColumnFileError) in true })
    }

    /// The resident size of the mapping `column` lies in, from the kernel's own account of it.
    static func residentKilobytes<Element>(of column: Column<Element>) -> Int? {
        let address = column.withBytes { UInt(bitPattern: $0.baseAddress) }
        guard let text = TemporaryFileFixture.read(path: "/proc/self/smaps").map({ String(decoding: $0, as: UTF8.self) }) else { return nil }
        var inMapping = false
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if let range = fields.first, range.contains("-"), fields.count >= 5 {
                let bounds = range.split(separator: "-").compactMap { UInt($0, radix: 16) }
                inMapping = bounds.count == 2 && bounds[0] <= address && address < bounds[1]
            } else if inMapping, fields.first == "Rss:", fields.count >= 2 {
                return Int(fields[1])
            }
        }
        return nil
    }

    @Test("a mapped column is copied on its first change; the file's bytes stay as they were")
    func copyOnWrite() throws {
        let bytes = Self.sample().bytes(key: Self.key)
        let file = try ColumnFile(bytes: bytes)
        var column: Column<Int32> = try file.column(1)
        let before = column.array
        #expect(column.isMapped)
        column[0] = column[0] &+ 1
        #expect(!column.isMapped)
        column.append(5)
        #expect(column.count == before.count + 1 && column[0] == before[0] &+ 1 && column.last == 5)
        let again: Column<Int32> = try file.column(1)
        #expect(again.array == before, "the mapping is untouched")
    }

    @Test("a MAC computed while the client reads refuses a file written under another key")
    func authenticated() throws {
        let file = try ColumnFile(bytes: Self.sample().bytes(key: Self.key))
        let count = try file.authenticated(key: Self.key) { file throws(ColumnFileError) in
            let column: Column<UInt64> = try file.column(4)
            return column.count
        }
        #expect(count == 77)
        #expect(throws: ColumnFileError.damaged) {
            try file.authenticated(key: [UInt8](repeating: 1, count: 32)) { _ throws(ColumnFileError) in 0 }
        }
    }

    @Test("a MAC over chunks: a file of several chunks is the same written streaming or in memory, and any changed byte fails it")
    func chunkedMAC() throws {
        var writer = ColumnFileWriter(schemaVersion: 3, metadata: [1, 2, 3])
        let large = (0..<(ColumnFileMAC.chunkBytes * 2 + 12_345)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        writer.add(1, large)
        writer.add(2, [Int64](repeating: 7, count: 1_000))
        let bytes = writer.bytes(key: Self.key)
        #expect(ColumnFileMAC.chunkCount(bytes: large.count) == 3)
        let scratch = TemporaryFileFixture(prefix: "column-file-mac-tests")
        #expect(writer.write(to: scratch.file("columns"), key: Self.key) == nil)
        #expect(TemporaryFileFixture.read(path: scratch.file("columns")) == bytes, "streamed and in memory alike")
        let file = try ColumnFile.open(path: scratch.file("columns"))
        #expect(file.macMatches(key: Self.key))
        #expect(try file.authenticated(key: Self.key) { _ throws(ColumnFileError) in true })
        for position in [13, ColumnFileMAC.chunkBytes + 100, 2 * ColumnFileMAC.chunkBytes + 50, bytes.count - 1] {
            var changed = bytes
            changed[position] ^= 0x40
            let damaged = try ColumnFile(bytes: changed)
            #expect(!damaged.macMatches(key: Self.key), "byte \(position)")
            #expect(throws: ColumnFileError.damaged) { try damaged.authenticated(key: Self.key) { _ throws(ColumnFileError) in 0 } }
            var resigned = changed
            ColumnFileMAC.sign(&resigned, key: Self.key)
            #expect(try ColumnFile(bytes: resigned).macMatches(key: Self.key), "signed again with the key: accepted")
        }
    }

    @Test("a reader hashes only the columns it reads: another column's damage does not refuse them, its own does, and so do changed zeros before it")
    func columnsAreVerifiedWhenRead() throws {
        let bytes = Self.sample().bytes(key: Self.key)
        let clean = try ColumnFile(bytes: bytes)
        let first = try #require(clean.placement(of: 1)), second = try #require(clean.placement(of: 2))
        var damaged = bytes
        damaged[first.offset + 5] ^= 1
        let file = try ColumnFile(bytes: damaged)
        try file.authenticateHeader(key: Self.key)
        let count = try file.verifying(columns: [4, 2]) { () throws(ColumnFileError) in
            let column: Column<UInt64> = try file.column(4)
            return column.count
        }
        #expect(count == 77, "columns 4 and 2 are intact")
        #expect(throws: ColumnFileError.damaged) { try file.verifying(columns: [4, 1]) { () throws(ColumnFileError) in 0 } }
        #expect(!file.macMatches(key: Self.key))
        var padded = bytes
        // Column 1 holds 4,000 bytes: zeros fill up to column 2's aligned start.
        padded[second.offset - 1] = 1
        #expect(try ColumnFile(bytes: padded).headerMatches(key: Self.key), "padding is not in the header")
        #expect(throws: ColumnFileError.damaged) {
            try ColumnFile(bytes: padded).verifying(columns: [2]) { () throws(ColumnFileError) in 0 }
        }
        #expect(throws: ColumnFileError.malformed("it has no column 99")) {
            try clean.verifying(columns: [99]) { () throws(ColumnFileError) in 0 }
        }
        var header = bytes
        header[ColumnFile.fixedHeaderBytes + 3] ^= 1
        #expect(throws: ColumnFileError.damaged) { try ColumnFile(bytes: header).authenticateHeader(key: Self.key) }
        #expect(throws: ColumnFileError.damaged) { try clean.authenticateHeader(key: [UInt8](repeating: 1, count: 32)) }
    }

    @Test("headers that lie are refused: magic, storage format, length, a column's place, width or id")
    func lyingHeadersAreRefused() throws {
        let original = Self.sample().bytes(key: Self.key)
        func refused(_ change: (inout [UInt8]) -> Void) -> ColumnFileError? {
            var bytes = original
            change(&bytes)
            do { _ = try ColumnFile(bytes: bytes); return nil } catch { return error }
        }
        #expect(refused { $0[0] = UInt8(ascii: "X") } == .notAColumnFile)
        #expect(refused { $0[8] = 9 } == .otherStorageFormat(version: 9))
        #expect(refused { $0.removeLast() } == .malformed("its length is not the one it states (truncated?)"))
        let directory = try ColumnFile(bytes: original).placement(of: 1)!
        #expect(directory.offset > 0)
        // The directory starts after the metadata (22 bytes, padded to 24): entries of 56 bytes.
        let entries = ColumnFile.fixedHeaderBytes + 24
        #expect(refused { $0[entries + 4] = 3 } != nil, "a width of 3")
        #expect(refused { $0[entries + 16] &+= 8 } != nil, "an offset off the alignment")
        #expect(refused { bytes in
            for index in 0..<8 { bytes[entries + 8 + index] = 0xFF }
        } != nil, "a count past the end")
        #expect(refused { bytes in
            for index in 0..<4 { bytes[entries + ColumnFile.directoryEntryBytes + index] = bytes[entries + index] }
        } != nil, "an id listed twice")
        #expect(refused { bytes in
            let second = entries + ColumnFile.directoryEntryBytes
            for index in 0..<8 { bytes[second + 16 + index] = bytes[entries + 16 + index] }
        } != nil, "a column over the one before it")
    }

    @Test("any bytes: read as a column file or refused, never a trap", arguments: [11, 12, 13] as [UInt64])
    func anyBytes(seed: UInt64) {
        let original = Self.sample(seed: seed).bytes(key: Self.key)
        var generator = SplitMix64(seed: seed)
        for _ in 0..<1_500 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let position = Int.random(in: 0..<min(bytes.count, 400), using: &generator)
                bytes[position] = UInt8.random(in: 0...255, using: &generator)
            }
            guard let file = try? ColumnFile(bytes: bytes) else { continue }
            for id: UInt32 in [1, 2, 3, 4] {
                if let column: Column<UInt8> = try? file.column(id) { _ = column.reduce(0, &+) }
                if let column: Column<Int32> = try? file.column(id) { _ = column.reduce(0, &+) }
                if let column: Column<UInt64> = try? file.column(id) { _ = column.reduce(0, &+) }
            }
        }
        for length in stride(from: 0, to: original.count, by: 97) {
            #expect(throws: ColumnFileError.self) { _ = try ColumnFile(bytes: Array(original[..<length])) }
        }
    }

    @Test("a file is replaced whole and private (0600), with nothing left beside it")
    func replacement() throws {
        let scratch = TemporaryFileFixture(prefix: "column-file-tests")
        let path = scratch.file("columns")
        #expect(Self.sample(seed: 1).write(to: path, key: Self.key) == nil)
        let first = try ColumnFile.open(path: path)
        #expect(first.macMatches(key: Self.key))
        #expect(Self.sample(seed: 2).write(to: path, key: Self.key) == nil)
        let second = try ColumnFile.open(path: path)
        let firstColumn: Column<Int32> = try first.column(1), secondColumn: Column<Int32> = try second.column(1)
        #expect(firstColumn != secondColumn, "the old mapping still reads the old file")
        #expect(scratch.names() == ["columns"])
        var status = stat()
        #expect(stat(path, &status) == 0 && status.st_mode & 0o777 == 0o600)
        #expect(throws: ColumnFileError.missing) { _ = try ColumnFile.open(path: scratch.file("none")) }
        #expect(symlink(path, scratch.file("link")) == 0)
        #expect(throws: ColumnFileError.self) { _ = try ColumnFile.open(path: scratch.file("link")) }
        #expect(Self.sample().write(to: scratch.file("missing-directory/columns"), key: Self.key) != nil)
    }

    @Test("a replacement that cannot be renamed into place removes only its own temporary and says why")
    func failedReplacementLeavesNothing() throws {
        let scratch = TemporaryFileFixture(prefix: "column-file-tests")
        // A non-empty directory where the file should go: the rename is refused.
        #expect(mkdir(scratch.file("columns"), 0o700) == 0)
        scratch.write("columns/kept", [1, 2, 3])
        let failure = Self.sample().write(to: scratch.file("columns"), key: Self.key)
        #expect(failure?.contains("cannot rename") == true)
        #expect(scratch.names() == ["columns"], "no temporary left beside it")
        #expect(TemporaryFileFixture.names(in: scratch.file("columns")) == ["kept"], "what was there is untouched")
    }
}
