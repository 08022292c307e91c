import Dispatch
import IncentivesTestSupport
import Testing
@testable import LedgerLog

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The parallel scan-and-hash of `LogReader`, driven hard enough to use every worker on several
/// chunks, several readers at once. CI runs this suite under ThreadSanitizer
/// (`swift test --sanitize=thread --filter ParallelVerificationSanitizerTests`); it also checks that
/// the parallel reading answers exactly as a single worker does, on good and on damaged logs.
@Suite("Parallel verification (run under ThreadSanitizer in CI)")
struct ParallelVerificationSanitizerTests {
    /// A temporary events directory with one log of `count` events, removed when the value goes away.
    struct ScratchStore {
        let scratch = TemporaryFileFixture(prefix: "parallel-verification")
        let store: EventStore
        static let log = LogName(rawValue: "sanitized")!

        init(count: Int) throws {
            store = EventStore(directory: scratch.path, logs: [Self.log])
            let writer = try store.openWriter(clock: LogFixtures.clock, notify: { _ in })
            var events: [UnsealedEvent] = []
            for number in 0..<count {
                let data = Array("{\"amountFen\":\(number * 7919 % 1_000_003),\"note\":\"行 \(number)\"}".utf8)
                events.append(UnsealedEvent(
                    log: Self.log, id: EventID(rawValue: "event-\(number)")!, type: "Sampled",
                    recorded: Timestamp(parsing: "2024-01-01T00:00:00Z")!,
                    effective: CalendarDate(parsing: "2023-12-31")!, actor: "sanitizer test",
                    source: "parallel verification", data: data))
            }
            try writer.append(events)
        }

        var path: String { store.path(of: Self.log) }
    }

    static func options(workers: Int) -> ReadOptions {
        var options = ReadOptions()
        options.workerCount = workers
        options.chunkBytes = 1 << 20
        return options
    }

    @Test("many workers over several chunks answer exactly as one worker does")
    func parallelMatchesSerial() throws {
        let scratch = try ScratchStore(count: 12_000)
        let serial = try scratch.store.verify(options: Self.options(workers: 1))
        #expect(serial.isValid)
        #expect(serial.totalEvents == 12_000)
        #expect(serial.totalBytes > 3 << 20, "the log spans several chunks")
        for workers in [2, 4, 8] {
            let parallel = try scratch.store.verify(options: Self.options(workers: workers))
            #expect(parallel == serial, "\(workers) workers")
        }
    }

    @Test("several parallel readers at once, on a damaged log, report the same problems")
    func concurrentReadersOnDamagedLog() throws {
        let scratch = try ScratchStore(count: 9_000)
        // Damage lines in different chunks: a changed byte, and a line made unreadable.
        var bytes = readFileBytes(scratch.path)!
        let newlines = bytes.indices.filter { bytes[$0] == UInt8(ascii: "\n") }
        bytes[newlines[1_000] + 40] ^= 0x01
        bytes[newlines[7_000] + 1] = UInt8(ascii: "[")
        let file = try FileDescriptor.open(scratch.path, .readWrite(create: false))
        try file.write(bytes, at: 0)

        let serial = try scratch.store.verify(options: Self.options(workers: 1))
        #expect(serial.problems.map(\.line).prefix(2) == [1_002, 7_002])
        let readers = 4
        let results = ResultSlots(count: readers)
        DispatchQueue.concurrentPerform(iterations: readers) { reader in
            results.set(reader, try? scratch.store.verify(options: Self.options(workers: 4)))
        }
        for reader in 0..<readers {
            #expect(results.get(reader) == serial, "reader \(reader)")
        }
    }

    /// One slot per concurrent reader, behind a mutex so that the test itself gives
    /// ThreadSanitizer nothing to report.
    final class ResultSlots: @unchecked Sendable {
        private var slots: [ReadReport?]
        private let mutex: UnsafeMutablePointer<pthread_mutex_t>

        init(count: Int) {
            slots = Array(repeating: nil, count: count)
            mutex = .allocate(capacity: 1)
            pthread_mutex_init(mutex, nil)
        }

        deinit {
            pthread_mutex_destroy(mutex)
            mutex.deallocate()
        }

        func set(_ index: Int, _ report: ReadReport?) {
            pthread_mutex_lock(mutex)
            slots[index] = report
            pthread_mutex_unlock(mutex)
        }

        func get(_ index: Int) -> ReadReport? {
            pthread_mutex_lock(mutex)
            defer { pthread_mutex_unlock(mutex) }
            return slots[index]
        }
    }
}
