import IncentivesDomain
import LedgerLog

/// One call for applications of a programme: a decision date, its document, and the share of the
/// district's awards it hands out.
struct AwardRound {
    var programme: Int
    var year: Int
    /// Which of the programme's rounds in that year (0 is the first).
    var number: Int
    var date: CalendarDate
    var document: Int32
    var poolFen: Int64
}

/// The programme offices at work: each round picks eligible enterprises at random and awards
/// amounts within the programme's range, its cap and the round's pool. Everything they do is clean:
/// the tier is met on the award date, caps hold over the whole period, and no enterprise that
/// leaves the plan within fifteen months is chosen.
extension DistrictStory {
    mutating func planRoundCalendar() {
        var generator = generator(.rounds)
        var weights: [Int64] = []
        for (index, programme) in ProgrammeCatalogue.programmes.enumerated() {
            for year in calendar.years {
                for (number, day) in programme.rounds.enumerated() {
                    let date = StoryCalendar.workday(onOrAfter: calendar.date(year, day.month, day.day)
                        .adding(days: generator.integer(in: -4...4)))
                    guard date >= programmeEstablished[index].adding(days: 20), date <= calendar.end.adding(days: -10) else {
                        continue
                    }
                    rounds.append(AwardRound(programme: index, year: year, number: number, date: date,
                                             document: plan.document(.technologyBureau, date), poolFen: 0))
                    weights.append(Int64(programme.sharePercent * 12 / programme.rounds.count))
                }
            }
        }
        // Pools in whole steps of 10,000 yuan; the last takes what rounding left.
        let step = 10_000 * ProgrammeCatalogue.yuan
        let totalWeight = weights.reduce(0, +)
        var assigned: Int64 = 0
        for index in rounds.indices {
            let pool = index == rounds.count - 1 ? targetFen - assigned : targetFen / totalWeight * weights[index] / step * step
            rounds[index].poolFen = pool
            assigned += pool
        }
        rounds.sort { ($0.date, $0.programme) < ($1.date, $1.programme) }
        capUsedFen = Array(repeating: 0, count: parameters.enterprises * DistrictStory.programmeCount)
        lastAwardYear = Array(repeating: 0, count: parameters.enterprises * DistrictStory.programmeCount)
        awardCount = Array(repeating: 0, count: parameters.enterprises * DistrictStory.programmeCount)
    }

    func round(_ programme: Int, _ year: Int, _ number: Int) -> AwardRound {
        guard let round = rounds.first(where: { $0.programme == programme && $0.year == year && $0.number == number }) else {
            preconditionFailure("round \(number) of \(ProgrammeCatalogue.programmes[programme].id) in \(year) is in the period")
        }
        return round
    }

    func capRoom(_ enterprise: Int, _ programme: Int) -> Int64 {
        ProgrammeCatalogue.programmes[programme].lowestCapFen - capUsedFen[enterprise * DistrictStory.programmeCount + programme]
    }

    mutating func useCap(_ enterprise: Int, _ programme: Int, _ amountFen: Int64, year: Int) {
        capUsedFen[enterprise * DistrictStory.programmeCount + programme] += amountFen
        lastAwardYear[enterprise * DistrictStory.programmeCount + programme] = Int16(year)
        awardCount[enterprise * DistrictStory.programmeCount + programme] += 1
    }

    /// A project for the next award of `programme` to `enterprise`: the product and pattern step
    /// on with each award, so that one enterprise never gets two awards for the same project
    /// (apart from the deliberate duplicate).
    func nextProject(_ enterprise: Int, _ programme: Int) -> (product: Int, template: Int) {
        let products = NamePools.sectors[plan.enterprises[enterprise].sector].products.count
        var generator = generator(.projects, enterprise * DistrictStory.programmeCount + programme)
        let product = generator.integer(in: 0...(products - 1))
        let template = generator.integer(in: 0...(NamePools.projectTemplates - 1))
        let count = Int(awardCount[enterprise * DistrictStory.programmeCount + programme])
        precondition(count < products * NamePools.projectTemplates, "enough distinct projects for one enterprise")
        return ((product + count) % products, (template + count / products) % NamePools.projectTemplates)
    }

    mutating func planAwardRounds() {
        for (roundIndex, round) in rounds.enumerated() {
            var generator = generator(.awards, roundIndex)
            let programme = ProgrammeCatalogue.programmes[round.programme]
            let step = programme.stepFen
            var candidates: [Int32] = []
            for (index, enterprise) in plan.enterprises.enumerated() {
                guard !enterprise.scripted, enterprise.enrolled.adding(days: 30) <= round.date,
                      enterprise.deregistered.map({ $0 > round.date.adding(days: 450) }) ?? true,
                      enterprise.tier(on: round.date) >= (programme.minTier ?? .startup),
                      lastAwardYear[index * DistrictStory.programmeCount + round.programme] != Int16(round.year),
                      capRoom(index, round.programme) >= programme.awardFen.lowerBound else { continue }
                if programme.needsCentre {
                    // One construction subsidy per centre: a second award would repeat the project.
                    guard let opened = enterprise.centreOpened, opened.adding(days: 30) <= round.date,
                          awardCount[index * DistrictStory.programmeCount + round.programme] == 0 else { continue }
                }
                candidates.append(Int32(index))
            }
            var remaining = round.poolFen
            var drawn = 0
            // Late awards have no time left to be amended or revoked within the period.
            let amendable = round.date <= calendar.end.adding(days: -60)
            let revocable = round.date <= calendar.end.adding(days: -240)
            while remaining >= programme.awardFen.lowerBound && drawn < candidates.count {
                candidates.swapAt(drawn, generator.integer(in: drawn...(candidates.count - 1)))
                let enterprise = Int(candidates[drawn])
                drawn += 1
                let room = capRoom(enterprise, round.programme)
                let highest = min(programme.awardFen.upperBound, room / step * step)
                var amount = generator.amount(in: programme.awardFen.lowerBound...highest, step: step)
                var fate = GrantFate.plain
                var finalFen = amount
                let roll = generator.integer(in: 0...999)
                if revocable && roll < 20 {
                    fate = .revoked
                } else if amendable && roll < 50 {
                    // Cut after a review (most often) or raised for a larger scope, before any payment.
                    if generator.chance(perMille: 700) {
                        finalFen = max(programme.awardFen.lowerBound, amount * Int64(generator.integer(in: 70...90)) / 100 / step * step)
                    } else {
                        finalFen = amount + (amount * Int64(generator.integer(in: 10...20)) / 100 + step - 1) / step * step
                    }
                    if finalFen != amount && finalFen <= room && finalFen <= remaining { fate = .amended } else { finalFen = amount }
                }
                if fate == .plain {
                    amount = min(amount, remaining)
                    let rest = remaining - amount
                    if rest > 0 && rest < programme.awardFen.lowerBound && remaining <= highest { amount = remaining }
                    guard amount >= programme.awardFen.lowerBound else { continue }
                    finalFen = amount
                }
                if fate != .revoked { remaining -= finalFen }
                addRoundGrant(round, enterprise: enterprise, originalFen: amount, finalFen: finalFen, fate: fate,
                              generator: &generator)
            }
        }
    }

    private mutating func addRoundGrant(_ round: AwardRound, enterprise: Int, originalFen: Int64, finalFen: Int64,
                                        fate: GrantFate, generator: inout SeededGenerator) {
        let project = nextProject(enterprise, round.programme)
        var grant = PlanGrant(
            enterprise: Int32(enterprise), programme: round.programme, awarded: round.date,
            originalFen: originalFen, finalFen: finalFen, fate: fate, product: project.product,
            template: project.template, quantity: generator.integer(in: 1...50), document: round.document)
        grant.revoked = fate == .revoked
        plan.grants.append(grant)
        useCap(enterprise, round.programme, max(originalFen, finalFen), year: round.year)
    }

    /// The sum of awards as they stand (amended amounts, revoked awards excluded).
    var currentAwardsFen: Int64 {
        plan.grants.reduce(0) { $0 + ($1.revoked ? 0 : $1.finalFen) }
    }

    /// Brings the awards to the target exactly by raising or trimming plain awards, latest first,
    /// within their programme's range and cap. What cannot be placed is left (small stories only).
    mutating func calibrateAwards() {
        var difference = targetFen - currentAwardsFen
        var index = plan.grants.count - 1
        while difference != 0 && index >= 0 {
            defer { index -= 1 }
            let grant = plan.grants[index]
            guard grant.fate == .plain else { continue }
            let programme = ProgrammeCatalogue.programmes[grant.programme]
            let change: Int64
            if difference > 0 {
                let room = min(programme.awardFen.upperBound - grant.originalFen, capRoom(Int(grant.enterprise), grant.programme))
                change = min(difference, max(0, room))
            } else {
                change = -min(-difference, grant.originalFen - programme.awardFen.lowerBound)
            }
            guard change != 0 else { continue }
            plan.grants[index].originalFen += change
            plan.grants[index].finalFen += change
            capUsedFen[Int(grant.enterprise) * DistrictStory.programmeCount + grant.programme] += change
            difference -= change
        }
    }
}
