import Dispatch
import Testing
@testable import LedgerLog

/// Readers take the events directory's lock shared and writers take it exclusive, for the whole
/// of what they do: a reader never sees half of a batch.
///
/// (flock locks belong to open file descriptions, so a reader and a writer in one process
/// exclude each other just as two processes do.)
@Suite("Reader and writer locks")
struct ReaderWriterLockTests {
    /// A flag set on one thread and read on another.
    final class Flag: @unchecked Sendable {
        private let queue = DispatchQueue(label: "flag")
        private var value = false
        func set() { queue.sync { value = true } }
        var isSet: Bool { queue.sync { value } }
    }

    /// Stops in its first line until released: a read caught in the middle.
    struct PausingConsumer: LogLineConsumer {
        let reached: DispatchSemaphore
        let release: DispatchSemaphore
        var paused = false
        mutating func consume(_ line: LogLine) throws(LedgerError) {
            guard !paused else { return }
            paused = true
            reached.signal()
            release.wait()
        }
    }

    @Test("a reader waits while a writer holds the lock")
    func readerWaitsForWriter() throws {
        let directory = LogScratchDirectory()
        let store = try LogFixtures.populated(directory)
        var writer: EventWriter? = try store.openWriter(clock: LogFixtures.clock) { _ in }
        let done = Flag(), finished = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            _ = try? store.verify()
            done.set()
            finished.signal()
        }
        #expect(finished.wait(timeout: .now() + .milliseconds(400)) == .timedOut)
        #expect(!done.isSet, "verify ran while a writer held the lock")
        try writer?.append([LogFixtures.event(LogFixtures.alpha, "while-reader-waits", minute: 500)])
        writer = nil
        #expect(finished.wait(timeout: .now() + .seconds(30)) == .success)
        #expect(done.isSet)
    }

    @Test("a writer waits while a reader is in the middle of a read")
    func writerWaitsForReader() throws {
        let directory = LogScratchDirectory()
        let store = try LogFixtures.populated(directory)
        let reached = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), readDone = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            var consumer = PausingConsumer(reached: reached, release: release)
            _ = try? store.read(consumer: &consumer)
            readDone.signal()
        }
        #expect(reached.wait(timeout: .now() + .seconds(30)) == .success)
        let opened = Flag(), writerDone = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            if let writer = try? store.openWriter(clock: LogFixtures.clock, notify: { _ in }) {
                opened.set()
                _ = try? writer.append([LogFixtures.event(LogFixtures.alpha, "after-reader", minute: 600)])
            }
            writerDone.signal()
        }
        #expect(writerDone.wait(timeout: .now() + .milliseconds(400)) == .timedOut)
        #expect(!opened.isSet, "a writer took the lock while a read was in progress")
        release.signal()
        #expect(readDone.wait(timeout: .now() + .seconds(30)) == .success)
        #expect(writerDone.wait(timeout: .now() + .seconds(30)) == .success)
        #expect(opened.isSet)
        #expect(try store.verify().logs.first?.events == 9)
    }
}
