import IncentivesTestSupport
@testable import LedgerColumns
import LedgerLog
import Testing

/// Columns set aside in a scratch file come back as they went, and a writer that spills every
/// column as it is added writes the same file as one that holds them in memory.
@Suite struct SpillFileTests {
    static let key = [UInt8](repeating: 7, count: 32)

    @Test("a column appended over several blocks reads back whole, and a run of it likewise")
    func roundTrip() throws {
        let scratch = TemporaryFileFixture(prefix: "spill-file-tests")
        let spill = try #require(SpillFile(directory: scratch.path))
        let column = SpilledColumn<Int32>(file: spill), bytes = SpilledColumn<UInt8>(file: spill)
        var generator = SplitMix64(seed: 3)
        let values = (0..<(SpilledColumn<Int32>.blockCount * 2 + 5)).map { _ in Int32.random(in: .min ... .max, using: &generator) }
        var expectedBytes: [UInt8] = []
        for value in values {
            column.append(value)
            let piece = (0..<Int(value & 7)).map { UInt8(truncatingIfNeeded: Int(value) &+ $0) }
            expectedBytes += piece
            piece.withUnsafeBytes { bytes.append(contentsOf: $0) }
        }
        #expect(column.count == values.count && bytes.count == expectedBytes.count)
        #expect(column.array == values)
        #expect(bytes.array == expectedBytes)
        let run = spill.store(column)
        #expect(spill.load(run) == values)
        #expect(run.digest == values.withUnsafeBytes { ColumnFileMAC.columnDigest(of: $0) })
        #expect(spill.failure == nil)
        // The scratch file has no name: nothing is left behind.
        #expect(scratch.names().isEmpty)
    }

    @Test("any range of a column reads back where it lies: within a block, across blocks, from the block being filled; nil once the file fails")
    func rangesReadBack() throws {
        let scratch = TemporaryFileFixture(prefix: "spill-range-tests")
        let spill = try #require(SpillFile(directory: scratch.path))
        let column = SpilledColumn<UInt32>(file: spill)
        let blockCount = SpilledColumn<UInt32>.blockCount
        var generator = SplitMix64(seed: 5)
        let values = (0..<(blockCount * 2 + 100)).map { _ in UInt32.random(in: 0 ... .max, using: &generator) }
        for value in values { column.append(value) }
        let ranges = [0..<1, 5..<9, blockCount - 3 ..< blockCount + 3, 1 ..< blockCount * 2 + 50,
                      blockCount * 2 ..< blockCount * 2 + 100, blockCount * 2 + 99 ..< blockCount * 2 + 100, 17..<17]
        for range in ranges {
            #expect(column.elements(range) == Array(values[range]), "\(range)")
        }
        for _ in 0..<200 {
            let start = Int.random(in: 0..<values.count, using: &generator)
            let end = Int.random(in: start...min(values.count, start + blockCount + 10), using: &generator)
            #expect(column.elements(start..<end) == Array(values[start..<end]))
        }
        #expect(spill.failure == nil)
        // A file that can no longer be read back gives nothing, not zeros.
        spill.letGo(from: 0)
        #expect(column.elements(0..<4) == nil && column.failure != nil)
    }

    @Test("letting a run go cuts the scratch file alone: earlier runs read back, the run let go is refused, no other file is touched")
    func lettingGoCutsOnlyTheScratchFile() throws {
        let scratch = TemporaryFileFixture(prefix: "spill-let-go-tests")
        scratch.write("neighbour", [1, 2, 3, 4])
        let spill = try #require(SpillFile(directory: scratch.path))
        let kept = spill.store([Int64](0..<1_000)), dropped = spill.store([Int64](5_000..<6_000))
        spill.letGo(from: dropped.offset)
        #expect(spill.load(kept) == [Int64](0..<1_000), "the bytes before the cut stay")
        #expect(spill.failure == nil)
        #expect(spill.load(dropped) == [Int64](repeating: 0, count: 1_000), "the bytes let go read as zeros")
        #expect(spill.failure != nil, "and the read is refused, not answered from them")
        #expect(scratch.names() == ["neighbour"] && TemporaryFileFixture.read(path: scratch.file("neighbour")) == [1, 2, 3, 4])
    }

    @Test("a writer that spills writes the same file, in memory and on disk, as one that does not")
    func sameFile() throws {
        let scratch = TemporaryFileFixture(prefix: "spill-writer-tests")
        let spill = try #require(SpillFile(directory: scratch.path))
        var generator = SplitMix64(seed: 4)
        let first = (0..<100_000).map { _ in Int32.random(in: .min ... .max, using: &generator) }
        let second = (0..<70_001).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let spilled = SpilledColumn<UInt8>(file: spill)
        second.withUnsafeBytes { spilled.append(contentsOf: $0) }
        func writer(spilling: Bool) -> ColumnFileWriter {
            var writer = spilling ? ColumnFileWriter(schemaVersion: 3, metadata: [1, 2, 3], spill: spill)
                : ColumnFileWriter(schemaVersion: 3, metadata: [1, 2, 3])
            writer.add(1, first)
            if spilling { writer.add(2, spilled) } else { writer.add(2, second) }
            writer.add(3, [Int64]())
            writer.add(4, count: 3) { [UInt64(1), 2, 3] }
            if spilling { writer.add(5, spill.store(Column(first))) } else { writer.add(5, first) }
            return writer
        }
        let expected = writer(spilling: false).bytes(key: Self.key)
        let spilling = writer(spilling: true)
        #expect(spilling.bytes(key: Self.key) == expected)
        #expect(spilling.write(to: scratch.file("columns"), key: Self.key) == nil)
        #expect(TemporaryFileFixture.read(path: scratch.file("columns")) == expected)
        let file = try ColumnFile.open(path: scratch.file("columns"))
        #expect(file.macMatches(key: Self.key))
        let read: Column<UInt8> = try file.column(2)
        #expect(read.array == second)
        // Its runs were let go as they were copied out: a second file is refused, not made of zeros.
        #expect(spilling.write(to: scratch.file("again"), key: Self.key) != nil)
        #expect(!scratch.names().contains("again"))
    }

    @Test("a large column's digest is the same hashed on every core as on one")
    func digestOnEveryCore() {
        var generator = SplitMix64(seed: 5)
        // Several chunks and a partial last one.
        let bytes = (0..<(ColumnFileMAC.chunkBytes * 3 + 12_345)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes.withUnsafeBytes { raw in
            #expect(ColumnFileMAC.columnDigestOnEveryCore(of: raw) == ColumnFileMAC.columnDigest(of: raw))
            let changed = bytes.indices.last!
            var other = bytes
            other[changed] ^= 1
            other.withUnsafeBytes { #expect(ColumnFileMAC.columnDigestOnEveryCore(of: $0) != ColumnFileMAC.columnDigest(of: raw)) }
        }
    }
}
