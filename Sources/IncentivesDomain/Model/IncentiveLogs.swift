import LedgerLog

/// The three logs of the incentives ledger, in replay rank order: tiers, centres, grants.
public enum IncentiveLogs {
    public static let tiers = LogName(rawValue: "tiers")!
    public static let centres = LogName(rawValue: "centres")!
    public static let grants = LogName(rawValue: "grants")!
    public static let all = [tiers, centres, grants]

    public static func store(directory: String) -> EventStore {
        EventStore(directory: directory, logs: all)
    }

    public static func rank(of log: LogName) -> Int {
        all.firstIndex(of: log)!
    }
}
