#if canImport(Glibc)
import Glibc
#endif
import IncentivesDomain
import IncentivesTestSupport
import LedgerLog
import Testing

/// An events directory in a fresh temporary folder (the shared fixture), appended to through
/// `AppendSession` with a fixed clock; removed with everything in it when the value goes away.
/// Plain POSIX (no Foundation) so that this module's other files type-check as they always did.
final class DomainScratchLedger: @unchecked Sendable {
    let scratch = TemporaryFileFixture(prefix: "incentives-domain-tests")
    var path: String { scratch.path }
    var store: EventStore { IncentiveLogs.store(directory: path) }
    var now = Timestamp(parsing: "2025-01-15T09:00:00Z")!

    init() {
        makeLedger(in: path)
    }

    /// Appends drafts as one batch through a fresh session (and so a fresh lock), recorded at the
    /// clock's time: `moment` when given, else `now`.
    @discardableResult
    func append(_ drafts: [EventDraft], at moment: String? = nil) throws -> AppendOutcome {
        let clock = FixedClock(moment.map { Timestamp(parsing: $0)! } ?? now)
        let session = try AppendSession(store: store, clock: clock, notify: { notice in
            Issue.record("unexpected repair: \(notice)")
        })
        return try session.append(drafts)
    }

    func ledger() throws -> Ledger { try Ledger.load(store: store) }

    func models(asOf: String? = nil, knownAt: String = "2025-01-15T09:00:00Z") throws -> (Ledger, ReadModels) {
        let ledger = try ledger()
        let window = TimeWindow(asOf: asOf.map { CalendarDate(parsing: $0)! }, knownAt: LedgerTimeZone.utc.moment(parsing: knownAt)!)
        return (ledger, Projection(ledger: ledger, window: window).run())
    }

    func logBytes(_ log: LogName) -> [UInt8] { readFileBytes(path + "/" + log.fileName) ?? [] }
}
