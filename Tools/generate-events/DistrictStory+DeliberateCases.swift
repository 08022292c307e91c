import IncentivesDomain
import LedgerLog

/// The enterprises whose stories carry the deliberate findings. They are the first enterprises
/// of the list, enrol early, keep scripted scores, and take part in no random round.
enum ScriptedRole: Int, CaseIterable {
    case correction, retraction, belowTier, capBreach, overPayment, paymentAfterDeregistration
    case revokedToRecover, duplicateAward, lateRecord, badCheckDigit

    /// Scores that keep each enterprise in one tier, except the one that rises to high-tech in the report year.
    func score(year: Int, annual: Bool, calendar: StoryCalendar) -> Int {
        let drift = min(year - calendar.firstYear, 3)
        switch self {
        case .correction: return 78 + drift
        case .retraction: return 60 + drift
        case .belowTier: return annual && year >= calendar.reportYear ? 74 + min(year - calendar.reportYear, 3) : 58 + drift
        case .capBreach: return 62 + drift
        case .overPayment: return 55 + drift
        case .paymentAfterDeregistration: return 40 + drift
        case .revokedToRecover: return 76 + drift
        case .duplicateAward: return 63 + drift
        case .lateRecord: return 35 + drift
        case .badCheckDigit: return 45 + drift
        }
    }

    func deregistration(_ calendar: StoryCalendar) -> CalendarDate? {
        self == .paymentAfterDeregistration ? StoryCalendar.workday(onOrBefore: calendar.date(calendar.lastYear, 3, 31)) : nil
    }
}

/// A deliberate finding for the auditors: which rule, and the events that make it.
struct DeliberateCase {
    let letter: Character
    let title: String
    /// What happened, in words: a function because grant ids are known only once every grant is numbered.
    let describe: (StoryPlan) -> String
    let events: [Int32]
}

extension DistrictStory {
    /// The day the report year's figures are published: corrections recorded after it restate them.
    var reportDate: CalendarDate { calendar.date(calendar.lastYear, 1, 15) }

    private static let yuan = ProgrammeCatalogue.yuan

    /// Plans the cases (a)–(h), (j) and (k); the budget shortfall (i) is planned with the budgets.
    mutating func planDeliberateCases() {
        var generator = generator(.cases)
        let report = calendar.reportYear
        let reportDate = self.reportDate
        let yuan = DistrictStory.yuan
        let sme = ProgrammeCatalogue.sme, highTech = ProgrammeCatalogue.highTech, startup = ProgrammeCatalogue.startup

        // (a) A back-dated correction: effective in the report year, recorded after its figures were published.
        do {
            let enterprise = ScriptedRole.correction.rawValue
            let grant = addScriptedGrant(enterprise, highTech, round: round(highTech, report, 0), originalFen: 1_200_000 * yuan,
                                         finalFen: 950_000 * yuan, generator: &generator)
            var last = grant.recorded
            addPayment(grant.index, date: workday(plan.grants[grant.index].awarded, plus: 40), amountFen: 500_000 * yuan,
                       lagDays: 1...8, last: &last, generator: &generator)
            let effective = StoryCalendar.workday(onOrBefore: calendar.date(report, 12, 20))
            let recordedDay = StoryCalendar.workday(onOrAfter: calendar.date(calendar.lastYear, 2, 10))
            last = max(last + 60, moment(recordedDay, second: generator.officeSecond()))
            let amendment = plan.add(.grantAmended, effective: effective, recorded: last, subject: grant.index,
                                     amount: 950_000 * yuan, document: plan.document(.technologyBureau, effective))
            addPayment(grant.index, date: StoryCalendar.workday(onOrAfter: calendar.date(calendar.lastYear, 3, 20)),
                       amountFen: 450_000 * yuan, lagDays: 1...8, last: &last, generator: &generator)
            plan.cases.append(DeliberateCase(
                letter: "a", title: "back-dated correction (restates the report year)",
                describe: { plan in "grant \(plan.grants[grant.index].id): awarded 1,200,000.00 yuan; amended to 950,000.00 yuan effective \(effective), recorded \(recordedDay), after the \(report) figures were published on \(reportDate)" },
                events: [grant.sequence, amendment]))
        }

        // (b) A retraction: a payment recorded with the wrong amount, withdrawn and recorded again under a new id.
        do {
            let enterprise = ScriptedRole.retraction.rawValue
            let grant = addScriptedGrant(enterprise, sme, round: round(sme, report, 0), originalFen: 600_000 * yuan,
                                         finalFen: 600_000 * yuan, generator: &generator)
            var last = grant.recorded
            let paid = workday(plan.grants[grant.index].awarded, plus: 45)
            let voucher = plan.document(.treasury, paid)
            let wrong = addPayment(grant.index, date: paid, amountFen: 360_000 * yuan, lagDays: 2...4, last: &last,
                                   generator: &generator, document: voucher)
            let retractionDay = workday(dateOf(moment: last), plus: 6)
            last = max(last + 60, moment(retractionDay, second: generator.officeSecond()))
            let reason = plan.text("拨付金额录入错误：登记为360,000.00元，支付凭证金额为300,000.00元；撤回后按凭证重新登记")
            let retraction = plan.add(.eventRetracted, effective: retractionDay, recorded: last, subject: Int(wrong),
                                      amount: Int64(EventKind.grantDisbursed.rawValue), detail: reason)
            last += Int64(generator.integer(in: 60...600))
            let corrected = plan.add(.grantDisbursed, effective: paid, recorded: last, subject: grant.index,
                                     amount: 300_000 * yuan, document: voucher)
            addPayment(grant.index, date: StoryCalendar.workday(onOrAfter: calendar.date(report, 12, 10)),
                       amountFen: 300_000 * yuan, lagDays: 1...8, last: &last, generator: &generator)
            plan.cases.append(DeliberateCase(
                letter: "b", title: "retraction and re-recording",
                describe: { plan in "grant \(plan.grants[grant.index].id): payment of \(paid) recorded as 360,000.00 yuan, retracted, and recorded again as 300,000.00 yuan" },
                events: [wrong, retraction, corrected]))
        }

        // (c) An award to an enterprise below the programme's minimum tier on the award date.
        do {
            let enterprise = ScriptedRole.belowTier.rawValue
            guard let promotion = plan.enterprises[enterprise].steps.first(where: { $0.tier == .highTech }) else {
                preconditionFailure("the below-tier enterprise is promoted to high-tech in the report year")
            }
            let date = StoryCalendar.workday(onOrBefore: promotion.date.adding(days: -50))
            let grant = addScriptedGrant(enterprise, highTech, date: date, document: plan.document(.technologyBureau, date),
                                         originalFen: 800_000 * yuan, finalFen: 800_000 * yuan, generator: &generator)
            var last = grant.recorded
            let first = workday(date, plus: 40)
            addPayment(grant.index, date: first, amountFen: 400_000 * yuan, lagDays: 1...8, last: &last, generator: &generator)
            addPayment(grant.index, date: workday(first, plus: 120), amountFen: 400_000 * yuan, lagDays: 1...8,
                       last: &last, generator: &generator)
            plan.cases.append(DeliberateCase(
                letter: "c", title: "award below the programme's minimum tier",
                describe: { plan in "grant \(plan.grants[grant.index].id) under YZ-HIGHTECH (minTier high-tech) on \(date); the enterprise is sme then, high-tech only from \(promotion.date)" },
                events: [grant.sequence]))
        }

        // (d) A cap breach: two awards within the cap years that together exceed the cap.
        do {
            let enterprise = ScriptedRole.capBreach.rawValue
            var sequences: [Int32] = []
            var indexes: [Int] = []
            for (year, amount) in [(report - 1, 600_000 * yuan), (report, 550_000 * yuan)] {
                let grant = addScriptedGrant(enterprise, sme, round: round(sme, year, 1), originalFen: amount, finalFen: amount,
                                             generator: &generator)
                var last = grant.recorded
                let first = workday(plan.grants[grant.index].awarded, plus: 40)
                addPayment(grant.index, date: first, amountFen: amount / 2, lagDays: 1...8, last: &last, generator: &generator)
                addPayment(grant.index, date: workday(first, plus: 110), amountFen: amount - amount / 2, lagDays: 1...8,
                           last: &last, generator: &generator)
                sequences.append(grant.sequence)
                indexes.append(grant.index)
            }
            plan.cases.append(DeliberateCase(
                letter: "d", title: "cap breach",
                describe: { plan in "grants \(plan.grants[indexes[0]].id) and \(plan.grants[indexes[1]].id) under YZ-SME (cap 1,000,000.00 yuan over 3 years) to one enterprise: 1,150,000.00 yuan within a year" },
                events: sequences))
        }

        // (e) An over-payment: payments exceed the award, nothing recovered.
        do {
            let enterprise = ScriptedRole.overPayment.rawValue
            let grant = addScriptedGrant(enterprise, sme, round: round(sme, report, 0), originalFen: 500_000 * yuan,
                                         finalFen: 500_000 * yuan, generator: &generator)
            var last = grant.recorded
            let first = workday(plan.grants[grant.index].awarded, plus: 45)
            let one = addPayment(grant.index, date: first, amountFen: 250_000 * yuan, lagDays: 1...8, last: &last,
                                 generator: &generator)
            let two = addPayment(grant.index, date: workday(first, plus: 120), amountFen: 300_000 * yuan, lagDays: 1...8,
                                 last: &last, generator: &generator)
            plan.cases.append(DeliberateCase(
                letter: "e", title: "over-payment",
                describe: { plan in "grant \(plan.grants[grant.index].id): awarded 500,000.00 yuan, paid 550,000.00 yuan, nothing recovered" },
                events: [grant.sequence, one, two]))
        }

        // (f) A payment effective after the enterprise left the plan.
        do {
            let enterprise = ScriptedRole.paymentAfterDeregistration.rawValue
            let grant = addScriptedGrant(enterprise, startup, round: round(startup, report, 0), originalFen: 300_000 * yuan,
                                         finalFen: 300_000 * yuan, generator: &generator)
            var last = grant.recorded
            addPayment(grant.index, date: workday(plan.grants[grant.index].awarded, plus: 45), amountFen: 150_000 * yuan,
                       lagDays: 1...8, last: &last, generator: &generator)
            let late = StoryCalendar.workday(onOrAfter: calendar.date(calendar.lastYear, 5, 12))
            let payment = addPayment(grant.index, date: late, amountFen: 150_000 * yuan, lagDays: 1...8, last: &last,
                                     generator: &generator)
            let deregistered = plan.enterprises[enterprise].deregistered!
            plan.cases.append(DeliberateCase(
                letter: "f", title: "payment after deregistration",
                describe: { plan in "grant \(plan.grants[grant.index].id): 150,000.00 yuan paid on \(late); the enterprise was deregistered on \(deregistered)" },
                events: [plan.enterprises[enterprise].deregisteredEvent, payment]))
        }

        // (g) A revoked grant with money still to recover.
        do {
            let enterprise = ScriptedRole.revokedToRecover.rawValue
            let grant = addScriptedGrant(enterprise, highTech, round: round(highTech, report - 1, 1),
                                         originalFen: 1_000_000 * yuan, finalFen: 1_000_000 * yuan, generator: &generator)
            plan.grants[grant.index].revoked = true
            var last = grant.recorded
            let payment = addPayment(grant.index, date: workday(plan.grants[grant.index].awarded, plus: 40),
                                     amountFen: 500_000 * yuan, lagDays: 1...8, last: &last, generator: &generator)
            let revoked = StoryCalendar.workday(onOrAfter: calendar.date(calendar.lastYear, 5, 15))
            let revocation = addRevocation(grant.index, date: revoked, reason: 0, last: &last, generator: &generator)
            let recovery = addRecovery(grant.index, date: StoryCalendar.workday(onOrAfter: calendar.date(calendar.lastYear, 7, 10)),
                                       amountFen: 200_000 * yuan, last: &last, generator: &generator)
            plan.cases.append(DeliberateCase(
                letter: "g", title: "revoked grant with money still to recover",
                describe: { plan in "grant \(plan.grants[grant.index].id): paid 500,000.00 yuan, revoked on \(revoked), 200,000.00 yuan recovered, 300,000.00 yuan outstanding" },
                events: [grant.sequence, payment, revocation, recovery]))
        }

        // (h) A duplicate award: the same project spelled with different case and spaces.
        do {
            let enterprise = ScriptedRole.duplicateAward.rawValue
            let products = NamePools.sectors[plan.enterprises[enterprise].sector].products
            let product = products.firstIndex(where: { $0.unicodeScalars.contains(where: { $0.isASCII && $0.properties.isUppercase }) })!
            let first = addScriptedGrant(enterprise, sme, round: round(sme, report - 1, 0), originalFen: 300_000 * yuan,
                                         finalFen: 300_000 * yuan, product: product, generator: &generator)
            let spelling = DistrictStory.respelled(plan.project(of: plan.grants[first.index]))
            let secondDate = workday(plan.grants[first.index].awarded, plus: 14)
            let second = addScriptedGrant(enterprise, sme, date: secondDate, document: plan.document(.technologyBureau, secondDate),
                                          originalFen: 300_000 * yuan, finalFen: 300_000 * yuan, product: product,
                                          generator: &generator)
            plan.grants[second.index].projectOverride = spelling
            var last = first.recorded
            let paid = workday(plan.grants[first.index].awarded, plus: 40)
            addPayment(first.index, date: paid, amountFen: 150_000 * yuan, lagDays: 1...8, last: &last, generator: &generator)
            addPayment(first.index, date: workday(paid, plus: 120), amountFen: 150_000 * yuan, lagDays: 1...8, last: &last,
                       generator: &generator)
            last = second.recorded
            addPayment(second.index, date: workday(secondDate, plus: 45), amountFen: 150_000 * yuan, lagDays: 1...8,
                       last: &last, generator: &generator)
            plan.cases.append(DeliberateCase(
                letter: "h", title: "duplicate award",
                describe: { plan in "grants \(plan.grants[first.index].id) and \(plan.grants[second.index].id) to one enterprise under YZ-SME for \"\(plan.project(of: plan.grants[first.index]))\" and \"\(spelling)\"" },
                events: [first.sequence, second.sequence]))
        }

        // (j) A payment recorded more than 90 days after it took effect.
        do {
            let enterprise = ScriptedRole.lateRecord.rawValue
            let grant = addScriptedGrant(enterprise, startup, round: round(startup, report, 0), originalFen: 200_000 * yuan,
                                         finalFen: 200_000 * yuan, generator: &generator)
            let paid = workday(plan.grants[grant.index].awarded, plus: 30)
            let recordedDay = workday(paid, plus: 105)
            let recorded = max(grant.recorded + 60, moment(recordedDay, second: generator.officeSecond()))
            let payment = plan.add(.grantDisbursed, effective: paid, recorded: recorded, subject: grant.index,
                                   amount: 200_000 * yuan, document: plan.document(.treasury, paid))
            plan.cases.append(DeliberateCase(
                letter: "j", title: "recorded more than 90 days after its effective date",
                describe: { plan in "grant \(plan.grants[grant.index].id): payment effective \(paid), recorded \(recordedDay) (\(recordedDay.days(since: paid)) days later)" },
                events: [payment]))
        }

        // (k) A credit code whose check character fails (registration accepts it; the audit flags it).
        let enterprise = plan.enterprises[ScriptedRole.badCheckDigit.rawValue]
        plan.cases.append(DeliberateCase(
            letter: "k", title: "credit code with a failing check character",
            describe: { _ in "enterprise \(enterprise.code) \(enterprise.name)" }, events: [enterprise.registeredEvent]))
    }

    func workday(_ date: CalendarDate, plus days: Int) -> CalendarDate {
        StoryCalendar.workday(onOrAfter: date.adding(days: days))
    }

    /// The same title with its Latin letters in lower case and set apart by spaces.
    static func respelled(_ title: String) -> String {
        var result = String.UnicodeScalarView()
        var inLatin = false
        for scalar in title.unicodeScalars {
            let letter = scalar.isASCII && scalar.properties.isAlphabetic
            if letter != inLatin && !result.isEmpty { result.append(" ") }
            inLatin = letter
            result.append(letter ? Unicode.Scalar(UInt8(scalar.value) | 0x20) : scalar)
        }
        return String(result)
    }

    private mutating func addScriptedGrant(_ enterprise: Int, _ programme: Int, round: AwardRound, originalFen: Int64,
                                           finalFen: Int64, product: Int? = nil,
                                           generator: inout SeededGenerator) -> (index: Int, sequence: Int32, recorded: Int64) {
        addScriptedGrant(enterprise, programme, date: round.date, document: round.document, originalFen: originalFen,
                         finalFen: finalFen, product: product, generator: &generator)
    }

    private mutating func addScriptedGrant(_ enterprise: Int, _ programme: Int, date: CalendarDate, document: Int32,
                                           originalFen: Int64, finalFen: Int64, product: Int? = nil,
                                           generator: inout SeededGenerator) -> (index: Int, sequence: Int32, recorded: Int64) {
        let project = nextProject(enterprise, programme)
        let grant = PlanGrant(
            enterprise: Int32(enterprise), programme: programme, awarded: date, originalFen: originalFen, finalFen: finalFen,
            fate: .scripted, product: product ?? project.product, template: product == nil ? project.template : 0,
            quantity: generator.integer(in: 1...50), document: document)
        plan.grants.append(grant)
        let index = plan.grants.count - 1
        useCap(enterprise, programme, max(originalFen, finalFen), year: date.year)
        let award = addAward(index, lagDays: 1...8, generator: &generator)
        return (index, award.sequence, award.recorded)
    }
}
