/// Reading only what was appended after a prefix verified earlier (a remembered verified prefix).
///
/// The caller remembers, per log, the chain state where its earlier verified read ended. A resumed
/// read first re-checks that each log still passes through that state (the line ending at that
/// byte carries that seq, hash and recorded time, and its content hashes to that hash), then
/// reads, hashes and chain-checks only the bytes after it. Lines inside the prefix are not read
/// again: `verify` and a full read are what check them.
extension EventStore {
    /// Under the shared lock, reads only what follows `points` (one per log, in rank order), or
    /// returns nil, having read nothing, when any log no longer passes through its point
    /// (rewritten, truncated, rolled back) so that the caller reads everything instead.
    /// Ids of the lines read are proved unique among themselves, not against the prefix.
    public func read<Consumer: LogLineConsumer>(
        resumingAt points: [TailState], options: ReadOptions = ReadOptions(), consumer: inout Consumer
    ) throws(LedgerError) -> ReadReport? {
        try requireDirectory()
        let lock = try FileDescriptor.openIfExists(journalPath)
        try lock?.lock(exclusive: false)
        var problems: [LogProblem] = []
        let lengths = try committedLengths(problems: &problems)
        guard try passes(through: points, lengths: lengths) else { return nil }
        return try readLogs(lengths: lengths, starts: points, options: options, problems: problems, consumer: &consumer)
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
