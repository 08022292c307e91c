/// Reading only what was appended after a prefix verified earlier (a remembered verified prefix).
///
/// The caller remembers, per log, the chain state where its earlier verified read ended and the
/// log's stamp at that read. A resumed read first re-checks that each log was not changed since
/// it was known good (its stamp is the remembered one, and was settled when taken, see
/// `LogStamp.isSettled`) and that it still passes through that state (the
/// line ending at that byte carries that seq, hash and recorded time, and its content hashes to
/// that hash); then it reads, hashes and chain-checks only the bytes after it. Lines inside the
/// prefix are not read again: `verify` and a full read are what check them.
extension EventStore {
    /// Under the shared lock, reads only what follows `points` (one per log, in rank order), or
    /// returns nil, having read nothing, when any log was changed other than by an append or no
    /// longer passes through its point (edited, rewritten, truncated, rolled back), so that the
    /// caller reads everything instead. Ids of the lines read are proved unique among
    /// themselves, not against the prefix.
    ///
    /// `stampsTakenAfter` (nanoseconds since the epoch, see `LogStamp.nowNanoseconds`) is a moment
    /// no later than when the remembered stamps were taken. With it, a log's remembered prefix is
    /// trusted as it stands only when the log's stamp is the remembered one and was settled by
    /// then (`LogStamp.isSettled`); any other log with a prefix (appended to since, or stamped
    /// within a clock tick of its last change) has its prefix read, hashed and chain-checked
    /// again, and must end at its point, before the read goes on after it. So an edit the stamps
    /// cannot show (within the same tick as a change) is still found. Without it (nil), the
    /// remembered stamps and the append journal's are trusted as they are, and any other change
    /// returns nil. `digests` (in rank order, or empty) are the remembered prefixes' digests: a
    /// prefix with one is proved by hashing its bytes again (`LogPrefixDigest`), not by reading it
    /// line by line; one that does not hash to its digest returns nil.
    public func read<Consumer: LogLineConsumer>(
        resumingAt points: [TailState], stamps remembered: [LogStamp?], digests: [LogPrefixDigest?] = [],
        stampsTakenAfter: Int64? = nil, options: ReadOptions = ReadOptions(), consumer: inout Consumer
    ) throws(LedgerError) -> ReadReport? {
        try requireDirectory()
        let lock = try FileDescriptor.openIfExists(journalPath, maximumLinks: 1)
        try lock?.lock(exclusive: false)
        var interruptions: [LogProblem] = []
        var problems: [LogProblem] = []
        let lengths = try committedLengths(interruptions: &interruptions, problems: &problems)
        var report = try readAfter(points, stamps: remembered, digests: digests, stampsTakenAfter: stampsTakenAfter,
                                   lengths: lengths, options: options, problems: problems, consumer: &consumer)
        report?.note(interruptions)
        return report
    }

    /// The checks and the read both doors share (a reader's shared lock, a writer's exclusive
    /// one): nil when a log is not known good as it stands or no longer passes through its point.
    func readAfter<Consumer: LogLineConsumer>(
        _ points: [TailState], stamps remembered: [LogStamp?], digests: [LogPrefixDigest?] = [], stampsTakenAfter: Int64? = nil,
        lengths: [Int], options: ReadOptions, problems: [LogProblem], consumer: inout Consumer
    ) throws(LedgerError) -> ReadReport? {
        let current = try stamps()
        var provedByDigest: [LogName] = []
        if let stampsTakenAfter {
            guard try passes(through: points, lengths: lengths),
                  let proved = try prefixesKnownGood(points, current: current, remembered: remembered, digests: digests,
                                                     takenAfter: stampsTakenAfter, options: options) else { return nil }
            provedByDigest = proved
        } else {
            guard try unchanged(current, since: remembered, points: points),
                  try passes(through: points, lengths: lengths) else { return nil }
        }
        var report = try readLogs(lengths: lengths, starts: points, options: options, problems: problems, stamps: current,
                                  consumer: &consumer)
        report.prefixesProvedByDigest = provedByDigest
        return report
    }

    /// How many bytes the logs hold after `points`, or nil when a log no longer passes through
    /// its point; judged without the lock by the files' sizes: a cheap first look before a caller
    /// prepares a resumed read (which checks again under the lock).
    public func bytesAfter(_ points: [TailState]) throws(LedgerError) -> Int? {
        var lengths: [Int] = []
        for log in logs { lengths.append(try fileSize(log)) }
        guard try passes(through: points, lengths: lengths) else { return nil }
        return zip(lengths, points).reduce(0) { $0 + ($1.0 - $1.1.bytes) }
    }

    /// The logs whose prefixes their digests proved, when every log's remembered prefix is known
    /// good now: its stamp is the remembered one and was settled by `takenAfter`; or it has a
    /// digest of exactly that prefix and its bytes hash to it; or, with none, its prefix reads,
    /// hashes and chain-checks again to exactly its point. Nil when one is not.
    func prefixesKnownGood(_ points: [TailState], current: [LogStamp], remembered: [LogStamp?], digests: [LogPrefixDigest?] = [],
                           takenAfter: Int64, options: ReadOptions) throws(LedgerError) -> [LogName]? {
        guard remembered.count == logs.count, current.count == logs.count, points.count == logs.count,
              digests.isEmpty || digests.count == logs.count else { return nil }
        var provedByDigest: [LogName] = []
        for (rank, log) in logs.enumerated() where points[rank].bytes > 0 {
            if let stamp = remembered[rank], stamp == current[rank], stamp.isSettled(takenAfterNanoseconds: takenAfter) { continue }
            if !digests.isEmpty, let digest = digests[rank], digest.bytes == points[rank].bytes {
                guard try prefixMatches(log, digest) else { return nil }
                provedByDigest.append(log)
                continue
            }
            guard try prefixVerifies(log, rank: rank, through: points[rank], options: options) else { return nil }
        }
        return provedByDigest
    }

    /// Reads the first `point.bytes` of `log` as a verified read does (line by line: canonical
    /// form, hashes, chain, seq, recorded order, ids unique within it), keeping nothing, and
    /// whether they verify and end exactly at `point`.
    func prefixVerifies(_ log: LogName, rank: Int, through point: TailState, options: ReadOptions) throws(LedgerError) -> Bool {
        var registry = IdentifierRegistry(paths: paths, expectedCount: point.bytes / 400)
        var problems: [LogProblem] = []
        var ignore = DiscardingConsumer()
        let reader = LogReader(log: log, logRank: rank, path: path(of: log), options: options)
        let summary = try reader.read(length: point.bytes, registry: &registry, problems: &problems, consumer: &ignore)
        return problems.isEmpty && summary.events == point.seq && summary.bytes == point.bytes
            && summary.head == point.head && summary.lastRecorded == point.lastRecorded
    }

    /// Whether every log with a remembered prefix is known good as it stands: its stamp now is
    /// the remembered one, or the one the journal recorded after the last verified append.
    func unchanged(_ current: [LogStamp], since remembered: [LogStamp?], points: [TailState]) throws(LedgerError) -> Bool {
        guard remembered.count == logs.count, current.count == logs.count, points.count == logs.count else { return false }
        var journalStamps: [AppendJournal.Stamp]? = nil
        for (rank, log) in logs.enumerated() where points[rank].bytes > 0 {
            if let stamp = remembered[rank], stamp == current[rank] { continue }
            if journalStamps == nil { journalStamps = try loadJournal().stamps }
            guard journalStamps!.contains(AppendJournal.Stamp(log: log, stamp: current[rank])) else { return false }
        }
        return true
    }

    func passes(through points: [TailState], lengths: [Int]) throws(LedgerError) -> Bool {
        guard points.count == logs.count else { return false }
        for (rank, log) in logs.enumerated() {
            let point = points[rank]
            guard point.bytes >= 0, point.bytes <= lengths[rank] else { return false }
            if point.bytes == 0 {
                guard point == .empty else { return false }
                continue
            }
            guard let found = try lastLine(of: log, endingAt: point.bytes, checkingHash: true), found == point else {
                return false
            }
        }
        return true
    }
}
