import LedgerColumns
import LedgerLog

/// The read models at the logs' heads, kept with the ledger's columns in the reader's snapshot
/// (see `Ledger.models(in:)`): the common question, asked without `--as-of` or `--known-at`,
/// is answered from them with no replay. Each model is a set of columns indexed by its table's
/// interned index; lists (tier changes, programme terms, appropriations) are a column of start
/// offsets over columns of their entries. Absent values are stored as sentinels: dates
/// `Int32.min`, tiers and texts -1, amounts `Int64.min`.
extension ReadModels {
    static let noDate = Int32.min
    static let noAmount = Int64.min
    /// No total of a verified read comes near it (2^53 fen an event, fewer than 2^31 events).
    static let largestTotal = Int128(1) << 96

    func addColumns(to file: inout ColumnFileWriter) {
        func add<Element: FixedWidthInteger & Sendable>(_ column: SnapshotColumn, _ values: [Element]) {
            file.add(column.rawValue, values)
        }
        add(.headAppliedEvents, [Int64(appliedEvents)])

        // A column per member of the grants' table, the largest model (millions of grants), each
        // made as it is written: the file then holds one of them in memory at a time.
        let grants = self.grants
        func grantColumn<Element: FixedWidthInteger & Sendable>(_ column: SnapshotColumn,
                                                                _ value: @escaping (GrantState?) -> Element) {
            file.add(column.rawValue, count: grants.count) { grants.map(value) }
        }
        grantColumn(.headGrantPresent) { state -> UInt8 in state == nil ? 0 : 1 }
        grantColumn(.headGrantEnterprise) { state -> Int32 in state?.enterprise.rawValue ?? 0 }
        grantColumn(.headGrantProgramme) { state -> Int32 in state?.programme.rawValue ?? 0 }
        grantColumn(.headGrantProject) { state -> Int32 in state?.project.rawValue ?? 0 }
        grantColumn(.headGrantAwarded) { state -> Int32 in state?.awarded.daysSinceEpoch ?? 0 }
        grantColumn(.headGrantAwardEvent) { state -> Int32 in state?.awardEvent.rawValue ?? 0 }
        grantColumn(.headGrantOriginal) { state -> Int64 in state?.originalFen.rawValue ?? 0 }
        grantColumn(.headGrantCurrent) { state -> Int64 in state?.awardedFen.rawValue ?? 0 }
        grantColumn(.headGrantDisbursedLow) { state -> UInt64 in UInt64(truncatingIfNeeded: state?.disbursedFen ?? 0) }
        grantColumn(.headGrantDisbursedHigh) { state -> Int64 in Int64(truncatingIfNeeded: (state?.disbursedFen ?? 0) >> 64) }
        grantColumn(.headGrantRecoveredLow) { state -> UInt64 in UInt64(truncatingIfNeeded: state?.recoveredFen ?? 0) }
        grantColumn(.headGrantRecoveredHigh) { state -> Int64 in Int64(truncatingIfNeeded: (state?.recoveredFen ?? 0) >> 64) }
        grantColumn(.headGrantRevoked) { state -> Int32 in state?.revoked?.daysSinceEpoch ?? Self.noDate }
        grantColumn(.headGrantAmendments) { state -> Int32 in Int32(clamping: state?.amendments ?? 0) }
        grantColumn(.headGrantPayments) { state -> Int32 in Int32(clamping: state?.payments ?? 0) }

        var enterprisePresent: [UInt8] = [], registered: [Int32] = [], name: [Int32] = [], sector: [Int32] = []
        var deregistered: [Int32] = [], tier: [Int8] = [], lastScore: [Int32] = [], lastScoreDate: [Int32] = []
        var historyStarts: [Int64] = [0], changeEffective: [Int32] = [], changeFrom: [Int8] = [], changeTo: [Int8] = []
        var changeEvent: [Int32] = []
        for state in enterprises {
            enterprisePresent.append(state == nil ? 0 : 1)
            registered.append(state?.registered.daysSinceEpoch ?? 0)
            name.append(state?.name.rawValue ?? 0)
            sector.append(state?.sector.rawValue ?? 0)
            deregistered.append(state?.deregistered?.daysSinceEpoch ?? Self.noDate)
            tier.append(state?.tier.rawValue ?? 0)
            lastScore.append(state?.lastScore ?? Int32.min)
            lastScoreDate.append(state?.lastScoreDate?.daysSinceEpoch ?? Self.noDate)
            for change in state?.history ?? TierHistory() {
                changeEffective.append(change.effective.daysSinceEpoch)
                changeFrom.append(change.from.rawValue)
                changeTo.append(change.to.rawValue)
                changeEvent.append(change.event.rawValue)
            }
            historyStarts.append(Int64(changeEffective.count))
        }
        add(.headEnterprisePresent, enterprisePresent)
        add(.headEnterpriseRegistered, registered)
        add(.headEnterpriseName, name)
        add(.headEnterpriseSector, sector)
        add(.headEnterpriseDeregistered, deregistered)
        add(.headEnterpriseTier, tier)
        add(.headEnterpriseLastScore, lastScore)
        add(.headEnterpriseLastScoreDate, lastScoreDate)
        add(.headEnterpriseHistoryStarts, historyStarts)
        add(.headTierChangeEffective, changeEffective)
        add(.headTierChangeFrom, changeFrom)
        add(.headTierChangeTo, changeTo)
        add(.headTierChangeEvent, changeEvent)

        var programmePresent: [UInt8] = [], established: [Int32] = [], programmeName: [Int32] = []
        var termStarts: [Int64] = [0], termFrom: [Int32] = [], termMinTier: [Int8] = [], termCap: [Int64] = [], termYears: [Int32] = []
        var budgetStarts: [Int64] = [0], budgetYear: [Int32] = [], budgetAmount: [Int64] = []
        for state in programmes {
            programmePresent.append(state == nil ? 0 : 1)
            established.append(state?.established.daysSinceEpoch ?? 0)
            programmeName.append(state?.name.rawValue ?? 0)
            for term in state?.terms ?? [] {
                termFrom.append(term.from.daysSinceEpoch)
                termMinTier.append(term.minTier?.rawValue ?? -1)
                termCap.append(term.capFen?.rawValue ?? Self.noAmount)
                termYears.append(term.capYears)
            }
            termStarts.append(Int64(termFrom.count))
            for budget in state?.budgets ?? [] {
                budgetYear.append(budget.year)
                budgetAmount.append(budget.amountFen.rawValue)
            }
            budgetStarts.append(Int64(budgetYear.count))
        }
        add(.headProgrammePresent, programmePresent)
        add(.headProgrammeEstablished, established)
        add(.headProgrammeName, programmeName)
        add(.headProgrammeTermStarts, termStarts)
        add(.headTermFrom, termFrom)
        add(.headTermMinTier, termMinTier)
        add(.headTermCap, termCap)
        add(.headTermYears, termYears)
        add(.headProgrammeBudgetStarts, budgetStarts)
        add(.headBudgetYear, budgetYear)
        add(.headBudgetAmount, budgetAmount)

        var centrePresent: [UInt8] = [], centreName: [Int32] = [], kind: [UInt8] = [], city: [Int32] = []
        var partner: [Int32] = [], opened: [Int32] = [], closed: [Int32] = []
        for state in centres {
            centrePresent.append(state == nil ? 0 : 1)
            centreName.append(state?.name.rawValue ?? 0)
            kind.append(state?.kind.rawValue ?? 0)
            city.append(state?.city.rawValue ?? 0)
            partner.append(state?.partner.storedRawValue ?? -1)
            opened.append(state?.opened.daysSinceEpoch ?? 0)
            closed.append(state?.closed?.daysSinceEpoch ?? Self.noDate)
        }
        add(.headCentrePresent, centrePresent)
        add(.headCentreName, centreName)
        add(.headCentreKind, kind)
        add(.headCentreCity, city)
        add(.headCentrePartner, partner)
        add(.headCentreOpened, opened)
        add(.headCentreClosed, closed)
    }
}
