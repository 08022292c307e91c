#if canImport(Glibc)
import Glibc
#endif
import IncentivesDomain
import LedgerLog

/// What replay tests compare: the read models' digests in a few time windows spread over a
/// scenario's recorded times.
enum ReplayChecks {
    static func digests(_ ledger: Ledger, _ window: TimeWindow) -> [String] {
        ReadModelDigests(ledger: ledger, models: Projection(ledger: ledger, window: window).run(), window: window)
            .digests.map { "\($0.name) \($0.digest)" }
    }

    /// Everything known at the end; as of the middle date; known at the middle time; and as of
    /// `earlierByDays` before the middle, known at the middle.
    static func windows(for drafts: [EventDraft], earlierByDays: Int) -> [TimeWindow] {
        let recorded = drafts.compactMap(\.recorded)
        let middle = recorded[recorded.count / 2]
        return [
            TimeWindow(asOf: nil, knownAt: recorded.last!),
            TimeWindow(asOf: middle.date, knownAt: recorded.last!),
            TimeWindow(asOf: nil, knownAt: middle),
            TimeWindow(asOf: middle.date.adding(days: -earlierByDays), knownAt: middle),
        ]
    }
}

/// Makes `path` an empty ledger, as `incentives init` does: appends refuse a folder that is not one.
func makeLedger(in path: String) {
    do {
        let manifest = try LedgerManifest(ledgerId: "00000000000000000000000000d0a1e5", timeZoneOffsetMinutes: 8 * 60)
        _ = try IncentiveLogs.store(directory: path).createLedger(manifest)
    } catch {
        preconditionFailure("cannot make a scratch ledger in \(path): \(error.message)")
    }
}
