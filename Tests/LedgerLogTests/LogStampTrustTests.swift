import Testing
@testable import LedgerLog

#if canImport(Glibc)
import Glibc
#endif

/// A remembered verified prefix is trusted only while each log's file is unchanged since it was
/// known good: its stamp is the remembered one, or the one the last append recorded after a
/// verified read. Any other change (an edit at the same length, a replaced file) sends the
/// caller back to a full read.
@Suite("Log stamps: when a remembered prefix may be trusted")
struct LogStampTrustTests {
    static let journalName = ".ledger-journal"

    /// Kernels without fine-grained change times stamp files from a clock that ticks every 1–4
    /// ms: an edit within the same tick as a stamp could keep its change time. Tests wait a tick.
    static func waitForTheNextClockTick() {
        usleep(20_000)
    }

    /// Where each log's chain ends now, and the stamps a full verified read took.
    static func rememberedRead(_ store: EventStore) throws -> (points: [TailState], stamps: [LogStamp?]) {
        var collector = StoredEventCollector()
        let report = try store.read(consumer: &collector)
        #expect(report.isValid)
        let points = report.logs.map { TailState(bytes: $0.bytes, seq: $0.events, head: $0.head, lastRecorded: $0.lastRecorded) }
        #expect(report.logs.allSatisfy { $0.stamp != nil })
        return (points, report.logs.map(\.stamp))
    }

    @Test("an unchanged store resumes from the remembered read; reporting the same stamps")
    func unchangedResumes() throws {
        let directory = LogScratchDirectory()
        let store = try LogFixtures.populated(directory)
        let remembered = try Self.rememberedRead(store)
        var collector = StoredEventCollector()
        let report = try #require(try store.read(resumingAt: remembered.points, stamps: remembered.stamps, consumer: &collector))
        #expect(collector.events.isEmpty)
        #expect(report.logs.map(\.stamp) == remembered.stamps)
    }

    @Test("an edit at the same length inside the prefix is not trusted")
    func editIsNotTrusted() throws {
        let directory = LogScratchDirectory()
        let store = try LogFixtures.populated(directory)
        let remembered = try Self.rememberedRead(store)
        Self.waitForTheNextClockTick()
        var alpha = directory.read(LogFixtures.alpha.fileName)
        let digit = try #require(alpha.firstIndex(of: UInt8(ascii: "1")))
        alpha[digit] = UInt8(ascii: "2")
        directory.write(LogFixtures.alpha.fileName, alpha)
        var collector = StoredEventCollector()
        #expect(try store.read(resumingAt: remembered.points, stamps: remembered.stamps, consumer: &collector) == nil)
        #expect(collector.events.isEmpty)
        // Without a remembered stamp nothing is trusted either.
        #expect(try store.read(resumingAt: remembered.points, stamps: [nil, nil], consumer: &collector) == nil)
    }

    @Test("a stamp is settled only when its change is older than the moment it was taken by more than a clock tick")
    func settledStamps() {
        let second: Int64 = 1_000_000_000
        func stamp(_ seconds: Int64, _ nanoseconds: Int64) -> LogStamp {
            LogStamp(device: 1, inode: 2, bytes: 3, changedSeconds: seconds, changedNanoseconds: nanoseconds)
        }
        // Whole seconds (a file system with one- or two-second times): two seconds and a tick.
        let coarse = stamp(100, 0)
        #expect(!coarse.isSettled(takenAfterNanoseconds: 100 * second))
        #expect(!coarse.isSettled(takenAfterNanoseconds: 100 * second + 999_999_999))
        #expect(!coarse.isSettled(takenAfterNanoseconds: 102 * second + 20_000_000))
        #expect(coarse.isSettled(takenAfterNanoseconds: 102 * second + 20_000_001))
        // Nanoseconds: the kernel's clock tick (up to 10 ms), twice.
        let fine = stamp(100, 300_000_000)
        #expect(!fine.isSettled(takenAfterNanoseconds: 100 * second + 310_000_000))
        #expect(!fine.isSettled(takenAfterNanoseconds: 100 * second + 320_000_000))
        #expect(fine.isSettled(takenAfterNanoseconds: 100 * second + 320_000_001))
        // Out of range never counts as settled, and never traps.
        #expect(!stamp(Int64.max, 0).isSettled(takenAfterNanoseconds: Int64.max))
        #expect(!fine.isSettled(takenAfterNanoseconds: Int64.min))
    }

    @Test("an edit that keeps the stamp (within the clock tick of a change) is found: the prefix is read again")
    func editWithinTheTickIsFound() throws {
        let directory = LogScratchDirectory()
        let store = try LogFixtures.populated(directory)
        let remembered = try Self.rememberedRead(store)
        var alpha = directory.read(LogFixtures.alpha.fileName)
        let digit = try #require(alpha.firstIndex(of: UInt8(ascii: "1")))
        alpha[digit] = UInt8(ascii: "2")
        directory.write(LogFixtures.alpha.fileName, alpha)
        // As on a file system with one-second times: the edit left every stamp as remembered.
        let kept = try store.stamps()
        let changedAt = kept.map(\.changedAtNanoseconds).max()!
        var collector = StoredEventCollector()
        // The stamps were taken in the same tick as the change: they prove nothing; the prefix is read and refused.
        #expect(try store.read(resumingAt: remembered.points, stamps: kept, stampsTakenAfter: changedAt,
                               consumer: &collector) == nil)
        // Only a stamp settled when taken is trusted as it stands (which is why the rule matters).
        #expect(try store.read(resumingAt: remembered.points, stamps: kept, stampsTakenAfter: changedAt + 3_000_000_000,
                               consumer: &collector) != nil)
    }

    @Test("a log appended to after the remembered read has its prefix verified again, then the tail is read")
    func appendedLogIsVerifiedAgain() throws {
        let directory = LogScratchDirectory()
        let store = try LogFixtures.populated(directory)
        let remembered = try Self.rememberedRead(store)
        try LogFixtures.append([LogFixtures.event(LogFixtures.beta, "late.d", minute: 4200)], to: store)
        var collector = StoredEventCollector()
        let report = try #require(try store.read(resumingAt: remembered.points, stamps: remembered.stamps,
                                                 stampsTakenAfter: LogStamp.nowNanoseconds(), consumer: &collector))
        #expect(collector.events.map(\.id) == ["late.d"])
        #expect(report.isValid)
        // The same append with an edit of the prefix (same length) is refused.
        var beta = directory.read(LogFixtures.beta.fileName)
        let rank = try #require(store.logs.firstIndex(of: LogFixtures.beta))
        let digit = try #require(beta[..<remembered.points[rank].bytes].firstIndex(of: UInt8(ascii: "1")))
        beta[digit] = UInt8(ascii: "2")
        directory.write(LogFixtures.beta.fileName, beta)
        #expect(try store.read(resumingAt: remembered.points, stamps: remembered.stamps,
                               stampsTakenAfter: LogStamp.nowNanoseconds(), consumer: &collector) == nil)
    }

    @Test("an append after a verified read records the stamps; a prefix remembered before it is then trusted")
    func verifiedAppendRecordsStamps() throws {
        let directory = LogScratchDirectory()
        let store = try LogFixtures.populated(directory)
        let remembered = try Self.rememberedRead(store)
        do {
            let writer = try store.openWriter(clock: LogFixtures.clock) { _ in }
            var collector = StoredEventCollector()
            _ = try writer.read(consumer: &collector)
            try writer.append(LogFixtures.events(LogFixtures.alpha, count: 2, firstMinute: 3000).enumerated().map { index, event in
                var renamed = event
                renamed.id = EventID(rawValue: "late.\(index)")!
                return renamed
            })
        }
        let journal = String(decoding: directory.read(Self.journalName), as: UTF8.self)
        #expect(journal.hasPrefix("ledger-journal 2 idle\ncommitted alpha ") && journal.contains("\nstamp alpha ")
                    && journal.contains("\nend "), "\(journal)")
        let stamps = try AppendJournal.decode(directory.read(Self.journalName), path: "journal").stamps
        #expect(stamps.map(\.stamp) == [try LogStamp.of(directory.file("alpha.jsonl")), try LogStamp.of(directory.file("beta.jsonl"))])
        var collector = StoredEventCollector()
        let report = try #require(try store.read(resumingAt: remembered.points, stamps: remembered.stamps, consumer: &collector))
        #expect(collector.events.map(\.id) == ["late.0", "late.1"])
        #expect(report.isValid)
    }

    @Test("an append without a verified read first records no stamps: the next resumed read is refused")
    func unverifiedAppendRecordsNothing() throws {
        let directory = LogScratchDirectory()
        let store = try LogFixtures.populated(directory)
        let remembered = try Self.rememberedRead(store)
        try LogFixtures.append([LogFixtures.event(LogFixtures.beta, "late.b", minute: 4000)], to: store)
        let journal = try AppendJournal.decode(directory.read(Self.journalName), path: "journal")
        #expect(journal.stamps.isEmpty && !journal.isPending)
        #expect(journal.committed.map(\.log) == [LogFixtures.alpha, LogFixtures.beta])
        var collector = StoredEventCollector()
        #expect(try store.read(resumingAt: remembered.points, stamps: remembered.stamps, consumer: &collector) == nil)
    }

    @Test("a log changed between the writer's verified read and its append is not vouched for")
    func changeBeforeTheAppend() throws {
        let directory = LogScratchDirectory()
        let store = try LogFixtures.populated(directory)
        let writer = try store.openWriter(clock: LogFixtures.clock) { _ in }
        var collector = StoredEventCollector()
        _ = try writer.read(consumer: &collector)
        // Rewritten with the same bytes: unchanged content, but the file was written.
        Self.waitForTheNextClockTick()
        directory.write(LogFixtures.beta.fileName, directory.read(LogFixtures.beta.fileName))
        try writer.append([LogFixtures.event(LogFixtures.beta, "late.c", minute: 4100)])
        #expect(try AppendJournal.decode(directory.read(Self.journalName), path: "journal").stamps.isEmpty)
    }
}
