extension EventWriter {
    /// Reads, under this writer's lock, only what follows `points`; nil when any log was changed
    /// other than by an append or no longer passes through its point (see
    /// `EventStore.read(resumingAt:stamps:stampsTakenAfter:options:consumer:)`).
    public func read<Consumer: LogLineConsumer>(
        resumingAt points: [TailState], stamps remembered: [LogStamp?], digests: [LogPrefixDigest?] = [],
        stampsTakenAfter: Int64? = nil, options: ReadOptions = ReadOptions(), consumer: inout Consumer
    ) throws(LedgerError) -> ReadReport? {
        var lengths: [Int] = []
        for tail in tails { lengths.append(tail.bytes) }
        guard let report = try store.readAfter(points, stamps: remembered, digests: digests, stampsTakenAfter: stampsTakenAfter, lengths: lengths, options: options,
                                               problems: [], consumer: &consumer) else { return nil }
        // The report's stamps are the ones taken before the read.
        noteRead(report, stamps: report.logs.map { $0.stamp ?? .absent }, options: options)
        return report
    }
}
