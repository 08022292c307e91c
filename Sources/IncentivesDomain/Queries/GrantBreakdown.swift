import LedgerColumns
import LedgerLog

/// Grants grouped by one key, with filters: the auditor's "who got what" table.
///
/// A row holds integers only (its group and its figures): a breakdown by enterprise has a row per
/// recipient, tens of thousands of them, and its keys and names are made from the ledger's
/// interned bytes only when a row is written (`appendKey`, `appendLabel`) or asked for (`key`, `label`).
public struct GrantBreakdown: Sendable {
    public enum Grouping: String, CaseIterable, Sendable {
        case year, programme, tier, enterprise, month
    }

    public struct Filter: Sendable, Equatable {
        public var programme: String?
        public var enterprise: String?
        public var year: Int?
        public init(programme: String? = nil, enterprise: String? = nil, year: Int? = nil) {
            self.programme = programme
            self.enterprise = enterprise
            self.year = year
        }
    }

    public struct Row: Sendable, Equatable {
        /// What the row groups by: an interned index (programme, enterprise), a year, the day
        /// number of the first of a month, or a tier's rank.
        public var group: Int
        /// The programme's or enterprise's name in this window, where the row has one.
        public var name: TextIndex?
        /// Summed in 128 bits (`FenTotal`); `checkShown()` refuses what output cannot show.
        public var figures = PeriodFigures()

        public init(group: Int, name: TextIndex? = nil) {
            self.group = group
            self.name = name
        }

        public var count: Int { figures.count }
        public var awardedFen: Int128 { figures.awardedFen }
        public var disbursedFen: Int128 { figures.disbursedFen }
        public var recoveredFen: Int128 { figures.recoveredFen }
    }

    public let grouping: Grouping
    /// In the order of their keys as strings.
    public private(set) var rows: [Row]
    /// Every row together: what the table's last line shows.
    public private(set) var total = PeriodFigures()
    /// Where keys and names are read from.
    private let ledger: Ledger

    public init(ledger: Ledger, models: ReadModels, grouping: Grouping, filter: Filter) {
        self.grouping = grouping
        self.ledger = ledger
        // A filter naming nothing in the ledger (inner nil) matches no grant.
        let programmeFilter: ProgrammeIndex?? = filter.programme.map { ledger.programmes.find($0) }
        let enterpriseFilter: EnterpriseIndex?? = filter.enterprise.map { ledger.enterprises.find($0) }
        // Each group has a slot in a table over every value it can take (interned indexes, the
        // years and months dates allow, tiers), holding its row's position + 1: no hashing per grant.
        var positions = [Int32](repeating: 0, count: GrantBreakdown.slotCount(grouping, ledger: ledger))
        var rows: [Row] = []
        for grant in models.grants {
            guard let grant else { continue }
            if let programmeFilter, grant.programme != programmeFilter { continue }
            if let enterpriseFilter, grant.enterprise != enterpriseFilter { continue }
            if let year = filter.year, grant.awarded.year != year { continue }
            let (group, slot) = GrantBreakdown.groupAndSlot(of: grant, by: grouping, models: models)
            var position = Int(positions[slot]) - 1
            if position < 0 {
                position = rows.count
                positions[slot] = Int32(position + 1)
                rows.append(Row(group: group))
            }
            let figures = PeriodFigures(grant: grant)
            rows[position].figures += figures
            total += figures
        }
        switch grouping {
        case .year, .month, .tier:
            // Tiers sort by rank. Years and months sort as their keys do: dates have four-digit
            // years (`CalendarDate.minimumYear...maximumYear`), so "2022-11" < "2022-12" as numbers too.
            rows.sort { $0.group < $1.group }
        case .programme:
            for position in rows.indices { rows[position].name = models.programmes[rows[position].group]?.name }
            rows = GrantBreakdown.sortedByName(rows, names: ledger.programmes)
        case .enterprise:
            for position in rows.indices { rows[position].name = models.enterprises[rows[position].group]?.name }
            rows = GrantBreakdown.sortedByName(rows, names: ledger.enterprises)
        }
        self.rows = rows
    }

    /// How many slots `groupAndSlot` can give.
    private static func slotCount(_ grouping: Grouping, ledger: Ledger) -> Int {
        let years = CalendarDate.maximumYear - CalendarDate.minimumYear + 1
        switch grouping {
        case .year: return years
        case .month: return years * 12
        case .programme: return ledger.programmes.count
        case .enterprise: return ledger.enterprises.count
        case .tier: return Tier.allCases.count
        }
    }

    /// The integer a grant is grouped by (see `Row.group`), and its slot in the table of groups.
    @inline(__always)
    private static func groupAndSlot(of grant: GrantState, by grouping: Grouping, models: ReadModels) -> (group: Int, slot: Int) {
        switch grouping {
        case .year:
            let year = grant.awarded.year
            precondition(year >= CalendarDate.minimumYear && year <= CalendarDate.maximumYear, "a date within the years the ledger allows")
            return (year, year - CalendarDate.minimumYear)
        case .month:
            let (year, month, _) = grant.awarded.components
            precondition(year >= CalendarDate.minimumYear && year <= CalendarDate.maximumYear, "a date within the years the ledger allows")
            return (Int(CalendarDate(year: year, month: month, day: 1)!.daysSinceEpoch), (year - CalendarDate.minimumYear) * 12 + month - 1)
        case .programme: return (grant.programme.offset, grant.programme.offset)
        case .enterprise: return (grant.enterprise.offset, grant.enterprise.offset)
        case .tier:
            let rank = Int(models.tierAtGrant(grant).rawValue)
            return (rank, rank)
        }
    }

    /// `rows` in the order of their keys as Strings. Ids are ASCII (the log format allows nothing
    /// else), and ASCII strings compare as their bytes do, so the bytes are compared in place. Were
    /// any key not ASCII, Strings would be compared instead, in the order the rows came in, as
    /// canonically equivalent spellings compare equal and only that keeps their order as it was.
    private static func sortedByName<Index: InternedIndex>(_ rows: [Row], names: Interner<Index>) -> [Row] {
        guard rows.count > 1 else { return rows }
        let starts = rows.map { Int(names.offsets[$0.group]) }
        let ends = rows.map { Int(names.offsets[$0.group + 1]) }
        let order: [Int]? = unsafe names.arena.withElements { bytes -> [Int]? in
            // Names share long prefixes (enterprise codes start with a region's digits): the eight
            // bytes after the prefix every name shares, as a big-endian number (zeros past a name's
            // end), order two names unless they are equal, and only then are the rest compared.
            var shared = ends[0] - starts[0]
            for position in rows.indices {
                let start = starts[position], count = ends[position] - start
                for offset in 0..<count where unsafe bytes[start + offset] >= 0x80 { return nil }
                shared = min(shared, count)
                var offset = 0
                while offset < shared, unsafe bytes[start + offset] == bytes[starts[0] + offset] { offset += 1 }
                shared = offset
            }
            var keyed: [(leading: UInt64, position: Int)] = []
            keyed.reserveCapacity(rows.count)
            for position in rows.indices {
                var leading: UInt64 = 0
                for offset in 0..<8 {
                    let index = starts[position] + shared + offset
                    leading = leading << 8 | UInt64(index < ends[position] ? unsafe bytes[index] : 0)
                }
                keyed.append((leading, position))
            }
            keyed.sort { left, right in
                if left.leading != right.leading { return left.leading < right.leading }
                let leftStart = starts[left.position] + shared, leftCount = ends[left.position] - leftStart
                let rightStart = starts[right.position] + shared, rightCount = ends[right.position] - rightStart
                for offset in 0..<min(leftCount, rightCount) {
                    let leftByte = unsafe bytes[leftStart + offset], rightByte = unsafe bytes[rightStart + offset]
                    if leftByte != rightByte { return leftByte < rightByte }
                }
                return leftCount < rightCount
            }
            return keyed.map(\.position)
        }
        if let order { return order.map { rows[$0] } }
        let keys = rows.map { names.string(Index(offset: $0.group)) }
        return rows.indices.sorted { keys[$0] < keys[$1] }.map { rows[$0] }
    }

    // MARK: Keys and names

    /// The row's key as the table, CSV and JSON show it.
    public func key(of row: Row) -> String {
        switch grouping {
        case .year: return String(row.group)
        case .month: return String(CalendarDate(daysSinceEpoch: Int32(row.group)).description.prefix(7))
        case .programme: return ledger.programmes.string(ProgrammeIndex(offset: row.group))
        case .enterprise: return ledger.enterprises.string(EnterpriseIndex(offset: row.group))
        case .tier: return Tier(rawValue: Int8(row.group))!.name
        }
    }

    /// The row's name (programme and enterprise names), or "" where it has none.
    public func label(of row: Row) -> String {
        row.name.map { ledger.texts.string($0) } ?? ""
    }

    /// Appends the UTF-8 bytes of `key(of: row)`.
    public func appendKey(of row: Row, to bytes: inout [UInt8]) {
        switch grouping {
        case .year:
            bytes.append(contentsOf: String(row.group).utf8)
        case .month:
            // `YYYY-MM` of the first of the month's `YYYY-MM-DD`.
            let start = bytes.count
            CalendarDate(daysSinceEpoch: Int32(row.group)).appendDigits(to: &bytes)
            precondition(bytes.count - start == 10, "a date within the years the ledger allows")
            bytes.removeSubrange((start + 7)...)
        case .programme:
            unsafe ledger.programmes.withBytes(of: ProgrammeIndex(offset: row.group)) { unsafe bytes.append(contentsOf: $0) }
        case .enterprise:
            unsafe ledger.enterprises.withBytes(of: EnterpriseIndex(offset: row.group)) { unsafe bytes.append(contentsOf: $0) }
        case .tier:
            bytes.append(contentsOf: Tier(rawValue: Int8(row.group))!.name.utf8)
        }
    }

    /// Appends the UTF-8 bytes of `label(of: row)`.
    public func appendLabel(of row: Row, to bytes: inout [UInt8]) {
        guard let name = row.name else { return }
        unsafe ledger.texts.withBytes(of: name) { unsafe bytes.append(contentsOf: $0) }
    }

    // MARK: Output

    /// Exit 65 naming the first figure, a row's or the total's, that output (64-bit fen) cannot show.
    public func checkShown() throws(LedgerError) {
        func check(_ figures: PeriodFigures, _ name: String) throws(LedgerError) {
            try FenTotal.shown(figures.awardedFen, "\(name)'s awarded amount (grants by \(grouping.rawValue))")
            try FenTotal.shown(figures.disbursedFen, "\(name)'s disbursed amount (grants by \(grouping.rawValue))")
            try FenTotal.shown(figures.recoveredFen, "\(name)'s recovered amount (grants by \(grouping.rawValue))")
        }
        // A row's name is made only for a row refused.
        func isShown(_ figures: PeriodFigures) -> Bool {
            FenTotal.shownRange.contains(figures.awardedFen) && FenTotal.shownRange.contains(figures.disbursedFen)
                && FenTotal.shownRange.contains(figures.recoveredFen)
        }
        for row in rows where !isShown(row.figures) { try check(row.figures, "the row \(key(of: row))") }
        try check(total, "the total")
    }

    /// Whether rows carry a name beside their key (programme and enterprise names).
    public var isLabelled: Bool { grouping == .programme || grouping == .enterprise }

    /// The rows; grouped by programme or enterprise, each with the `name` the table and CSV show.
    public var json: JSONValue {
        let labelled = isLabelled
        return .array(rows.map { row in
            .record([("key", .text(key(of: row)))] + (labelled ? [("name", .text(label(of: row)))] : []) + [
                ("count", .integer(row.count)), ("awardedFen", .fen(row.awardedFen)),
                ("disbursedFen", .fen(row.disbursedFen)), ("recoveredFen", .fen(row.recoveredFen))])
        })
    }
}

extension GrantBreakdown: Equatable {
    /// Equal groupings, figures, keys and names (two ledgers may intern the same key at different indexes).
    public static func == (left: GrantBreakdown, right: GrantBreakdown) -> Bool {
        left.grouping == right.grouping && left.total == right.total && left.rows.count == right.rows.count
            && zip(left.rows, right.rows).allSatisfy { pair in
                pair.0.figures == pair.1.figures && left.key(of: pair.0) == right.key(of: pair.1)
                    && left.label(of: pair.0) == right.label(of: pair.1)
            }
    }
}

extension ReadModels {
    /// The enterprise's tier on the award date, as known in this window (same-day changes included).
    public func tierAtGrant(_ grant: GrantState) -> Tier {
        enterprises[grant.enterprise]?.tier(on: grant.awarded) ?? .none
    }
}
