import IncentivesTestSupport
@testable import LedgerColumns
import LedgerLog
import Testing

/// A mapped column changed in place: mapped again privately and writable, so that an append
/// copies the pages it writes, never the file's bytes nor another value's elements.
@Suite struct ColumnWritableCopyTests {
    static let key = [UInt8](repeating: 5, count: 32)

    /// A column file of three columns (the middle one `values`) in `scratch`, opened mapped.
    static func mappedFile(_ scratch: TemporaryFileFixture, _ values: [Int64]) throws -> ColumnFile {
        var writer = ColumnFileWriter(schemaVersion: 7, metadata: [1])
        writer.add(1, [UInt8](repeating: 7, count: 4_099))
        writer.add(2, values)
        writer.add(3, [Int32](0..<3_333))
        #expect(writer.write(to: scratch.file("columns"), key: Self.key) == nil)
        return try ColumnFile.open(path: scratch.file("columns"))
    }

    @Test("appends and changes to a mapped column are made in a private writable mapping; the file and its other columns stay as they were")
    func appendsInPlace() throws {
        let scratch = TemporaryFileFixture(prefix: "column-writable-tests")
        var generator = SplitMix64(seed: 21)
        let values = (0..<200_001).map { _ in Int64.random(in: .min ... .max, using: &generator) }
        let file = try Self.mappedFile(scratch, values)
        var column: Column<Int64> = try file.column(2)
        #expect(column.isMapped && column.writableCapacity == 0)
        column.append(42)
        #expect(column.isMapped, "still read in place, from its writable copy")
        #expect(column.writableCapacity >= values.count + values.count / 2)
        column[0] = -1
        column[values.count - 1] = -2
        column.append(contentsOf: [43, 44])
        var expected = values
        expected[0] = -1
        expected[values.count - 1] = -2
        expected += [42, 43, 44]
        #expect(column.array == expected && column.count == expected.count)
        // The file, its neighbours on the pages the copy shares, and a fresh read are untouched.
        let again: Column<Int64> = try file.column(2)
        #expect(again.array == values)
        let after: Column<Int32> = try file.column(3)
        #expect(after.array == [Int32](0..<3_333))
        #expect(try file.verifying(columns: [1, 2, 3]) { () throws(ColumnFileError) in true })
        let reopened = try ColumnFile.open(path: scratch.file("columns"))
        let fromDisk: Column<Int64> = try reopened.column(2)
        #expect(fromDisk.array == values)
    }

    @Test("letting a writable copy's pages go keeps every element written: only the file's own, unwritten pages go")
    func releasingKeepsWrittenElements() throws {
        let scratch = TemporaryFileFixture(prefix: "column-writable-tests")
        var generator = SplitMix64(seed: 23)
        let values = (0..<300_000).map { _ in Int64.random(in: .min ... .max, using: &generator) }
        let file = try Self.mappedFile(scratch, values)
        var expected = values
        var column: Column<Int64> = try file.column(2)
        // Read-only: every page may go, and comes back from the page cache.
        column.releasePages(ofBytes: 0..<values.count * 8)
        #expect(column.array == expected)
        // Appended to: the file's elements are unwritten, the appended ones not.
        column.append(contentsOf: [7, 8, 9])
        expected += [7, 8, 9]
        column.releasePages(ofBytes: 0..<column.count * 8)
        #expect(column.array == expected)
        // Changed in the middle and near the start: the pages from the first change on are kept.
        column[200_000] = -5
        column[1_000] = -6
        expected[200_000] = -5
        expected[1_000] = -6
        column.releasePages(ofBytes: 0..<column.count * 8)
        column.releasePages(ofBytes: 4_096..<2_000_000)
        #expect(column.array == expected)
        #expect(column[1_000] == -6 && column[200_000] == -5 && column[column.count - 1] == 9)
        // An owned column has no pages to let go.
        var owned = Column<Int64>([1, 2, 3])
        owned.releasePages(ofBytes: 0..<24)
        owned.append(4)
        #expect(owned.array == [1, 2, 3, 4])
    }

    @Test("a writable copy shared by two values is copied on the first change of either; each keeps its own elements")
    func sharedCopiesSeparate() throws {
        let scratch = TemporaryFileFixture(prefix: "column-writable-tests")
        let values = [Int64](0..<70_000)
        let file = try Self.mappedFile(scratch, values)
        var first: Column<Int64> = try file.column(2)
        first.append(1)
        var second = first
        second.append(2)
        second[5] = 500
        #expect(first.isMapped, "the first keeps the writable copy")
        #expect(!second.isMapped, "the second, sharing it, made an array of its own")
        #expect(first.array == values + [1])
        #expect(second.array == Array(values.prefix(5)) + [500] + Array(values.dropFirst(6)) + [1, 2])
        first.append(3)
        #expect(first.array == values + [1, 3] && first.isMapped)
    }

    @Test("a column grown past its copy's room becomes an array of its own with every element")
    func growsPastRoom() throws {
        let scratch = TemporaryFileFixture(prefix: "column-writable-tests")
        let values = [Int64](0..<10_000)
        let file = try Self.mappedFile(scratch, values)
        var column: Column<Int64> = try file.column(2)
        column.reserveCapacity(values.count + 10)
        #expect(column.isMapped)
        let room = column.writableCapacity
        var expected = values
        for value in Int64(values.count)..<Int64(room + 5) {
            column.append(value)
            expected.append(value)
        }
        #expect(!column.isMapped, "past the room it could not stay in place")
        #expect(column.array == expected)
    }

    @Test("a column read from memory (no file to map again) is copied into an array, as before")
    func memoryColumnCopied() throws {
        var writer = ColumnFileWriter(schemaVersion: 7, metadata: [1])
        writer.add(2, [Int64](0..<1_000))
        let file = try ColumnFile(bytes: writer.bytes(key: Self.key))
        var column: Column<Int64> = try file.column(2)
        column.append(1_000)
        #expect(!column.isMapped && column.array == [Int64](0...1_000))
    }

    @Test("a column file checked with its pages let go as they are hashed reads back as written, and leaves little in memory")
    func pagesLetGoWhileHashing() throws {
        let scratch = TemporaryFileFixture(prefix: "column-writable-tests")
        var generator = SplitMix64(seed: 22)
        let values = (0..<1_500_000).map { _ in Int64.random(in: .min ... .max, using: &generator) }
        let file = try Self.mappedFile(scratch, values)
        let column: Column<Int64> = try file.verifying(columns: [1, 2, 3], releasingPages: true) { () throws(ColumnFileError) in
            try file.column(2)
        }
        // 12 MB hashed; what stays is the pages at the edges of chunks, and those the other
        // thread's hashing had not let go when this one looked.
        let resident = try #require(ColumnFileTests.residentKilobytes(of: column))
        #expect(resident < 4_000, "\(resident) KB of 11,719 KB left in memory")
        #expect(column.array == values)
        // A changed byte is refused all the same.
        var bytes = try #require(TemporaryFileFixture.read(path: scratch.file("columns")))
        let place = try #require(file.placement(of: 2))
        bytes[place.offset + 9_000_001] ^= 1
        scratch.write("damaged", bytes)
        let damaged = try ColumnFile.open(path: scratch.file("damaged"))
        #expect(throws: ColumnFileError.damaged) {
            try damaged.verifying(columns: [1, 2, 3], releasingPages: true) { () throws(ColumnFileError) in 0 }
        }
    }
}
