import LedgerColumns
import LedgerLog

extension Ledger {
    /// The moment by which every event of the ledger was recorded: the latest `recorded` of its
    /// logs' last lines (recorded never goes back within a log).
    public var headsRecorded: Timestamp? {
        latestRecorded(logs)
    }

    /// The window at the logs' heads: every event, as the ledger knows it now.
    var headWindow: TimeWindow? {
        headsRecorded.map { TimeWindow(asOf: nil, knownAt: $0) }
    }

    /// Whether `window` counts exactly what the window at the heads counts: no `--as-of` limit,
    /// and known at or after the last recorded moment (retractions are recorded no later).
    func isAtHeads(_ window: TimeWindow) -> Bool { Ledger.isAtHeads(window, logs: logs) }

    /// The same for logs with these summaries.
    static func isAtHeads(_ window: TimeWindow, logs: [LogSummary]) -> Bool {
        guard let heads = latestRecorded(logs) else { return false }
        return window.asOf == nil && window.knownAt >= heads
    }

    /// The read models of `window`: those kept with the snapshot when the window is at the heads
    /// and nothing was read after the snapshot, otherwise a replay of the columns. Either way the
    /// same models (`HeadModelTests` holds them equal). With `parts` naming programmes and grants
    /// alone, a replay leaves the enterprises and centres empty: it skips their piece
    /// (`Projection.replayProgrammesAndGrants`), the larger one, whose tier changes are most of the events.
    public func models(in window: TimeWindow, parts: ReadModelParts = .all) -> ReadModels {
        if let headModels, isAtHeads(window) { return headModels }
        precondition(omission?.events != true, "a ledger opened for its kept read models answers only the heads' window")
        let projection = Projection(ledger: self, window: window)
        return parts.isSubset(of: [.programmes, .grants]) ? projection.replayProgrammesAndGrants() : projection.run()
    }

    /// The summary of `window`: the one kept at the heads when the ledger was opened for it alone
    /// (`LedgerScope.keptSummary`) and the window is the heads', else made from `models(in:)`.
    public func summary(in window: TimeWindow) -> Summary {
        if var keptSummary, isAtHeads(window) {
            keptSummary.window = window
            return keptSummary
        }
        return Summary(models: models(in: window), window: window)
    }

    /// Whether `models(in:)` answers `window` without a replay.
    public func answersWithoutReplay(_ window: TimeWindow) -> Bool { headModels != nil && isAtHeads(window) }
}

private func latestRecorded(_ logs: [LogSummary]) -> Timestamp? {
    logs.compactMap(\.lastRecorded).max()
}
