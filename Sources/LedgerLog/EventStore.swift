/// An events directory: one append-only, hash-chained log per name, read and verified as a whole.
/// Knows nothing of what the events mean.
public struct EventStore: Sendable {
    public let directory: String
    /// The logs in rank order: replay breaks ties between logs on this order.
    public let logs: [LogName]

    public init(directory: String, logs: [LogName]) {
        precondition(!logs.isEmpty, "an event store has at least one log")
        precondition(Set(logs).count == logs.count, "log names are distinct")
        self.directory = directory
        self.logs = logs
    }

    public func path(of log: LogName) -> String { directory + "/" + log.fileName }
    var journalPath: String { directory + "/" + AppendJournal.fileName }
    var paths: [String] { logs.map(path(of:)) }

    /// Reads every log in rank order, checking everything, and hands good lines to `consumer`.
    public func read<Consumer: LogLineConsumer>(
        options: ReadOptions = ReadOptions(), consumer: inout Consumer
    ) throws(LedgerError) -> ReadReport {
        try requireDirectory()
        // A shared lock keeps a reader from seeing half of a batch being written.
        let journalExisted = fileExists(journalPath)
        let lock = try FileDescriptor.openIfExists(journalPath, maximumLinks: 1)
        try lock?.lock(exclusive: false)
        var interruptions: [LogProblem] = []
        var problems: [LogProblem] = []
        let lengths = try committedLengths(interruptions: &interruptions, problems: &problems)
        if !journalExisted, fileExists(journalPath) {
            // The directory's first writer created the journal while we looked, unlocked: its
            // batch may be half written. Look again under the lock (the journal is never removed).
            return try read(options: options, consumer: &consumer)
        }
        var report = try readLogs(lengths: lengths, options: options, problems: problems, stamps: try stamps(),
                                  consumer: &consumer)
        report.note(interruptions)
        return report
    }

    /// Checks every log without interpreting it.
    /// An interrupted append is a problem here (the directory needs `incentives repair`), though
    /// queries answer from the acknowledged events without it.
    public func verify(options: ReadOptions = ReadOptions()) throws(LedgerError) -> ReadReport {
        var ignore = DiscardingConsumer()
        var report = try read(options: options, consumer: &ignore)
        report.problems = report.interruptions + report.problems
        return report
    }

    /// Takes the directory's exclusive lock, finishing or rolling back an interrupted append and
    /// removing a torn last line after copying what it removes to quarantine and saying so.
    /// `clock` names the quarantine files.
    /// `repairing` (`incentives repair`) also rolls back an interrupted append recorded by an
    /// earlier version, which an append refuses to act on by itself.
    public func openWriter(clock: any LedgerClock, repairing: Bool = false,
                           notify: (String) -> Void) throws(LedgerError) -> EventWriter {
        try requireDirectory()
        return try EventWriter(store: self, clock: clock, system: .live, repairing: repairing, notify: notify)
    }

    /// A writer for a dry run: the same reads and sealing under a shared lock, no repair, no write.
    public func openPreviewWriter(clock: any LedgerClock) throws(LedgerError) -> EventWriter {
        try requireDirectory()
        return try EventWriter(store: self, clock: clock, system: .live, preview: true, notify: { _ in })
    }

    /// `starts`, when given, holds for each log the chain state after a prefix verified earlier:
    /// only what follows it is read (the caller has checked the log still passes through it).
    func readLogs<Consumer: LogLineConsumer>(
        lengths: [Int], starts: [TailState]? = nil, options: ReadOptions, problems initialProblems: [LogProblem],
        stamps: [LogStamp], consumer: inout Consumer
    ) throws(LedgerError) -> ReadReport {
        precondition(starts == nil || starts!.count == logs.count, "one start per log")
        precondition(stamps.count == logs.count, "one stamp per log")
        var problems = initialProblems
        let unread = zip(lengths, starts ?? lengths.map { _ in .empty }).reduce(0) { $0 + ($1.0 - $1.1.bytes) }
        // About one event per 400 bytes (events average about 430): sizing the id table up front
        // saves rehashing it, and not oversizing it saves memory.
        var registry = IdentifierRegistry(paths: paths, expectedCount: unread / 400)
        if unread > 0 { consumer.willRead(bytes: unread) }
        var summaries: [LogSummary] = []
        for (rank, log) in logs.enumerated() {
            let reader = LogReader(log: log, logRank: rank, path: path(of: log), options: options)
            var summary = try reader.read(length: lengths[rank], from: starts?[rank] ?? .empty, registry: &registry,
                                          problems: &problems, consumer: &consumer)
            summary.stamp = stamps[rank]
            summaries.append(summary)
        }
        try withUnsafeMutablePointer(to: &registry) { registry throws(LedgerError) in
            try consumer.didRead(identifiers: IdentifierLookup { id throws(LedgerError) in try registry.pointee.position(of: id) })
        }
        return ReadReport(logs: summaries, problems: problems)
    }

    func requireDirectory() throws(LedgerError) {
        guard isDirectory(directory) else {
            throw .inputOutput("events directory \(directory) does not exist; pass --events DIR or set INCENTIVES_EVENTS")
        }
    }

    /// Every log's stamp now, in rank order. Taken under the lock before a read, so that the
    /// stamps describe no later state than the one read (or without it, as a first look).
    public func stamps() throws(LedgerError) -> [LogStamp] {
        var stamps: [LogStamp] = []
        for log in logs { stamps.append(try LogStamp.of(path(of: log))) }
        return stamps
    }

    func fileSize(_ log: LogName) throws(LedgerError) -> Int {
        guard let file = try openLog(log) else { return 0 }
        return try file.size()
    }

    /// A log opened for reading: a regular file with one link, or nil when there is none.
    func openLog(_ log: LogName) throws(LedgerError) -> FileDescriptor? {
        try FileDescriptor.openIfExists(path(of: log), maximumLinks: 1)
    }

    func loadJournal() throws(LedgerError) -> AppendJournal {
        guard let file = try FileDescriptor.openIfExists(journalPath, maximumLinks: 1) else { return AppendJournal(entries: []) }
        let size = try file.size()
        guard size <= 1 << 16 else { throw .badData("\(journalPath) is damaged (too large); if no append is running, move it aside and run verify") }
        return try AppendJournal.decode(try file.readBytes(count: size, at: 0), path: journalPath)
    }

    /// The length of each log that belongs to acknowledged appends. A log whose tail holds an
    /// interrupted append is read without it, and noted in `interruptions`; a pending record
    /// that may not be rolled back (it does not describe the log) is a problem.
    func committedLengths(interruptions: inout [LogProblem], problems: inout [LogProblem]) throws(LedgerError) -> [Int] {
        var lengths: [Int] = []
        for log in logs { lengths.append(try fileSize(log)) }
        let journal = try loadJournal()
        guard journal.isPending, try !isComplete(journal) else { return lengths }
        let plan: [PlannedRollback]
        do {
            plan = try plannedRollback(journal)
        } catch where error.code == .badData {
            problems.append(LogProblem(log: journal.entries[0].log, line: 0, problem: error.message))
            return lengths
        }
        for step in plan {
            interruptions.append(LogProblem(log: step.log, line: 0, problem:
                "an append was interrupted: \(step.size - step.acknowledged.bytes) bytes after byte \(step.acknowledged.bytes) were never acknowledged; queries answer without them, and `incentives repair` or the next append moves them to \(Quarantine.directoryName)/"))
            lengths[step.rank] = step.acknowledged.bytes
        }
        return lengths
    }

    /// A pending batch is complete when every log it touched ends, at its recorded length, on its recorded head.
    func isComplete(_ journal: AppendJournal) throws(LedgerError) -> Bool {
        for entry in journal.entries {
            guard try fileSize(entry.log) >= entry.toBytes,
                  let tail = try lastLine(of: entry.log, endingAt: entry.toBytes),
                  tail.seq == entry.toSeq, tail.head == entry.head else { return false }
        }
        return true
    }

    /// The chain state at the line that ends at byte `end` (exclusive of nothing: `end` is just past its newline).
    /// With `checkingHash`, nil also when the line's content does not hash to the hash it states.
    func lastLine(of log: LogName, endingAt end: Int, checkingHash: Bool = false) throws(LedgerError) -> TailState? {
        guard end > 0, let file = try openLog(log) else { return nil }
        // The longest line, its newline, and the newline that ends the line before it; a short
        // window first, as nearly every line fits in it.
        var window = min(end, 1 << 16)
        var bytes = try file.readBytes(count: window, at: end - window)
        if window < end, bytes.count == window, !bytes[0..<(window - 1)].contains(UInt8(ascii: "\n")) {
            window = min(end, ScannedEventLine.maximumLineBytes + 2)
            bytes = try file.readBytes(count: window, at: end - window)
        }
        guard bytes.count == window, bytes.last == UInt8(ascii: "\n") else { return nil }
        let lineEnd = window - 1
        let lineStart = (bytes[0..<lineEnd].lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 }) ?? 0
        guard lineStart > 0 || window == end else { return nil }
        return bytes[lineStart..<lineEnd].withUnsafeBytes { line -> TailState? in
            guard case .success(let scanned) = ScannedEventLine.scan(line) else { return nil }
            let head = SHA256Digest(hex: UnsafeRawBufferPointer(rebasing: line[scanned.hashOffset..<(scanned.hashOffset + 64)]))!
            if checkingHash, scanned.computeHash(of: line, implementation: SHA256.preferredImplementation) != head { return nil }
            return TailState(bytes: end, seq: scanned.seq, head: head, lastRecorded: scanned.recorded)
        }
    }
}

/// Where a log's chain ends: what the next append links to.
public struct TailState: Sendable, Equatable {
    public var bytes: Int
    public var seq: Int
    public var head: SHA256Digest
    public var lastRecorded: Timestamp?

    public init(bytes: Int, seq: Int, head: SHA256Digest, lastRecorded: Timestamp?) {
        self.bytes = bytes
        self.seq = seq
        self.head = head
        self.lastRecorded = lastRecorded
    }

    public static let empty = TailState(bytes: 0, seq: 0, head: .zero, lastRecorded: nil)
}

/// Everything a read established: per-log counts and heads, and every problem found.
public struct ReadReport: Sendable, Equatable {
    public var logs: [LogSummary]
    public var problems: [LogProblem]

    /// Interrupted appends the read left out (queries answer without them; `verify` counts them
    /// among its problems).
    public var interruptions: [LogProblem] = []
    /// The logs of a resumed read whose remembered prefixes were proved by their digests
    /// (`LogPrefixDigest`) rather than by their stamps or a read of them line by line.
    public var prefixesProvedByDigest: [LogName] = []

    public var isValid: Bool { problems.isEmpty }

    /// Attaches each interruption to its log's summary, for a reader to warn about.
    mutating func note(_ found: [LogProblem]) {
        interruptions = found
        for problem in found {
            guard let index = logs.firstIndex(where: { $0.log == problem.log }) else { continue }
            logs[index].interruption = problem.problem
        }
    }
    public var totalEvents: Int { logs.reduce(0) { $0 + $1.events } }
    public var totalBytes: Int { logs.reduce(0) { $0 + $1.bytes } }
}

/// Counts the lines it is handed and keeps nothing. Not an empty struct on purpose: an empty
/// value passed `inout` gets a placeholder address shared by every thread, which
/// ThreadSanitizer reports as a race between two verifications running at once.
struct DiscardingConsumer: LogLineConsumer {
    var lines = 0

    mutating func consume(_ line: LogLine) throws(LedgerError) {
        lines += 1
    }
}
