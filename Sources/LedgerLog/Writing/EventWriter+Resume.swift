extension EventWriter {
    /// Reads, under this writer's lock, only what follows `points`; nil when any log was changed
    /// other than by an append or no longer passes through its point (see
    /// `EventStore.read(resumingAt:stamps:options:consumer:)`).
    public func read<Consumer: LogLineConsumer>(
        resumingAt points: [TailState], stamps remembered: [LogStamp?], options: ReadOptions = ReadOptions(),
        consumer: inout Consumer
    ) throws(LedgerError) -> ReadReport? {
        var lengths: [Int] = []
        for tail in tails { lengths.append(tail.bytes) }
        let current = try store.stamps()
        guard try store.unchanged(current, since: remembered, points: points),
              try store.passes(through: points, lengths: lengths) else { return nil }
        let report = try store.readLogs(lengths: lengths, starts: points, options: options, problems: [], stamps: current,
                                        consumer: &consumer)
        noteRead(report, stamps: current, options: options)
        return report
    }
}
