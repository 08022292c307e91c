import LedgerColumns
import LedgerLog

extension ReadModels {
    /// The read models stored in `file` for `ledger` (whose interners and events are already
    /// checked), refused unless every value is one a replay can give: a model per interned name,
    /// indexes inside their tables, dates within the years the event format allows, known tiers
    /// and centre kinds, list offsets rising to their entries' end, every programme with terms,
    /// totals within what a verified read can sum.
    /// Only `parts` are read (a query at the heads that needs no more); the others are left
    /// empty, so that reading one stops the program rather than answer from nothing.
    static func decode(_ file: ColumnFile, for ledger: Ledger, parts: ReadModelParts = .all) throws(ColumnFileError) -> ReadModels {
        var reader = HeadColumns(file: file, ledger: ledger)
        // Only the parts read get their tables (a slot per name): the others are never made.
        var models = ReadModels(programmes: [], grants: [], enterprises: [], centres: [], appliedEvents: 0)
        let applied: Column<Int64> = try reader.column(.headAppliedEvents, count: 1)
        guard applied[0] >= 0, applied[0] <= Int64(ledger.count) else { throw .malformed("its applied event count is out of range") }
        models.appliedEvents = Int(applied[0])
        if parts.contains(.grants) { try reader.decodeGrants(into: &models) }
        if parts.contains(.enterprises) { try reader.decodeEnterprises(into: &models) }
        if parts.contains(.programmes) { try reader.decodeProgrammes(into: &models) }
        if parts.contains(.centres) { try reader.decodeCentres(into: &models) }
        return models
    }
}

/// Reads and checks the columns of the read models at the heads.
private struct HeadColumns {
    let file: ColumnFile
    let ledger: Ledger
    /// The names each table has: a read model has a slot per name.
    let names: Ledger.NameCounts

    init(file: ColumnFile, ledger: Ledger) {
        self.file = file
        self.ledger = ledger
        names = ledger.nameCounts
    }

    func column<Element: FixedWidthInteger & Sendable>(_ id: SnapshotColumn, count: Int) throws(ColumnFileError) -> Column<Element> {
        let column: Column<Element> = try file.column(id.rawValue)
        guard column.count == count else { throw .malformed("its column \(id) does not have \(count) entries") }
        return column
    }

    func present(_ id: SnapshotColumn, count: Int) throws(ColumnFileError) -> Column<UInt8> {
        let column: Column<UInt8> = try self.column(id, count: count)
        guard column.allSatisfy({ $0 <= 1 }) else { throw .malformed("its column \(id) is not a list of flags") }
        return column
    }

    func date(_ days: Int32) throws(ColumnFileError) -> CalendarDate {
        guard days >= LedgerSnapshot.earliestDay, days <= LedgerSnapshot.latestDay else { throw .malformed("a read model has a date out of range") }
        return CalendarDate(daysSinceEpoch: days)
    }

    func optionalDate(_ days: Int32) throws(ColumnFileError) -> CalendarDate? {
        days == ReadModels.noDate ? nil : try date(days)
    }

    func index<Index: NameIndex>(_ raw: Int32, below count: Int) throws(ColumnFileError) -> Index {
        guard raw >= 0, Int(raw) < count else { throw .malformed("a read model refers outside a table") }
        return Index(rawValue: raw)
    }

    func text(_ raw: Int32) throws(ColumnFileError) -> TextIndex { try index(raw, below: names.texts) }

    func event(_ raw: Int32) throws(ColumnFileError) -> EventIndex {
        guard raw >= 0, Int(raw) < ledger.count else { throw .malformed("a read model refers to a missing event") }
        return EventIndex(rawValue: raw)
    }

    func tier(_ raw: Int8) throws(ColumnFileError) -> Tier {
        guard let tier = Tier(rawValue: raw) else { throw .malformed("a read model has an unknown tier") }
        return tier
    }

    func amount(_ raw: Int64) throws(ColumnFileError) -> Fen {
        guard raw.magnitude <= EventTable.maximumAmountMagnitude else { throw .malformed("a read model has an amount out of range") }
        return Fen(raw)
    }

    func total(low: UInt64, high: Int64) throws(ColumnFileError) -> Int128 {
        let value = Int128(high) << 64 | Int128(low)
        guard value >= 0, value <= ReadModels.largestTotal else { throw .malformed("a read model has a total out of range") }
        return value
    }

    /// List offsets: `count` + 1 of them, from 0, never falling, ending at `entries`.
    func starts(_ id: SnapshotColumn, count: Int, entries: Int) throws(ColumnFileError) -> Column<Int64> {
        let starts: Column<Int64> = try column(id, count: count + 1)
        guard starts[0] == 0, starts[count] == Int64(entries),
              (0..<count).allSatisfy({ starts[$0] <= starts[$0 + 1] }) else {
            throw .malformed("its column \(id) does not span its entries")
        }
        return starts
    }

    mutating func decodeGrants(into models: inout ReadModels) throws(ColumnFileError) {
        let count = names.grants
        models.grants = Array(repeating: nil, count: count)
        let present = try present(.headGrantPresent, count: count)
        let enterprise: Column<Int32> = try column(.headGrantEnterprise, count: count)
        let programme: Column<Int32> = try column(.headGrantProgramme, count: count)
        let project: Column<Int32> = try column(.headGrantProject, count: count)
        let awarded: Column<Int32> = try column(.headGrantAwarded, count: count)
        let awardEvent: Column<Int32> = try column(.headGrantAwardEvent, count: count)
        let original: Column<Int64> = try column(.headGrantOriginal, count: count)
        let current: Column<Int64> = try column(.headGrantCurrent, count: count)
        let disbursedLow: Column<UInt64> = try column(.headGrantDisbursedLow, count: count)
        let disbursedHigh: Column<Int64> = try column(.headGrantDisbursedHigh, count: count)
        let recoveredLow: Column<UInt64> = try column(.headGrantRecoveredLow, count: count)
        let recoveredHigh: Column<Int64> = try column(.headGrantRecoveredHigh, count: count)
        let revoked: Column<Int32> = try column(.headGrantRevoked, count: count)
        let amendments: Column<Int32> = try column(.headGrantAmendments, count: count)
        let payments: Column<Int32> = try column(.headGrantPayments, count: count)
        for grant in 0..<count where present[grant] == 1 {
            guard amendments[grant] >= 0, payments[grant] >= 0 else { throw .malformed("a grant has a negative count") }
            models.grants[grant] = GrantState(
                enterprise: try index(enterprise[grant], below: names.enterprises),
                programme: try index(programme[grant], below: names.programmes),
                project: try text(project[grant]), awarded: try date(awarded[grant]),
                awardEvent: try event(awardEvent[grant]), originalFen: try amount(original[grant]),
                awardedFen: try amount(current[grant]),
                disbursedFen: try total(low: disbursedLow[grant], high: disbursedHigh[grant]),
                recoveredFen: try total(low: recoveredLow[grant], high: recoveredHigh[grant]),
                revoked: try optionalDate(revoked[grant]), amendments: Int(amendments[grant]), payments: Int(payments[grant]))
        }
    }

    mutating func decodeEnterprises(into models: inout ReadModels) throws(ColumnFileError) {
        let count = names.enterprises
        models.enterprises = Array(repeating: nil, count: count)
        let present = try present(.headEnterprisePresent, count: count)
        let registered: Column<Int32> = try column(.headEnterpriseRegistered, count: count)
        let name: Column<Int32> = try column(.headEnterpriseName, count: count)
        let sector: Column<Int32> = try column(.headEnterpriseSector, count: count)
        let deregistered: Column<Int32> = try column(.headEnterpriseDeregistered, count: count)
        let tier: Column<Int8> = try column(.headEnterpriseTier, count: count)
        let lastScore: Column<Int32> = try column(.headEnterpriseLastScore, count: count)
        let lastScoreDate: Column<Int32> = try column(.headEnterpriseLastScoreDate, count: count)
        let changes: Column<Int32> = try file.column(SnapshotColumn.headTierChangeEffective.rawValue)
        let starts = try starts(.headEnterpriseHistoryStarts, count: count, entries: changes.count)
        let from: Column<Int8> = try column(.headTierChangeFrom, count: changes.count)
        let to: Column<Int8> = try column(.headTierChangeTo, count: changes.count)
        let event: Column<Int32> = try column(.headTierChangeEvent, count: changes.count)
        // One list for every enterprise's history (`TierHistory`), as a replay gives.
        var history: [TierChange] = []
        history.reserveCapacity(changes.count)
        for change in 0..<changes.count {
            history.append(TierChange(effective: try date(changes[change]), from: try self.tier(from[change]),
                                      to: try self.tier(to[change]), event: try self.event(event[change])))
        }
        for enterprise in 0..<count {
            guard present[enterprise] == 1 else {
                guard starts[enterprise] == starts[enterprise + 1] else { throw .malformed("an absent enterprise has tier changes") }
                continue
            }
            let score = lastScore[enterprise]
            guard (score == Int32.min) == (lastScoreDate[enterprise] == ReadModels.noDate) else {
                throw .malformed("an enterprise has a score without its date")
            }
            var state = EnterpriseState(registered: try date(registered[enterprise]), name: try text(name[enterprise]),
                                        sector: try text(sector[enterprise]))
            state.deregistered = try optionalDate(deregistered[enterprise])
            state.tier = try self.tier(tier[enterprise])
            state.lastScore = score == Int32.min ? nil : score
            state.lastScoreDate = try optionalDate(lastScoreDate[enterprise])
            if starts[enterprise + 1] > starts[enterprise] {
                state.history = TierHistory(sharing: history, Int(starts[enterprise])..<Int(starts[enterprise + 1]))
            }
            models.enterprises[enterprise] = state
        }
    }

    mutating func decodeProgrammes(into models: inout ReadModels) throws(ColumnFileError) {
        let count = names.programmes
        models.programmes = Array(repeating: nil, count: count)
        let present = try present(.headProgrammePresent, count: count)
        let established: Column<Int32> = try column(.headProgrammeEstablished, count: count)
        let name: Column<Int32> = try column(.headProgrammeName, count: count)
        let termFrom: Column<Int32> = try file.column(SnapshotColumn.headTermFrom.rawValue)
        let termStarts = try starts(.headProgrammeTermStarts, count: count, entries: termFrom.count)
        let minTier: Column<Int8> = try column(.headTermMinTier, count: termFrom.count)
        let cap: Column<Int64> = try column(.headTermCap, count: termFrom.count)
        let years: Column<Int32> = try column(.headTermYears, count: termFrom.count)
        let budgetYear: Column<Int32> = try file.column(SnapshotColumn.headBudgetYear.rawValue)
        let budgetStarts = try starts(.headProgrammeBudgetStarts, count: count, entries: budgetYear.count)
        let budgetAmount: Column<Int64> = try column(.headBudgetAmount, count: budgetYear.count)
        for programme in 0..<count {
            let terms = Int(termStarts[programme])..<Int(termStarts[programme + 1])
            let budgets = Int(budgetStarts[programme])..<Int(budgetStarts[programme + 1])
            guard present[programme] == 1 else {
                guard terms.isEmpty, budgets.isEmpty else { throw .malformed("an absent programme has terms") }
                continue
            }
            guard !terms.isEmpty else { throw .malformed("a programme has no terms") }
            var state = ProgrammeState(established: try date(established[programme]), name: try text(name[programme]),
                                       terms: [], budgets: [])
            for term in terms {
                state.terms.append((try date(termFrom[term]), minTier[term] == -1 ? nil : try tier(minTier[term]),
                                    cap[term] == ReadModels.noAmount ? nil : try amount(cap[term]), years[term]))
            }
            for budget in budgets {
                state.budgets.append((budgetYear[budget], try amount(budgetAmount[budget])))
            }
            models.programmes[programme] = state
        }
    }

    mutating func decodeCentres(into models: inout ReadModels) throws(ColumnFileError) {
        let count = names.centres
        models.centres = Array(repeating: nil, count: count)
        let present = try present(.headCentrePresent, count: count)
        let name: Column<Int32> = try column(.headCentreName, count: count)
        let kind: Column<UInt8> = try column(.headCentreKind, count: count)
        let city: Column<Int32> = try column(.headCentreCity, count: count)
        let partner: Column<Int32> = try column(.headCentrePartner, count: count)
        let opened: Column<Int32> = try column(.headCentreOpened, count: count)
        let closed: Column<Int32> = try column(.headCentreClosed, count: count)
        for centre in 0..<count where present[centre] == 1 {
            guard let centreKind = CentreKind(rawValue: kind[centre]) else { throw .malformed("a centre has an unknown kind") }
            models.centres[centre] = CentreState(
                name: try text(name[centre]), kind: centreKind, city: try text(city[centre]),
                partner: partner[centre] == -1 ? nil : try text(partner[centre]), opened: try date(opened[centre]),
                closed: try optionalDate(closed[centre]))
        }
    }
}
