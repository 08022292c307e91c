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

        var present: [UInt8] = [], enterprise: [Int32] = [], programme: [Int32] = [], project: [Int32] = []
        var awarded: [Int32] = [], awardEvent: [Int32] = [], original: [Int64] = [], current: [Int64] = []
        var disbursedLow: [UInt64] = [], disbursedHigh: [Int64] = [], recoveredLow: [UInt64] = [], recoveredHigh: [Int64] = []
        var revoked: [Int32] = [], amendments: [Int32] = [], payments: [Int32] = []
        for state in grants {
            present.append(state == nil ? 0 : 1)
            enterprise.append(state?.enterprise.rawValue ?? 0)
            programme.append(state?.programme.rawValue ?? 0)
            project.append(state?.project.rawValue ?? 0)
            awarded.append(state?.awarded.daysSinceEpoch ?? 0)
            awardEvent.append(state?.awardEvent.rawValue ?? 0)
            original.append(state?.originalFen.rawValue ?? 0)
            current.append(state?.awardedFen.rawValue ?? 0)
            let disbursed = state?.disbursedFen ?? 0, recovered = state?.recoveredFen ?? 0
            disbursedLow.append(UInt64(truncatingIfNeeded: disbursed))
            disbursedHigh.append(Int64(truncatingIfNeeded: disbursed >> 64))
            recoveredLow.append(UInt64(truncatingIfNeeded: recovered))
            recoveredHigh.append(Int64(truncatingIfNeeded: recovered >> 64))
            revoked.append(state?.revoked?.daysSinceEpoch ?? Self.noDate)
            amendments.append(Int32(clamping: state?.amendments ?? 0))
            payments.append(Int32(clamping: state?.payments ?? 0))
        }
        add(.headGrantPresent, present)
        add(.headGrantEnterprise, enterprise)
        add(.headGrantProgramme, programme)
        add(.headGrantProject, project)
        add(.headGrantAwarded, awarded)
        add(.headGrantAwardEvent, awardEvent)
        add(.headGrantOriginal, original)
        add(.headGrantCurrent, current)
        add(.headGrantDisbursedLow, disbursedLow)
        add(.headGrantDisbursedHigh, disbursedHigh)
        add(.headGrantRecoveredLow, recoveredLow)
        add(.headGrantRecoveredHigh, recoveredHigh)
        add(.headGrantRevoked, revoked)
        add(.headGrantAmendments, amendments)
        add(.headGrantPayments, payments)

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
