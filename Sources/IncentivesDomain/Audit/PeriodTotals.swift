import LedgerLog

/// The figures of a period at one known-at, from the same replay the queries use.
struct PeriodTotals: Sendable {
    var total = PeriodFigures.zero
    var byProgramme: [PeriodFigures]
    var byEnterprise: [PeriodFigures]

    init(ledger: Ledger, period: RestatementPeriod, knownAt: Timestamp) {
        // Grants alone (their events alone, no programme's or evaluation): the enterprises' states
        // would only add to the restatements' peak of memory.
        let grants = Projection(ledger: ledger, window: TimeWindow(asOf: period.last, knownAt: knownAt)).replayGrants()
        byProgramme = Array(repeating: .zero, count: ledger.programmes.count)
        byEnterprise = Array(repeating: .zero, count: ledger.enterprises.count)
        for grant in grants {
            guard let grant, period.contains(grant.awarded) else { continue }
            let figures = PeriodFigures(grant: grant)
            total += figures
            byProgramme[grant.programme] += figures
            byEnterprise[grant.enterprise] += figures
        }
    }

    /// Rows whose figures differ, sorted by their ids.
    static func changedRows(_ before: [PeriodFigures], _ after: [PeriodFigures],
                            name: (Int) -> String) -> [Restatement.Row] {
        var rows: [Restatement.Row] = []
        for index in before.indices where before[index] != after[index] {
            rows.append(Restatement.Row(key: name(index), reported: before[index], now: after[index]))
        }
        return rows.sorted { $0.key < $1.key }
    }
}
