#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import LedgerLog

/// The store never deletes, never hangs and trusts the logs' own bytes over any record: damage
/// inside what was acknowledged is refused, a journal record that does not match the log is
/// refused, everything a repair cuts goes to quarantine first, and only regular files with one
/// link are opened.
@Suite("Store safety: acknowledged bytes, forged records, file types, quarantine")
struct StoreSafetyTests {
    static let alpha = LogFixtures.alpha
    static let beta = LogFixtures.beta
    static let journalName = ".ledger-journal"

    static func expectRefusal(_ code: LedgerError.Code, containing parts: [String],
                              sourceLocation: SourceLocation = #_sourceLocation,
                              _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("expected a refusal containing \(parts)", sourceLocation: sourceLocation)
        } catch {
            guard let error = error as? LedgerError else {
                Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
                return
            }
            #expect(error.code == code, "\(error.message)", sourceLocation: sourceLocation)
            for part in parts {
                #expect(error.message.contains(part), "\(error.message) lacks \(part)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test("a cut inside the acknowledged length is refused, not repaired: nothing changes, nothing is quarantined")
    func damageInsideAcknowledgedIsRefused() throws {
        let directory = LogScratchDirectory()
        let store = try LogFixtures.populated(directory)
        let alphaBytes = directory.read(Self.alpha.fileName)
        directory.write(Self.alpha.fileName, Array(alphaBytes.dropLast(30)))
        let before = directory.snapshot()
        Self.expectRefusal(.badData, containing: ["alpha.jsonl is \(alphaBytes.count - 30) bytes long, shorter than the \(alphaBytes.count) bytes the last append acknowledged",
                                                  "incentives verify", "restore the log from a copy"]) {
            _ = try store.openWriter(clock: LogFixtures.clock) { notice in Issue.record("no repair expected: \(notice)") }
        }
        #expect(directory.snapshot() == before)
        #expect(!directory.exists(".ledger-quarantine"))
        // Cut at a line boundary (a valid, shorter chain): refused all the same.
        let lines = LogFiles.lines(alphaBytes)
        directory.write(Self.alpha.fileName, LogFiles.join(Array(lines.dropLast(2))))
        Self.expectRefusal(.badData, containing: ["shorter than the \(alphaBytes.count) bytes the last append acknowledged"]) {
            _ = try store.openWriter(clock: LogFixtures.clock) { _ in }
        }
        // The same length, its last line overwritten without a newline: refused.
        directory.write(Self.alpha.fileName, Array(alphaBytes.dropLast(30)) + Array(repeating: UInt8(ascii: "x"), count: 30))
        Self.expectRefusal(.badData, containing: ["alpha.jsonl has an unfinished last line from byte"]) {
            _ = try store.openWriter(clock: LogFixtures.clock) { _ in }
        }
        // The same length with other content (the last line replaced): refused.
        var replaced = alphaBytes
        replaced[replaced.count - 3] = replaced[replaced.count - 3] == UInt8(ascii: "a") ? UInt8(ascii: "b") : UInt8(ascii: "a")
        directory.write(Self.alpha.fileName, replaced)
        Self.expectRefusal(.badData, containing: ["no longer ends an intact event with seq 8"]) {
            _ = try store.openWriter(clock: LogFixtures.clock) { _ in }
        }
        directory.write(Self.alpha.fileName, alphaBytes)
        _ = try store.openWriter(clock: LogFixtures.clock) { notice in Issue.record("no repair expected: \(notice)") }
    }

    /// A pending record claiming a batch in alpha from `from` to the log's end.
    static func forgedPending(_ directory: LogScratchDirectory, from: Int, seq: Int, head: SHA256Digest, to: Int) -> [UInt8] {
        AppendJournal(entries: [.init(log: alpha, fromBytes: from, toBytes: to, toSeq: 99, head: .zero,
                                      fromSeq: seq, fromHead: head)]).encoded()
    }

    @Test("a pending record whose head does not match the log is refused by writers and readers alike")
    func forgedPendingIsRefused() throws {
        let directory = LogScratchDirectory()
        let store = try LogFixtures.populated(directory)
        let alphaBytes = directory.read(Self.alpha.fileName)
        let lines = LogFiles.lines(alphaBytes)
        let boundary = LogFiles.join(Array(lines.prefix(2))).count
        // A boundary of a real line, but not the head it claims.
        directory.write(Self.journalName, Self.forgedPending(directory, from: boundary, seq: 2, head: .zero, to: alphaBytes.count))
        let before = directory.snapshot()
        Self.expectRefusal(.badData, containing: ["asks to roll alpha.jsonl back to byte \(boundary)", "not seq 2 with hash",
                                                  "nothing was changed"]) {
            _ = try store.openWriter(clock: LogFixtures.clock) { _ in }
        }
        #expect(directory.snapshot() == before)
        let report = try store.verify()
        #expect(!report.isValid && report.problems[0].problem.contains("asks to roll alpha.jsonl back"))
        #expect(report.logs[0].events == 8, "the reader does not believe the record either")
        // Not at a line end at all.
        directory.write(Self.journalName, Self.forgedPending(directory, from: 1000, seq: 3, head: .zero, to: alphaBytes.count))
        Self.expectRefusal(.badData, containing: ["no whole, intact event ends there"]) {
            _ = try store.openWriter(clock: LogFixtures.clock) { _ in }
        }
        // A log longer than the batch could have made it.
        let thirdHead = try #require(SHA256Digest(hex: try JSONParser.parse(lines[1])["hash"]!.stringValue!))
        directory.write(Self.journalName, Self.forgedPending(directory, from: boundary, seq: 2, head: thirdHead, to: boundary + 10))
        Self.expectRefusal(.badData, containing: ["longer than the \(boundary + 10) the interrupted append could have made it"]) {
            _ = try store.openWriter(clock: LogFixtures.clock) { _ in }
        }
        #expect(directory.read(Self.alpha.fileName) == alphaBytes)
        #expect(!directory.exists(".ledger-quarantine"))
    }

    @Test("a pending record of format 1 is not acted on by an append; repair rolls it back into quarantine")
    func legacyPendingNeedsRepair() throws {
        let directory = LogScratchDirectory()
        let store = try LogFixtures.populated(directory)
        let alphaBytes = directory.read(Self.alpha.fileName)
        let boundary = LogFiles.join(Array(LogFiles.lines(alphaBytes).prefix(6))).count
        let legacy = "pending\nalpha \(boundary) \(alphaBytes.count) 9 \(String(repeating: "0", count: 64))\nend\n"
        directory.write(Self.journalName, Array(legacy.utf8))
        Self.expectRefusal(.badData, containing: ["recorded by an earlier version", "incentives repair"]) {
            _ = try store.openWriter(clock: LogFixtures.clock) { _ in }
        }
        #expect(try store.verify().problems.first?.problem.contains("earlier version") == true)
        var notices: [String] = []
        _ = try store.openWriter(clock: LogFixtures.clock, repairing: true) { notices.append($0) }
        let kept = ".ledger-quarantine/20260101T000000Z-alpha-at-\(boundary)-interrupted-append.removed"
        #expect(notices.count == 1 && notices[0].hasSuffix(kept))
        #expect(directory.read(Self.alpha.fileName) == Array(alphaBytes.prefix(boundary)))
        #expect(directory.read(Self.alpha.fileName) + directory.read(kept) == alphaBytes, "nothing is lost")
    }

    // MARK: File types

    enum Intruder: String, CaseIterable {
        case fifo, socket, directory, symlink

        /// Puts one in the place of `path`.
        func make(at path: String, target: String) {
            _ = unlink(path)
            switch self {
            case .fifo: precondition(mkfifo(path, 0o644) == 0, "mkfifo")
            case .directory: precondition(mkdir(path, 0o755) == 0, "mkdir")
            case .symlink: precondition(Glibc.symlink(target, path) == 0, "symlink")
            case .socket:
                let descriptor = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
                precondition(descriptor >= 0, "socket")
                var address = sockaddr_un()
                address.sun_family = sa_family_t(AF_UNIX)
                let bytes = Array(path.utf8)
                precondition(bytes.count < MemoryLayout.size(ofValue: address.sun_path), "socket path too long")
                withUnsafeMutableBytes(of: &address.sun_path) { raw in
                    for (index, byte) in bytes.enumerated() { raw[index] = byte }
                }
                let bound = withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
                }
                precondition(bound == 0, "bind")
                close(descriptor)
            }
        }

        var described: String {
            switch self {
            case .fifo: return "is a FIFO"
            case .socket: return "is a socket"
            case .directory: return "is a directory"
            case .symlink: return "is a symbolic link"
            }
        }
    }

    @Test("a FIFO, a socket, a directory or a symbolic link in place of a log or the journal is refused at once, naming it",
          arguments: Intruder.allCases, ["alpha.jsonl", ".ledger-journal"])
    func nonRegularFilesAreRefused(intruder: Intruder, name: String) throws {
        let directory = LogScratchDirectory()
        let store = try LogFixtures.populated(directory)
        let target = directory.file("target")
        directory.write("target", directory.read(name))
        intruder.make(at: directory.file(name), target: target)
        let targetBefore = directory.read("target")
        let parts = [directory.file(name), intruder.described, "not a regular file"]
        Self.expectRefusal(.inputOutput, containing: parts) { _ = try store.verify() }
        Self.expectRefusal(.inputOutput, containing: parts) {
            var collector = StoredEventCollector()
            _ = try store.read(consumer: &collector)
        }
        Self.expectRefusal(.inputOutput, containing: parts) {
            let writer = try store.openWriter(clock: LogFixtures.clock) { _ in }
            try writer.append([LogFixtures.event(Self.alpha, "more", minute: 9000)])
        }
        #expect(directory.read("target") == targetBefore, "a symbolic link's target is never written")
    }

    @Test("a FIFO, a socket or a symbolic link where the quarantine directory goes: a repair that needs it is refused and cuts nothing",
          arguments: [Intruder.fifo, .socket, .symlink])
    func strangeQuarantineIsRefused(intruder: Intruder) throws {
        let directory = LogScratchDirectory()
        let store = try LogFixtures.populated(directory)
        let outside = LogScratchDirectory()
        intruder.make(at: directory.file(".ledger-quarantine"), target: outside.path)
        let torn = directory.read(Self.beta.fileName) + Array("{\"torn".utf8)
        directory.write(Self.beta.fileName, torn)
        Self.expectRefusal(.inputOutput, containing: [directory.file(".ledger-quarantine"), "not a directory", "nothing was appended"]) {
            _ = try store.openWriter(clock: LogFixtures.clock) { _ in }
        }
        let untouched = directory.read(Self.beta.fileName) == torn
        #expect(untouched, "nothing was cut")
        #expect(LogFiles.names(in: outside.path).isEmpty, "nothing was written through a link")
    }

    @Test("a log with a second hard link (shared by two events directories) is refused, saying why")
    func hardLinkedLogIsRefused() throws {
        let directory = LogScratchDirectory()
        let other = LogScratchDirectory()
        let store = try LogFixtures.populated(directory)
        #expect(link(directory.file(Self.beta.fileName), other.file(Self.beta.fileName)) == 0)
        let parts = ["beta.jsonl has 2 hard links", "one events directory", "cp, not ln"]
        Self.expectRefusal(.inputOutput, containing: parts) { _ = try store.verify() }
        Self.expectRefusal(.inputOutput, containing: parts) {
            _ = try LogFixtures.store(other).openWriter(clock: LogFixtures.clock) { _ in }
        }
    }

    // MARK: Quarantine writes that fail

    /// System calls that fail (or are interrupted) on writes into the quarantine directory only.
    final class FailingQuarantine: @unchecked Sendable {
        var failures: Int
        let error: Int32
        var calls = 0

        init(error: Int32, failures: Int) {
            self.error = error
            self.failures = failures
        }

        var system: SystemCalls {
            SystemCalls(
                write: { descriptor, bytes, count, offset in
                    if Self.isQuarantine(descriptor) {
                        self.calls += 1
                        if self.failures > 0 {
                            self.failures -= 1
                            errno = self.error
                            return -1
                        }
                    }
                    return pwrite(descriptor, bytes, count, off_t(offset))
                },
                synchronize: { fsync($0) },
                truncate: { ftruncate($0, off_t($1)) })
        }

        static func isQuarantine(_ descriptor: Int32) -> Bool {
            path(of: descriptor).contains(".ledger-quarantine")
        }

        /// The path an open descriptor names (Linux `/proc/self/fd`).
        static func path(of descriptor: Int32) -> String {
            var buffer = [CChar](repeating: 0, count: 4096)
            let count = readlink("/proc/self/fd/\(descriptor)", &buffer, buffer.count - 1)
            guard count > 0 else { return "" }
            return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    @Test("a full disk while copying to quarantine removes nothing: exit 74, the log as it was, no partial copy left")
    func quarantineOnAFullDisk() throws {
        let directory = LogScratchDirectory()
        let store = try LogFixtures.populated(directory)
        let intact = directory.read(Self.beta.fileName)
        directory.write(Self.beta.fileName, intact + Array("{\"torn".utf8))
        let failing = FailingQuarantine(error: ENOSPC, failures: .max)
        Self.expectRefusal(.inputOutput, containing: ["cannot write", "No space left on device", "nothing was removed from",
                                                      "nothing was appended"]) {
            _ = try EventWriter(store: store, clock: LogFixtures.clock, system: failing.system) { _ in }
        }
        #expect(failing.calls == 1)
        #expect(directory.read(Self.beta.fileName) == intact + Array("{\"torn".utf8))
        #expect(LogFiles.names(in: directory.file(".ledger-quarantine")).isEmpty)
    }

    @Test("an interrupted write (EINTR) while copying to quarantine is retried and the copy is whole")
    func quarantineInterrupted() throws {
        let directory = LogScratchDirectory()
        let store = try LogFixtures.populated(directory)
        let intact = directory.read(Self.beta.fileName)
        directory.write(Self.beta.fileName, intact + Array("{\"torn".utf8))
        let interrupted = FailingQuarantine(error: EINTR, failures: 2)
        var notices: [String] = []
        _ = try EventWriter(store: store, clock: LogFixtures.clock, system: interrupted.system) { notices.append($0) }
        #expect(interrupted.calls == 3)
        #expect(notices.count == 1)
        #expect(directory.read(Self.beta.fileName) == intact)
        #expect(directory.read(".ledger-quarantine/20260101T000000Z-beta-at-\(intact.count)-torn-line.removed") == Array("{\"torn".utf8))
    }

    @Test("a second repair in the same second and place gets its own quarantine file")
    func quarantineNamesDoNotCollide() throws {
        let directory = LogScratchDirectory()
        let store = try LogFixtures.populated(directory)
        let intact = directory.read(Self.beta.fileName)
        for fragment in ["{\"first", "{\"second"] {
            directory.write(Self.beta.fileName, intact + Array(fragment.utf8))
            _ = try store.openWriter(clock: LogFixtures.clock) { _ in }
        }
        let prefix = ".ledger-quarantine/20260101T000000Z-beta-at-\(intact.count)-torn-line"
        #expect(directory.read(prefix + ".removed") == Array("{\"first".utf8))
        #expect(directory.read(prefix + "-2.removed") == Array("{\"second".utf8))
    }

    /// System calls under which a log write stops part way (some bytes written, then ENOSPC), and
    /// quarantine writes fail too when `quarantineFails`.
    final class FullDiskMidBatch: @unchecked Sendable {
        let quarantineFails: Bool
        var logWrites = 0

        init(quarantineFails: Bool) { self.quarantineFails = quarantineFails }

        var system: SystemCalls {
            SystemCalls(
                write: { descriptor, bytes, count, offset in
                    let path = FailingQuarantine.path(of: descriptor)
                    if path.hasSuffix("/alpha.jsonl") {
                        self.logWrites += 1
                        if self.logWrites == 1 { return pwrite(descriptor, bytes, count / 2, off_t(offset)) }
                        errno = ENOSPC
                        return -1
                    }
                    if self.quarantineFails, path.contains(".ledger-quarantine") {
                        errno = ENOSPC
                        return -1
                    }
                    return pwrite(descriptor, bytes, count, off_t(offset))
                },
                synchronize: { fsync($0) },
                truncate: { ftruncate($0, off_t($1)) })
        }
    }

    @Test("a failed append's partial bytes go to quarantine; on a disk too full for that, only its own bytes are cut",
          arguments: [false, true])
    func failedAppendRollsBack(quarantineFails: Bool) throws {
        let directory = LogScratchDirectory()
        let store = try LogFixtures.populated(directory)
        let before = directory.read(Self.alpha.fileName)
        let disk = FullDiskMidBatch(quarantineFails: quarantineFails)
        let writer = try EventWriter(store: store, clock: LogFixtures.clock, system: disk.system) { _ in }
        Self.expectRefusal(.inputOutput, containing: ["No space left on device", "nothing was appended, the logs are as they were"]) {
            try writer.append(LogFixtures.events(Self.alpha, count: 20, firstMinute: 6000).enumerated().map { index, event in
                var renamed = event
                renamed.id = EventID(rawValue: "full.\(index)")!
                return renamed
            })
        }
        #expect(disk.logWrites == 2, "the write stopped part way")
        let restored = directory.read(Self.alpha.fileName) == before
        #expect(restored, "the log is as it was")
        let kept = LogFiles.names(in: directory.file(".ledger-quarantine"))
        if quarantineFails {
            #expect(kept.isEmpty, "no partial copy is left")
        } else {
            #expect(kept == ["20260101T000000Z-alpha-at-\(before.count)-failed-append.removed"])
            #expect(!directory.read(".ledger-quarantine/" + kept[0]).isEmpty)
        }
        let journal = try AppendJournal.decode(directory.read(Self.journalName), path: "journal")
        #expect(!journal.isPending && journal.committed.map(\.bytes) == [before.count, directory.read(Self.beta.fileName).count])
    }

    @Test("a reader answers from the acknowledged events past an interrupted append, in a directory it may not write")
    func readerNeedsNoWriteAccess() throws {
        let directory = LogScratchDirectory()
        let store = try LogFixtures.populated(directory)
        let alphaBytes = directory.read(Self.alpha.fileName)
        let head = try #require(SHA256Digest(hex: try JSONParser.parse(LogFiles.lines(alphaBytes).last!)["hash"]!.stringValue!))
        let batch = LogFiles.join(LogFixtures.chain([LogFixtures.event(Self.alpha, "half", minute: 7000)], firstSeq: 9, previous: head))
        directory.write(Self.alpha.fileName, alphaBytes + Array(batch.prefix(batch.count / 2)))
        directory.write(Self.journalName, AppendJournal(entries: [
            .init(log: Self.alpha, fromBytes: alphaBytes.count, toBytes: alphaBytes.count + batch.count, toSeq: 9, head: .zero,
                  fromSeq: 8, fromHead: head),
        ]).encoded())
        let before = directory.snapshot()
        for name in before.keys { chmod(directory.file(name), 0o444) }
        chmod(directory.path, 0o555)
        defer { chmod(directory.path, 0o755) }
        var collector = StoredEventCollector()
        let report = try store.read(consumer: &collector)
        #expect(report.isValid && report.interruptions.count == 1)
        #expect(collector.events.count == 13 && report.logs[0].head == head)
        #expect(directory.snapshot() == before, "the read wrote nothing")
    }
}
