import Testing
@testable import LedgerLog

/// The append journal: an append cut short is reported by verify and rolled back by the next
/// writer after it says so; a batch that reached every log is kept.
///
/// The crash is simulated by writing what a writer leaves behind by hand: a pending journal
/// record (`pending`, then one `LOG FROM TO SEQ HEAD` line per log of the batch, encoded by
/// `AppendJournal` itself so the tests follow its format) and some of the batch's bytes.
@Suite("Interrupted appends")
struct InterruptedAppendTests {
    static let alpha = LogFixtures.alpha
    static let beta = LogFixtures.beta

    /// A batch of three alpha and two beta events continuing a populated store's chains.
    struct PendingBatch {
        var alphaBytes: [UInt8]
        var betaBytes: [UInt8]
        var journal: [UInt8]
        var alphaFrom: Int
        var betaFrom: Int
    }

    static func pendingBatch(_ directory: LogScratchDirectory) throws -> PendingBatch {
        let alphaBefore = directory.read(alpha.fileName), betaBefore = directory.read(beta.fileName)
        let alphaHead = try #require(SHA256Digest(hex: try JSONParser.parse(LogFiles.lines(alphaBefore).last!)["hash"]!.stringValue!))
        let betaHead = try #require(SHA256Digest(hex: try JSONParser.parse(LogFiles.lines(betaBefore).last!)["hash"]!.stringValue!))
        let alphaCount = LogFiles.lines(alphaBefore).count, betaCount = LogFiles.lines(betaBefore).count
        let alphaEvents = (0..<3).map { LogFixtures.event(alpha, "batch.a\($0)", minute: 5000 + $0) }
        let betaEvents = (0..<2).map { LogFixtures.event(beta, "batch.b\($0)", minute: 5000 + $0) }
        let alphaLines = LogFixtures.chain(alphaEvents, firstSeq: alphaCount + 1, previous: alphaHead)
        let betaLines = LogFixtures.chain(betaEvents, firstSeq: betaCount + 1, previous: betaHead)
        let alphaBytes = LogFiles.join(alphaLines), betaBytes = LogFiles.join(betaLines)
        func head(_ line: [UInt8]) throws -> SHA256Digest { SHA256Digest(hex: try JSONParser.parse(line)["hash"]!.stringValue!)! }
        // The record a writer syncs before it touches a log, in the journal's own encoding.
        let journal = AppendJournal(entries: [
            .init(log: alpha, fromBytes: alphaBefore.count, toBytes: alphaBefore.count + alphaBytes.count, toSeq: alphaCount + 3,
                  head: try head(alphaLines.last!), fromSeq: alphaCount, fromHead: alphaHead),
            .init(log: beta, fromBytes: betaBefore.count, toBytes: betaBefore.count + betaBytes.count, toSeq: betaCount + 2,
                  head: try head(betaLines.last!), fromSeq: betaCount, fromHead: betaHead),
        ])
        #expect(String(decoding: journal.encoded(), as: UTF8.self).hasPrefix("ledger-journal 2 pending\ncommitted alpha \(alphaBefore.count) \(alphaCount) "))
        return PendingBatch(alphaBytes: alphaBytes, betaBytes: betaBytes, journal: journal.encoded(),
                            alphaFrom: alphaBefore.count, betaFrom: betaBefore.count)
    }

    static let journalName = ".ledger-journal"

    @Test("the writer leaves an idle journal behind after a successful append")
    func idleAfterAppend() throws {
        let directory = LogScratchDirectory()
        _ = try LogFixtures.populated(directory)
        let journal = try AppendJournal.decode(directory.read(Self.journalName), path: "journal")
        #expect(!journal.isPending)
        #expect(journal.committed.map(\.bytes) == [directory.read(Self.alpha.fileName).count, directory.read(Self.beta.fileName).count])
        #expect(journal.committed.map(\.seq) == [8, 5])
    }

    @Test("a partly written batch is reported by verify and hidden from readers")
    func interruptedIsReported() throws {
        let directory = LogScratchDirectory()
        let store = try LogFixtures.populated(directory)
        let batch = try Self.pendingBatch(directory)
        let partial = Array(batch.alphaBytes.prefix(batch.alphaBytes.count * 2 / 3))
        directory.write(Self.alpha.fileName, directory.read(Self.alpha.fileName) + partial)
        directory.write(Self.journalName, batch.journal)

        let interruption = LogProblem(log: Self.alpha, line: 0, problem:
            "an append was interrupted: \(partial.count) bytes after byte \(batch.alphaFrom) were never acknowledged; queries answer without them, and `incentives repair` or the next append moves them to .ledger-quarantine/")
        let report = try store.verify()
        #expect(report.problems == [interruption])
        #expect(report.logs.map(\.events) == [8, 5], "the unacknowledged events are not read")
        // A reader answers from the acknowledged events, told why, and writes nothing.
        let before = directory.snapshot()
        var collector = StoredEventCollector()
        let read = try store.read(consumer: &collector)
        #expect(read.isValid && read.interruptions == [interruption])
        #expect(read.logs.map(\.interruption) == [interruption.problem, nil])
        #expect(collector.events.count == 13 && !collector.events.contains { $0.id.hasPrefix("batch.") })
        #expect(directory.snapshot() == before, "a reader changes nothing")
    }

    @Test("the next writer says so, rolls the batch back in every log, and appends after it")
    func interruptedIsRolledBack() throws {
        let directory = LogScratchDirectory()
        let store = try LogFixtures.populated(directory)
        let before = directory.snapshot()
        let batch = try Self.pendingBatch(directory)
        // Complete in alpha, half written in beta: all or nothing means alpha goes too.
        directory.write(Self.alpha.fileName, before[Self.alpha.fileName]! + batch.alphaBytes)
        let betaPart = Array(batch.betaBytes.prefix(batch.betaBytes.count / 2))
        directory.write(Self.beta.fileName, before[Self.beta.fileName]! + betaPart)
        directory.write(Self.journalName, batch.journal)

        let report = try store.verify()
        #expect(report.problems.map(\.log) == [Self.alpha, Self.beta])
        #expect(report.problems.allSatisfy { $0.line == 0 && $0.problem.hasPrefix("an append was interrupted") })

        var notices: [String] = []
        do {
            let writer = try store.openWriter(clock: LogFixtures.clock) { notices.append($0) }
            let alphaKept = ".ledger-quarantine/20260101T000000Z-alpha-at-\(batch.alphaFrom)-interrupted-append.removed"
            let betaKept = ".ledger-quarantine/20260101T000000Z-beta-at-\(batch.betaFrom)-interrupted-append.removed"
            #expect(notices == [
                "alpha.jsonl: an append was interrupted before it was acknowledged; its \(batch.alphaBytes.count) bytes after byte \(batch.alphaFrom) were moved to \(directory.path)/\(alphaKept)",
                "beta.jsonl: an append was interrupted before it was acknowledged; its \(betaPart.count) bytes after byte \(batch.betaFrom) were moved to \(directory.path)/\(betaKept)",
            ])
            #expect(directory.read(Self.alpha.fileName) == before[Self.alpha.fileName])
            #expect(directory.read(Self.beta.fileName) == before[Self.beta.fileName])
            // Nothing is lost: what was cut is in quarantine, byte for byte.
            #expect(directory.read(alphaKept) == batch.alphaBytes)
            #expect(directory.read(betaKept) == betaPart)
            let journal = try AppendJournal.decode(directory.read(Self.journalName), path: "journal")
            #expect(!journal.isPending && journal.committed.map(\.seq) == [8, 5])
            try writer.append([LogFixtures.event(Self.alpha, "after.recovery", minute: 9000)])
        }
        let after = try store.verify()
        #expect(after.isValid, "\(after.problems)")
        #expect(after.logs.map(\.events) == [9, 5])
    }

    @Test("a batch that reached every log before the crash is complete and kept, silently")
    func completePendingBatchIsKept() throws {
        let directory = LogScratchDirectory()
        let store = try LogFixtures.populated(directory)
        let batch = try Self.pendingBatch(directory)
        directory.write(Self.alpha.fileName, directory.read(Self.alpha.fileName) + batch.alphaBytes)
        directory.write(Self.beta.fileName, directory.read(Self.beta.fileName) + batch.betaBytes)
        directory.write(Self.journalName, batch.journal)
        let withBatch = directory.snapshot()

        let report = try store.verify()
        #expect(report.isValid, "\(report.problems)")
        #expect(report.logs.map(\.events) == [11, 7])

        do {
            let writer = try store.openWriter(clock: LogFixtures.clock) { notice in Issue.record("nothing to repair, yet: \(notice)") }
            #expect(writer.tails.map(\.seq) == [11, 7])
            #expect(directory.read(Self.alpha.fileName) == withBatch[Self.alpha.fileName])
            #expect(directory.read(Self.beta.fileName) == withBatch[Self.beta.fileName])
            let journal = try AppendJournal.decode(directory.read(Self.journalName), path: "journal")
            #expect(!journal.isPending && journal.committed.map(\.seq) == [11, 7])
        }
        #expect(try store.verify().logs.map(\.events) == [11, 7])
    }

    @Test("a torn last line without a journal is reported, then removed by the next writer after saying so")
    func tornTailIsRepaired() throws {
        let directory = LogScratchDirectory()
        let store = try LogFixtures.populated(directory)
        let intact = directory.read(Self.beta.fileName)
        directory.write(Self.beta.fileName, intact + Array("{\"actor\":\"cl".utf8))
        #expect(try store.verify().problems.map(\.line) == [6])

        var notices: [String] = []
        do {
            _ = try store.openWriter(clock: LogFixtures.clock) { notices.append($0) }
        }
        let kept = ".ledger-quarantine/20260101T000000Z-beta-at-\(intact.count)-torn-line.removed"
        #expect(notices == ["beta.jsonl: the last line was unfinished (12 bytes without a newline, a torn write); moved to \(directory.path)/\(kept) before appending"])
        #expect(directory.read(Self.beta.fileName) == intact)
        #expect(directory.read(kept) == Array("{\"actor\":\"cl".utf8))
        #expect(try store.verify().isValid)
    }

    @Test("a damaged journal is refused with what to do")
    func damagedJournal() throws {
        let directory = LogScratchDirectory()
        let store = try LogFixtures.populated(directory)
        directory.write(Self.journalName, Array("pending\nalpha twelve 3 4 xyz\n".utf8))
        #expect {
            _ = try store.verify()
        } throws: { error in
            guard let error = error as? LedgerError else { return false }
            return error.code == .badData && error.message.contains("is damaged") && error.message.contains("move it aside")
        }
    }
}
