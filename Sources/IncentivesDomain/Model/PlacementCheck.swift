import LedgerLog

/// Checks, while a verification reads the logs, that each event sits in the log its type
/// belongs in (`EventKind.log`). The log layer knows nothing of types; this is the domain's rule,
/// handed to it as a consumer. Queries refuse a misplaced event; `verify` reports it, with its
/// log and line, among the other problems.
struct PlacementCheck: LogLineConsumer {
    /// Listed one by one up to this many per log; beyond it, one line counts the rest (two
    /// swapped logs would otherwise print a line per event).
    static let listedPerLog = 100

    private(set) var problems: [LogProblem] = []
    private var misplaced: [LogName: Int] = [:]

    /// The misplaced event's type, found on the threads that scan and hash: the sequential step
    /// then reads nothing of the lines of events in their place (reading each line's type there,
    /// bytes another core had just written, was a tenth of a `verify`'s samples).
    typealias Preparation = EventKind?

    static func prepare(_ line: LogLine, context: Void) -> EventKind? {
        // Unknown types and retractions (which belong to their target's log) are not placement.
        guard let kind = EventKind.from(typeBytes: line.typeSpan), let log = kind.log, log != line.log else { return nil }
        return kind
    }

    mutating func consume(_ line: LogLine) throws(LedgerError) {
        try consume(line, prepared: PlacementCheck.prepare(line, context: ()))
    }

    /// Makes a line only of an event out of its place: making each line copies its scan from
    /// memory another core wrote (a twentieth of `verify`'s samples at ten million events).
    mutating func consume(_ run: borrowing LineRun<EventKind?>) throws(LedgerError) {
        for index in run.indices where run.isPrepared(index) && run[preparedAt: index] != nil {
            guard let line = run.line(index) else { continue }
            try consume(line, prepared: run[preparedAt: index])
        }
    }

    mutating func consume(_ line: LogLine, prepared misplacedKind: EventKind?) throws(LedgerError) {
        guard let kind = misplacedKind, let log = kind.log else { return }
        let count = (misplaced[line.log] ?? 0) + 1
        misplaced[line.log] = count
        guard count <= Self.listedPerLog else { return }
        problems.append(LogProblem(log: line.log, line: line.lineNumber, problem:
            "event \(line.id) of type \(kind.typeName) belongs in \(log.fileName), not \(line.log.fileName) (were the files swapped or renamed?)"))
    }

    /// The problems, with one more per log that had more misplaced events than were listed.
    var allProblems: [LogProblem] {
        var result = problems
        for log in IncentiveLogs.all {
            guard let count = misplaced[log], count > Self.listedPerLog else { continue }
            result.append(LogProblem(log: log, line: 0, problem:
                "\(count - Self.listedPerLog) more events in \(log.fileName) belong in another log (\(count) in all)"))
        }
        return result
    }
}

extension IncentiveLogs {
    /// Verifies every log as the log layer does, and checks that each event is in the log its
    /// type belongs in. Misplaced events are merged into the problems in log rank, then line order.
    public static func verify(_ store: EventStore, options: ReadOptions = ReadOptions()) throws(LedgerError) -> ReadReport {
        var check = PlacementCheck()
        var report = try store.read(options: options, consumer: &check)
        // An interrupted append is a problem to verify, as `EventStore.verify` reports it (queries only warn).
        report.problems = report.interruptions + report.problems
        let placement = check.allProblems
        guard !placement.isEmpty else { return report }
        let rank = { (log: LogName) in store.logs.firstIndex(of: log) ?? store.logs.count }
        report.problems = (report.problems + placement).enumerated().sorted {
            (rank($0.element.log), $0.element.line, $0.offset) < (rank($1.element.log), $1.element.line, $1.offset)
        }.map(\.element)
        return report
    }
}
