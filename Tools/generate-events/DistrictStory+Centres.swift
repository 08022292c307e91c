import IncentivesDomain
import LedgerLog

/// The district's innovation centres: joint centres with the Taizhou Industrial Technology
/// Research Institute, offshore centres in Shenzhen, Nanjing and Shanghai (the Nanjing one closes),
/// and the R&D centres of enterprises that reached the sme tier.
extension DistrictStory {
    private struct FixedCentre {
        let id: String
        let name: String
        let kind: CentreKind
        let city: String
        let partner: String?
        let opened: (yearOffset: Int, month: Int, day: Int)
        let closed: (month: Int, day: Int)?
    }

    private static let fixedCentres: [FixedCentre] = [
        FixedCentre(id: "JY-INNO-01", name: "泰州市产业技术研究院姜堰分院", kind: .innovation, city: "泰州",
                    partner: NamePools.researchInstitute, opened: (0, 3, 18), closed: nil),
        FixedCentre(id: "JY-OFF-SZ", name: "姜堰—深圳离岸创新中心", kind: .offshore, city: "深圳",
                    partner: nil, opened: (0, 4, 26), closed: nil),
        FixedCentre(id: "JY-INNO-02", name: "姜堰区汽车零部件产业协同创新中心", kind: .innovation, city: "泰州",
                    partner: NamePools.researchInstitute, opened: (0, 6, 8), closed: nil),
        FixedCentre(id: "JY-OFF-NJ", name: "姜堰—南京离岸创新中心", kind: .offshore, city: "南京",
                    partner: nil, opened: (0, 9, 15), closed: (6, 30)),
        FixedCentre(id: "JY-INNO-03", name: "姜堰区高端医疗器械协同创新中心", kind: .innovation, city: "泰州",
                    partner: NamePools.researchInstitute, opened: (1, 4, 12), closed: nil),
        FixedCentre(id: "JY-OFF-SH", name: "姜堰—上海离岸创新中心", kind: .offshore, city: "上海",
                    partner: nil, opened: (1, 5, 18), closed: nil),
        FixedCentre(id: "JY-INNO-04", name: "姜堰区新材料产业创新中心", kind: .innovation, city: "泰州",
                    partner: NamePools.researchInstitute, opened: (1, 9, 20), closed: nil),
    ]

    mutating func planCentres() {
        var generator = generator(.centres)
        for fixed in DistrictStory.fixedCentres {
            let opened = StoryCalendar.workday(onOrAfter: calendar.date(calendar.firstYear + fixed.opened.yearOffset,
                                                                         fixed.opened.month, fixed.opened.day))
            plan.centres.append(PlanCentre(id: fixed.id, name: fixed.name, kind: fixed.kind, city: fixed.city,
                                           partner: fixed.partner))
            let index = plan.centres.count - 1
            var last = recordedTime(after: opened, lagDays: 1...15, floor: 0, generator: &generator)
            plan.add(.centreOpened, effective: opened, recorded: last, subject: index,
                     document: plan.document(.districtGovernment, opened))
            if let closing = fixed.closed {
                let closed = StoryCalendar.workday(onOrBefore: calendar.date(calendar.lastYear, closing.month, closing.day))
                last = recordedTime(after: closed, lagDays: 1...10, floor: last, generator: &generator)
                plan.add(.centreClosed, effective: closed, recorded: last, subject: index,
                         detail: plan.text(NamePools.centreClosingReason), document: plan.document(.technologyBureau, closed))
            }
        }
        // R&D centres: about one in fourteen enterprises that reach the sme tier and stay in the plan.
        var openings: [(date: CalendarDate, enterprise: Int)] = []
        let earliest = calendar.date(calendar.firstYear, 3, 1)
        for (index, enterprise) in plan.enterprises.enumerated() where !enterprise.scripted && enterprise.deregistered == nil {
            guard let reached = enterprise.steps.first(where: { $0.tier >= .sme })?.date else { continue }
            var generator = self.generator(.centres, index + 1)
            guard generator.chance(perMille: 70) else { continue }
            let date = StoryCalendar.workday(onOrAfter: max(reached.adding(days: 60), earliest).adding(days: generator.integer(in: 0...240)))
            guard date <= calendar.end.adding(days: -100) else { continue }
            openings.append((date, index))
        }
        openings.sort { ($0.date, $0.enterprise) < ($1.date, $1.enterprise) }
        for (number, opening) in openings.enumerated() {
            plan.enterprises[opening.enterprise].centreOpened = opening.date
            plan.centres.append(PlanCentre(id: "JY-RND-" + zeroPadded(number + 1, width: 4),
                                           name: plan.enterprises[opening.enterprise].name + "工程技术研究中心",
                                           kind: .rnd, city: "泰州", partner: nil))
            let recorded = recordedTime(after: opening.date, lagDays: 1...15, floor: 0, generator: &generator)
            plan.add(.centreOpened, effective: opening.date, recorded: recorded, subject: plan.centres.count - 1,
                     document: plan.document(.technologyBureau, opening.date))
        }
    }
}
