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

    /// What to do about a directory that is not a ledger.
    public static func creationAdvice(directory: String) -> String {
        "`incentives init --events \(directory)` creates one (or pass --events DIR or set INCENTIVES_EVENTS to use another)"
    }

    /// Refuses (exit 66 on the command line) a directory that is neither a ledger with a
    /// manifest nor an older one with logs: a mistyped `--events` must not answer zeros.
    @discardableResult
    public static func requireLedger(_ store: EventStore) throws(LedgerError) -> LedgerManifest? {
        try store.requireLedger(advice: creationAdvice(directory: store.directory))
    }

    public static func rank(of log: LogName) -> Int {
        all.firstIndex(of: log)!
    }
}
