import LedgerColumns
import LedgerLog

extension Ledger {
    /// The breakdown of grants by enterprise with no filter in `window`: kept with the snapshot
    /// at the heads (`keptGrantsByEnterprise`), else from the read models the ledger holds for
    /// the heads, else replayed for what it reads alone (`GrantBreakdown(replayingByEnterpriseOf:in:)`).
    /// The same rows every way (`GrantBreakdownWindowTests`).
    public func grantsByEnterprise(in window: TimeWindow) -> GrantBreakdown {
        if let kept = keptGrantsByEnterprise(in: window) { return kept }
        if answersWithoutReplay(window) {
            return GrantBreakdown(ledger: self, models: models(in: window), grouping: .enterprise, filter: .init())
        }
        return GrantBreakdown(replayingByEnterpriseOf: self, in: window)
    }
}

extension GrantBreakdown {
    /// What each core gives the breakdown by enterprise replayed.
    private enum ReplayedPiece: Sendable {
        /// The rows in key order, without names.
        case rows(GrantBreakdown)
        /// Each enterprise's name in the window.
        case names([TextIndex?])
    }

    /// The breakdown by enterprise with no filter of `window`, replayed on two cores: on one the
    /// grants' events alone, then the grouping and the sort by code, which read nothing else;
    /// on the other the registrations alone, which give each enterprise its name. Neither
    /// builds the enterprises' tiers, scores or centres, which the answer does not show.
    init(replayingByEnterpriseOf ledger: Ledger, in window: TimeWindow) {
        let projection = Projection(ledger: ledger, window: window)
        var breakdown: GrantBreakdown? = nil
        var names: [TextIndex?] = []
        for piece in ParallelWork.map(count: 2, { number -> ReplayedPiece in
            guard number == 0 else { return .names(projection.replayEnterpriseNames()) }
            return .rows(GrantBreakdown(ledger: ledger, grants: projection.replayGrants(), grouping: .enterprise, filter: Filter(),
                                        tierAtGrant: { _ in preconditionFailure("by enterprise, no tier at grant is asked") }))
        }) {
            switch piece {
            case .rows(let rows): breakdown = rows
            case .names(let replayed): names = replayed
            }
        }
        guard var breakdown else { preconditionFailure("the rows' piece ran") }
        breakdown.name { names[$0] }
        self = breakdown
    }
}
