import IncentivesTestSupport
import Testing
@testable import LedgerLog

/// A consumer that takes runs itself (`consume(_: LineRun)`, as the ledger's loader does) must
/// be handed exactly the lines, numbers and preparations that the line-by-line path hands over,
/// whatever the chunk size, the damage in the log, or a limit on the events read.
@Suite("Runs of checked lines")
struct LineRunTests {
    static let alpha = LogFixtures.alpha

    /// What a line-by-line consumer sees (the protocol's default loop).
    struct LineByLine: LogLineConsumer {
        var seen: [Seen] = []
        static func prepare(_ line: LogLine, context: Void) -> Int { line.fileOffset }
        mutating func consume(_ line: LogLine) throws(LedgerError) { Issue.record("the prepared path is taken") }
        mutating func consume(_ line: LogLine, prepared: Int) throws(LedgerError) {
            seen.append(Seen(lineNumber: line.lineNumber, id: line.id, fileOffset: line.fileOffset, prepared: prepared))
        }
    }

    /// A consumer with its own run loop, which also checks what it is shown ahead of each line.
    struct RunTaker: LogLineConsumer {
        var seen: [Seen] = []
        /// The preparation shown for each chunk index ahead, by the file offset it claims.
        var shownAhead: [Int] = []
        var runs = 0
        var nextIndex: Int? = nil
        static func prepare(_ line: LogLine, context: Void) -> Int { line.fileOffset }
        mutating func consume(_ line: LogLine) throws(LedgerError) { Issue.record("runs are taken whole") }
        mutating func consume(_ run: borrowing LineRun<Int>) throws(LedgerError) {
            runs += 1
            #expect(!run.indices.isEmpty, "no empty run is handed over")
            // Runs of one chunk follow each other; a new chunk starts again at index 0.
            if let next = nextIndex, run.indices.lowerBound != 0 { #expect(run.indices.lowerBound == next) }
            nextIndex = run.indices.upperBound
            #expect(run.log == LineRunTests.alpha)
            for index in run.indices {
                if let ahead = run.prepared(index + LineRun<Int>.lookaheadLines) { shownAhead.append(ahead.pointee) }
                // The accessors without pointers (the domain's) agree with the pointer's.
                for probe in [index, index + LineRun<Int>.lookaheadLines, index + 1_000_000, -1] {
                    let pointer = run.prepared(probe)
                    #expect(run.isPrepared(probe) == (pointer != nil))
                    if let pointer { #expect(run[preparedAt: probe] == pointer.pointee) }
                }
                // A line is handed over exactly when one is made of it; its parts read without the
                // line are its bytes, its id and its data.
                #expect(run.handsOver(index) == (run.line(index) != nil))
                if let line = run.line(index) {
                    #expect(Array(line.bytes) == line.span.withUnsafeBytes { Array($0) })
                    #expect(line.idSpan.withUnsafeBytes { String(decoding: $0, as: UTF8.self) } == line.id)
                    #expect(line.typeSpan.count == line.typeBytes.count && line.dataSpan.count == line.dataBytes.count)
                    #expect(run.span(ofLine: index, .whole).withUnsafeBytes { Array($0) } == Array(line.bytes))
                    #expect(run.span(ofLine: index, .id).withUnsafeBytes { Array($0) } == Array(line.idBytes))
                    #expect(run.span(ofLine: index, .data).withUnsafeBytes { Array($0) } == Array(line.dataBytes))
                }
                // Asking ahead for a line's bytes is a hint: lines past the chunk, before the run,
                // and offsets outside the line ask for nothing rather than stopping the program.
                for (line, offset) in [(index + LineRun<Int>.lookaheadLines, 0), (index + 1_000_000, 0), (index, -1),
                                       (index, Int.max), (-1, 0), (index, 10)] {
                    run.prefetchBytes(ofLine: line, at: offset)
                }
                guard let line = run.line(index) else { continue }
                let found = run.prepared(index)
                #expect(found != nil, "a line handed over was prepared")
                guard let prepared = found else { continue }
                seen.append(Seen(lineNumber: line.lineNumber, id: line.id, fileOffset: line.fileOffset,
                                 prepared: prepared.pointee))
            }
        }
    }

    struct Seen: Equatable {
        var lineNumber: Int
        var id: String
        var fileOffset: Int
        var prepared: Int
    }

    static func options(chunkBytes: Int, handOverProblems: Bool, limit: Int?) -> ReadOptions {
        var options = ReadOptions()
        options.chunkBytes = chunkBytes
        options.consumeLinesWithProblems = handOverProblems
        if let limit { options.eventLimits = [alpha: limit] }
        return options
    }

    @Test("a run loop sees the lines, numbers and preparations the line-by-line loop sees")
    func runsMatchLines() throws {
        let directory = LogScratchDirectory()
        let store = LogFixtures.store(directory)
        var random = SplitMix64(seed: 0x11E5)
        var events: [UnsealedEvent] = []
        for index in 0..<2600 {
            let pad = String(repeating: "x", count: 1 + random.below(900))
            events.append(LogFixtures.event(Self.alpha, "a.\(index)", minute: index, data: ["pad": .string(pad)]))
        }
        try LogFixtures.append(events, to: store)
        var bytes = directory.read(Self.alpha.fileName)
        // Damage: a changed byte (hash mismatch) early, a line that no longer scans in the middle,
        // and a changed byte near the end.
        let newlines = bytes.indices.filter { bytes[$0] == UInt8(ascii: "\n") }
        #expect(newlines.count == 2600)
        func firstPadByte(ofLine number: Int) -> Int {
            let start = newlines[number - 2] + 1
            return bytes[start..<newlines[number - 1]].firstIndex(of: UInt8(ascii: "x"))!
        }
        bytes[firstPadByte(ofLine: 41)] = UInt8(ascii: "y")
        bytes[newlines[1299] + 1] = UInt8(ascii: "[")
        bytes[firstPadByte(ofLine: 2501)] = UInt8(ascii: "y")
        directory.write(Self.alpha.fileName, bytes)

        let lineStarts = newlines.indices.map { $0 == 0 ? 0 : newlines[$0 - 1] + 1 }
        for chunkBytes in [1, 8 << 20] {
            for handOverProblems in [false, true] {
                for limit in [nil, 1, 700, 2599] as [Int?] {
                    let options = Self.options(chunkBytes: chunkBytes, handOverProblems: handOverProblems, limit: limit)
                    var lines = LineByLine()
                    let lineReport = try store.read(options: options, consumer: &lines)
                    var runs = RunTaker()
                    let runReport = try store.read(options: options, consumer: &runs)
                    let context = "chunk \(chunkBytes), problems handed over \(handOverProblems), limit \(String(describing: limit))"
                    #expect(runReport == lineReport, "\(context)")
                    #expect(runs.seen == lines.seen, "\(context)")
                    #expect(runs.seen.allSatisfy { $0.prepared == $0.fileOffset }, "\(context)")
                    // Numbers and ids as the file has them (both loops build lines the same way).
                    #expect(runs.seen.allSatisfy { lineStarts[$0.lineNumber - 1] == $0.fileOffset }, "\(context)")
                    #expect(runs.seen.allSatisfy { $0.id == "a.\($0.lineNumber - 1)" }, "\(context)")
                    #expect(lineReport.problems.isEmpty == ((limit ?? 2600) <= 40), "\(context)")
                    // Every line shown ahead is a real line's own preparation, shown once.
                    let offsets = Set(lineStarts)
                    #expect(runs.shownAhead.allSatisfy(offsets.contains), "\(context)")
                    #expect(Set(runs.shownAhead).count == runs.shownAhead.count, "\(context)")
                    let expectedCount = min(limit ?? 2600, 2600)
                    let consumed = lines.seen.count
                    if handOverProblems {
                        // Only the line that does not scan is never handed over.
                        #expect(consumed == expectedCount - (expectedCount > 1299 ? 1 : 0), "\(context)")
                    } else {
                        #expect(consumed < expectedCount || expectedCount <= 40, "\(context)")
                    }
                    if chunkBytes == 1 && (limit ?? 2600) > 700 { #expect(runs.runs > 2, "\(context): several chunks, several runs") }
                }
            }
        }
    }
}
