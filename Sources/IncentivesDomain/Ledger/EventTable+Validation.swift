import LedgerColumns
import LedgerLog

extension EventTable {
    /// The range of every column's values a verified read can give, checked row by row before a
    /// table read from a file is used: so that whatever its bytes, a query either answers what a
    /// read of the logs answers or the file is refused.
    struct Limits {
        var logs: [LogSummary]
        var bounds: EventRecordBounds
    }

    /// Checks every row: dates and times within the years the event format allows, recorded never
    /// going back within a log and ending at the log's last recorded time, a known type that
    /// belongs in the log the counts place it in (seq and log rank follow from that place),
    /// indexes inside their interners, an amount an event line can hold, a retraction's target an
    /// earlier event of the same log, and fields exactly as packing the event they unpack to gives
    /// them (so one event has one row). Returns the earliest retraction time of each event, or the
    /// first row that fails.
    func validated(_ limits: Limits) -> Result<RetractionTimes, SnapshotRejection> {
        let total = limits.logs.reduce(0) { $0 + $1.events }
        let columnCounts = [effective.count, recorded.count, logRuns.count, code.count, a.count, b.count, c.count, d.count,
                            small.count, flags.count, amount.count] + (omitsActorsAndSources ? [] : [actor.count, source.count])
        guard columnCounts.allSatisfy({ $0 == total }) else { return .failure(.malformed("its event columns disagree with its logs")) }
        var retractions: [(target: Int, recorded: Timestamp)] = []
        var index = 0
        // The bounds are lazily made globals: read once here, not (through their one-time
        // initialisation check) four times a row.
        let days = LedgerSnapshot.earliestDay...LedgerSnapshot.latestDay
        let recordedSeconds = LedgerSnapshot.earliestRecordedSeconds...LedgerSnapshot.latestRecordedSeconds
        for summary in limits.logs {
            // The record codes of the types this log may hold: looked up per row by code, not by name.
            var holds = [Bool](repeating: false, count: Int(UInt8.max) + 1)
            for kind in EventKind.allCases where kind.log == nil || kind.log == summary.log { holds[Int(kind.recordCode)] = true }
            let logStart = index
            var previousRecorded = Int64.min
            for position in 0..<summary.events {
                let day = effective[index], seconds = recorded[index]
                guard days.contains(day), recordedSeconds.contains(seconds), seconds >= previousRecorded,
                      amount[index].magnitude <= EventTable.maximumAmountMagnitude,
                      let kind = EventKind(recordCode: code[index]) else {
                    return .failure(.malformed("event \(index) has a field out of range"))
                }
                // Its log is where the counts place it (`logRuns`): a type of another log cannot be there.
                guard holds[Int(code[index])] else {
                    return .failure(.malformed("event \(index) is of a type \(summary.log.fileName) does not hold"))
                }
                var bounds = limits.bounds
                (bounds.index, bounds.logStart) = (index, logStart)
                let stored = fields(at: index)
                guard omitsActorsAndSources
                        || (bounds.index(actor[index]) as TextIndex?) != nil && (bounds.index(source[index]) as TextIndex?) != nil else {
                    return .failure(.malformed("event \(index) refers outside its tables"))
                }
                guard kind.isCanonical(stored, in: bounds) else {
                    // Which way it fails, worked out for the row refused alone.
                    return .failure(.malformed(kind.unpack(stored, in: bounds) == nil
                        ? "event \(index) refers outside its tables" : "event \(index) is not stored as its type stores it"))
                }
                previousRecorded = seconds
                if position == summary.events - 1, Timestamp(secondsSinceEpoch: seconds) != summary.lastRecorded {
                    return .failure(.malformed("the last event of \(summary.log.fileName) is not its last recorded"))
                }
                if kind == .eventRetracted, case .eventRetracted(let target?, _)? = kind.unpack(stored, in: bounds) {
                    retractions.append((target.offset, Timestamp(secondsSinceEpoch: seconds)))
                }
                index += 1
            }
        }
        return .success(RetractionTimes(count: total, marks: retractions))
    }
}
