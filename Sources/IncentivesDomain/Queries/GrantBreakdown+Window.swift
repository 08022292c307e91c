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
        /// The grants in the window.
        case grants([GrantState?])
        /// Each enterprise's name in the window, and the enterprises' sides (`sidesInNameOrder`)
        /// when the rows are grouped and sorted in two halves.
        case names([TextIndex?], sides: [UInt8]?)
    }

    /// From this many grants in the ledger, the rows by enterprise are grouped and sorted in two
    /// halves on two cores: below, a half costs more to hand over than it saves.
    static let halvesFromGrants = 1 << 16

    /// The breakdown by enterprise with no filter of `window`, replayed on two cores: on one the
    /// grants' events alone; on the other the registrations alone, which give each enterprise its
    /// name, and the enterprises split in two sides by code. Then each core groups the grants of
    /// one side's enterprises and sorts its rows by code, and the two lists of rows, end to end,
    /// are in key order. Neither builds the enterprises' tiers, scores or centres, which the
    /// answer does not show. `halvesFromGrants`: from how many grants the ledger names the rows
    /// are made in halves (tests ask for halves of small ledgers).
    init(replayingByEnterpriseOf ledger: Ledger, in window: TimeWindow, halvesFromGrants: Int = GrantBreakdown.halvesFromGrants) {
        let projection = Projection(ledger: ledger, window: window)
        let halves = ledger.nameCounts.grants >= halvesFromGrants
        var grants: [GrantState?] = []
        var names: [TextIndex?] = []
        var sides: [UInt8]? = nil
        for piece in ParallelWork.map(count: 2, { number -> ReplayedPiece in
            guard number == 0 else {
                return .names(projection.replayEnterpriseNames(), sides: halves ? ledger.enterprises.sidesInNameOrder() : nil)
            }
            return .grants(projection.replayGrants())
        }) {
            switch piece {
            case .grants(let replayed): grants = replayed
            case .names(let replayed, let split): (names, sides) = (replayed, split)
            }
        }
        let noTier: @Sendable (GrantState) -> Tier = { _ in preconditionFailure("by enterprise, no tier at grant is asked") }
        var breakdown: GrantBreakdown
        // Every enterprise a grant names has a side (a ledger read for this answer holds its codes).
        if let sides, sides.count == ledger.nameCounts.enterprises {
            let grants = grants
            let parts = ParallelWork.map(count: 2) { side in
                GrantBreakdown(ledger: ledger, grants: grants, grouping: .enterprise, filter: Filter(), tierAtGrant: noTier,
                               side: (sides, UInt8(side)))
            }
            breakdown = GrantBreakdown(joining: parts[0], parts[1])
        } else {
            breakdown = GrantBreakdown(ledger: ledger, grants: grants, grouping: .enterprise, filter: Filter(), tierAtGrant: noTier)
        }
        breakdown.name { names[$0] }
        self = breakdown
    }
}
