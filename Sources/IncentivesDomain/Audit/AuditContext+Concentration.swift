import LedgerLog

extension AuditContext {
    /// Per programme and award year, over the live grants: the top-10 recipients' share of the
    /// amount awarded and the Herfindahl-Hirschman index (sum of squared percentage shares, 0–10,000).
    /// Over the live awards (`liveAwards()`, given).
    mutating func checkConcentration(_ liveAwards: [LiveAward]) {
        guard runs(.concentration) else { return }
        var awards = liveAwards
        awards.sort { ($0.programme, $0.year, $0.enterprise) < ($1.programme, $1.year, $1.enterprise) }
        AuditContext.forEachGroup(awards, sameGroup: { $0.programme == $1.programme && $0.year == $1.year }) { group in
            var perEnterpriseFen: [Int128] = []
            var previous: EnterpriseIndex? = nil
            for award in group {
                if award.enterprise != previous { perEnterpriseFen.append(0) }
                perEnterpriseFen[perEnterpriseFen.count - 1] += Int128(award.amountFen)
                previous = award.enterprise
            }
            guard let figures = Concentration(amountsFen: perEnterpriseFen) else { return }
            let first = group.first!
            let year = first.year
            var effective = CalendarDate(year: Int(year), month: 12, day: 31)!
            if let asOf = window.asOf, asOf < effective { effective = asOf }
            let top = min(Concentration.topCount, perEnterpriseFen.count)
            add(.concentration, subject: programmeId(first.programme), event: nil, effective: effective,
                "programme \(programmeId(first.programme)) in \(year): \(money(figures.totalFen)) to \(perEnterpriseFen.count) recipient\(perEnterpriseFen.count == 1 ? "" : "s"); the top \(top) received \(money(figures.topFen)) (\(YuanText.percent(basisPoints: figures.topShareBasisPoints))); Herfindahl-Hirschman index \(figures.herfindahlIndex) (of 10000)")
        }
    }
}
