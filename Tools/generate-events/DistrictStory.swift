import IncentivesDomain
import LedgerLog

/// What the story is made from: the command line's choices.
struct StoryParameters {
    var seed: UInt64
    var start: CalendarDate
    var years: Int
    var enterprises: Int
}

/// Plans the bundled story: illustrative data modelled on the public description of Jiangyan
/// district (Taizhou, Jiangsu) — its Yanzhen Plan tiers, incentive programmes, grants and
/// innovation centres — with a handful of deliberate findings for auditors. Not official records.
///
/// Planning is separate from writing: the whole story is laid out in compact form first, and only
/// then sorted by recorded time, turned into drafts and appended through the ledger's own path.
struct DistrictStory {
    /// Random streams: each part of the story draws from its own, so changing one part leaves the others alone.
    enum Stream: UInt64 {
        case codes = 1, names, enterprise, centres, rounds, awards, grantTimeline, budgets, documents, cases, target, projects
    }

    let parameters: StoryParameters
    let calendar: StoryCalendar
    var plan: StoryPlan
    /// The total of awards (as amended, revoked ones excluded) the story aims at: at the defaults,
    /// just over 200 million yuan.
    var targetFen: Int64 = 0
    var programmeEstablished: [CalendarDate] = []
    var programmeEstablishedRecorded: [Int64] = []
    var rounds: [AwardRound] = []
    /// Fen awarded per (enterprise, programme), counting the larger of original and amended amounts.
    var capUsedFen: [Int64] = []
    /// The last year each (enterprise, programme) had an award, to give one award a year at most.
    var lastAwardYear: [Int16] = []
    /// Awards so far per (enterprise, programme): the next one gets another project.
    var awardCount: [UInt8] = []

    static let programmeCount = ProgrammeCatalogue.programmes.count
    static let minimumEnterprises = 60
    static let maximumEnterprises = 1_500_000
    static let minimumYears = 3
    static let maximumYears = 20

    init(parameters: StoryParameters) {
        precondition(parameters.enterprises >= DistrictStory.minimumEnterprises
                     && parameters.enterprises <= DistrictStory.maximumEnterprises, "enterprise count within limits")
        precondition(parameters.years >= DistrictStory.minimumYears && parameters.years <= DistrictStory.maximumYears,
                     "year count within limits")
        self.parameters = parameters
        calendar = StoryCalendar(start: parameters.start, years: parameters.years)
        plan = StoryPlan(calendar: calendar)
    }

    /// The whole story, planned.
    static func plan(_ parameters: StoryParameters) -> StoryPlan {
        var story = DistrictStory(parameters: parameters)
        story.planTarget()
        story.planProgrammes()
        story.planEnterprises()
        story.planCentres()
        story.planRoundCalendar()
        story.planDeliberateCases()
        story.planAwardRounds()
        story.calibrateAwards()
        story.planGrantTimelines()
        story.planBudgets()
        story.numberGrants()
        story.numberDocuments()
        return story.plan
    }

    func generator(_ stream: Stream, _ index: Int = 0) -> SeededGenerator {
        SeededGenerator(seed: parameters.seed, stream: stream.rawValue, index: UInt64(index))
    }

    /// 200 million yuan for 300 enterprises over 33 months, in proportion to both, plus a little:
    /// the last award of the district's budget years takes the total just over the round figure.
    mutating func planTarget() {
        var generator = generator(.target)
        let base = Int64(20_000_000_000) * Int64(parameters.enterprises) * Int64(calendar.totalMonths) / (300 * 33)
        let step = 10_000 * ProgrammeCatalogue.yuan
        targetFen = (base / step) * step + Int64(generator.integer(in: 5...60)) * step
    }

    // MARK: Programmes and budgets

    mutating func planProgrammes() {
        var generator = generator(.budgets)
        // Programmes established on one day share the district's decision that set them up.
        var decisions: [(date: CalendarDate, document: Int32)] = []
        for (index, programme) in ProgrammeCatalogue.programmes.enumerated() {
            let date = StoryCalendar.workday(onOrAfter: calendar.date(calendar.firstYear, programme.established.month,
                                                                       programme.established.day))
            let recorded = recordedTime(after: date, lagDays: 1...5, floor: 0, generator: &generator)
            let document = decisions.first(where: { $0.date == date })?.document ?? plan.document(.districtGovernment, date)
            if !decisions.contains(where: { $0.date == date }) { decisions.append((date, document)) }
            plan.add(.programmeEstablished, effective: date, recorded: recorded, subject: index, document: document)
            programmeEstablished.append(date)
            programmeEstablishedRecorded.append(recorded)
        }
        for (index, programme) in ProgrammeCatalogue.programmes.enumerated() {
            guard let amendment = programme.capAmendment else { continue }
            let date = calendar.date(calendar.firstYear + amendment.yearOffset, amendment.month, amendment.day)
            guard calendar.contains(date) else { continue }
            let recorded = recordedTime(after: date, lagDays: 1...5, floor: programmeEstablishedRecorded[index],
                                        generator: &generator)
            plan.add(.programmeAmended, effective: date, recorded: recorded, subject: index,
                     amount: amendment.capFen, document: plan.document(.districtGovernment, date))
        }
    }

    /// One appropriation per programme and year, with headroom over what the year's awards need
    /// (counting the larger of original and amended amounts, and revoked awards too) — except the
    /// deliberate shortfall of the talent programme in the report year.
    mutating func planBudgets() {
        var generator = generator(.budgets, 1)
        let step = 100_000 * ProgrammeCatalogue.yuan
        for (index, _) in ProgrammeCatalogue.programmes.enumerated() {
            for year in programmeEstablished[index].year...calendar.lastYear {
                var largest: Int64 = 0, current: Int64 = 0
                for grant in plan.grants where grant.programme == index && grant.awarded.year == year {
                    largest += max(grant.originalFen, grant.finalFen)
                    if !grant.revoked { current += grant.finalFen }
                }
                var amount: Int64
                let shortfall = index == ProgrammeCatalogue.talent && year == calendar.reportYear
                if shortfall {
                    amount = max(step, current * 92 / 100 / step * step)
                    precondition(amount < current, "the deliberate budget shortfall is a shortfall")
                } else {
                    amount = max(10 * step, (largest * Int64(generator.integer(in: 108...125)) / 100 + step - 1) / step * step)
                }
                let date = year == programmeEstablished[index].year
                    ? programmeEstablished[index]
                    : StoryCalendar.workday(onOrAfter: calendar.date(year, 1, 6 + generator.integer(in: 0...5)))
                let recorded = recordedTime(after: date, lagDays: 1...8, floor: programmeEstablishedRecorded[index],
                                            generator: &generator)
                // One event moves at most `ValueBounds.amountFen` (10 billion yuan): the appropriation of
                // a very large story is several, under one budget document. The bundled one needs one.
                let document = plan.document(.budget, date)
                let sequence = plan.add(.budgetAppropriated, effective: date, recorded: recorded, subject: index,
                                        amount: min(amount, ValueBounds.amountFen.upperBound), detail: year, document: document)
                var remaining = amount - min(amount, ValueBounds.amountFen.upperBound)
                while remaining > 0 {
                    let part = min(remaining, ValueBounds.amountFen.upperBound)
                    plan.add(.budgetAppropriated, effective: date, recorded: recorded, subject: index,
                             amount: part, detail: year, document: document)
                    remaining -= part
                }
                if shortfall {
                    plan.cases.append(DeliberateCase(
                        letter: "i", title: "budget exceeded in one programme-year",
                        describe: { [current] _ in "JY-TALENT \(year): appropriated \(MoneyText.yuan(amount)), awards \(MoneyText.yuan(current))" },
                        events: [sequence]))
                }
            }
        }
    }

    // MARK: Numbering

    /// Grant ids by award year in award order: `JY-G2022-0042`.
    mutating func numberGrants() {
        let order = plan.grants.indices.sorted {
            (plan.grants[$0].awarded, $0) < (plan.grants[$1].awarded, $1)
        }
        var year = 0, number = 0
        for index in order {
            let awardYear = plan.grants[index].awarded.year
            if awardYear != year { year = awardYear; number = 0 }
            number += 1
            plan.grants[index].id = "JY-G\(awardYear)-" + zeroPadded(number, width: 4)
        }
    }

    /// Document numbers rise through each series' year in date order, with gaps for the
    /// documents of the same series that are not about incentives.
    mutating func numberDocuments() {
        var generator = generator(.documents)
        let order = plan.documents.indices.sorted {
            let left = plan.documents[$0], right = plan.documents[$1]
            return (left.series.rawValue, left.date.year, left.date, $0) < (right.series.rawValue, right.date.year, right.date, $1)
        }
        var series: DocumentSeries? = nil, year = 0, number: Int32 = 0
        for index in order {
            let document = plan.documents[index]
            if document.series != series || document.date.year != year {
                series = document.series
                year = document.date.year
                number = Int32(generator.integer(in: 0...4))
            }
            number += Int32(generator.integer(in: 1...3))
            plan.documents[index].number = number
        }
    }
}
