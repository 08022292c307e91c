import IncentivesTestSupport
import Testing
@testable import LedgerLog

/// Every way a log can be wrong is found by `verify`, located by log and line, described, and
/// verify goes on past the first problem.
@Suite("Verify finds every problem")
struct VerifyProblemTests {
    static let alpha = LogFixtures.alpha
    static let beta = LogFixtures.beta

    /// Which line (1-based) holds byte `offset` of `bytes`; a newline belongs to the line it ends.
    static func lineNumber(ofByte offset: Int, in bytes: [UInt8]) -> Int {
        1 + bytes[..<offset].count(where: { $0 == UInt8(ascii: "\n") })
    }

    static func replaceLines(_ directory: LogScratchDirectory, _ log: LogName, _ edit: (inout [[UInt8]]) -> Void) {
        var lines = LogFiles.lines(directory.read(log.fileName))
        edit(&lines)
        directory.write(log.fileName, LogFiles.join(lines))
    }

    static func expectProblem(_ report: ReadReport, _ log: LogName, line: Int, containing phrase: String,
                              sourceLocation: SourceLocation = #_sourceLocation) {
        let found = report.problems.contains { $0.log == log && $0.line == line && $0.problem.contains(phrase) }
        #expect(found, "expected \(log.fileName):\(line) \"\(phrase)\"; verify said \(report.problems)",
                sourceLocation: sourceLocation)
    }

    @Test("logs written by the writer verify, with counts and heads")
    func intactLogsVerify() throws {
        let directory = LogScratchDirectory()
        let store = try LogFixtures.populated(directory)
        let report = try store.verify()
        #expect(report.isValid)
        #expect(report.problems.isEmpty)
        #expect(report.logs.map(\.events) == [8, 5])
        let alphaLines = LogFiles.lines(directory.read(Self.alpha.fileName))
        let lastHash = try JSONParser.parse(alphaLines.last!)["hash"]?.stringValue
        #expect(report.summary(of: Self.alpha)?.head.hex == lastHash)
    }

    @Test("a byte changed anywhere is reported on its own line, and nowhere earlier")
    func editedByteAnywhere() throws {
        let directory = LogScratchDirectory()
        let store = try LogFixtures.populated(directory)
        var random = SplitMix64(seed: 0xB17E)
        let originals = [Self.alpha: directory.read(Self.alpha.fileName), Self.beta: directory.read(Self.beta.fileName)]
        for round in 0..<400 {
            let log = random.chance(2, in: 3) ? Self.alpha : Self.beta
            let other = log == Self.alpha ? Self.beta : Self.alpha
            var bytes = originals[log]!
            let offset = random.below(bytes.count)
            var replacement = UInt8(truncatingIfNeeded: random.next())
            if replacement == bytes[offset] { replacement ^= 0x01 }
            let original = bytes[offset]
            bytes[offset] = replacement
            directory.write(log.fileName, bytes)

            let report = try store.verify()
            let line = Self.lineNumber(ofByte: offset, in: bytes)
            let lines = report.problems(in: log).map(\.line)
            #expect(!report.isValid, "round \(round): byte \(offset) of \(log.fileName) changed from \(original) to \(replacement) went unnoticed")
            #expect(lines.min() == line, "round \(round): byte \(offset) (line \(line)) of \(log.fileName): problems \(report.problems)")
            #expect(report.problems(in: other).isEmpty, "round \(round): \(other.fileName) is intact: \(report.problems)")
            #expect(report.problems.allSatisfy { !$0.problem.isEmpty })
            directory.write(log.fileName, originals[log]!)
        }
        #expect(try store.verify().isValid)
    }

    @Test("verify goes on past the first problem: edits on distant lines of both logs are all reported")
    func severalEditsAllReported() throws {
        let directory = LogScratchDirectory()
        let store = try LogFixtures.populated(directory, alphaCount: 12, betaCount: 6)
        var random = SplitMix64(seed: 0x2ED17)
        let originals = [Self.alpha: directory.read(Self.alpha.fileName), Self.beta: directory.read(Self.beta.fileName)]
        /// Changes one byte of `line` (not its newline, never into a newline, so lines keep their numbers).
        func edit(_ log: LogName, line: Int, in bytes: inout [UInt8]) {
            let lines = LogFiles.lines(bytes)
            let start = lines[..<(line - 1)].reduce(0) { $0 + $1.count + 1 }
            let offset = start + random.below(lines[line - 1].count)
            var replacement = UInt8(truncatingIfNeeded: random.next())
            if replacement == UInt8(ascii: "\n") { replacement = UInt8(ascii: "x") }
            if replacement == bytes[offset] { replacement = bytes[offset] == UInt8(ascii: "y") ? UInt8(ascii: "z") : UInt8(ascii: "y") }
            bytes[offset] = replacement
        }
        for round in 0..<150 {
            let first = 1 + random.below(6)
            let second = first + 2 + random.below(12 - first - 1)
            let betaLine = 1 + random.below(6)
            var alphaBytes = originals[Self.alpha]!, betaBytes = originals[Self.beta]!
            edit(Self.alpha, line: first, in: &alphaBytes)
            edit(Self.alpha, line: second, in: &alphaBytes)
            edit(Self.beta, line: betaLine, in: &betaBytes)
            directory.write(Self.alpha.fileName, alphaBytes)
            directory.write(Self.beta.fileName, betaBytes)

            let report = try store.verify()
            let alphaLines = Set(report.problems(in: Self.alpha).map(\.line))
            let betaLines = Set(report.problems(in: Self.beta).map(\.line))
            #expect(alphaLines.contains(first) && alphaLines.contains(second) && alphaLines.min() == first,
                    "round \(round): alpha lines \(first) and \(second) edited; problems \(report.problems)")
            #expect(betaLines.min() == betaLine, "round \(round): beta line \(betaLine) edited; problems \(report.problems)")
        }
    }

    @Test("a dropped line breaks seq and prev on the line after it")
    func droppedLine() throws {
        let directory = LogScratchDirectory()
        let store = try LogFixtures.populated(directory)
        Self.replaceLines(directory, Self.alpha) { $0.remove(at: 3) }
        let report = try store.verify()
        Self.expectProblem(report, Self.alpha, line: 4, containing: "seq is 5, expected 4")
        Self.expectProblem(report, Self.alpha, line: 4, containing: "prev does not link to the previous line's hash")
        #expect(report.problems(in: Self.alpha).map(\.line) == [4, 4], "only the line after the gap: \(report.problems)")
        #expect(report.problems(in: Self.beta).isEmpty)
        #expect(report.summary(of: Self.alpha)?.events == 7)
    }

    @Test("a dropped first line: seq must start at 1 and prev must be zeros")
    func droppedFirstLine() throws {
        let directory = LogScratchDirectory()
        let store = try LogFixtures.populated(directory)
        Self.replaceLines(directory, Self.beta) { $0.removeFirst() }
        let report = try store.verify()
        Self.expectProblem(report, Self.beta, line: 1, containing: "seq is 2, expected 1")
        Self.expectProblem(report, Self.beta, line: 1, containing: "prev must be 64 zeros on the first line")
        #expect(report.problems.count == 2, "\(report.problems)")
    }

    /// A chain cut after a complete line is still a valid chain: only the published head shows it.
    @Test("a dropped last line leaves a valid chain whose head differs (checkpoints catch it)")
    func droppedLastLine() throws {
        let directory = LogScratchDirectory()
        let store = try LogFixtures.populated(directory)
        let before = try store.verify()
        Self.replaceLines(directory, Self.alpha) { $0.removeLast() }
        let after = try store.verify()
        #expect(after.isValid)
        #expect(after.summary(of: Self.alpha)?.events == 7)
        #expect(after.summary(of: Self.alpha)?.head != before.summary(of: Self.alpha)?.head)
    }

    @Test("two swapped lines are both reported")
    func swappedLines() throws {
        let directory = LogScratchDirectory()
        let store = try LogFixtures.populated(directory)
        Self.replaceLines(directory, Self.alpha) { $0.swapAt(2, 3) }
        let report = try store.verify()
        Self.expectProblem(report, Self.alpha, line: 3, containing: "seq is 4, expected 3")
        Self.expectProblem(report, Self.alpha, line: 3, containing: "prev does not link")
        Self.expectProblem(report, Self.alpha, line: 4, containing: "seq is 3, expected 5")
        Self.expectProblem(report, Self.alpha, line: 4, containing: "prev does not link")
        Self.expectProblem(report, Self.alpha, line: 5, containing: "seq is 5, expected 4")
        Self.expectProblem(report, Self.alpha, line: 5, containing: "prev does not link")
        #expect(report.problems(in: Self.beta).isEmpty)
    }

    @Test("a broken prev on an otherwise consistent line is reported on that line only")
    func brokenPrevious() throws {
        let directory = LogScratchDirectory()
        let store = LogFixtures.store(directory)
        let events = LogFixtures.events(Self.alpha, count: 6)
        let bogus = SHA256.hash(Array("not the previous line".utf8))
        // Sealed with a wrong prev at index 3 and the chain continued from that line's own hash.
        directory.write(Self.alpha.fileName, LogFiles.join(LogFixtures.chain(events, previousOverride: [3: bogus])))
        let report = try store.verify()
        #expect(report.problems == [LogProblem(log: Self.alpha, line: 4, problem: "prev does not link to the previous line's hash")])
        #expect(report.summary(of: Self.alpha)?.events == 6)
    }

    @Test("a torn tail (no final newline) is reported after the last complete line")
    func tornTail() throws {
        let directory = LogScratchDirectory()
        let store = try LogFixtures.populated(directory)
        let extra = LogFixtures.chain(LogFixtures.events(Self.beta, count: 6, firstMinute: 1000))[5]
        let tail = Array(extra.prefix(extra.count / 2))
        directory.write(Self.beta.fileName, directory.read(Self.beta.fileName) + tail)
        let report = try store.verify()
        #expect(report.problems.count == 1)
        Self.expectProblem(report, Self.beta, line: 6, containing: "last line has no newline (torn write?): \(tail.count) bytes")
        #expect(report.summary(of: Self.beta)?.events == 5)

        // A whole line without its newline is torn too.
        directory.write(Self.beta.fileName, LogFiles.join(LogFixtures.chain(LogFixtures.events(Self.beta, count: 5, firstMinute: 1000))) + extra)
        Self.expectProblem(try store.verify(), Self.beta, line: 6, containing: "last line has no newline")
    }

    /// Lines that are valid JSON, or nearly, but not the one canonical form.
    enum Spoiling: String, CaseIterable, CustomTestStringConvertible {
        case reorderedKeys, extraWhitespace, escapedSlash, uppercaseHexEscape, float, duplicateKey,
             missingMember, unknownMember, impossibleDate, idWithSpace, trailingSpace, leadingZero

        var testDescription: String { rawValue }

        var expectedProblem: String {
            switch self {
            case .reorderedKeys, .extraWhitespace, .escapedSlash, .uppercaseHexEscape, .trailingSpace:
                return "not in RFC 8785 canonical form"
            case .float: return "non-integer number 1.5"
            case .duplicateKey: return "not a valid JSON line: duplicate key \"actor\""
            case .missingMember: return "missing member source"
            case .unknownMember: return "unknown member zzz"
            case .impossibleDate: return "invalid effective \"2023-02-30\""
            case .idWithSpace: return "invalid id"
            case .leadingZero: return "not a valid JSON line"
            }
        }

        func apply(to line: [UInt8]) throws -> [UInt8] {
            guard case .object(var object) = try JSONParser.parse(line) else { preconditionFailure("an event is an object") }
            func set(_ key: String, _ value: JSONValue) {
                let index = object.members.firstIndex { $0.key == key }!
                object.members[index].value = value
            }
            switch self {
            case .reorderedKeys:
                object.members.swapAt(0, 1)
            case .extraWhitespace:
                return OrderedJSONText.replacingFirst(",\"effective\"", with: ", \"effective\"", in: line)!
            case .escapedSlash:
                return OrderedJSONText.replacingFirst("notice/2024", with: "notice\\/2024", in: line)!
            case .uppercaseHexEscape:
                return OrderedJSONText.replacingFirst("\\u001f", with: "\\u001F", in: line)!
            case .trailingSpace:
                return line + [UInt8(ascii: " ")]
            case .leadingZero:
                return OrderedJSONText.replacingFirst("\"seq\":", with: "\"seq\":0", in: line)!
            case .float:
                guard case .object(var data)? = object["data"] else { preconditionFailure("data is an object") }
                data.members[data.members.firstIndex { $0.key == "amount" }!].value = .number(JSONNumber(literal: "1.5")!)
                set("data", .object(data))
            case .duplicateKey:
                object.members.insert(object.members[0], at: 1)
            case .missingMember:
                object.members.removeAll { $0.key == "source" }
            case .unknownMember:
                object.members.append(JSONMember(key: "zzz", value: 1))
            case .impossibleDate:
                set("effective", "2023-02-30")
            case .idWithSpace:
                set("id", "alpha 0004")
            }
            return OrderedJSONText.write(.object(object))
        }
    }

    @Test("the ordered writer reproduces a canonical line exactly (so spoiled lines differ only as intended)")
    func orderedWriterIsFaithful() throws {
        let line = LogFixtures.chain(LogFixtures.events(Self.alpha, count: 1))[0]
        guard case .object(let object) = try JSONParser.parse(line) else { preconditionFailure("an event is an object") }
        #expect(OrderedJSONText.write(.object(object)) == line)
    }

    @Test("a non-canonical line is reported with what is wrong", arguments: Spoiling.allCases)
    func nonCanonicalLine(spoiling: Spoiling) throws {
        let directory = LogScratchDirectory()
        let store = try LogFixtures.populated(directory)
        Self.replaceLines(directory, Self.alpha) { lines in
            lines[3] = try! spoiling.apply(to: lines[3])
        }
        let spoiled = LogFiles.lines(directory.read(Self.alpha.fileName))[3]
        #expect(spoiled != LogFixtures.chain(LogFixtures.events(Self.alpha, count: 4))[3])
        let report = try store.verify()
        Self.expectProblem(report, Self.alpha, line: 4, containing: spoiling.expectedProblem)
        #expect(report.problems.count == 1, "\(report.problems)")
        #expect(report.summary(of: Self.alpha)?.events == 7, "the bad line is not counted as an event")
    }

    @Test("recorded going backwards within a log is reported on the later line")
    func recordedBackwards() throws {
        let directory = LogScratchDirectory()
        let store = LogFixtures.store(directory)
        let events = [
            LogFixtures.event(Self.alpha, "first", minute: 10),
            LogFixtures.event(Self.alpha, "second", minute: 20),
            LogFixtures.event(Self.alpha, "third", minute: 15),
            LogFixtures.event(Self.alpha, "fourth", minute: 20),
        ]
        directory.write(Self.alpha.fileName, LogFiles.join(LogFixtures.chain(events)))
        let report = try store.verify()
        #expect(report.problems == [LogProblem(log: Self.alpha, line: 3,
            problem: "recorded 2024-01-01T00:15:00Z is before the previous line's 2024-01-01T00:20:00Z")])
    }

    @Test("an id used in two logs is reported where it is seen the second time")
    func duplicateIdAcrossLogs() throws {
        let directory = LogScratchDirectory()
        let store = LogFixtures.store(directory)
        var alphaEvents = LogFixtures.events(Self.alpha, count: 3)
        alphaEvents[1].id = EventID(rawValue: "shared:id")!
        var betaEvents = LogFixtures.events(Self.beta, count: 4, firstMinute: 100)
        betaEvents[2].id = EventID(rawValue: "shared:id")!
        directory.write(Self.alpha.fileName, LogFiles.join(LogFixtures.chain(alphaEvents)))
        directory.write(Self.beta.fileName, LogFiles.join(LogFixtures.chain(betaEvents)))
        let report = try store.verify()
        #expect(report.problems == [LogProblem(log: Self.beta, line: 3, problem: "id shared:id already used at alpha.jsonl:2")])
    }

    @Test("an id used twice in one log is reported on the second line")
    func duplicateIdWithinLog() throws {
        let directory = LogScratchDirectory()
        let store = LogFixtures.store(directory)
        var events = LogFixtures.events(Self.alpha, count: 5)
        events[4].id = events[1].id
        directory.write(Self.alpha.fileName, LogFiles.join(LogFixtures.chain(events)))
        let report = try store.verify()
        #expect(report.problems == [LogProblem(log: Self.alpha, line: 5, problem: "id alpha.0002 already used at alpha.jsonl:2")])
    }

    @Test("many kinds of problem in two logs are all reported, in order")
    func everythingAtOnce() throws {
        let directory = LogScratchDirectory()
        let store = LogFixtures.store(directory)
        var alphaEvents = LogFixtures.events(Self.alpha, count: 10)
        alphaEvents[6].id = EventID(rawValue: "beta.0001")!
        var alphaLines = LogFixtures.chain(alphaEvents, previousOverride: [8: .zero])
        alphaLines[1] = try Spoiling.float.apply(to: alphaLines[1])
        alphaLines[4] = OrderedJSONText.replacingFirst("\"amount\":401", with: "\"amount\":402", in: alphaLines[4])!
        directory.write(Self.alpha.fileName, LogFiles.join(alphaLines) + Array("{\"actor\"".utf8))
        var betaLines = LogFixtures.chain(LogFixtures.events(Self.beta, count: 5, firstMinute: 1000))
        betaLines.swapAt(3, 4)
        directory.write(Self.beta.fileName, LogFiles.join(betaLines))

        let report = try store.verify()
        Self.expectProblem(report, Self.alpha, line: 2, containing: "non-integer number 1.5")
        Self.expectProblem(report, Self.alpha, line: 5, containing: "hash does not match the event's content")
        Self.expectProblem(report, Self.alpha, line: 9, containing: "prev does not link")
        Self.expectProblem(report, Self.alpha, line: 11, containing: "last line has no newline")
        Self.expectProblem(report, Self.beta, line: 1, containing: "id beta.0001 already used at alpha.jsonl:7")
        Self.expectProblem(report, Self.beta, line: 4, containing: "seq is 5, expected 4")
        Self.expectProblem(report, Self.beta, line: 5, containing: "seq is 4, expected 6")
        let order = report.problems.map { ($0.log.rawValue, $0.line) }
        #expect(order.elementsEqual(order.sorted { ($0.0 == $1.0) ? $0.1 < $1.1 : $0.0 < $1.0 }, by: ==),
                "problems come in log rank order, then line order: \(report.problems)")
    }

    @Test("verify stops listing after the per-log limit and says more follow")
    func problemLimit() throws {
        let directory = LogScratchDirectory()
        let store = LogFixtures.store(directory)
        let garbage = Array(repeating: Array("not json".utf8), count: 30)
        directory.write(Self.alpha.fileName, LogFiles.join(garbage))
        var options = ReadOptions()
        options.maximumProblemsPerLog = 10
        let report = try store.verify(options: options)
        #expect(report.problems.count == 11)
        #expect(report.problems.prefix(10).allSatisfy { $0.problem.hasPrefix("not a valid JSON line") })
        #expect(report.problems.last?.problem == "more problems follow; fix these first")
    }
}
