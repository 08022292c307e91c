import IncentivesDomain
import LedgerLog

/// Test drafts made by `ScenarioGenerator` say when they were recorded. The ledger keeps such
/// times only for history imported into an empty ledger; after that, a batch is recorded at the
/// clock's time: here the batch's latest time, with the drafts' own left out.
enum RecordedHistory {
    /// The latest time the batch's drafts give, or nil when none gives one.
    static func latest(_ batch: [EventDraft]) -> Timestamp? {
        batch.compactMap(\.recorded).max()
    }

    /// The batch without its drafts' recorded times, for an append that the clock stamps.
    static func withoutRecorded(_ batch: [EventDraft]) -> [EventDraft] {
        batch.map { draft in
            var copy = draft
            copy.recorded = nil
            return copy
        }
    }

    /// Appends each batch through its own session: the first, into an empty ledger, as an import
    /// keeping every draft's time; each later one at the clock's time (its latest, else `otherwise`).
    static func append(_ batches: [[EventDraft]], to store: EventStore, otherwise: Timestamp,
                       useSnapshot: Bool = false, environment: [String: String] = [:]) throws {
        for batch in batches {
            let empty = try store.verify().logs.allSatisfy { $0.events == 0 }
            if empty, latest(batch) != nil {
                let session = try AppendSession(store: store, clock: FixedClock(otherwise), useSnapshot: useSnapshot,
                                                environment: environment, recordedTimes: .drafts) { _ in }
                _ = try session.append(batch)
            } else {
                let session = try AppendSession(store: store, clock: FixedClock(latest(batch) ?? otherwise),
                                                useSnapshot: useSnapshot, environment: environment) { _ in }
                _ = try session.append(withoutRecorded(batch))
            }
        }
    }
}
