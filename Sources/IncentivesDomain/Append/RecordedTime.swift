import LedgerLog

/// Where the transaction time of the events a session appends comes from.
public enum RecordedTimeSource: Sendable, Equatable {
    /// The ledger's clock at the moment of the append (`append` and every shortcut): a draft may
    /// not say when it was recorded, or it could hide later events or rewrite what the ledger said.
    case clock
    /// The drafts' own `recorded`, for history kept by another system (`import`): only into an
    /// empty ledger, where no answer has been given yet, in order within each log, never after the clock.
    case drafts
}

/// The rules of transaction time. `recorded` is what makes a `--known-at` answer reproducible:
/// an event recorded at T is seen by every query known at T or later and by none before, so an
/// answer once given for a time K never changes as long as nothing is ever recorded at or before
/// a K already asked about, which these rules ensure.
enum RecordedTime {
    /// How far after the day it is recorded an event may take effect: a year and a day, enough for a
    /// budget appropriated for next year, too little for a mistyped century.
    static let maximumDaysAhead = 366

    /// Refuses drafts that carry `recorded` when the clock decides.
    static func refuseGiven(_ drafts: [EventDraft]) throws(LedgerError) {
        guard let first = drafts.firstIndex(where: { $0.recorded != nil }) else { return }
        let others = drafts[(first + 1)...].count(where: { $0.recorded != nil })
        let more = others == 0 ? "" : " (and \(others) more draft\(others == 1 ? "" : "s"))"
        let draft = drafts[first]
        throw .badData("\(draft.origin): event \(draft.id) gives recorded \(draft.recorded!)\(more), but the ledger records each event at the time of its own clock when it is appended: a time given by a draft could hide later events or change what the ledger said in the past; remove \"recorded\" from the draft (and --recorded from a shortcut), or, to bring in history kept by another system, use `incentives import` into a new, empty ledger; nothing was appended")
    }

    /// Refuses a clock behind the ledger: appending at `now` would record events before ones
    /// already there, and change answers already given for the times between.
    static func checkClock(_ now: Timestamp, tails: [TailState], logs: [LogName]) throws(LedgerError) {
        precondition(tails.count == logs.count, "one tail per log")
        for (rank, tail) in tails.enumerated() {
            guard let last = tail.lastRecorded, last > now else { continue }
            throw .badData("the ledger's clock says \(now), but \(logs[rank].fileName) already holds an event recorded at \(last), later than that: the clock has gone back (or the log holds a time in the future); transaction time never goes back, so nothing was appended; set the system clock right and run the command again")
        }
    }

    /// Refuses an effective date more than `maximumDaysAhead` after the day it is recorded.
    static func checkHorizon(_ draft: borrowing EventDraft, recorded: Timestamp) throws(LedgerError) {
        let recordedDay = recorded.date
        let days = Int64(draft.effective.daysSinceEpoch) - Int64(recordedDay.daysSinceEpoch)
        guard days > Int64(maximumDaysAhead) else { return }
        throw .badData("\(draft.origin): \(draft.kind) \(draft.id) refused: effective \(draft.effective) is \(days) days after \(recordedDay), the day it is recorded, more than the \(maximumDaysAhead) an event may take effect ahead; check the date for a typo; nothing was appended")
    }

    /// Refuses imported drafts without `recorded`, or recorded after the clock.
    static func checkImported(_ drafts: [EventDraft], now: Timestamp) throws(LedgerError) {
        for index in drafts.indices {
            guard let recorded = drafts[index].recorded else {
                throw .badData("\(drafts[index].origin): event \(drafts[index].id) has no recorded time; import keeps the recorded times of history kept by another system, so every draft must give one (new events go in with `incentives append`, which the ledger's clock stamps); nothing was imported")
            }
            if let problem = ValueBounds.dateProblem(recorded.date, name: "recorded") {
                throw .badData("\(drafts[index].origin) (event \(drafts[index].id)): \(problem); nothing was imported")
            }
            guard recorded <= now else {
                throw .badData("\(drafts[index].origin): event \(drafts[index].id) is recorded at \(recorded), after the ledger's clock (\(now)); history cannot have been recorded in the future; correct the time; nothing was imported")
            }
        }
    }

    /// Refuses an imported draft recorded before the last event of its log.
    static func checkOrder(_ draft: EventDraft, recorded: Timestamp, log: LogName, last: Timestamp?) throws(LedgerError) {
        guard let last, recorded < last else { return }
        throw .badData("\(draft.origin): event \(draft.id) is recorded at \(recorded), before \(last), the last recorded time in \(log.fileName); within each log imported history must be in recorded order; sort the drafts by recorded; nothing was imported")
    }

    /// Refuses an import into a ledger that already holds events: answers may have been given from them.
    static func checkEmpty(tails: [TailState], logs: [LogName]) throws(LedgerError) {
        let held = zip(logs, tails).filter { $0.1.seq > 0 }
        guard !held.isEmpty else { return }
        let list = held.map { "\($0.0.fileName) (\($0.1.seq) events)" }.joined(separator: ", ")
        throw .badData("the ledger already holds events: \(list); import fills only a new, empty ledger, since history recorded before events already there would change answers already given; give an empty --events directory, or append new events with `incentives append`; nothing was imported")
    }
}
