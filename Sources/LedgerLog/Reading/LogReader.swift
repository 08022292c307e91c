#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Synchronization

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

    /// One step's bytes: read, split into lines and checked in parallel, ready for the chain check.
    fileprivate final class Chunk<Preparation>: @unchecked Sendable {
        let buffer: UnsafeMutableRawBufferPointer
        /// File offset of `buffer[0]`.
        var fileOffset = 0
        var filled = 0
        /// Offset just past the last complete line; the rest is an unfinished line.
        var completeEnd = 0
        /// The outcome of each line, and apart from it what the consumer prepared from it (so
        /// that the sequential loop reads only what it needs). Memory of the chunk's own, kept
        /// from step to step: read in place, with no copy of a line's outcome, and not
        /// allocated (and its pages zeroed by the system) again at every step.
        private(set) var outcomes: UnsafeMutablePointer<LineOutcome>
        /// Initialized for the lines that scanned (`LineOutcome.didScan`), once `isPrepared`.
        private(set) var preparations: UnsafeMutablePointer<Preparation>
        private(set) var lineCount = 0
        var isPrepared = false
        /// Not filled, because the chunk before it in the read ended the read (see `fillAhead`).
        private(set) var isUnfilled = false
        private var lineCapacity: Int
        var failure: LedgerError? = nil

        init(capacity: Int) {
            buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 64)
            lineCapacity = max(16, capacity / 256)
            outcomes = .allocate(capacity: lineCapacity)
            preparations = .allocate(capacity: lineCapacity)
        }

        deinit {
            removeLines()
            outcomes.deallocate()
            preparations.deallocate()
            buffer.deallocate()
        }

        func removeLines() {
            if isPrepared && !_isPOD(Preparation.self) {
                for index in 0..<lineCount where outcomes[index].didScan { (preparations + index).deinitialize(count: 1) }
            }
            outcomes.deinitialize(count: lineCount)
            isPrepared = false
            lineCount = 0
        }

        func appendLine(_ outcome: LineOutcome) {
            precondition(!isPrepared, "lines are added before they are prepared")
            if lineCount == lineCapacity {
                lineCapacity *= 2
                let grown = UnsafeMutablePointer<LineOutcome>.allocate(capacity: lineCapacity)
                grown.moveInitialize(from: outcomes, count: lineCount)
                outcomes.deallocate()
                outcomes = grown
                preparations.deallocate()
                preparations = .allocate(capacity: lineCapacity)
            }
            (outcomes + lineCount).initialize(to: outcome)
            lineCount += 1
        }

        func leaveUnfilled() {
            removeLines()
            failure = nil
            filled = 0
            completeEnd = 0
            isUnfilled = true
        }

        func markFilled() { isUnfilled = false }

        var rest: Int { filled - completeEnd }
        /// True when the buffer is full and holds no complete line: a line longer than any event.
        var isOversized: Bool { lineCount == 0 && filled == buffer.count }
    }

    /// Reads the first `length` bytes of the file (its committed part). While the chain of one
    /// chunk is checked on this thread, the next chunks are read, scanned and hashed on the others.
    /// With `start`, reading begins after a prefix verified earlier, whose last line the caller has
    /// checked carries that chain state; the chain, seq and recorded order continue from it.
    func read<Consumer: LogLineConsumer>(
        length: Int, from start: TailState = .empty, registry: inout IdentifierRegistry,
        problems: inout [LogProblem], consumer: inout Consumer
    ) throws(LedgerError) -> LogSummary {
        try withUnsafeMutablePointer(to: &registry) { registry throws(LedgerError) in
            try read(length: length, from: start, registry: SharedRegistry(pointer: registry), problems: &problems,
                     consumer: &consumer)
        }
    }

    /// The read's id table, shared with the thread that inserts the ids of each chunk in turn
    /// (`insertIdentifiers`): one thread at a time touches it, that one while the read is in
    /// flight, this one before and after.
    fileprivate struct SharedRegistry: @unchecked Sendable {
        let pointer: UnsafeMutablePointer<IdentifierRegistry>
    }

    private func read<Consumer: LogLineConsumer>(
        length: Int, from start: TailState, registry: SharedRegistry,
        problems: inout [LogProblem], consumer: inout Consumer
    ) throws(LedgerError) -> LogSummary {
        precondition(start.bytes <= length && start.seq >= 0, "a resumed read starts inside the committed part")
        var summary = LogSummary(log: log, events: start.seq, head: start.head, bytes: start.bytes,
                                 lastRecorded: start.lastRecorded)
        guard length > start.bytes, let file = try FileDescriptor.openIfExists(path) else { return summary }
        summary.bytes = length
        var problemCount = 0
        func report(_ line: Int, _ text: String) {
            problemCount += 1
            if problemCount <= options.maximumProblemsPerLog {
                problems.append(LogProblem(log: log, line: line, problem: text))
            } else if problemCount == options.maximumProblemsPerLog + 1 {
                problems.append(LogProblem(log: log, line: line, problem: "more problems follow; fix these first"))
            }
        }

        // No larger than what is left to read (plus one byte, so a full buffer still means a line
        // longer than any event): a small log is not read through 8 MiB buffers.
        let capacity = min(max(options.chunkBytes, ScannedEventLine.maximumLineBytes + 1), length - start.bytes + 1)
        let ring = (0..<LogReader.chunksInFlight).map { _ in Chunk<Consumer.Preparation>(capacity: capacity) }
        let filling = ring.map { _ in DispatchGroup() }
        let prepared = ring.map { _ in DispatchGroup() }
        let pending = DispatchGroup()
        defer { pending.wait() }
        let descriptor = FileReference(raw: file.raw, path: path)
        let context = consumer.preparationContext
        // Serial: each chunk starts where the one before it ended, so it is read after it. Its
        // lines are then checked on the other threads while this queue reads the next one.
        let readAhead = DispatchQueue(label: "log-read-ahead")

        /// Fills the ring's `slot` in the background, after the slot before it, unless the chunk
        /// there ended the read (the end of the file, a failure, a line longer than any event):
        /// it is then left unfilled, `isUnfilled`, and never handed to the consumer.
        func fillAhead(_ slot: Int) {
            let (chunk, previous) = (ring[slot], ring[(slot + ring.count - 1) % ring.count])
            pending.enter()
            filling[slot].enter()
            readAhead.async {
                defer {
                    filling[slot].leave()
                    pending.leave()
                }
                guard !previous.isUnfilled, previous.failure == nil, !previous.isOversized,
                      previous.fileOffset + previous.filled < length else {
                    chunk.leaveUnfilled()
                    return
                }
                self.readLines(into: chunk, from: previous, at: previous.fileOffset + previous.completeEnd,
                               length: length, file: descriptor)
                guard chunk.failure == nil else { return }
                // Checked beside the next chunk's read, which this queue goes on to: reading and
                // splitting a chunk is one thread's work, which the workers waited for.
                pending.enter()
                filling[slot].enter()
                prepared[slot].enter()
                DispatchQueue.global().async {
                    defer {
                        prepared[slot].leave()
                        filling[slot].leave()
                        pending.leave()
                    }
                    self.prepareLines(of: chunk, consumer: Consumer.self, context: context)
                }
                // The ids go into the table in the order of the chunks, which this queue keeps.
                if insertsIdentifiersAhead { insertIdentifiersAhead(of: chunk, filling: filling[slot], once: prepared[slot]) }
            }
        }

        /// Inserts `chunk`'s ids on the ids' thread, after those of the chunks handed to it before,
        /// once `scanned` (if any) says its lines are; `filling` waits for that too.
        @Sendable func insertIdentifiersAhead(of chunk: Chunk<Consumer.Preparation>, filling: DispatchGroup, once scanned: DispatchGroup?) {
            pending.enter()
            filling.enter()
            identifiers.async {
                defer {
                    filling.leave()
                    pending.leave()
                }
                scanned?.wait()
                self.insertIdentifiers(of: chunk, into: registry)
            }
        }

        let eventLimit = options.eventLimits[log]
        // The ids of each chunk go into the table on a thread of their own, off the sequential
        // step: at ten million events, a probe of the table at random per line is as much of
        // that step's memory traffic as interning. Not for a read that stops at an event limit,
        // whose ids past the limit the table must not hold: that step inserts them itself.
        let insertsIdentifiersAhead = eventLimit == nil
        let identifiers = DispatchQueue(label: "log-identifiers")
        let paths = registry.pointer.pointee.paths
        // A verified prefix holds one line per event.
        var lineNumber = start.seq
        var expectedSeq: Int? = start.seq + 1
        var previousHash: SHA256Digest? = start.head
        var lastRecorded: Timestamp? = start.lastRecorded

        var slot = 0
        /// Fills the ring's current slot from `offset` on this thread (where the read starts, or
        /// resumes after a line longer than any event), hands the next slots to the read-ahead
        /// queue, and waits until the current one's ids are in the table.
        func fillCurrent(at offset: Int) {
            fill(ring[slot], from: nil, at: offset, length: length, file: descriptor, consumer: Consumer.self, context: context)
            if insertsIdentifiersAhead, ring[slot].failure == nil {
                // On the ids' thread too, ahead of the next chunks' (its first probes fault in
                // the table's pages, while the workers go on to the next chunks).
                insertIdentifiersAhead(of: ring[slot], filling: filling[slot], once: nil)
            }
            for ahead in 1..<ring.count { fillAhead((slot + ahead) % ring.count) }
            filling[slot].wait()
        }
        fillCurrent(at: start.bytes)
        while true {
            let current = ring[slot]
            precondition(!current.isUnfilled, "a chunk is checked only after one that did not end the read")
            if let failure = current.failure { throw failure }
            if current.isOversized {
                // Report it and resynchronise at the next newline. The chunks after it are left
                // unfilled; the ring starts again from the line after.
                lineNumber += 1
                report(lineNumber, "line longer than \(ScannedEventLine.maximumLineBytes) bytes")
                expectedSeq = nil
                previousHash = nil
                var skip = current.fileOffset + current.filled
                try skipToNextLine(file, from: &skip, length: length)
                pending.wait()
                if skip >= length { break }
                fillCurrent(at: skip)
                continue
            }
            let hasMore = current.fileOffset + current.filled < length

            // Read in place: a line's outcome is not copied as a whole. The chain is checked
            // for a run of lines, then the consumer takes the run in one call.
            let outcomes = current.outcomes
            let lineCount = current.lineCount
            let lineNumberBefore = lineNumber
            precondition(current.isPrepared, "every line of a checked chunk is prepared")
            var runStart = 0
            while runStart < lineCount {
                var runEnd = min(lineCount, runStart + LogReader.linesPerRun)
                var reachedLimit = false
                for index in runStart..<runEnd {
                    // The id table is read at random, a cache miss each: ask for what a line a
                    // little ahead will need.
                    let ahead = index + LineRun<Consumer.Preparation>.lookaheadLines
                    if !insertsIdentifiersAhead, ahead < lineCount, outcomes[ahead].didScan {
                        registry.pointer.pointee.prefetch(fingerprint: outcomes[ahead].idFingerprint)
                    }
                    let outcome = outcomes + index
                    if let limit = eventLimit, lineNumber >= limit {
                        summary.bytes = current.fileOffset + outcome.pointee.start
                        runEnd = index
                        reachedLimit = true
                        break
                    }
                    lineNumber += 1
                    // The limit holds whatever the chunk size: a shorter buffer reports such a line above.
                    if outcome.pointee.length > ScannedEventLine.maximumLineBytes {
                        report(lineNumber, "line longer than \(ScannedEventLine.maximumLineBytes) bytes")
                        expectedSeq = nil
                        previousHash = nil
                        continue
                    }
                    let lineStart = outcome.pointee.start
                    let lineBytes = UnsafeRawBufferPointer(rebasing: current.buffer[lineStart..<(lineStart + outcome.pointee.length)])
                    guard let scanned = outcome.pointee.scanned else {
                        report(lineNumber, EventLineDiagnosis.explain(lineBytes, failure: outcome.pointee.failure))
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
                    // Within a piece, a previous hash is the line before's, whose link a worker checked.
                    if let previous = previousHash,
                       !(outcome.pointee.linksToPrevious ?? previous.matchesHex(lineBytes.baseAddress! + scanned.previousHashOffset)) {
                        report(lineNumber, lineNumber == 1
                            ? "prev must be 64 zeros on the first line"
                            : "prev does not link to the previous line's hash")
                        lineIsGood = false
                    }
                    if !outcome.pointee.hashMatches {
                        report(lineNumber, "hash does not match the event's content (the line was changed after it was written)")
                        lineIsGood = false
                    }
                    let hash = outcome.pointee.hash
                    previousHash = hash
                    if let last = lastRecorded, scanned.recorded < last {
                        report(lineNumber, "recorded \(scanned.recorded) is before the previous line's \(last)")
                        lineIsGood = false
                    } else {
                        lastRecorded = scanned.recorded
                    }
                    let line = LogLine(log: log, logRank: logRank, lineNumber: lineNumber, bytes: lineBytes,
                                       scanned: scanned, hash: hash, fileOffset: current.fileOffset + lineStart)
                    let earlier = insertsIdentifiersAhead
                        ? outcome.pointee.duplicateOf
                        : registry.pointer.pointee.insert(line, fingerprint: outcome.pointee.idFingerprint)
                    if let earlier {
                        report(lineNumber, "id \(line.id) already used at \(IdentifierRegistry.describe(earlier, paths: paths))")
                        lineIsGood = false
                    }
                    summary.events += 1
                    summary.head = hash
                    summary.lastRecorded = scanned.recorded
                    outcome.pointee.isConsumed = lineIsGood || options.consumeLinesWithProblems
                }
                if runEnd > runStart {
                    try consumer.consume(LineRun(
                        outcomes: outcomes, preparations: current.preparations,
                        buffer: UnsafeRawPointer(current.buffer.baseAddress!), lineCount: lineCount,
                        fileOffset: current.fileOffset, lineNumberBefore: lineNumberBefore, log: log, logRank: logRank,
                        indices: runStart..<runEnd))
                }
                if reachedLimit { return summary }
                runStart = runEnd
            }

            if !hasMore {
                if current.rest > 0 {
                    lineNumber += 1
                    report(lineNumber, "last line has no newline (torn write?): \(current.rest) bytes of an unfinished event; after what the last append acknowledged, `incentives repair` or the next append moves them to \(Quarantine.directoryName)/, inside it they are damage: restore the log from a copy")
                }
                break
            }
            // This chunk is done with: it is filled again after the last one in flight.
            fillAhead(slot)
            slot = (slot + 1) % ring.count
            filling[slot].wait()
        }
        return summary
    }

    /// Chunks in the ring of a read: the one whose chain this thread checks, and the ones read,
    /// scanned and hashed ahead of it on the other threads. With one chunk ahead, the workers
    /// stopped as soon as it was ready and waited for the chain check to finish the chunk
    /// before (a core idle for much of every step); two ahead keep them busy while it runs.
    static let chunksInFlight = 3

    /// Lines whose chain is checked before the consumer takes them: few enough that their
    /// outcomes are still in the cache when it does, enough that a call per run costs nothing.
    static let linesPerRun = 256

    /// The file as the background step sees it: the descriptor stays open for the whole read.
    fileprivate struct FileReference: @unchecked Sendable {
        let raw: Int32
        let path: String
    }

    /// Fills `chunk` from `offset`, first copying the unfinished line that ended `previous`,
    /// then splits it into lines and scans, hashes and prepares them on every core.
    fileprivate func fill<Consumer: LogLineConsumer>(
        _ chunk: Chunk<Consumer.Preparation>, from previous: Chunk<Consumer.Preparation>?, at offset: Int,
        length: Int, file: FileReference, consumer: Consumer.Type, context: Consumer.PreparationContext
    ) {
        readLines(into: chunk, from: previous, at: offset, length: length, file: file)
        guard chunk.failure == nil else { return }
        prepareLines(of: chunk, consumer: consumer, context: context)
    }

    /// The first step of `fill`, on one thread: reads `chunk` from `offset`, after the unfinished
    /// line that ended `previous`, and splits it into lines; on failure, `chunk.failure` says why.
    fileprivate func readLines<Preparation>(
        into chunk: Chunk<Preparation>, from previous: Chunk<Preparation>?, at offset: Int,
        length: Int, file: FileReference
    ) {
        chunk.failure = nil
        chunk.removeLines()
        chunk.markFilled()
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
            chunk.appendLine(LineOutcome(start: lineStart, length: newline - lineStart))
            lineStart = newline + 1
        }
        chunk.completeEnd = lineStart
    }

    /// Inserts the ids of `chunk`'s lines into the read's table, in order, noting on each line
    /// where its id was seen before (`LineOutcome.duplicateOf`): every line the sequential step
    /// would insert, those that scanned and are no longer than an event line may be. Once the
    /// chunk is prepared (its fingerprints are), on one thread at a time.
    fileprivate func insertIdentifiers<Preparation>(of chunk: Chunk<Preparation>, into registry: SharedRegistry) {
        precondition(chunk.isPrepared, "a chunk's ids are inserted once its lines are scanned")
        let outcomes = chunk.outcomes, lineCount = chunk.lineCount
        // The table is read at random, a cache miss each: ask for what a line a little ahead will need.
        let lookahead = LogReader.identifierLookaheadLines
        for index in 0..<min(lookahead, lineCount) where outcomes[index].didScan {
            registry.pointer.pointee.prefetch(fingerprint: outcomes[index].idFingerprint)
        }
        for index in 0..<lineCount {
            if index + lookahead < lineCount, outcomes[index + lookahead].didScan {
                registry.pointer.pointee.prefetch(fingerprint: outcomes[index + lookahead].idFingerprint)
            }
            let outcome = outcomes + index
            outcome.pointee.duplicateOf = nil
            guard outcome.pointee.length <= ScannedEventLine.maximumLineBytes, let scanned = outcome.pointee.scanned else { continue }
            let lineStart = outcome.pointee.start
            let line = LogLine(log: log, logRank: logRank, lineNumber: 0,
                               bytes: UnsafeRawBufferPointer(rebasing: chunk.buffer[lineStart..<(lineStart + outcome.pointee.length)]),
                               scanned: scanned, hash: outcome.pointee.hash, fileOffset: chunk.fileOffset + lineStart)
            outcome.pointee.duplicateOf = registry.pointer.pointee.insert(line, fingerprint: outcome.pointee.idFingerprint)
        }
    }

    /// How many lines ahead `insertIdentifiers` asks for a slot of the id table: it does little
    /// else, so a line takes a few dozen nanoseconds and a miss is served sixteen lines on.
    static let identifierLookaheadLines = 16

    /// The second step of `fill`, on every core: scans, hashes and prepares the lines `readLines`
    /// found in `chunk`.
    fileprivate func prepareLines<Consumer: LogLineConsumer>(
        of chunk: Chunk<Consumer.Preparation>, consumer: Consumer.Type, context: Consumer.PreparationContext
    ) {
        precondition(chunk.failure == nil && !chunk.isPrepared, "lines read and not yet prepared")
        checkInParallel(buffer: UnsafeRawBufferPointer(chunk.buffer), fileOffset: chunk.fileOffset, outcomes: chunk.outcomes,
                        preparations: chunk.preparations, total: chunk.lineCount, consumer: consumer, context: context)
        chunk.isPrepared = true
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

    /// Scans, hashes and prepares the lines of one chunk, in pieces that the workers claim one
    /// at a time, and checks each line's link to the line before where both are in one piece.
    /// Initializes the preparation of every line that scans, each exactly once.
    ///
    /// Pieces rather than one even share per worker: while the sequential step runs on one
    /// core, the worker that shares that core gets half of it, so an even split leaves the
    /// other worker idle, and then the chain waiting, for about half of the chunk's time.
    fileprivate func checkInParallel<Consumer: LogLineConsumer>(
        buffer: UnsafeRawBufferPointer, fileOffset: Int, outcomes: UnsafeMutablePointer<LineOutcome>,
        preparations: UnsafeMutablePointer<Consumer.Preparation>, total: Int, consumer: Consumer.Type,
        context: Consumer.PreparationContext
    ) {
        let workers = min(options.workerCount, max(1, total / LogReader.linesPerPiece))
        let pieces = workers == 1 ? 1 : min(workers * LogReader.piecesPerWorker, total / LogReader.linesPerPiece)
        let verifyHashes = options.verifyHashes
        let implementation = options.hashImplementation
        let (log, logRank) = (self.log, self.logRank)
        let shared = UnsafeSendable(results: outcomes, preparations: preparations, buffer: buffer)
        let claimed = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let piece = claimed.wrappingAdd(1, ordering: .relaxed).oldValue
                guard piece < pieces else { break }
                let from = total * piece / pieces
                let to = total * (piece + 1) / pieces
                for index in from..<to {
                    let result = shared.results + index
                    let start = result.pointee.start
                    let line = UnsafeRawBufferPointer(rebasing: shared.buffer[start..<(start + result.pointee.length)])
                    switch ScannedEventLine.scan(line) {
                    case .success(let scanned):
                        let stated = SHA256Digest(hex: UnsafeRawBufferPointer(
                            rebasing: line[scanned.hashOffset..<(scanned.hashOffset + 64)]))!
                        result.pointee.scanned = scanned
                        result.pointee.didScan = true
                        result.pointee.hash = stated
                        result.pointee.idFingerprint = IdentifierRegistry.fingerprint(
                            of: UnsafeRawBufferPointer(rebasing: line[scanned.id]))
                        if verifyHashes {
                            result.pointee.hashMatches = scanned.computeHash(of: line, implementation: implementation) == stated
                        }
                        if index > from, (result - 1).pointee.didScan {
                            result.pointee.linksToPrevious =
                                (result - 1).pointee.hash.matchesHex(line.baseAddress! + scanned.previousHashOffset)
                        }
                        (shared.preparations + index).initialize(to: Consumer.prepare(LogLine(
                            log: log, logRank: logRank, lineNumber: 0, bytes: line, scanned: scanned, hash: stated,
                            fileOffset: fileOffset + start), context: context))
                    case .failure(let failure):
                        // Its preparation stays uninitialized (`didScan` is false).
                        result.pointee.failure = failure
                    }
                }
            }
        }
    }

    /// A piece of a chunk is at least this many lines: claiming one costs an atomic add, and
    /// its first line's link is left to the sequential step.
    static let linesPerPiece = 256
    /// Pieces per worker in a chunk: enough that a worker slowed by a shared core leaves little
    /// for the others to wait on.
    static let piecesPerWorker = 8

    /// Workers write disjoint indices of these buffers; the compiler cannot see that, so we say it.
    private struct UnsafeSendable<Preparation>: @unchecked Sendable {
        let results: UnsafeMutablePointer<LineOutcome>
        let preparations: UnsafeMutablePointer<Preparation>
        let buffer: UnsafeRawBufferPointer
    }
}

@inline(__always)
func findNewline(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int? {
    guard start < end else { return nil }
    guard let found = memchr(base + start, 0x0A, end - start) else { return nil }
    return UnsafeRawPointer(found) - UnsafeRawPointer(base)
}
