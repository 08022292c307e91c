import IncentivesDomain
import LedgerLog

/// The enterprises of the Yanzhen Plan: most enrol in the first quarter, newcomers through the
/// period; each is evaluated on enrolment and every year, and its tier follows its score.
extension DistrictStory {
    /// Scores from which a tier is earned.
    static func tier(forScore score: Int) -> Tier {
        switch score {
        case 88...: return .influential
        case 70...: return .highTech
        case 50...: return .sme
        default: return .startup
        }
    }

    static func threshold(of tier: Tier) -> Int {
        switch tier {
        case .none, .startup: return 0
        case .sme: return 50
        case .highTech: return 70
        case .influential: return 88
        }
    }

    /// A demotion needs a score this far below the tier's threshold: a bad year alone is not enough.
    static let demotionMargin = 6

    mutating func planEnterprises() {
        var codeGenerator = generator(.codes)
        let codes = CreditCodes(generator: &codeGenerator)
        var nameGenerator = generator(.names)
        let capacity = NamePools.nameCapacity
        precondition(parameters.enterprises <= capacity, "enough distinct names")
        let nameStep = CreditCodes.coprime(to: capacity, near: nameGenerator.integer(in: (capacity / 3)...(capacity / 2)))
        let nameOffset = nameGenerator.integer(in: 0...(capacity - 1))
        var oldStyleCount = 0, newStyleCount = 0
        plan.enterprises.reserveCapacity(parameters.enterprises)
        for index in 0..<parameters.enterprises {
            var generator = generator(.enterprise, index)
            let role = ScriptedRole(rawValue: index)
            let wave = role != nil || generator.chance(perMille: 800)
            let newStyle = !wave || generator.chance(perMille: 250)
            let code = codes.code(number: newStyle ? newStyleCount : oldStyleCount, newStyle: newStyle)
            if newStyle { newStyleCount += 1 } else { oldStyleCount += 1 }
            let (name, sector) = NamePools.name(number: (index * nameStep + nameOffset) % capacity)
            let enrolled: CalendarDate
            if wave {
                // Scripted enterprises enrol early, so that their tier is settled before their cases begin.
                let spread = role == nil ? 75 : 20
                enrolled = StoryCalendar.workday(onOrAfter: calendar.date(calendar.firstYear, 1, 11).adding(days: generator.integer(in: 0...spread)))
            } else {
                let from = calendar.date(calendar.firstYear, 4, 1)
                let to = calendar.end.adding(days: -75)
                enrolled = StoryCalendar.workday(onOrAfter: from.adding(days: generator.integer(in: 0...to.days(since: from))))
            }
            var enterprise = PlanEnterprise(code: role == .badCheckDigit ? CreditCodes.withWrongCheckCharacter(code) : code,
                                            name: name, sector: sector, enrolled: enrolled)
            enterprise.scripted = role != nil
            if let role {
                enterprise.deregistered = role.deregistration(calendar)
            } else if generator.chance(perMille: 30) {
                let from = max(enrolled.adding(days: 300), calendar.date(calendar.firstYear + 1, 3, 1))
                let to = calendar.end.adding(days: -45)
                if from <= to {
                    enterprise.deregistered = StoryCalendar.workday(onOrBefore: from.adding(days: generator.integer(in: 0...to.days(since: from))))
                }
            }
            planTimeline(of: &enterprise, index: index, role: role, wave: wave, generator: &generator)
            plan.enterprises.append(enterprise)
        }
    }

    /// Registration, evaluations, tier changes and any deregistration of one enterprise, each
    /// recorded after the one before.
    private mutating func planTimeline(of enterprise: inout PlanEnterprise, index: Int, role: ScriptedRole?,
                                       wave: Bool, generator: inout SeededGenerator) {
        let deregistered = enterprise.deregistered
        func active(_ date: CalendarDate) -> Bool {
            date <= calendar.end && (deregistered.map { date < $0 } ?? true)
        }
        var last = recordedTime(after: enterprise.enrolled, lagDays: 1...12, floor: 0, generator: &generator)
        enterprise.enrolledRecorded = last
        enterprise.registeredEvent = plan.add(.enterpriseRegistered, effective: enterprise.enrolled, recorded: last, subject: index)

        var tier = Tier.none
        var score = wave ? 20 + generator.integer(in: 0...45) + generator.integer(in: 0...35)
                         : 15 + generator.integer(in: 0...30) + generator.integer(in: 0...20)
        var evaluation = StoryCalendar.workday(onOrAfter: enterprise.enrolled.adding(days: generator.integer(in: 7...30)))
        var annual = false
        while active(evaluation) {
            if let role { score = role.score(year: evaluation.year, annual: annual, calendar: calendar) }
            last = recordedTime(after: evaluation, lagDays: 2...20, floor: last, generator: &generator)
            plan.add(.capabilityEvaluated, effective: evaluation, recorded: last, subject: index,
                     amount: Int64(score), detail: annual ? 1 : 0)
            let earned = DistrictStory.tier(forScore: score)
            let change = StoryCalendar.workday(onOrAfter: evaluation.adding(days: generator.integer(in: 10...30)))
            if active(change) {
                if earned > tier {
                    last = recordedTime(after: change, lagDays: 1...10, floor: last, generator: &generator)
                    plan.add(.tierPromoted, effective: change, recorded: last, subject: index,
                             amount: Int64(earned.rawValue), detail: annual ? 1 : 0)
                    tier = earned
                    enterprise.steps.append(TierStep(date: change, tier: tier))
                } else if tier >= .sme && score < DistrictStory.threshold(of: tier) - DistrictStory.demotionMargin {
                    last = recordedTime(after: change, lagDays: 1...10, floor: last, generator: &generator)
                    plan.add(.tierDemoted, effective: change, recorded: last, subject: index,
                             amount: Int64(earned.rawValue), detail: 1)
                    tier = earned
                    enterprise.steps.append(TierStep(date: change, tier: tier))
                }
            }
            // The next annual evaluation: May or June, at least half a year after this one.
            var year = evaluation.year
            var next: CalendarDate
            repeat {
                next = StoryCalendar.workday(onOrAfter: calendar.date(year, 5, 10).adding(days: generator.integer(in: 0...40)))
                year += 1
            } while next < evaluation.adding(days: 180)
            evaluation = next
            annual = true
            score = max(0, min(100, generator.chance(perMille: 50) ? score - generator.integer(in: 8...18)
                                                                   : score + generator.integer(in: -3...8)))
        }
        if let deregistered {
            last = recordedTime(after: deregistered, lagDays: 1...10, floor: last, generator: &generator)
            let reason = role == nil ? generator.integer(in: 0...(NamePools.deregistrationReasons.count - 1)) : 1
            enterprise.deregisteredEvent = plan.add(.enterpriseDeregistered, effective: deregistered, recorded: last, subject: index,
                     detail: reason, document: plan.document(.technologyBureau, deregistered))
        }
    }
}
