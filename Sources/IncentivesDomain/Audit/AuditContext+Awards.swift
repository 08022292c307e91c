import LedgerLog

extension AuditContext {
    /// Every grant not revoked in the window, in replay order of the awards. A revoked grant's
    /// award counts for nothing: it is withdrawn, and any money still out on it is
    /// `unrecovered-revocation`'s concern.
    func liveAwards() -> [LiveAward] {
        // Sized once: grown by doubling, the array of ten million events' awards would pass
        // through twice its size, at the audit's peak of memory.
        var awards: [LiveAward] = []
        awards.reserveCapacity(replay.awardEvents.count)
        // The awards come in replay order, their grants' states anywhere in a table of a million:
        // the state of an award further on is asked for while this one is read.
        let events = ledger.events, grants = models.grants, awardEvents = replay.awardEvents
        for (place, event) in awardEvents.enumerated() {
            if place + AuditContext.lookahead < awardEvents.count {
                grants.prefetch(events.subject(at: awardEvents[place + AuditContext.lookahead].offset))
            }
            let grant = GrantIndex(offset: events.subject(at: event.offset))
            // A grant awarded again keeps only the award its state names.
            guard let state = grants[grant], state.awardEvent == event, state.revoked == nil else { continue }
            precondition(awards.count < Int(Int32.max), "awards are counted in 31 bits")
            awards.append(LiveAward(
                grant: grant, programme: state.programme, enterprise: state.enterprise, awarded: state.awarded,
                year: Int32(state.awarded.year), order: Int32(awards.count), amountFen: state.awardedFen))
        }
        return awards
    }

    /// The state of a live award's grant: what a finding names beyond the sort keys.
    func state(of award: LiveAward) -> GrantState {
        guard let state = models.grants[award.grant] else { preconditionFailure("a live award's grant has a state") }
        return state
    }

    /// The rules over the live awards (`checkAwardDates`, `checkAwardGroups`, `checkBudgets`).
    static let awardRules: [AuditRule] = [.tierBelowMinimum, .capExceeded, .duplicateAward, .afterDeregistration, .budgetExceeded]

    /// Whether any rule over the live awards is asked for.
    var runsAwardRules: Bool { AuditContext.awardRules.contains { runs($0) } }

    /// The rules that hold each live award (`liveAwards()`, given) against its enterprise's
    /// state on its date: `tier-below-minimum`, `after-deregistration`.
    mutating func checkAwardDates(_ awards: [LiveAward]) {
        let tier = runs(.tierBelowMinimum), deregistration = runs(.afterDeregistration)
        guard tier || deregistration else { return }
        // The awards come in replay order, their enterprises anywhere in a table of a million
        // states: the state a few awards ahead is asked for while this one is checked.
        // Read once: a mutating method reading `models` per award copies them each time.
        let models = self.models, lookahead = AuditContext.lookahead
        for (place, award) in awards.enumerated() {
            // The tier changes lie elsewhere again: asked for once the state is in.
            models.anticipateTier(far: place + lookahead < awards.count ? awards[place + lookahead].enterprise : nil,
                                  near: tier && place + lookahead / 2 < awards.count ? awards[place + lookahead / 2].enterprise : nil)
            if tier { checkTier(award) }
            if deregistration { checkDeregistration(award) }
        }
    }

    /// The rules over the live awards (`liveAwards()`, given) of one programme to one
    /// enterprise: `cap-exceeded`, `duplicate-award`.
    mutating func checkAwardGroups(_ awards: [LiveAward]) {
        let cap = runs(.capExceeded), duplicate = runs(.duplicateAward)
        guard cap || duplicate else { return }
        var normalised = ProjectNames()
        // Reused from group to group: at ten million events there are a million groups, most of
        // one award, and an array made for each was most of these rules' time.
        var prefixFen: [Int128] = []
        var seen: [(key: PlainIndex, award: LiveAward)] = []
        // The groups come programme by programme: its state is taken once for all of them.
        var current: (index: ProgrammeIndex, state: ProgrammeState?)? = nil
        let byEnterprise = AuditContext.sorted(awards, by: .programmeAndEnterprise)
        func sameGroup(_ left: LiveAward, _ right: LiveAward) -> Bool {
            left.programme == right.programme && left.enterprise == right.enterprise
        }
        // The duplicates read each award's grant state (its project) for groups of more than one
        // award, and those states lie anywhere in a table of a million: asked for this far ahead.
        let grants = models.grants
        var asked = 0
        AuditContext.forEachGroup(byEnterprise, sameGroup: sameGroup) { group in
            let index = group.first!.programme
            if duplicate {
                let until = min(group.endIndex + AuditContext.lookahead * 2, byEnterprise.count)
                while asked < until {
                    if asked > 0 && sameGroup(byEnterprise[asked - 1], byEnterprise[asked])
                        || asked + 1 < byEnterprise.count && sameGroup(byEnterprise[asked], byEnterprise[asked + 1]) {
                        grants.prefetch(byEnterprise[asked].grant.offset)
                    }
                    asked += 1
                }
            }
            if current?.index != index { current = (index, models.programmes[index]) }
            if cap, let programme = current?.state { checkCap(group, programme: programme, prefixFen: &prefixFen) }
            if duplicate { checkDuplicates(group, names: &normalised, seen: &seen) }
        }
    }

    /// `budget-exceeded` over the live awards sorted by programme and year
    /// (`sorted(_:by: .programmeAndYear)`, given).
    mutating func checkBudgets(_ awardsByYear: [LiveAward]) {
        guard runs(.budgetExceeded) else { return }
        AuditContext.forEachGroup(awardsByYear, sameGroup: { $0.programme == $1.programme && $0.year == $1.year }) { group in
            checkBudget(group)
        }
    }

    /// What awards are grouped by, before their replay order (`LiveAward.order`).
    enum AwardGrouping: Sendable {
        case programmeAndEnterprise, programmeAndYear
    }

    /// `awards` (as `liveAwards` gives them: each one's `order` its position) in the order of
    /// (programme, `grouping`'s second key, order): two stable counting sorts, the second key's
    /// then the programme's, rather than sorts that compare through a closure (at ten million
    /// events, two of those over 1.3 million awards were a tenth of an append's time). The first
    /// moves each award's programme and position packed in 8 bytes (not the award's 32: two sorted
    /// copies of the awards side by side were the audit's peak of memory), reading the awards in
    /// order; the second places the awards themselves. Keys spanning more values than a count
    /// may hold (a log written by hand) are sorted by comparison instead.
    static func sorted(_ awards: [LiveAward], by grouping: AwardGrouping) -> [LiveAward] {
        precondition(awards.count < Int(Int32.max), "awards are counted in 31 bits")
        guard let first = awards.first, awards.count > 1 else { return awards }
        func second(_ award: LiveAward) -> Int32 {
            grouping == .programmeAndEnterprise ? award.enterprise.rawValue : award.year
        }
        var lowestSecond = second(first), highestSecond = lowestSecond
        var lowestProgramme = first.programme.rawValue, highestProgramme = lowestProgramme
        for award in awards {
            lowestSecond = min(lowestSecond, second(award))
            highestSecond = max(highestSecond, second(award))
            lowestProgramme = min(lowestProgramme, award.programme.rawValue)
            highestProgramme = max(highestProgramme, award.programme.rawValue)
        }
        let secondSpan = Int(highestSecond) - Int(lowestSecond) + 1
        let programmeSpan = Int(highestProgramme) - Int(lowestProgramme) + 1
        let countable = max(4 * awards.count, 1 << 16)
        guard secondSpan <= countable, programmeSpan <= countable else {
            return awards.sorted { precedes($0, $1, grouping) }
        }
        // By the second key: each award's programme (from the lowest) and position, packed.
        var starts = [Int](repeating: 0, count: secondSpan + 1)
        for award in awards { starts[Int(second(award)) - Int(lowestSecond) + 1] += 1 }
        for value in 0..<secondSpan { starts[value + 1] += starts[value] }
        var packed = [UInt64](repeating: 0, count: awards.count)
        for (position, award) in awards.enumerated() {
            let value = Int(second(award)) - Int(lowestSecond)
            packed[starts[value]] = UInt64(award.programme.rawValue - lowestProgramme) << 32 | UInt64(position)
            starts[value] += 1
        }
        // Then by programme, stably: the awards themselves placed.
        var programmeStarts = [Int](repeating: 0, count: programmeSpan + 1)
        for award in awards { programmeStarts[Int(award.programme.rawValue - lowestProgramme) + 1] += 1 }
        for value in 0..<programmeSpan { programmeStarts[value + 1] += programmeStarts[value] }
        var sorted = [LiveAward](repeating: first, count: awards.count)
        for entry in packed {
            let programme = Int(entry >> 32)
            sorted[programmeStarts[programme]] = awards[Int(entry & 0xFFFF_FFFF)]
            programmeStarts[programme] += 1
        }
        assert(zip(sorted, sorted.dropFirst()).allSatisfy { precedes($0, $1, grouping) }, "sorted by (programme, key, order)")
        return sorted
    }

    /// The order the sorts give, as comparisons: a total order, since `order` is unique.
    static func precedes(_ left: LiveAward, _ right: LiveAward, _ grouping: AwardGrouping) -> Bool {
        switch grouping {
        case .programmeAndEnterprise:
            return (left.programme, left.enterprise, left.order) < (right.programme, right.enterprise, right.order)
        case .programmeAndYear:
            return (left.programme, left.year, left.order) < (right.programme, right.year, right.order)
        }
    }

    /// Calls `body` with each run of consecutive awards that `sameGroup` puts together.
    static func forEachGroup(_ awards: [LiveAward], sameGroup: (LiveAward, LiveAward) -> Bool,
                      _ body: (ArraySlice<LiveAward>) -> Void) {
        var start = 0
        while start < awards.count {
            var end = start + 1
            while end < awards.count, sameGroup(awards[start], awards[end]) { end += 1 }
            body(awards[start..<end])
            start = end
        }
    }

    mutating func checkTier(_ award: LiveAward) {
        guard let programme = models.programmes[award.programme],
              let minimum = programme.terms(on: award.awarded).minTier else { return }
        let tier = models.enterprises[award.enterprise]?.tier(on: award.awarded) ?? .none
        guard tier < minimum else { return }
        add(.tierBelowMinimum, subject: grantId(award.grant), event: state(of: award).awardEvent, effective: award.awarded,
            "grant \(grantId(award.grant)) of \(money(award.amountFen)) to \(enterpriseCode(award.enterprise)) under programme \(programmeId(award.programme)) was awarded on \(award.awarded) while the enterprise was tier \(tier); the programme requires at least \(minimum) on that date")
    }

    mutating func checkDeregistration(_ award: LiveAward) {
        guard let deregistered = models.enterprises[award.enterprise]?.deregistered,
              award.awarded > deregistered else { return }
        add(.afterDeregistration, subject: grantId(award.grant), event: state(of: award).awardEvent, effective: award.awarded,
            "grant \(grantId(award.grant)) of \(money(award.amountFen)) under programme \(programmeId(award.programme)) was awarded on \(award.awarded) to \(enterpriseCode(award.enterprise)), which was deregistered on \(deregistered)")
    }

    /// Awards of one programme (`programme`) to one enterprise, in replay order: each award
    /// against the cap in force on its date, over the awards of the cap's years up to it. Prefix
    /// sums (in `prefixFen`, the caller's, reused) and a binary search for each window's first
    /// award keep this linear-logarithmic even when the rules change.
    mutating func checkCap(_ group: ArraySlice<LiveAward>, programme: ProgrammeState, prefixFen: inout [Int128]) {
        // Sums in 128 bits: no log can overflow them (`FenTotal`).
        prefixFen.removeAll(keepingCapacity: true)
        prefixFen.append(0)
        var noneNegative = true
        for award in group {
            prefixFen.append(prefixFen.last! + Int128(award.amountFen))
            noneNegative = noneNegative && award.amountFen >= .zero
        }
        let base = group.startIndex
        for position in 0..<group.count {
            let award = group[base + position]
            let terms = programme.terms(on: award.awarded)
            guard let capFen = terms.capFen.map({ Int128($0) }) else { continue }
            // With no award below zero, the awards of any years up to this one sum to at most all
            // of the group's so far: within the cap, the years need not be counted back (most
            // groups are of one award).
            if noneNegative, prefixFen[position + 1] <= capFen { continue }
            // New events carry 1–50 years; an older log's value is held to what dates can reach,
            // so that counting back never leaves the calendar.
            let capYears = min(max(Int(terms.capYears), 1), 10_000)
            let from = award.awarded.adding(years: -capYears).adding(days: 1)
            var low = 0, high = position
            while low < high {
                let middle = (low + high) / 2
                if group[base + middle].awarded < from { low = middle + 1 } else { high = middle }
            }
            let totalFen = prefixFen[position + 1] - prefixFen[low]
            guard totalFen > capFen else { continue }
            let count = position - low + 1
            add(.capExceeded, subject: grantId(award.grant), event: state(of: award).awardEvent, effective: award.awarded,
                "grant \(grantId(award.grant)) of \(money(award.amountFen)) to \(enterpriseCode(award.enterprise)) brings awards under programme \(programmeId(award.programme)) in the \(capYears) year\(capYears == 1 ? "" : "s") to \(award.awarded) to \(money(totalFen)) (\(count) award\(count == 1 ? "" : "s") from \(from)), over the cap of \(money(capFen)) by \(money(totalFen - capFen))")
        }
    }

    /// Awards of one programme to one enterprise, in replay order: an award for a project (its
    /// name compared ignoring case and white space) an earlier one of the group was for.
    /// `seen` is the caller's, reused: groups are small, so a list, not a table.
    mutating func checkDuplicates(_ group: ArraySlice<LiveAward>, names: inout ProjectNames,
                                  seen: inout [(key: PlainIndex, award: LiveAward)]) {
        guard group.count > 1 else { return }
        seen.removeAll(keepingCapacity: true)
        var first: [PlainIndex: LiveAward] = [:]
        for award in group {
            let key = names.key(of: state(of: award).project, in: ledger)
            // A large group (a thousand awards to one enterprise) is looked up in a table.
            let earlier: LiveAward?
            if group.count <= AuditContext.duplicatesListedUpTo {
                earlier = seen.first(where: { $0.key == key })?.award
                if earlier == nil { seen.append((key, award)) }
            } else {
                earlier = first[key]
                if earlier == nil { first[key] = award }
            }
            guard let earlier else { continue }
            add(.duplicateAward, subject: grantId(award.grant), event: state(of: award).awardEvent, effective: award.awarded,
                "grant \(grantId(award.grant)) of \(money(award.amountFen)) to \(enterpriseCode(award.enterprise)) under programme \(programmeId(award.programme)) for project \"\(ledger.texts.string(state(of: award).project))\" repeats grant \(grantId(earlier.grant)) of \(money(earlier.amountFen)) awarded on \(earlier.awarded) for \"\(ledger.texts.string(state(of: earlier).project))\"")
        }
    }

    /// How many awards ahead the state of an award's enterprise is asked for.
    static let lookahead = 8

    /// Up to this many awards in a group, `checkDuplicates` looks through a list.
    static let duplicatesListedUpTo = 32

    /// Awards of one programme in one year in replay order; one finding per programme-year, on
    /// the award that first passes the appropriations.
    mutating func checkBudget(_ group: ArraySlice<LiveAward>) {
        let first = group.first!
        guard let programme = models.programmes[first.programme] else { return }
        let year = first.year
        let budgetFen = programme.budget(year: year)
        var runningFen: Int128 = 0
        var crossing: LiveAward? = nil
        for award in group {
            runningFen += Int128(award.amountFen)
            if crossing == nil, runningFen > budgetFen { crossing = award }
        }
        guard let crossing else { return }
        let appropriated = programme.budgets.contains { $0.year == year }
            ? "the \(money(budgetFen)) appropriated for \(year)" : "its appropriations for \(year) (none recorded)"
        add(.budgetExceeded, subject: programmeId(first.programme), event: state(of: crossing).awardEvent, effective: crossing.awarded,
            "awards under programme \(programmeId(first.programme)) in \(year) total \(money(runningFen)) (\(group.count) grant\(group.count == 1 ? "" : "s")), over \(appropriated) by \(money(runningFen - budgetFen)); grant \(grantId(crossing.grant)) of \(money(crossing.amountFen)) awarded on \(crossing.awarded) is the first past it")
    }
}
