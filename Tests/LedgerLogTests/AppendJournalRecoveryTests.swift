import IncentivesTestSupport
import Testing
@testable import LedgerLog

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The journal as interruptions leave it: a record cut short by a file-size limit, a full disk
/// or a kill, and an idle record written over a longer one but not yet cut to length. None of
/// these may block the ledger; real damage still must be reported.
@Suite("Append journal: records cut short and leftovers")
struct AppendJournalRecoveryTests {
    static let head = String(repeating: "ab", count: 32)
    static let pendingRecord = "pending\ntiers 0 378 1 \(head)\ngrants 352 800 3 \(head)\nend\n"

    /// A format 2 record: `text` and its end line with the checksum of `text`.
    static func sealed(_ text: String) -> String {
        text + "end " + AppendJournal.checksum(Array(text.utf8)[...]) + "\n"
    }

    static func decode(_ text: String) throws(LedgerError) -> AppendJournal {
        try AppendJournal.decode(Array(text.utf8), path: "journal")
    }

    @Test("a complete format 1 pending record is read")
    func roundTrip() throws {
        let journal = try Self.decode(Self.pendingRecord)
        #expect(journal.entries.count == 2)
        #expect(journal.entries[1].fromBytes == 352 && journal.entries[1].toBytes == 800 && journal.entries[1].toSeq == 3)
        #expect(try Self.decode(String(decoding: AppendJournal(entries: []).encoded(), as: UTF8.self)).isPending == false)
    }

    @Test("every prefix of a pending record, cut before its end line, is read as no batch pending")
    func prefixesAreIdle() throws {
        let bytes = Array(Self.pendingRecord.utf8)
        let endLine = bytes.count - 4
        for length in 0..<endLine {
            let journal = try AppendJournal.decode(Array(bytes[0..<length]), path: "journal")
            #expect(!journal.isPending, "cut at \(length)")
        }
        // With its end line the record counts, whatever an older record left after it.
        #expect(try Self.decode(Self.pendingRecord + "ing\ncentres 1 2 3").isPending)
    }

    @Test("idle written over a longer record, not yet cut to length, is idle")
    func idleWithLeftovers() throws {
        #expect(!(try Self.decode("idle\n" + Self.pendingRecord.dropFirst(5))).isPending)
        #expect(!(try Self.decode("idle\ning\ntiers 0 378 1 \(Self.head)\n")).isPending)
        #expect(!(try Self.decode("id")).isPending)
    }

    static let stampedIdle = "idle\nstamp tiers 2049 131 378 1700000000 123456789\nstamp grants 2049 132 800 1700000001 5\nend\n"

    @Test("stamps after idle round-trip; cut short or followed by leftovers of another record, none is believed")
    func stampsAreBelievedOnlyWhole() throws {
        let journal = try Self.decode(Self.stampedIdle)
        #expect(!journal.isPending)
        #expect(journal.stamps.map(\.log.rawValue) == ["tiers", "grants"])
        #expect(journal.stamps[0].stamp == LogStamp(device: 2049, inode: 131, bytes: 378, changedSeconds: 1_700_000_000,
                                                    changedNanoseconds: 123_456_789))
        // Written again, it is written in format 2, with the same stamps.
        #expect(try AppendJournal.decode(journal.encoded(), path: "journal").stamps == journal.stamps)
        let bytes = Array(Self.stampedIdle.utf8)
        for length in 0..<(bytes.count - 1) {
            let cut = try AppendJournal.decode(Array(bytes[0..<length]), path: "journal")
            #expect(!cut.isPending && cut.stamps.isEmpty, "cut at \(length)")
        }
        // Idle written over a pending record: its lines are not stamps.
        #expect(try Self.decode("idle\n" + Self.pendingRecord.dropFirst(5)).stamps.isEmpty)
        // A malformed stamp line (nanoseconds out of range, a field missing) voids them all.
        #expect(try Self.decode("idle\nstamp tiers 1 2 3 4 1000000000\nend\n").stamps.isEmpty)
        #expect(try Self.decode("idle\nstamp tiers 1 2 3 4\nend\n").stamps.isEmpty)
    }

    @Test("real damage is still refused with a message that says what to do",
          arguments: ["garbage\n", "pending\ntiers zero 378 1 x\nend\n", "pending\nend\n",
                      "pending\ntiers 500 400 1 \(AppendJournalRecoveryTests.head)\nend\n", "IDLE\n",
                      AppendJournalRecoveryTests.sealed("ledger-journal 2 pending\n"),
                      AppendJournalRecoveryTests.sealed("ledger-journal 2 pending\nbatch tiers 400 2 \(AppendJournalRecoveryTests.head)\n"),
                      AppendJournalRecoveryTests.sealed("ledger-journal 2 pending\ncommitted tiers 500 2 \(AppendJournalRecoveryTests.head)\nbatch tiers 400 3 \(AppendJournalRecoveryTests.head)\n"),
                      AppendJournalRecoveryTests.sealed("ledger-journal 2 pending\ncommitted tiers 0 0 \(AppendJournalRecoveryTests.head)\nbatch tiers 400 1 \(AppendJournalRecoveryTests.head)\n")])
    func damageIsReported(text: String) {
        #expect(throws: LedgerError.self) { try Self.decode(text) }
        do {
            _ = try Self.decode(text)
        } catch {
            #expect(error.code == .badData && error.message.contains("move it aside and run verify"))
        }
    }

    static let zero = String(repeating: "0", count: 64)
    static let pendingRecord2 = sealed("ledger-journal 2 pending\ncommitted tiers 0 0 \(zero)\ncommitted grants 352 2 \(head)\n"
        + "committed centres 10 1 \(head)\nbatch tiers 378 1 \(head)\nbatch grants 800 3 \(head)\n")

    @Test("a format 2 pending record carries every log's acknowledged state and the head to roll back to")
    func formatTwoRoundTrip() throws {
        let journal = try Self.decode(Self.pendingRecord2)
        #expect(journal.version == 2 && journal.committed.count == 3)
        #expect(journal.entries.map(\.fromBytes) == [0, 352] && journal.entries.map(\.fromSeq) == [0, 2])
        #expect(journal.entries[1].fromHead == SHA256Digest(hex: Self.head))
        #expect(journal.encoded() == Array(Self.pendingRecord2.utf8))
        // One byte changed before the end line: the checksum no longer matches, nothing is believed.
        let changed = Self.pendingRecord2.split(separator: "\n")
            .map { $0 == "batch grants 800 3 \(Self.head)" ? "batch grants 900 3 \(Self.head)" : String($0) }
            .joined(separator: "\n") + "\n"
        #expect(!(try Self.decode(changed)).isPending)
        let bytes = Array(Self.pendingRecord2.utf8)
        for length in 0..<(bytes.count - 1) {
            let cut = try AppendJournal.decode(Array(bytes[0..<length]), path: "journal")
            #expect(!cut.isPending && cut.committed.isEmpty, "cut at \(length)")
        }
        // An idle record written over it, not yet cut to length, is idle with its own states.
        let idle = AppendJournal(entries: [], committed: [.init(log: LogName(rawValue: "grants")!, bytes: 800, seq: 3,
                                                                head: SHA256Digest(hex: Self.head)!)])
        let over = try AppendJournal.decode(idle.encoded() + bytes.dropFirst(idle.encoded().count), path: "journal")
        #expect(!over.isPending && over.committed.map(\.bytes) == [800])
        // The start of a pending record over the rest of the idle record it replaced (a torn write):
        // no end line of its own, so no batch is pending, whatever the mixed lines say.
        let idleBytes = idle.encoded() + Array("stamp grants 1 2 800 4 5\nend\n".utf8)
        for cut in 25..<min(bytes.count, idleBytes.count) {
            let torn = try AppendJournal.decode(Array(bytes[0..<cut]) + idleBytes.dropFirst(cut), path: "journal")
            #expect(!torn.isPending, "torn at \(cut)")
        }
    }

    @Test("format 1 records are still read: a pending one names no heads, an idle one no acknowledged states")
    func formatOneIsRead() throws {
        let pending = try Self.decode(Self.pendingRecord)
        #expect(pending.version == 1 && pending.isPending && pending.entries.allSatisfy { $0.fromHead == nil })
        let idle = try Self.decode(Self.stampedIdle)
        #expect(idle.version == 1 && idle.committed.isEmpty && idle.stamps.count == 2)
        #expect(throws: LedgerError.self) { try Self.decode("ledger-journal 3 idle\nend\n") }
    }

    @Test("a store whose journal holds a record cut short reads, verifies and appends")
    func storeWithRecordCutShort() throws {
        let scratch = TemporaryFileFixture(prefix: "journal-recovery")
        let log = LogName(rawValue: "journal-test")!
        let store = EventStore(directory: scratch.path, logs: [log])
        func event(_ number: Int) -> UnsealedEvent {
            UnsealedEvent(log: log, id: EventID(rawValue: "e\(number)")!, type: "Test",
                          recorded: Timestamp(parsing: "2024-05-01T00:00:00Z")!,
                          effective: CalendarDate(parsing: "2024-05-01")!, actor: "test", source: "test",
                          data: Array("{\"n\":\(number)}".utf8))
        }
        try store.openWriter(clock: LogFixtures.clock, notify: { _ in }).append([event(1)])
        // What a file-size limit met inside the journal leaves behind.
        let journal = try FileDescriptor.open(store.journalPath, .readWrite(create: false), maximumLinks: 1)
        let cut = Array("pending\njournal-test 352 70".utf8)
        try journal.write(cut, at: 0)
        try journal.truncate(to: cut.count)

        let report = try store.verify()
        #expect(report.isValid && report.totalEvents == 1)
        var notices: [String] = []
        try store.openWriter(clock: LogFixtures.clock, notify: { notices.append($0) }).append([event(2)])
        #expect(notices.isEmpty, "nothing to repair: the cut record never led to a write")
        #expect(try store.verify().totalEvents == 2)
    }
}
