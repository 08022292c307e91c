/// Where "now" comes from. Injected so that tests, the generator and replays never read the wall clock.
public protocol LedgerClock: Sendable {
    func now() -> Timestamp
}

/// The system clock, used only by the command line for the `recorded` time of appended events
/// (the ledger's transaction time) and for the default `--known-at`.
public struct SystemClock: LedgerClock {
    public init() {}
    public func now() -> Timestamp {
        Timestamp(secondsSinceEpoch: Int64(currentUnixSeconds()))
    }
}

/// A clock that always answers the same moment.
public struct FixedClock: LedgerClock {
    public let moment: Timestamp
    public init(_ moment: Timestamp) { self.moment = moment }
    public func now() -> Timestamp { moment }
}
