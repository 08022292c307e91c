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
struct LogReader {
    let log: LogName
    let logRank: Int
    let path: String
    let options: ReadOptions

    /// Per-line outcome of the parallel phase.
    private struct LineOutcome {
        var start = 0
        var length = 0
        var scanned: ScannedEventLine? = nil
        var failure: ScanFailure? = nil
        var hash = SHA256Digest.zero
        var hashMatches = true
    }

    /// Reads the first `length` bytes of the file (its committed part).
    func read<Consumer: LogLineConsumer>(
        length: Int, registry: inout IdentifierRegistry, problems: inout [LogProblem], consumer: inout Consumer
    ) throws(LedgerError) -> LogSummary {
        var summary = LogSummary(log: log)
        guard length > 0, let file = try FileDescriptor.openIfExists(path) else { return summary }
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

        let capacity = max(options.chunkBytes, ScannedEventLine.maximumLineBytes + 1)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 64)
        defer { buffer.deallocate() }
        var outcomes: [LineOutcome] = []

        var fileOffset = 0          // file offset of buffer[0]
        var carried = 0             // bytes of an incomplete line kept at the buffer's start
        var lineNumber = 0
        var expectedSeq: Int? = 1
        var previousHash: SHA256Digest? = .zero
        var lastRecorded: Timestamp? = nil

        while fileOffset + carried < length {
            let want = min(capacity - carried, length - fileOffset - carried)
            let got = try file.read(into: buffer.baseAddress! + carried, count: want, at: fileOffset + carried)
            guard got == want else {
                throw LedgerError.inputOutput("\(log.fileName) shrank while it was being read; run the command again")
            }
            let filled = carried + got
            let atEnd = fileOffset + filled == length
            outcomes.removeAll(keepingCapacity: true)
            var lineStart = 0
            let base = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
            while lineStart < filled {
                guard let newline = findNewline(base, from: lineStart, to: filled) else { break }
                outcomes.append(LineOutcome(start: lineStart, length: newline - lineStart))
                lineStart = newline + 1
            }
            let rest = filled - lineStart
            if outcomes.isEmpty && rest == capacity {
                // A line longer than any event may be: report it and resynchronise at the next newline.
                lineNumber += 1
                report(lineNumber, "line longer than \(ScannedEventLine.maximumLineBytes) bytes")
                expectedSeq = nil
                previousHash = nil
                var skip = fileOffset + filled
                try skipToNextLine(file, from: &skip, length: length)
                fileOffset = skip
                carried = 0
                continue
            }

            checkInParallel(buffer: UnsafeRawBufferPointer(buffer), outcomes: &outcomes)

            for outcome in outcomes {
                if let limit = options.eventLimits[log], lineNumber >= limit {
                    summary.bytes = fileOffset + outcome.start
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
                let lineBytes = UnsafeRawBufferPointer(rebasing: buffer[outcome.start..<(outcome.start + outcome.length)])
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
                let statedPrevious = SHA256Digest(hex: UnsafeRawBufferPointer(
                    rebasing: lineBytes[scanned.previousHashOffset..<(scanned.previousHashOffset + 64)]))!
                if let previous = previousHash, statedPrevious != previous {
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
                                   scanned: scanned, hash: outcome.hash, fileOffset: fileOffset + outcome.start)
                if let earlier = registry.insert(line) {
                    let where_ = "\(registry.paths[earlier.logRank].split(separator: "/").last ?? ""):\(earlier.lineNumber)"
                    report(lineNumber, "id \(line.id) already used at \(where_)")
                    lineIsGood = false
                }
                summary.events += 1
                summary.head = outcome.hash
                summary.lastRecorded = scanned.recorded
                if lineIsGood || options.consumeLinesWithProblems {
                    try consumer.consume(line)
                }
            }

            if atEnd && rest > 0 {
                lineNumber += 1
                report(lineNumber, "last line has no newline (torn write?): \(rest) bytes of an unfinished event; the next append removes them after saying so")
                break
            }
            // Keep the unfinished line for the next step.
            if rest > 0 {
                buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + lineStart, byteCount: rest)
            }
            fileOffset += lineStart
            carried = rest
        }
        return summary
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

    /// Scans and hashes the lines of one chunk, split evenly across workers.
    private func checkInParallel(buffer: UnsafeRawBufferPointer, outcomes: inout [LineOutcome]) {
        let workers = min(options.workerCount, max(1, outcomes.count / 256))
        let verifyHashes = options.verifyHashes
        let implementation = options.hashImplementation
        outcomes.withUnsafeMutableBufferPointer { results in
            let shared = UnsafeSendable(results: results, buffer: buffer)
            let total = results.count
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let from = total * worker / workers
                let to = total * (worker + 1) / workers
                for index in from..<to {
                    let outcome = shared.results[index]
                    let line = UnsafeRawBufferPointer(rebasing: shared.buffer[outcome.start..<(outcome.start + outcome.length)])
                    switch ScannedEventLine.scan(line) {
                    case .success(let scanned):
                        let stated = SHA256Digest(hex: UnsafeRawBufferPointer(
                            rebasing: line[scanned.hashOffset..<(scanned.hashOffset + 64)]))!
                        shared.results[index].scanned = scanned
                        shared.results[index].hash = stated
                        if verifyHashes {
                            shared.results[index].hashMatches =
                                scanned.computeHash(of: line, implementation: implementation) == stated
                        }
                    case .failure(let failure):
                        shared.results[index].failure = failure
                    }
                }
            }
        }
    }

    /// Workers write disjoint indices of one buffer; the compiler cannot see that, so we say it.
    private struct UnsafeSendable: @unchecked Sendable {
        let results: UnsafeMutableBufferPointer<LineOutcome>
        let buffer: UnsafeRawBufferPointer
    }
}

@inline(__always)
func findNewline(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int? {
    guard start < end else { return nil }
    guard let found = memchr(base + start, 0x0A, end - start) else { return nil }
    return UnsafeRawPointer(found) - UnsafeRawPointer(base)
}
