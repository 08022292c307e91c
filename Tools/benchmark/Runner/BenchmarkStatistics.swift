/// The arithmetic of the report, kept apart from the measuring so that it can be tested.
enum BenchmarkStatistics {
    /// The middle value; the mean of the two middle values for an even count. Nil when empty.
    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        if sorted.count % 2 == 1 { return sorted[middle] }
        return (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// The value below which `fraction` of the values lie (nearest rank). Nil when empty.
    static func percentile(_ values: [Double], _ fraction: Double) -> Double? {
        precondition(fraction > 0 && fraction <= 1, "a percentile is a fraction in (0, 1]")
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        var rank = Int((fraction * Double(sorted.count)).rounded(.up))
        rank = min(max(rank, 1), sorted.count)
        return sorted[rank - 1]
    }

    /// How many times longer `peerSeconds` took than `oursSeconds`: above 1, ours is faster.
    /// Nil when either is missing or ours took no measurable time.
    static func speedup(peerSeconds: Double?, oursSeconds: Double?) -> Double? {
        guard let peerSeconds, let oursSeconds, oursSeconds > 0, peerSeconds >= 0 else { return nil }
        return peerSeconds / oursSeconds
    }

    /// Items per second; nil when no time was measured.
    static func rate(_ count: Double, seconds: Double?) -> Double? {
        guard let seconds, seconds > 0 else { return nil }
        return count / seconds
    }
}
