import IncentivesDomain
import LedgerLog

/// What happens to each awarded grant: payment in tranches, an amendment before the first
/// payment, or revocation with the paid money recovered in full. Payments never exceed what is
/// awarded, fall within the period, and stop before an enterprise leaves the plan.
extension DistrictStory {
    mutating func planGrantTimelines() {
        for index in plan.grants.indices where plan.grants[index].fate != .scripted {
            var generator = generator(.grantTimeline, index)
            var last = addAward(index, lagDays: 1...10, generator: &generator).recorded
            let grant = plan.grants[index]
            switch grant.fate {
            case .plain:
                planTranches(index, totalFen: grant.finalFen, after: grant.awarded, last: &last, generator: &generator)
            case .amended:
                let date = StoryCalendar.workday(onOrAfter: grant.awarded.adding(days: generator.integer(in: 15...45)))
                last = recordedTime(after: date, lagDays: 1...8, floor: last, generator: &generator)
                plan.add(.grantAmended, effective: date, recorded: last, subject: index, amount: grant.finalFen,
                         document: plan.document(.technologyBureau, date))
                planTranches(index, totalFen: grant.finalFen, after: date, last: &last, generator: &generator)
            case .revoked:
                planRevocation(index, last: &last, generator: &generator)
            case .scripted:
                preconditionFailure("scripted grants plan their own events")
            }
        }
    }

    /// The award event, recorded after the enterprise's registration and the programme's establishment.
    mutating func addAward(_ index: Int, lagDays: ClosedRange<Int>,
                           generator: inout SeededGenerator) -> (sequence: Int32, recorded: Int64) {
        let grant = plan.grants[index]
        let floor = max(plan.enterprises[Int(grant.enterprise)].enrolledRecorded,
                        programmeEstablishedRecorded[grant.programme])
        let recorded = recordedTime(after: grant.awarded, lagDays: lagDays, floor: floor, generator: &generator)
        let sequence = plan.add(.grantAwarded, effective: grant.awarded, recorded: recorded, subject: index,
                                amount: grant.originalFen, document: grant.document)
        return (sequence, recorded)
    }

    /// One, two or three tranches that add up to `totalFen`, the first 25–70 days after `after`.
    /// Tranches that would fall after the period (or after the enterprise leaves) are not paid yet.
    private mutating func planTranches(_ index: Int, totalFen: Int64, after: CalendarDate, last: inout Int64,
                                       generator: inout SeededGenerator) {
        let roll = generator.integer(in: 0...999)
        var parts: [Int64]
        let hundredYuan = 100 * ProgrammeCatalogue.yuan
        switch roll {
        case ..<250:
            parts = [totalFen]
        case ..<700:
            let first = totalFen * Int64(generator.integer(in: 50...70)) / 100 / hundredYuan * hundredYuan
            parts = [first, totalFen - first]
        default:
            let first = totalFen * Int64(generator.integer(in: 35...45)) / 100 / hundredYuan * hundredYuan
            let second = totalFen * Int64(generator.integer(in: 25...35)) / 100 / hundredYuan * hundredYuan
            parts = [first, second, totalFen - first - second]
        }
        let enterprise = plan.enterprises[Int(plan.grants[index].enterprise)]
        var date = StoryCalendar.workday(onOrAfter: after.adding(days: generator.integer(in: 25...70)))
        for part in parts where part > 0 {
            guard date <= calendar.end, enterprise.deregistered.map({ date <= $0.adding(days: -7) }) ?? true else { break }
            addPayment(index, date: date, amountFen: part, lagDays: 1...8, last: &last, generator: &generator)
            date = StoryCalendar.workday(onOrAfter: date.adding(days: generator.integer(in: 90...200)))
        }
    }

    @discardableResult
    mutating func addPayment(_ index: Int, date: CalendarDate, amountFen: Int64, lagDays: ClosedRange<Int>,
                             last: inout Int64, generator: inout SeededGenerator, document: Int32? = nil) -> Int32 {
        last = recordedTime(after: date, lagDays: lagDays, floor: last, generator: &generator)
        return plan.add(.grantDisbursed, effective: date, recorded: last, subject: index, amount: amountFen,
                        document: document ?? plan.document(.treasury, date))
    }

    @discardableResult
    mutating func addRecovery(_ index: Int, date: CalendarDate, amountFen: Int64, last: inout Int64,
                              generator: inout SeededGenerator) -> Int32 {
        last = recordedTime(after: date, lagDays: 1...10, floor: last, generator: &generator)
        return plan.add(.grantRecovered, effective: date, recorded: last, subject: index, amount: amountFen,
                        document: plan.document(.recovery, date))
    }

    @discardableResult
    mutating func addRevocation(_ index: Int, date: CalendarDate, reason: Int, last: inout Int64,
                                generator: inout SeededGenerator) -> Int32 {
        last = recordedTime(after: date, lagDays: 1...8, floor: last, generator: &generator)
        return plan.add(.grantRevoked, effective: date, recorded: last, subject: index, detail: reason,
                        document: plan.document(.technologyBureau, date))
    }

    /// Revoked 100 days or more after the award; whatever was paid comes back in one or two
    /// instalments within the period, so nothing is left to recover.
    private mutating func planRevocation(_ index: Int, last: inout Int64, generator: inout SeededGenerator) {
        let grant = plan.grants[index]
        let latest = calendar.end.adding(days: -130)
        var paidFen: Int64 = 0
        var earliest = grant.awarded.adding(days: 100)
        precondition(earliest <= latest, "revocable awards leave time to revoke and recover")
        if generator.chance(perMille: 600) {
            let date = StoryCalendar.workday(onOrAfter: grant.awarded.adding(days: generator.integer(in: 25...70)))
            paidFen = grant.originalFen * Int64(generator.integer(in: 40...60)) / 100 / (100 * ProgrammeCatalogue.yuan) * (100 * ProgrammeCatalogue.yuan)
            addPayment(index, date: date, amountFen: paidFen, lagDays: 1...8, last: &last, generator: &generator)
            earliest = max(earliest, date.adding(days: 20))
        }
        let revoked = StoryCalendar.workday(onOrAfter: earliest.adding(days: generator.integer(in: 0...max(0, latest.days(since: earliest)))))
        addRevocation(index, date: revoked, reason: generator.integer(in: 0...(NamePools.revocationReasons.count - 1)),
                      last: &last, generator: &generator)
        guard paidFen > 0 else { return }
        var date = StoryCalendar.workday(onOrAfter: revoked.adding(days: generator.integer(in: 20...60)))
        if generator.chance(perMille: 500) {
            let first = paidFen / 2 / (100 * ProgrammeCatalogue.yuan) * (100 * ProgrammeCatalogue.yuan)
            addRecovery(index, date: date, amountFen: first, last: &last, generator: &generator)
            date = StoryCalendar.workday(onOrAfter: date.adding(days: generator.integer(in: 30...60)))
            addRecovery(index, date: date, amountFen: paidFen - first, last: &last, generator: &generator)
        } else {
            addRecovery(index, date: date, amountFen: paidFen, last: &last, generator: &generator)
        }
    }
}
