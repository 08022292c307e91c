import LedgerLog

/// Per programme: its rules over time and, per year, what was appropriated against what was
/// awarded, paid and recovered. The one source of these figures for `programmes` and the report.
///
/// A year's awarded, disbursed and recovered amounts are those of the grants awarded in that
/// year (as `grants --by year` counts them), so a programme's totals equal its `grants --by
/// programme` row. A programme a grant names but that is not established in the window still
/// gets a row, with an empty name and no rules, so no grant goes uncounted.
public struct ProgrammeBudget: Sendable, Equatable {
    /// The rules in force from one date on.
    public struct Rules: Sendable, Equatable {
        public var from: CalendarDate
        public var minTier: Tier?
        public var capFen: Int64?
        public var capYears: Int32
    }

    public struct Year: Sendable, Equatable {
        public var year: Int
        public var appropriatedFen: Int64 = 0
        public var grants = 0
        public var awardedFen: Int64 = 0
        public var disbursedFen: Int64 = 0
        public var recoveredFen: Int64 = 0

        public init(year: Int) { self.year = year }

        /// Awarded ÷ appropriated in hundredths of a percent, rounded half up; nil without an appropriation.
        public var utilisationBasisPoints: Int64? {
            guard appropriatedFen > 0 else { return nil }
            let scaled = Int128(awardedFen) * 10_000 + Int128(appropriatedFen) / 2
            return Int64(clamping: scaled / Int128(appropriatedFen))
        }
    }

    public struct Programme: Sendable, Equatable {
        public var id: String
        public var name: String
        public var established: CalendarDate?
        /// In the order they took effect; the first is the establishing event's.
        public var rules: [Rules]
        /// In year order, every year with an appropriation or an award.
        public var years: [Year]

        /// All years together (the year field is 0).
        public var total: Year
    }

    /// Sorted by programme id.
    public var programmes: [Programme]

    /// Refuses (exit 65) a figure that does not fit the 64-bit fen output shows.
    /// What the budgets of `window` read of the ledger: the programmes' and grants' models, and the
    /// programmes' ids and names, each read by index: no name is looked up.
    public static func scope(_ window: TimeWindow) -> LedgerScope {
        .readModels(window, names: [.programmes, .entityTexts], parts: parts, lookups: [])
    }

    /// The read models the budgets are made from: no enterprise's or centre's.
    public static let parts: ReadModelParts = [.programmes, .grants]

    /// At most this many cells (programmes × years of awards) lie flat.
    static let maximumCells = 1 << 20

    /// A programme-year's grants and their figures, in 128 bits (`FenTotal`).
    private struct GrantSums {
        var grants = 0
        var awardedFen: Int128 = 0, disbursedFen: Int128 = 0, recoveredFen: Int128 = 0

        mutating func add(_ grant: GrantState) {
            grants += 1
            awardedFen += Int128(grant.awardedFen)
            disbursedFen += grant.disbursedFen
            recoveredFen += grant.recoveredFen
        }
    }

    public init(ledger: Ledger, models: ReadModels) throws(LedgerError) {
        try self.init(ledger: ledger, models: models, maximumCells: ProgrammeBudget.maximumCells)
    }

    /// `maximumCells` lower than the ledger's programmes × years sends every grant through the
    /// dictionary of cells (a test compares the two).
    init(ledger: Ledger, models: ReadModels, maximumCells: Int) throws(LedgerError) {
        var yearsByProgramme: [[Int: Year]] = Array(repeating: [:], count: models.programmes.count)
        var used = Array(repeating: false, count: models.programmes.count)
        for (index, programme) in models.programmes.enumerated() {
            guard let programme else { continue }
            used[index] = true
            for budget in programme.budgets {
                try FenTotal.add(Int128(budget.amountFen), to: &yearsByProgramme[index][Int(budget.year), default: Year(year: Int(budget.year))].appropriatedFen,
                                 "programme \(ledger.programmes.string(.init(offset: index)))'s appropriations for \(budget.year)")
            }
        }
        // The grants' figures summed in 128 bits in a cell per programme and award year, each
        // checked once at the end (`FenTotal.shown`): at ten million events, four dictionary
        // lookups and three checked additions a grant were a tenth of a second of the report.
        // The cells lie flat over the years the grants span; a span too wide for that (a log
        // written by hand) finds its cells through a dictionary.
        var firstYear = Int.max, lastYear = Int.min
        for grant in models.grants {
            guard let year = grant?.awarded.year else { continue }
            firstYear = min(firstYear, year)
            lastYear = max(lastYear, year)
        }
        let span = firstYear <= lastYear ? lastYear - firstYear + 1 : 0
        let flat = span > 0 && models.programmes.count <= maximumCells / span
        var cells: [GrantSums] = [], programmeOfCell: [Int] = [], yearOfCell: [Int] = []
        var cellOfSlot = [Int32](repeating: -1, count: flat ? models.programmes.count * span : 0)
        var cellOfKey: [Int: Int32] = [:]
        for grant in models.grants {
            guard let grant else { continue }
            let index = grant.programme.offset, year = grant.awarded.year
            let slot = flat ? index * span + year - firstYear : index << 16 | (year - CalendarDate.minimumYear)
            var cell = flat ? cellOfSlot[slot] : cellOfKey[slot, default: -1]
            if cell < 0 {
                cell = Int32(cells.count)
                if flat { cellOfSlot[slot] = cell } else { cellOfKey[slot] = cell }
                cells.append(GrantSums())
                programmeOfCell.append(index)
                yearOfCell.append(year)
            }
            cells[Int(cell)].add(grant)
        }
        for cell in cells.indices {
            let index = programmeOfCell[cell], sums = cells[cell]
            let name = ledger.programmes.string(.init(offset: index))
            used[index] = true
            var year = yearsByProgramme[index][yearOfCell[cell], default: Year(year: yearOfCell[cell])]
            year.grants = sums.grants
            year.awardedFen = try FenTotal.shown(sums.awardedFen, "programme \(name)'s awards for \(year.year)")
            year.disbursedFen = try FenTotal.shown(sums.disbursedFen, "programme \(name)'s payments for \(year.year)")
            year.recoveredFen = try FenTotal.shown(sums.recoveredFen, "programme \(name)'s recoveries for \(year.year)")
            yearsByProgramme[index][year.year] = year
        }
        var programmes: [Programme] = []
        for index in used.indices where used[index] {
            let state = models.programmes[index]
            let id = ledger.programmes.string(.init(offset: index))
            let years = yearsByProgramme[index].values.sorted { $0.year < $1.year }
            var total = Year(year: 0)
            for year in years {
                try FenTotal.add(Int128(year.appropriatedFen), to: &total.appropriatedFen, "programme \(id)'s appropriations")
                total.grants += year.grants
                try FenTotal.add(Int128(year.awardedFen), to: &total.awardedFen, "programme \(id)'s awards")
                try FenTotal.add(Int128(year.disbursedFen), to: &total.disbursedFen, "programme \(id)'s payments")
                try FenTotal.add(Int128(year.recoveredFen), to: &total.recoveredFen, "programme \(id)'s recoveries")
            }
            programmes.append(Programme(
                id: id,
                name: state.map { ledger.texts.string($0.name) } ?? "",
                established: state?.established,
                rules: state?.terms.map { Rules(from: $0.from, minTier: $0.minTier, capFen: $0.capFen?.rawValue, capYears: $0.capYears) } ?? [],
                years: years, total: total))
        }
        self.programmes = programmes.sorted { $0.id < $1.id }
    }

    /// Every year any programme has figures for, in order.
    public var years: [Int] {
        Array(Set(programmes.flatMap { $0.years.map(\.year) })).sorted()
    }

    public var json: JSONValue {
        func figures(_ year: Year) -> [(String, JSONValue)] {
            [("appropriatedFen", .integer(year.appropriatedFen)), ("grants", .integer(year.grants)),
             ("awardedFen", .integer(year.awardedFen)), ("disbursedFen", .integer(year.disbursedFen)),
             ("recoveredFen", .integer(year.recoveredFen)),
             ("utilisationBasisPoints", year.utilisationBasisPoints.map { .integer($0) } ?? .null)]
        }
        return .array(programmes.map { programme in
            .record([
                ("programme", .text(programme.id)), ("name", .text(programme.name)),
                ("established", .date(programme.established)),
                ("rules", .array(programme.rules.map { rules in
                    .record([("from", .date(rules.from)), ("minTier", rules.minTier.map { .text($0.name) } ?? .null),
                             ("capFen", rules.capFen.map { .integer($0) } ?? .null), ("capYears", .integer(rules.capYears))])
                })),
                ("years", .array(programme.years.map { .record([("year", .integer($0.year))] + figures($0)) })),
                ("total", .record(figures(programme.total))),
            ])
        })
    }
}
