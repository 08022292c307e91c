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
    /// belongs in the log the runs place it in (seq and log rank follow from that place),
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
        // The bounds are lazily made globals: read once here, not (through their one-time
        // initialisation check) four times a row.
        let days = LedgerSnapshot.earliestDay...LedgerSnapshot.latestDay
        let recordedSeconds = LedgerSnapshot.earliestRecordedSeconds...LedgerSnapshot.latestRecordedSeconds
        // The record codes of the types each log may hold: looked up per row by code, not by name.
        let holdsByLog = limits.logs.map { summary in
            var holds = [Bool](repeating: false, count: Int(UInt8.max) + 1)
            for kind in EventKind.allCases where kind.log == nil || kind.log == summary.log { holds[Int(kind.recordCode)] = true }
            return holds
        }
        // Each log's events in its runs (one a log after a full read; the tail of a later read
        // in runs of its own, behind every log's prefix), its state carried from run to run.
        var previousRecordedByLog = [Int64](repeating: Int64.min, count: limits.logs.count)
        var seenByLog = [Int](repeating: 0, count: limits.logs.count)
        for run in 0..<logRuns.runCount {
            let (indexes, logRank, _) = logRuns.run(run)
            guard Int(logRank) < limits.logs.count else { return .failure(.malformed("its runs name a log it does not have")) }
            let rank = Int(logRank), summary = limits.logs[rank], holds = holdsByLog[rank]
            var previousRecorded = previousRecordedByLog[rank]
            for index in indexes {
                let day = effective[index], seconds = recorded[index]
                guard days.contains(day), recordedSeconds.contains(seconds), seconds >= previousRecorded,
                      amount[index].magnitude <= EventTable.maximumAmountMagnitude,
                      let kind = EventKind(recordCode: code[index]) else {
                    return .failure(.malformed("event \(index) has a field out of range"))
                }
                // Its log is where the runs place it (`logRuns`): a type of another log cannot be there.
                guard holds[Int(code[index])] else {
                    return .failure(.malformed("event \(index) is of a type \(summary.log.fileName) does not hold"))
                }
                var bounds = limits.bounds
                // Any earlier event passes the bounds; a retraction's target is checked to be of this log below.
                (bounds.index, bounds.logStart) = (index, 0)
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
                seenByLog[rank] += 1
                if seenByLog[rank] == summary.events, Timestamp(secondsSinceEpoch: seconds) != summary.lastRecorded {
                    return .failure(.malformed("the last event of \(summary.log.fileName) is not its last recorded"))
                }
                if kind == .eventRetracted, case .eventRetracted(let target?, _)? = kind.unpack(stored, in: bounds) {
                    guard logRuns.logRank(at: target.offset) == logRank else {
                        return .failure(.malformed("event \(index) retracts an event of another log"))
                    }
                    retractions.append((target.offset, Timestamp(secondsSinceEpoch: seconds)))
                }
            }
            previousRecordedByLog[rank] = previousRecorded
        }
        guard zip(seenByLog, limits.logs).allSatisfy({ $0 == $1.events }) else {
            return .failure(.malformed("its event columns disagree with its logs"))
        }
        return .success(RetractionTimes(count: total, marks: retractions))
    }
}
