import LedgerLog

/// Each log's head as it stood at a moment K: the prefix of lines recorded at or before K (a
/// prefix, as `recorded` never goes back within a log), its length and its last line's hash.
/// What a checkpoint taken `--known-at K` publishes: the ledger as it was then, not as it is.
struct KnownHeads: LogLineConsumer {
    let knownAt: Timestamp
    private(set) var heads: [LogName: (events: Int, head: SHA256Digest)] = [:]

    init(knownAt: Timestamp) {
        self.knownAt = knownAt
    }

    mutating func consume(_ line: LogLine) throws(LedgerError) {
        guard line.recorded <= knownAt else { return }
        heads[line.log] = (line.lineNumber, line.hash)
    }

    /// The heads at `knownAt` of the logs `ledger` was read from, read again up to exactly the
    /// lengths it read (so that an append in between changes nothing).
    static func read(store: EventStore, ledger: Ledger, knownAt: Timestamp) throws(LedgerError) -> [LogSummary] {
        var options = ReadOptions()
        for log in ledger.logs { options.eventLimits[log.log] = log.events }
        var consumer = KnownHeads(knownAt: knownAt)
        let report = try store.read(options: options, consumer: &consumer)
        guard report.isValid else {
            throw .badData("the logs do not verify (\(report.problems.first.map(\.description) ?? "")); run `incentives verify`")
        }
        return ledger.logs.map { log in
            let known = consumer.heads[log.log]
            return LogSummary(log: log.log, events: known?.events ?? 0, head: known?.head ?? .zero)
        }
    }
}
