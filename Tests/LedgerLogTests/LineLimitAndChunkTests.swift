import IncentivesTestSupport
import Testing
@testable import LedgerLog

/// Reading in chunks must not change any verdict: lines that straddle chunk boundaries, lines at
/// the length limit, and lines beyond it are judged the same whatever the chunk size.
@Suite("Line limits and chunked reading")
struct LineLimitAndChunkTests {
    static let alpha = LogFixtures.alpha
    static let limit = ScannedEventLine.maximumLineBytes

    /// An event whose sealed line (without its newline) is exactly `length` bytes.
    static func event(_ id: String, minute: Int, lineLength length: Int) -> UnsealedEvent {
        var event = LogFixtures.event(alpha, id, minute: minute, data: ["pad": ""])
        let base = event.seal(seq: 1, previous: .zero).line.count - 1
        precondition(length >= base, "a line cannot be shorter than its envelope")
        event.data = LogFixtures.canonical(["pad": .string(String(repeating: "x", count: length - base))])
        precondition(event.seal(seq: 1, previous: .zero).line.count - 1 == length, "padding is exact")
        return event
    }

    static func options(chunkBytes: Int) -> ReadOptions {
        var options = ReadOptions()
        options.chunkBytes = chunkBytes
        return options
    }

    @Test("a log of several MiB verifies the same with small and large chunks, and edits near chunk edges are found")
    func chunkBoundaries() throws {
        let directory = LogScratchDirectory()
        let store = LogFixtures.store(directory)
        var random = SplitMix64(seed: 0xC4A2)
        // About 2.5 MiB of lines of irregular length, so chunk edges fall anywhere in lines.
        var events: [UnsealedEvent] = []
        for index in 0..<3300 {
            let pad = String(repeating: "中", count: random.below(300))
            events.append(LogFixtures.event(Self.alpha, "a.\(index)", minute: index, data: ["pad": .string(pad), "n": .number(JSONNumber(index))]))
        }
        try LogFixtures.append(events, to: store)
        let size = directory.read(Self.alpha.fileName).count
        #expect(size > 2 * Self.limit)

        let whole = try store.verify()
        #expect(whole.isValid)
        for chunk in [1, Self.limit + 12345] {
            let report = try store.verify(options: Self.options(chunkBytes: chunk))
            #expect(report == whole, "chunk \(chunk): \(report.problems.prefix(3))")
        }

        // Change one byte just before, at and after each place where a small-chunk read splits the file.
        let original = directory.read(Self.alpha.fileName)
        let capacity = Self.limit + 1
        var edges: [Int] = []
        var offset = 0
        while offset < original.count {
            // Where the next chunk starts: after the last complete line inside this one.
            let end = min(original.count, offset + capacity)
            guard end < original.count, let lastNewline = original[offset..<end].lastIndex(of: UInt8(ascii: "\n")) else { break }
            edges.append(end)
            offset = lastNewline + 1
        }
        #expect(edges.count >= 2)
        for edge in edges {
            for position in [edge - 1, edge, edge + 1] where original[position] != UInt8(ascii: "\n") {
                var bytes = original
                bytes[position] = bytes[position] == UInt8(ascii: "7") ? UInt8(ascii: "8") : UInt8(ascii: "7")
                directory.write(Self.alpha.fileName, bytes)
                let line = 1 + bytes[..<position].count(where: { $0 == UInt8(ascii: "\n") })
                for chunk in [1, 8 << 20] {
                    let report = try store.verify(options: Self.options(chunkBytes: chunk))
                    #expect(report.problems.map(\.line).min() == line, "byte \(position), chunk \(chunk): \(report.problems)")
                }
            }
        }
        directory.write(Self.alpha.fileName, original)
    }

    @Test("a line of exactly the maximum length is written, read and appended after")
    func lineAtTheLimit() throws {
        let directory = LogScratchDirectory()
        let store = LogFixtures.store(directory)
        try LogFixtures.append([LogFixtures.event(Self.alpha, "small", minute: 1)], to: store)
        try LogFixtures.append([Self.event("exactly-max", minute: 2, lineLength: Self.limit)], to: store)
        for chunk in [1, 8 << 20] {
            let report = try store.verify(options: Self.options(chunkBytes: chunk))
            #expect(report.isValid, "chunk \(chunk): \(report.problems)")
            #expect(report.logs.first?.events == 2)
        }
        // The writer finds the chain's end behind a maximal last line.
        try LogFixtures.append([LogFixtures.event(Self.alpha, "after", minute: 3)], to: store)
        #expect(try store.verify().logs.first?.events == 3)
    }

    @Test("the writer refuses an event whose line would be longer than the maximum, and writes nothing")
    func writerRefusesLongLine() throws {
        let directory = LogScratchDirectory()
        let store = LogFixtures.store(directory)
        try LogFixtures.append([LogFixtures.event(Self.alpha, "small", minute: 1)], to: store)
        let before = directory.snapshot()
        #expect {
            try LogFixtures.append([Self.event("too-long", minute: 2, lineLength: Self.limit + 1)], to: store)
        } throws: { error in
            guard let error = error as? LedgerError else { return false }
            return error.code == .badData && error.message.contains("too-long") && error.message.contains("\(Self.limit)")
        }
        #expect(directory.snapshot()[Self.alpha.fileName] == before[Self.alpha.fileName])
        try LogFixtures.append([LogFixtures.event(Self.alpha, "after", minute: 3)], to: store)
        #expect(try store.verify().isValid)
    }

    @Test("a line longer than the maximum is a problem whatever the chunk size")
    func overlongLineVerdict() throws {
        let directory = LogScratchDirectory()
        let store = LogFixtures.store(directory)
        let events = [LogFixtures.event(Self.alpha, "first", minute: 1), Self.event("long", minute: 2, lineLength: Self.limit + 100),
                      LogFixtures.event(Self.alpha, "third", minute: 3)]
        directory.write(Self.alpha.fileName, LogFiles.join(LogFixtures.chain(events)))
        for chunk in [1, 8 << 20, 64 << 20] {
            let report = try store.verify(options: Self.options(chunkBytes: chunk))
            #expect(report.problems.contains { $0.line == 2 && $0.problem.contains("line longer than \(Self.limit) bytes") },
                    "chunk \(chunk): \(report.problems)")
            #expect(!report.isValid)
        }
    }

    @Test("the chunks read ahead start again after each overlong line: every line after one is judged")
    func readAheadAfterOverlongLines() throws {
        let directory = LogScratchDirectory()
        let store = LogFixtures.store(directory)
        // Overlong lines first, back to back, among a few MiB of good lines, and last: each stops
        // the chunks read ahead of it, which the read starts again from the line after.
        var events: [UnsealedEvent] = []
        var overlong: [Int] = []
        var random = SplitMix64(seed: 0x51D3)
        for index in 0..<2_400 {
            let line = events.count + 1
            if [0, 700, 701, 1_900].contains(index) || index == 2_399 {
                overlong.append(line)
                events.append(Self.event("long.\(index)", minute: index, lineLength: Self.limit + 1 + random.below(5_000)))
            } else {
                let pad = String(repeating: "x", count: random.below(3_000))
                events.append(LogFixtures.event(Self.alpha, "a.\(index)", minute: index, data: ["pad": .string(pad)]))
            }
        }
        directory.write(Self.alpha.fileName, LogFiles.join(LogFixtures.chain(events)))
        for chunk in [1, Self.limit + 12_345, 8 << 20] {
            let report = try store.verify(options: Self.options(chunkBytes: chunk))
            let longLines = report.problems.filter { $0.problem.contains("line longer than") }.map(\.line)
            #expect(longLines == overlong, "chunk \(chunk): \(report.problems.prefix(8))")
            // The chain is not checked across an overlong line, so no other line is reported.
            #expect(report.problems.count == overlong.count, "chunk \(chunk): \(report.problems.prefix(8))")
            #expect(report.logs.first?.events == events.count - overlong.count, "chunk \(chunk)")
        }
    }

    @Test("eventLimits reads a prefix of a log (a checkpoint's view)")
    func prefixRead() throws {
        let directory = LogScratchDirectory()
        let store = try LogFixtures.populated(directory)
        var options = ReadOptions()
        options.eventLimits = [Self.alpha: 3]
        var collector = StoredEventCollector()
        let report = try store.read(options: options, consumer: &collector)
        #expect(report.isValid)
        #expect(report.summary(of: Self.alpha)?.events == 3)
        #expect(collector.events.filter { $0.log == Self.alpha }.map(\.id) == ["alpha.0001", "alpha.0002", "alpha.0003"])
        #expect(report.summary(of: LogFixtures.beta)?.events == 5)
        let third = LogFiles.lines(directory.read(Self.alpha.fileName))[2]
        #expect(report.summary(of: Self.alpha)?.head.hex == (try JSONParser.parse(third))["hash"]?.stringValue)
    }

    @Test("a line of 4 GiB or more is refused by the scan before a byte of it is read (its offsets are 32-bit)")
    func scanRefusesFourGibibytes() {
        // One real byte: the scan must refuse on the length alone, reading none of the rest.
        let byte = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1)
        defer { byte.deallocate() }
        byte.storeBytes(of: UInt8(ascii: "{"), as: UInt8.self)
        for count in [Int(UInt32.max), Int(UInt32.max) + 1, 1 << 40] {
            guard case .failure(let failure) = ScannedEventLine.scan(UnsafeRawBufferPointer(start: byte, count: count)) else {
                Issue.record("a line of \(count) bytes scanned")
                continue
            }
            #expect(failure.offset == 0, "refused at its start, \(count) bytes")
        }
        // A short line is read as before: its failure lies past its first byte.
        let line = Array(#"{"actor":"a"}"#.utf8)
        let result = line.withUnsafeBytes { ScannedEventLine.scan($0) }
        guard case .failure(let failure) = result else {
            Issue.record("an incomplete event scanned")
            return
        }
        #expect(failure.offset > 0, "a short line is read, not refused on its length")
    }
}
