extension EventWriter {
    /// Reads, under this writer's lock, only what follows `points`; nil when any log no longer
    /// passes through its point (see `EventStore.read(resumingAt:options:consumer:)`).
    public func read<Consumer: LogLineConsumer>(
        resumingAt points: [TailState], options: ReadOptions = ReadOptions(), consumer: inout Consumer
    ) throws(LedgerError) -> ReadReport? {
        var lengths: [Int] = []
        for tail in tails { lengths.append(tail.bytes) }
        guard try store.passes(through: points, lengths: lengths) else { return nil }
        return try store.readLogs(lengths: lengths, starts: points, options: options, problems: [], consumer: &consumer)
    }
}
