#if canImport(Glibc)
import Glibc
#endif
import Dispatch

/// How a read checks what it reads.
public struct ReadOptions: Sendable {
    /// Recompute every line's SHA-256. Off only for `--no-verify`, on purpose.
    public var verifyHashes = true
    /// Hand lines with problems to the consumer anyway (`--no-verify`): an answer from a log
    /// known to be broken, for someone who asked for it.
    public var consumeLinesWithProblems = false
    /// Threads that scan and hash; the chain check itself is sequential and cheap.
    public var workerCount = ReadOptions.defaultWorkerCount
    /// Bytes read per step: memory stays flat whatever the log's length.
    public var chunkBytes = 8 << 20
    public var hashImplementation = SHA256.preferredImplementation
    /// Stop after this many problems in one log; verify goes on past the first, not forever.
    public var maximumProblemsPerLog = 1000
    /// Read only the first N events of a log (a checkpoint's prefix); absent means all.
    public var eventLimits: [LogName: Int] = [:]

    public init() {}

    public static var defaultWorkerCount: Int {
        max(1, min(16, Int(activeProcessorCount())))
    }
}

/// Streams one log file: scans and hashes lines on every core, then checks the chain in order
/// and hands each good line to the consumer.
struct LogReader: Sendable {
    let log: LogName
    let logRank: Int
    let path: String
    let options: ReadOptions

    /// Per-line outcome of the parallel phase.
    fileprivate struct LineOutcome {
        var start = 0
        var length = 0
        var scanned: ScannedEventLine? = nil
        var failure: ScanFailure? = nil
        var hash = SHA256Digest.zero
        var hashMatches = true
        /// `IdentifierRegistry.fingerprint(of:)` of the id, computed off the sequential path.
        var idFingerprint: UInt64 = 0
    }

    /// One step's bytes: read, split into lines and checked in parallel, ready for the chain check.
    fileprivate final class Chunk<Preparation>: @unchecked Sendable {
        let buffer: UnsafeMutableRawBufferPointer
        /// File offset of `buffer[0]`.
        var fileOffset = 0
        var filled = 0
        /// Offset just past the last complete line; the rest is an unfinished line.
        var completeEnd = 0
        var outcomes: [LineOutcome] = []
        /// What the consumer prepared from each line that scanned, by line; kept apart from
        /// `outcomes` so that the sequential loop copies only what it reads.
        var preparations: [Preparation?] = []
        var failure: LedgerError? = nil

        init(capacity: Int) {
            buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 64)
        }

        deinit { buffer.deallocate() }

        var rest: Int { filled - completeEnd }
        /// True when the buffer is full and holds no complete line: a line longer than any event.
        var isOversized: Bool { outcomes.isEmpty && filled == buffer.count }
    }

    /// Reads the first `length` bytes of the file (its committed part). While the chain of one
    /// chunk is checked on this thread, the next chunk is read, scanned and hashed on the others.
    /// With `start`, reading begins after a prefix verified earlier, whose last line the caller has
    /// checked carries that chain state; the chain, seq and recorded order continue from it.
    func read<Consumer: LogLineConsumer>(
        length: Int, from start: TailState = .empty, registry: inout IdentifierRegistry,
        problems: inout [LogProblem], consumer: inout Consumer
    ) throws(LedgerError) -> LogSummary {
        precondition(start.bytes <= length && start.seq >= 0, "a resumed read starts inside the committed part")
        var summary = LogSummary(log: log, events: start.seq, head: start.head, bytes: start.bytes,
                                 lastRecorded: start.lastRecorded)
        guard length > start.bytes, let file = try FileDescriptor.openIfExists(path) else { return summary }
        summary.bytes = length
        consumer.willRead(bytes: length - start.bytes)
        var problemCount = 0
        func report(_ line: Int, _ text: String) {
            problemCount += 1
            if problemCount <= options.maximumProblemsPerLog {
                problems.append(LogProblem(log: log, line: line, problem: text))
            } else if problemCount == options.maximumProblemsPerLog + 1 {
                problems.append(LogProblem(log: log, line: line, problem: "more problems follow; fix these first"))
            }
        }

        let capacity = max(options.chunkBytes, ScannedEventLine.maximumLineBytes + 1)
        var current = Chunk<Consumer.Preparation>(capacity: capacity)
        var next = Chunk<Consumer.Preparation>(capacity: capacity)
        let pending = DispatchGroup()
        defer { pending.wait() }
        let descriptor = FileReference(raw: file.raw, path: path)

        let eventLimit = options.eventLimits[log]
        // A verified prefix holds one line per event.
        var lineNumber = start.seq
        var expectedSeq: Int? = start.seq + 1
        var previousHash: SHA256Digest? = start.head
        var lastRecorded: Timestamp? = start.lastRecorded

        fill(current, from: nil, at: start.bytes, length: length, file: descriptor, consumer: Consumer.self)
        while true {
            if let failure = current.failure { throw failure }
            if current.isOversized {
                // Report it and resynchronise at the next newline.
                lineNumber += 1
                report(lineNumber, "line longer than \(ScannedEventLine.maximumLineBytes) bytes")
                expectedSeq = nil
                previousHash = nil
                var skip = current.fileOffset + current.filled
                try skipToNextLine(file, from: &skip, length: length)
                if skip >= length { break }
                fill(current, from: nil, at: skip, length: length, file: descriptor, consumer: Consumer.self)
                continue
            }
            let nextOffset = current.fileOffset + current.completeEnd
            let hasMore = current.fileOffset + current.filled < length
            if hasMore {
                let (from, to, offset) = (current, next, nextOffset)
                pending.enter()
                DispatchQueue.global().async {
                    self.fill(to, from: from, at: offset, length: length, file: descriptor, consumer: Consumer.self)
                    pending.leave()
                }
            }

            // Local references: reading the chunk's arrays through it would retain them per access.
            let outcomes = current.outcomes
            let preparations = current.preparations
            for index in outcomes.indices {
                // The id table and the consumer's tables are read at random, a cache miss each:
                // ask for what a line a little ahead will need.
                let ahead = index + LogReader.lookaheadLines
                if ahead < outcomes.count, outcomes[ahead].scanned != nil {
                    registry.prefetch(fingerprint: outcomes[ahead].idFingerprint)
                    consumer.anticipate(preparations[ahead]!)
                }
                let outcome = outcomes[index]
                if let limit = eventLimit, lineNumber >= limit {
                    summary.bytes = current.fileOffset + outcome.start
                    return summary
                }
                lineNumber += 1
                // The limit holds whatever the chunk size: a shorter buffer reports such a line above.
                if outcome.length > ScannedEventLine.maximumLineBytes {
                    report(lineNumber, "line longer than \(ScannedEventLine.maximumLineBytes) bytes")
                    expectedSeq = nil
                    previousHash = nil
                    continue
                }
                let lineBytes = UnsafeRawBufferPointer(rebasing: current.buffer[outcome.start..<(outcome.start + outcome.length)])
                guard let scanned = outcome.scanned else {
                    report(lineNumber, EventLineDiagnosis.explain(lineBytes, failure: outcome.failure))
                    expectedSeq = nil
                    previousHash = nil
                    continue
                }
                var lineIsGood = true
                if let expected = expectedSeq, scanned.seq != expected {
                    report(lineNumber, "seq is \(scanned.seq), expected \(expected) (a line missing, added or moved?)")
                    lineIsGood = false
                }
                expectedSeq = scanned.seq + 1
                if let previous = previousHash,
                   !previous.matchesHex(lineBytes.baseAddress! + scanned.previousHashOffset) {
                    report(lineNumber, lineNumber == 1
                        ? "prev must be 64 zeros on the first line"
                        : "prev does not link to the previous line's hash")
                    lineIsGood = false
                }
                if !outcome.hashMatches {
                    report(lineNumber, "hash does not match the event's content (the line was changed after it was written)")
                    lineIsGood = false
                }
                previousHash = outcome.hash
                if let last = lastRecorded, scanned.recorded < last {
                    report(lineNumber, "recorded \(scanned.recorded) is before the previous line's \(last)")
                    lineIsGood = false
                } else {
                    lastRecorded = scanned.recorded
                }
                let line = LogLine(log: log, logRank: logRank, lineNumber: lineNumber, bytes: lineBytes,
                                   scanned: scanned, hash: outcome.hash, fileOffset: current.fileOffset + outcome.start)
                if let earlier = registry.insert(line, fingerprint: outcome.idFingerprint) {
                    report(lineNumber, "id \(line.id) already used at \(registry.describe(earlier))")
                    lineIsGood = false
                }
                summary.events += 1
                summary.head = outcome.hash
                summary.lastRecorded = scanned.recorded
                if lineIsGood || options.consumeLinesWithProblems {
                    try consumer.consume(line, prepared: preparations[index]!)
                }
            }

            if !hasMore {
                if current.rest > 0 {
                    lineNumber += 1
                    report(lineNumber, "last line has no newline (torn write?): \(current.rest) bytes of an unfinished event; after what the last append acknowledged, `incentives repair` or the next append moves them to \(Quarantine.directoryName)/, inside it they are damage: restore the log from a copy")
                }
                break
            }
            pending.wait()
            swap(&current, &next)
        }
        return summary
    }

    /// How far ahead of the line being consumed memory is asked for: far enough for a miss to
    /// be served (a line takes a few hundred nanoseconds), near enough to stay in the cache.
    static let lookaheadLines = 8

    /// The file as the background step sees it: the descriptor stays open for the whole read.
    fileprivate struct FileReference: @unchecked Sendable {
        let raw: Int32
        let path: String
    }

    /// Fills `chunk` from `offset`, first copying the unfinished line that ended `previous`,
    /// then splits it into lines and scans, hashes and prepares them on every core.
    fileprivate func fill<Consumer: LogLineConsumer>(
        _ chunk: Chunk<Consumer.Preparation>, from previous: Chunk<Consumer.Preparation>?, at offset: Int,
        length: Int, file: FileReference, consumer: Consumer.Type
    ) {
        chunk.failure = nil
        chunk.outcomes.removeAll(keepingCapacity: true)
        chunk.preparations = []
        var carried = 0
        if let previous, previous.rest > 0 {
            carried = previous.rest
            chunk.buffer.baseAddress!.copyMemory(from: previous.buffer.baseAddress! + previous.completeEnd, byteCount: carried)
        }
        chunk.fileOffset = offset
        let want = min(chunk.buffer.count - carried, length - offset - carried)
        var got = 0
        while got < want {
            let result = pread(file.raw, chunk.buffer.baseAddress! + carried + got, want - got, off_t(offset + carried + got))
            if result < 0 {
                if errno == EINTR { continue }
                chunk.failure = systemError("cannot read \(file.path)")
                return
            }
            if result == 0 { break }
            got += result
        }
        guard got == want else {
            chunk.failure = .inputOutput("\(log.fileName) shrank while it was being read; run the command again")
            return
        }
        chunk.filled = carried + got
        var lineStart = 0
        let base = chunk.buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        while lineStart < chunk.filled {
            guard let newline = findNewline(base, from: lineStart, to: chunk.filled) else { break }
            chunk.outcomes.append(LineOutcome(start: lineStart, length: newline - lineStart))
            lineStart = newline + 1
        }
        chunk.completeEnd = lineStart
        checkInParallel(buffer: UnsafeRawBufferPointer(chunk.buffer), fileOffset: offset, outcomes: &chunk.outcomes,
                        preparations: &chunk.preparations, consumer: consumer)
    }

    private func skipToNextLine(_ file: borrowing FileDescriptor, from offset: inout Int, length: Int) throws(LedgerError) {
        while offset < length {
            let probe = try file.readBytes(count: min(1 << 16, length - offset), at: offset)
            if let index = probe.firstIndex(of: UInt8(ascii: "\n")) {
                offset += index + 1
                return
            }
            offset += probe.count
            if probe.isEmpty { return }
        }
    }

    /// Scans, hashes and prepares the lines of one chunk, split evenly across workers.
    fileprivate func checkInParallel<Consumer: LogLineConsumer>(
        buffer: UnsafeRawBufferPointer, fileOffset: Int, outcomes: inout [LineOutcome],
        preparations: inout [Consumer.Preparation?], consumer: Consumer.Type
    ) {
        let workers = min(options.workerCount, max(1, outcomes.count / 256))
        let verifyHashes = options.verifyHashes
        let implementation = options.hashImplementation
        let (log, logRank) = (self.log, self.logRank)
        let total = outcomes.count
        // Each worker initializes the preparation of each of its own lines exactly once.
        preparations = Array(unsafeUninitializedCapacity: total) { prepared, initializedCount in
            outcomes.withUnsafeMutableBufferPointer { results in
                let shared = UnsafeSendable(results: results, preparations: prepared, buffer: buffer)
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    let from = total * worker / workers
                    let to = total * (worker + 1) / workers
                    for index in from..<to {
                        let outcome = shared.results[index]
                        let line = UnsafeRawBufferPointer(rebasing: shared.buffer[outcome.start..<(outcome.start + outcome.length)])
                        var preparation: Consumer.Preparation? = nil
                        switch ScannedEventLine.scan(line) {
                        case .success(let scanned):
                            let stated = SHA256Digest(hex: UnsafeRawBufferPointer(
                                rebasing: line[scanned.hashOffset..<(scanned.hashOffset + 64)]))!
                            shared.results[index].scanned = scanned
                            shared.results[index].hash = stated
                            shared.results[index].idFingerprint = IdentifierRegistry.fingerprint(
                                of: UnsafeRawBufferPointer(rebasing: line[scanned.id]))
                            if verifyHashes {
                                shared.results[index].hashMatches =
                                    scanned.computeHash(of: line, implementation: implementation) == stated
                            }
                            preparation = Consumer.prepare(LogLine(
                                log: log, logRank: logRank, lineNumber: 0, bytes: line, scanned: scanned, hash: stated,
                                fileOffset: fileOffset + outcome.start))
                        case .failure(let failure):
                            shared.results[index].failure = failure
                        }
                        (shared.preparations.baseAddress! + index).initialize(to: preparation)
                    }
                }
            }
            initializedCount = total
        }
    }

    /// Workers write disjoint indices of these buffers; the compiler cannot see that, so we say it.
    private struct UnsafeSendable<Preparation>: @unchecked Sendable {
        let results: UnsafeMutableBufferPointer<LineOutcome>
        let preparations: UnsafeMutableBufferPointer<Preparation?>
        let buffer: UnsafeRawBufferPointer
    }
}

@inline(__always)
func findNewline(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int? {
    guard start < end else { return nil }
    guard let found = memchr(base + start, 0x0A, end - start) else { return nil }
    return UnsafeRawPointer(found) - UnsafeRawPointer(base)
}
