import LedgerLog

/// The two times of a bitemporal query: what was true on `asOf` (valid time), by what the
/// ledger knew at `knownAt` (transaction time).
public struct TimeWindow: Sendable, Equatable {
    /// Events effective after this date do not count; `nil` is no limit.
    public var asOf: CalendarDate?
    /// Events recorded after this moment do not count, nor do retractions recorded after it.
    public var knownAt: Timestamp

    public init(asOf: CalendarDate? = nil, knownAt: Timestamp) {
        self.asOf = asOf
        self.knownAt = knownAt
    }

    /// Whether an event is inside the window (before retractions are considered).
    @inline(__always)
    public func contains(_ event: DomainEvent) -> Bool {
        event.recorded <= knownAt && event.effective <= (asOf ?? .distantFuture)
    }
}
