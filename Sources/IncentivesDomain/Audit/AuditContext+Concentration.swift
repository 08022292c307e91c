import LedgerLog

extension AuditContext {
    /// Per programme and award year, over the live grants: the top-10 recipients' share of the
    /// amount awarded and the Herfindahl-Hirschman index (sum of squared percentage shares, 0–10,000).
    /// Over the live awards sorted by programme and year (`sorted(_:by: .programmeAndYear)`,
    /// given: the copy `checkBudgets` reads). Each group's sums per enterprise are gathered in a
    /// slot an enterprise, in the order its recipients first appear (the figures do not depend
    /// on the order), not by sorting the group again.
    mutating func checkConcentration(_ awards: [LiveAward]) {
        guard runs(.concentration) else { return }
        var slot = [Int32](repeating: -1, count: models.enterprises.count)
        var perEnterpriseFen: [Int128] = []
        var recipients: [EnterpriseIndex] = []
        AuditContext.forEachGroup(awards, sameGroup: { $0.programme == $1.programme && $0.year == $1.year }) { group in
            for recipient in recipients { slot[recipient] = -1 }
            perEnterpriseFen.removeAll(keepingCapacity: true)
            recipients.removeAll(keepingCapacity: true)
            for award in group {
                if slot[award.enterprise] < 0 {
                    slot[award.enterprise] = Int32(perEnterpriseFen.count)
                    perEnterpriseFen.append(0)
                    recipients.append(award.enterprise)
                }
                perEnterpriseFen[Int(slot[award.enterprise])] += Int128(award.amountFen)
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
