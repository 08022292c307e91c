/// Holds the events directory's exclusive lock and appends batches, each all or nothing,
/// synced to disk before it returns. Two processes appending at once queue on the lock.
public final class EventWriter {
    public let store: EventStore
    private let journalFile: FileDescriptor
    private let quarantine: Quarantine
    private let system: SystemCalls
    /// Where each log's chain ends, by rank.
    public private(set) var tails: [TailState]
    /// Each log's stamp when this writer last knew it good: set by a read that verified every
    /// log (or resumed from a prefix known good), moved on by each append. Nil while unknown;
    /// recorded in the journal after an append so that readers may trust the prefix they remember.
    private(set) var knownGoodStamps: [LogStamp]? = nil

    /// The most events one batch may hold: a bound on memory and on the journal's promise.
    public static let maximumBatchEvents = 1_000_000

    /// A writer that may only `seal`: it changes no file, not even to repair one.
    public let isPreview: Bool

    init(store: EventStore, clock: any LedgerClock, system: SystemCalls, repairing: Bool = false, preview: Bool = false,
         notify: (String) -> Void) throws(LedgerError) {
        self.store = store
        self.quarantine = Quarantine(eventsDirectory: store.directory, clock: clock, system: system)
        self.system = system
        isPreview = preview
        let existed = fileExists(store.journalPath)
        do {
            if preview {
                // A shared lock keeps writers out while we read, as for any reader. Without a
                // journal no append ever ran here: the directory stands in, and nothing is created.
                journalFile = existed
                    ? try FileDescriptor.open(store.journalPath, .readOnly, maximumLinks: 1, system: system)
                    : try FileDescriptor.openDirectory(store.directory)
                try journalFile.lock(exclusive: false)
            } else {
                journalFile = try FileDescriptor.open(store.journalPath, .readWrite(create: true), maximumLinks: 1, system: system)
                if !existed { try synchronizeDirectory(store.directory) }
                try journalFile.lock(exclusive: true)
            }
        } catch {
            throw LedgerError(error.code, error.message + "; nothing was appended")
        }
        tails = []
        do {
            if preview {
                try refuseRepairs()
            } else {
                try recover(acceptingLegacy: repairing, notify: notify)
            }
        } catch where error.code == .inputOutput {
            throw LedgerError(error.code, error.message + "; nothing was appended")
        }
        for log in store.logs {
            let size = try store.fileSize(log)
            if size == 0 {
                tails.append(.empty)
            } else if let tail = try store.lastLine(of: log, endingAt: size) {
                tails.append(tail)
            } else {
                throw .badData("the last line of \(store.path(of: log)) is not a valid event; run `incentives verify` and restore the log from a copy")
            }
        }
    }

    /// Finishes or rolls back an interrupted batch and removes a torn last line, each after
    /// copying what it removes to quarantine and saying so; refuses, changing nothing, when the
    /// journal's claims do not match the logs or damage lies inside what was acknowledged.
    private func recover(acceptingLegacy: Bool, notify: (String) -> Void) throws(LedgerError) {
        let journal = try store.loadJournal()
        // What the last append acknowledged, per log, when the journal says (format 2).
        var acknowledged = store.logs.map { journal.committed($0) }
        if journal.isPending {
            if try store.isComplete(journal) {
                for entry in journal.entries {
                    guard let rank = store.logs.firstIndex(of: entry.log) else { continue }
                    acknowledged[rank] = journal.version >= 2
                        ? AppendJournal.Point(log: entry.log, bytes: entry.toBytes, seq: entry.toSeq, head: entry.head) : nil
                }
                try writeJournal(AppendJournal(entries: [], committed: acknowledged.compactMap { $0 }), synchronize: false)
            } else {
                // Every log is checked before any byte is moved: all or nothing.
                let plan = try store.plannedRollback(journal, acceptingLegacy: acceptingLegacy)
                for step in plan {
                    try cut(step.log, from: step.acknowledged.bytes, size: step.size, reason: "interrupted-append") { kept in
                        notify("\(step.log.fileName): an append was interrupted before it was acknowledged; its \(step.size - step.acknowledged.bytes) bytes after byte \(step.acknowledged.bytes) were moved to \(kept)")
                    }
                }
                try writeJournal(AppendJournal(entries: [], committed: journal.committed), synchronize: true)
            }
        }
        for (rank, log) in store.logs.enumerated() {
            let size = try store.fileSize(log)
            guard size > 0 else {
                if let point = acknowledged[rank] { try store.requireAcknowledged(point, size: 0, lastNewline: 0) }
                continue
            }
            // Read-only until a repair is needed: a log we may not write fails at the write, not here.
            let keep: Int
            do {
                guard let reader = try store.openLog(log) else { continue }
                keep = try lengthThroughLastNewline(reader, size: size)
            }
            if let point = acknowledged[rank] { try store.requireAcknowledged(point, size: size, lastNewline: keep) }
            if keep < size {
                try cut(log, from: keep, size: size, reason: "torn-line") { kept in
                    notify("\(log.fileName): the last line was unfinished (\(size - keep) bytes without a newline, a torn write); moved to \(kept) before appending")
                }
            }
        }
    }

    /// A preview changes nothing, so it cannot go on from a state only a repair would fix; it
    /// refuses what an append would refuse (damage inside what was acknowledged) the same way.
    private func refuseRepairs() throws(LedgerError) {
        let journal = try store.loadJournal()
        var acknowledged = store.logs.map { journal.committed($0) }
        var torn: [String] = []
        if journal.isPending {
            if try store.isComplete(journal) {
                for entry in journal.entries {
                    guard let rank = store.logs.firstIndex(of: entry.log) else { continue }
                    acknowledged[rank] = journal.version >= 2
                        ? AppendJournal.Point(log: entry.log, bytes: entry.toBytes, seq: entry.toSeq, head: entry.head) : nil
                }
            } else {
                let logs = journal.entries.map { $0.log.fileName }.joined(separator: ", ")
                torn.append("\(logs): an append was interrupted before it was acknowledged")
            }
        }
        for (rank, log) in store.logs.enumerated() {
            let size = try store.fileSize(log)
            guard size > 0 else {
                if let point = acknowledged[rank] { try store.requireAcknowledged(point, size: 0, lastNewline: 0) }
                continue
            }
            guard let reader = try store.openLog(log) else { continue }
            let keep = try lengthThroughLastNewline(reader, size: size)
            if torn.isEmpty, let point = acknowledged[rank] { try store.requireAcknowledged(point, size: size, lastNewline: keep) }
            if keep < size {
                torn.append("\(log.fileName): the last line is unfinished (a torn write)")
            }
        }
        guard torn.isEmpty else {
            throw .badData(torn.joined(separator: "; ") + "; a dry run repairs nothing: run `incentives verify`, then `incentives repair` or an append without --dry-run repairs it after saying so")
        }
    }

    /// Copies bytes `from..<size` of `log` to quarantine, says so through `announce` (given the
    /// quarantine file's path), then cuts the log to `from` and syncs it. Said once the copy is
    /// safe and before the cut: a kill between the two leaves the bytes in the log and in
    /// quarantine, and the next command copies and says it again; said after the cut, a kill
    /// between them would remove the bytes without a word, and nothing would be left to say it.
    private func cut(_ log: LogName, from: Int, size: Int, reason: String, announce: (String) -> Void) throws(LedgerError) {
        precondition(!isPreview, "a preview writer cuts nothing")
        let file = try FileDescriptor.open(store.path(of: log), .readWrite(create: false), maximumLinks: 1, system: system)
        let kept = try quarantine.keep(file, log: log, from: from, to: size, reason: reason)
        announce(kept)
        try file.truncate(to: from)
        try file.synchronize()
    }

    private func lengthThroughLastNewline(_ file: borrowing FileDescriptor, size: Int) throws(LedgerError) -> Int {
        var end = size
        while end > 0 {
            let start = max(0, end - (1 << 16))
            let block = try file.readBytes(count: end - start, at: start)
            if let index = block.lastIndex(of: UInt8(ascii: "\n")) { return start + index + 1 }
            end = start
        }
        return 0
    }

    private func writeJournal(_ journal: AppendJournal, synchronize: Bool) throws(LedgerError) {
        let bytes = journal.encoded()
        try journalFile.write(bytes, at: 0)
        try journalFile.truncate(to: bytes.count)
        if synchronize { try journalFile.synchronize() }
    }

    /// Reads every log under this writer's lock (a reader sees the same state the append will extend).
    public func read<Consumer: LogLineConsumer>(
        options: ReadOptions = ReadOptions(), consumer: inout Consumer
    ) throws(LedgerError) -> ReadReport {
        var lengths: [Int] = []
        for tail in tails { lengths.append(tail.bytes) }
        let stamps = try store.stamps()
        let report = try store.readLogs(lengths: lengths, options: options, problems: [], stamps: stamps, consumer: &consumer)
        noteRead(report, stamps: stamps, options: options)
        return report
    }

    /// A read that hashed every line it was given and found nothing wrong makes the stamps
    /// taken before it known good; any other read leaves them unknown.
    func noteRead(_ report: ReadReport, stamps: [LogStamp], options: ReadOptions) {
        knownGoodStamps = options.verifyHashes && report.isValid ? stamps : nil
    }

    /// The lines a batch would add, sealed on the current tails, and where each would land.
    public struct SealedBatch: Sendable {
        /// Each log's new bytes, by rank.
        public var buffers: [[UInt8]]
        var startTails: [TailState]
        var newTails: [TailState]
        public var appended: [AppendedEvent]
        /// Where each event's line lies in `buffers`, in batch order (not copied: batches can be large).
        var spans: [(rank: Int, range: Range<Int>)]

        /// The line of the batch's `index`th event, with its newline, exactly as it would be written.
        public func line(_ index: Int) -> ArraySlice<UInt8> {
            buffers[spans[index].rank][spans[index].range]
        }
    }

    /// Seals `events` as `append` would, writing nothing: a dry run shows exactly these lines.
    /// `recorded` never goes back within a log: an event recorded before the log's last is refused,
    /// never moved (raising it would stamp it with a time the clock has not reached).
    public func seal(_ events: [UnsealedEvent]) throws(LedgerError) -> SealedBatch {
        guard events.count <= EventWriter.maximumBatchEvents else {
            throw .usage("a batch of \(events.count) events is larger than \(EventWriter.maximumBatchEvents); split it")
        }
        // Room for every line up front: a large batch's buffer is then never moved while it grows.
        var capacities = Array(repeating: 0, count: store.logs.count)
        for index in events.indices {
            if let rank = store.logs.firstIndex(of: events[index].log) { capacities[rank] += events[index].lineCapacity }
        }
        var sealer = BatchSealer(logs: store.logs, tails: tails, capacities: capacities)
        sealer.reserveCapacity(events: events.count)
        for index in events.indices { try sealer.add(events[index]) }
        return sealer.finish()
    }

    /// A pipeline that seals, on another thread, the events given to it piece by piece, as `seal`
    /// would seal them all at once (the same bytes): a caller validates the next events while the
    /// last are sealed. `capacities` is the room to reserve in each log's buffer, by rank, and
    /// `events` how many events are expected (estimates, see `UnsealedEvent.lineCapacity`: they
    /// change what is copied while the buffers grow, never a byte). Writes nothing.
    public func sealingPipeline(capacities: [Int], events: Int) -> SealingPipeline {
        precondition(capacities.count == store.logs.count, "one capacity per log")
        var sealer = BatchSealer(logs: store.logs, tails: tails, capacities: capacities)
        sealer.reserveCapacity(events: min(max(0, events), EventWriter.maximumBatchEvents))
        return SealingPipeline(sealer: sealer)
    }

    /// Appends `events` in order, all or nothing, and returns where each landed.
    @discardableResult
    public func append(_ events: [UnsealedEvent]) throws(LedgerError) -> [AppendedEvent] {
        guard !events.isEmpty else { return [] }
        return try write(try seal(events))
    }

    /// Writes a batch `seal` made, all or nothing, and returns where each event landed.
    /// The batch must have been sealed on this writer's current tails: one written already, or
    /// sealed before another was written, is refused (usage), as is any write by a preview writer.
    @discardableResult
    public func write(_ batch: SealedBatch) throws(LedgerError) -> [AppendedEvent] {
        guard !isPreview else { throw .usage("a preview writer writes nothing; open a writer to append (nothing was appended)") }
        guard batch.startTails == tails else {
            throw .usage("this batch was sealed on other heads than the logs end at now (written already, or sealed before "
                         + "another batch was written); seal its events again (nothing was appended)")
        }
        guard !batch.appended.isEmpty else { return [] }
        let buffers = batch.buffers, newTails = batch.newTails, appended = batch.appended

        var entries: [AppendJournal.Entry] = []
        for (rank, log) in store.logs.enumerated() where !buffers[rank].isEmpty {
            entries.append(.init(log: log, fromBytes: tails[rank].bytes, toBytes: newTails[rank].bytes,
                                 toSeq: newTails[rank].seq, head: newTails[rank].head,
                                 fromSeq: tails[rank].seq, fromHead: tails[rank].head))
        }
        let committed = acknowledgedPoints(tails)
        do {
            try writeJournal(AppendJournal(entries: entries, committed: committed), synchronize: true)
        } catch {
            // No log was touched. Put the journal back to idle if we can; a record cut short is
            // read as idle anyway, so nothing blocks the next command either way.
            try? writeJournal(AppendJournal(entries: [], committed: committed), synchronize: true)
            throw LedgerError(error.code, error.message + "; nothing was appended, the logs are as they were")
        }
        var stamps = knownGoodStamps
        do {
            for (rank, log) in store.logs.enumerated() where !buffers[rank].isEmpty {
                let path = store.path(of: log)
                let existed = fileExists(path)
                let file = try FileDescriptor.open(path, .readWrite(create: true), maximumLinks: 1, system: system)
                // Changed since it was known good (by a hand or a process that ignores the lock):
                // what this append adds stays good, but the log as a whole is not known to be.
                if let known = stamps?[rank], known != (existed ? try file.stamp() : .absent) { stamps = nil }
                try file.write(buffers[rank], at: tails[rank].bytes)
                try file.synchronize()
                if !existed { try synchronizeDirectory(store.directory) }
                if stamps != nil { stamps![rank] = try file.stamp() }
            }
        } catch {
            knownGoodStamps = nil
            guard rollBack(entries, written: buffers) else {
                throw LedgerError(error.code, error.message + "; the part of the batch already written could not be removed now and is not acknowledged: the next append removes it after saying so, and until then `incentives verify` reports it")
            }
            throw LedgerError(error.code, error.message + "; nothing was appended, the logs are as they were")
        }
        // Not synced on purpose: a crash now leaves a complete pending batch, which recovery keeps.
        knownGoodStamps = stamps
        let recorded = stamps.map { zip(store.logs, $0).map { AppendJournal.Stamp(log: $0, stamp: $1) } } ?? []
        try? writeJournal(AppendJournal(entries: [], committed: acknowledgedPoints(newTails), stamps: recorded),
                          synchronize: false)
        tails = newTails
        postcondition()
        return appended
    }

    /// Every log's chain state as journal points.
    private func acknowledgedPoints(_ states: [TailState]) -> [AppendJournal.Point] {
        zip(store.logs, states).map { AppendJournal.Point(log: $0, bytes: $1.bytes, seq: $1.seq, head: $1.head) }
    }

    /// Cuts every touched log back to its length before the batch (never below: these are the
    /// lengths this writer verified), copying what it removes to quarantine first. If the copy
    /// cannot be made (the disk that failed the write is full), bytes that are exactly the start
    /// of what this append wrote, never acknowledged and still held by the caller, are cut all
    /// the same. Returns false if a log could not be restored: the journal then stays pending, so
    /// that readers do not count the partial batch and the next writer finishes the rollback.
    private func rollBack(_ entries: [AppendJournal.Entry], written: [[UInt8]]) -> Bool {
        var restored = true
        for entry in entries {
            do throws(LedgerError) {
                guard let rank = store.logs.firstIndex(of: entry.log), entry.fromBytes == tails[rank].bytes else {
                    restored = false
                    continue
                }
                let size = try store.fileSize(entry.log)
                guard size > entry.fromBytes else { continue }
                let file = try FileDescriptor.open(store.path(of: entry.log), .readWrite(create: false), maximumLinks: 1,
                                                   system: system)
                do {
                    _ = try quarantine.keep(file, log: entry.log, from: entry.fromBytes, to: size, reason: "failed-append")
                } catch {
                    let extra = try file.readBytes(count: size - entry.fromBytes, at: entry.fromBytes)
                    guard extra.count == size - entry.fromBytes, written[rank].starts(with: extra) else { throw error }
                }
                try file.truncate(to: entry.fromBytes)
                try file.synchronize()
            } catch {
                restored = false
            }
        }
        guard restored else { return false }
        try? writeJournal(AppendJournal(entries: [], committed: acknowledgedPoints(tails)), synchronize: true)
        return true
    }

    private func postcondition() {
        for (rank, tail) in tails.enumerated() {
            precondition(tail.seq >= 0 && tail.bytes >= 0, "tail of \(store.logs[rank]) is consistent")
        }
    }
}

/// Where an appended event landed.
public struct AppendedEvent: Sendable, Equatable {
    public var log: LogName
    public var id: EventID
    public var seq: Int
    public var hash: SHA256Digest
    public var recorded: Timestamp
}
