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

        /// The name tables the filter looks its ids up in.
        var lookups: NameTables {
            var tables: NameTables = []
            if programme != nil { tables.insert(.programmes) }
            if enterprise != nil { tables.insert(.enterprises) }
            return tables
        }
    }

    /// What the breakdown of `window` by `grouping` with `filter` reads of the ledger: the grants'
    /// models; a filter's ids (the only names looked up); a labelled grouping's ids and the
    /// entities' names (read by index); the enterprises' tier histories for the tier at grant.
    /// Without a filter, by enterprise, the rows a snapshot may keep (`LedgerScope.grantsByEnterprise`).
    public static func scope(_ window: TimeWindow, grouping: Grouping, filter: Filter) -> LedgerScope {
        if grouping == .enterprise, filter == Filter() { return .grantsByEnterprise(window) }
        var names: NameTables = []
        var parts: ReadModelParts = [.grants]
        if grouping == .programme || filter.programme != nil {
            names.insert(.programmes)
            parts.insert(.programmes)
        }
        if grouping == .enterprise || filter.enterprise != nil {
            names.insert(.enterprises)
            parts.insert(.enterprises)
        }
        if grouping == .programme || grouping == .enterprise { names.insert(.entityTexts) }
        if grouping == .tier { parts.insert(.enterprises) }
        return .readModels(window, names: names, parts: parts, lookups: filter.lookups)
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
    /// In the order of their keys as strings; empty for a breakdown kept at the heads (`kept`),
    /// whose rows are read by position (`rowCount`, `figures(at:)`, `appendKey(at:to:)`).
    public var rows: [Row] { order.map { seenRows[Int($0)] } }
    /// The rows in the order their groups were first seen, and which of them each position in
    /// key order shows: rows are read through `order` where they are written, never moved.
    private var seenRows: [Row]
    private var order: [Int32]
    /// Every row together: what the table's last line shows.
    public private(set) var total = PeriodFigures()
    /// Where keys and names are read from.
    private let ledger: Ledger
    /// The rows as the snapshot kept them (by enterprise, no filter, at the heads), read in place.
    let kept: Kept?

    public init(ledger: Ledger, models: ReadModels, grouping: Grouping, filter: Filter) {
        self.init(ledger: ledger, grants: models.grants, grouping: grouping, filter: filter, tierAtGrant: models.tierAtGrant,
                  anticipate: grouping == .tier ? { models.anticipateTierAtGrant(of: models.grants, after: $0) } : nil)
        switch grouping {
        case .year, .month, .tier: break
        case .programme: name { models.programmes[$0]?.name }
        case .enterprise: name { models.enterprises[$0]?.name }
        }
    }

    /// The rows of `grants`, in key order, without their names (`name(_:)` gives them): the
    /// grouping reads the grants alone, and the tier at grant (`tierAtGrant`) by tier only.
    /// With `side`, only the grants of the enterprises whose side (by index) is the one wanted
    /// (`Interner.sidesInNameOrder`: half of a breakdown by enterprise, see `init(joining:_:)`).
    init(ledger: Ledger, grants: [GrantState?], grouping: Grouping, filter: Filter, tierAtGrant: (GrantState) -> Tier,
         anticipate: ((Int) -> Void)? = nil, side: (sides: [UInt8], wanted: UInt8)? = nil) {
        precondition(side == nil || grouping == .enterprise, "sides of the enterprises")
        self.grouping = grouping
        self.ledger = ledger
        kept = nil
        // A filter naming nothing in the ledger (inner nil) matches no grant.
        let programmeFilter: ProgrammeIndex?? = filter.programme.map { ledger.programmes.find($0) }
        let enterpriseFilter: EnterpriseIndex?? = filter.enterprise.map { ledger.enterprises.find($0) }
        // Each group has a slot in a table over every value it can take (interned indexes, the
        // years and months dates allow, tiers) holding its row's place, rows made as groups are
        // first seen: no hashing per grant, and a table of 32-bit places, not of figures.
        var rowOfSlot = [Int32](repeating: -1, count: GrantBreakdown.slotCount(grouping, ledger: ledger))
        var rows: [Row] = []
        // By enterprise the slots and rows are tables larger than the cache, met at random: each
        // grant asks for its slot `2 * lookaheadGrants` grants before it gets there, and for its
        // row (found in the slot asked for before) `lookaheadGrants` grants before.
        let prefetches = grouping == .enterprise
        let lookahead = GrantBreakdown.lookaheadGrants
        for position in grants.indices {
            if prefetches {
                if position + 2 * lookahead < grants.count, let far = grants[position + 2 * lookahead]?.enterprise.offset {
                    rowOfSlot.prefetch(far)
                }
                if position + lookahead < grants.count, let near = grants[position + lookahead]?.enterprise.offset {
                    rows.prefetch(Int(rowOfSlot[near]))
                }
            }
            anticipate?(position)
            guard let grant = grants[position] else { continue }
            if let programmeFilter, grant.programme != programmeFilter { continue }
            if let enterpriseFilter, grant.enterprise != enterpriseFilter { continue }
            if let year = filter.year, grant.awarded.year != year { continue }
            if let side, side.sides[grant.enterprise.offset] != side.wanted { continue }
            let slot = GrantBreakdown.slot(of: grant, by: grouping, tierAtGrant: tierAtGrant)
            var row = Int(rowOfSlot[slot])
            if row < 0 {
                row = rows.count
                rowOfSlot[slot] = Int32(truncatingIfNeeded: row)
                rows.append(Row(group: GrantBreakdown.group(ofSlot: slot, by: grouping)))
            }
            let grantFigures = PeriodFigures(grant: grant)
            rows[row].figures += grantFigures
            total += grantFigures
        }
        // Slot order is key order for tiers (by rank), years and months (dates have four-digit
        // years, `CalendarDate.minimumYear...maximumYear`); names are sorted.
        switch grouping {
        case .year, .month, .tier: order = rowOfSlot.filter { $0 >= 0 }
        case .programme: order = GrantBreakdown.nameOrder(rows, rowOfSlot: rowOfSlot, names: ledger.programmes)
        case .enterprise: order = GrantBreakdown.nameOrder(rows, rowOfSlot: rowOfSlot, names: ledger.enterprises)
        }
        seenRows = rows
    }

    /// The rows of `first` then those of `second`, in key order: two sides of a breakdown by
    /// enterprise whose every key in `first` sorts before every key in `second`.
    init(joining first: GrantBreakdown, _ second: GrantBreakdown) {
        precondition(first.kept == nil && second.kept == nil && first.grouping == second.grouping, "two computed halves")
        grouping = first.grouping
        ledger = first.ledger
        kept = nil
        seenRows = first.seenRows + second.seenRows
        let offset = Int32(first.seenRows.count)
        order = first.order + second.order.map { $0 + offset }
        total = first.total + second.total
    }

    /// Gives each row the name `name(group)` (programmes and enterprises).
    mutating func name(_ name: (Int) -> TextIndex?) {
        precondition(kept == nil && isLabelled, "rows of a labelled grouping computed here")
        for row in seenRows.indices { seenRows[row].name = name(seenRows[row].group) }
    }

    /// The breakdown by enterprise with no filter, as the snapshot kept it at the heads (rows in
    /// key order, read in place: no replay, no grouping, no sort).
    init(kept: Kept, ledger: Ledger) {
        grouping = .enterprise
        seenRows = []
        order = []
        total = kept.total
        self.ledger = ledger
        self.kept = kept
    }

    /// How far ahead the grouping loop asks for a group's figures: a few hundred nanoseconds of
    /// grants, about one cache miss.
    static let lookaheadGrants = 8

    /// How many slots `slot(of:by:models:)` can give.
    private static func slotCount(_ grouping: Grouping, ledger: Ledger) -> Int {
        let years = CalendarDate.maximumYear - CalendarDate.minimumYear + 1
        switch grouping {
        case .year: return years
        case .month: return years * 12
        case .programme: return ledger.nameCounts.programmes
        case .enterprise: return ledger.nameCounts.enterprises
        case .tier: return Tier.allCases.count
        }
    }

    /// A grant's slot in the table of groups.
    @inline(__always)
    private static func slot(of grant: GrantState, by grouping: Grouping, tierAtGrant: (GrantState) -> Tier) -> Int {
        switch grouping {
        case .year:
            let year = grant.awarded.year
            precondition(year >= CalendarDate.minimumYear && year <= CalendarDate.maximumYear, "a date within the years the ledger allows")
            return year - CalendarDate.minimumYear
        case .month:
            let (year, month, _) = grant.awarded.components
            precondition(year >= CalendarDate.minimumYear && year <= CalendarDate.maximumYear, "a date within the years the ledger allows")
            return (year - CalendarDate.minimumYear) * 12 + month - 1
        case .programme: return grant.programme.offset
        case .enterprise: return grant.enterprise.offset
        case .tier: return Int(tierAtGrant(grant).rawValue)
        }
    }

    /// The group (see `Row.group`) a slot stands for.
    private static func group(ofSlot slot: Int, by grouping: Grouping) -> Int {
        switch grouping {
        case .year: return CalendarDate.minimumYear + slot
        case .month: return Int(CalendarDate(year: CalendarDate.minimumYear + slot / 12, month: slot % 12 + 1, day: 1)!.daysSinceEpoch)
        case .programme, .enterprise, .tier: return slot
        }
    }

    /// The places in `rows` (in the order their groups were first seen) in the order of their
    /// keys as Strings (`Interner.positionsInNameOrder`: bytes compared in place when every key
    /// is ASCII, as ids always are). ASCII names, distinct bytes, never compare equal: they are
    /// ranked in index order, their names read one after another where they lie in the table
    /// rather than at random. Other names are ranked in the order their groups were first
    /// seen, so that canonically equivalent spellings, which compare equal as Strings, keep that
    /// order as they always did.
    private static func nameOrder<Index: InternedIndex>(_ rows: [Row], rowOfSlot: [Int32], names: Interner<Index>) -> [Int32] {
        guard rows.count > 1 else { return rows.indices.map { Int32($0) } }
        let seenGroups = rows.map { Index(offset: $0.group) }
        guard names.namesAreASCII(seenGroups) else {
            return names.positionsInNameOrder(seenGroups).map { Int32(truncatingIfNeeded: $0) }
        }
        var groups: [Int32] = []
        groups.reserveCapacity(rows.count)
        for slot in rowOfSlot.indices where rowOfSlot[slot] >= 0 { groups.append(Int32(truncatingIfNeeded: slot)) }
        precondition(groups.count == rows.count, "each row's group was seen once")
        return names.positionsInNameOrder(groups.map { Index(offset: Int($0)) }).map { rowOfSlot[Int(groups[$0])] }
    }

    // MARK: Rows by position (computed or kept)

    // Kept rows are reached through optional chaining, which borrows them in place: `if let`
    // would copy the kept columns (a retain and release of each) once per row.

    /// How many rows the breakdown shows.
    public var rowCount: Int { kept?.count ?? order.count }

    /// The computed row at `position` in key order.
    func row(at position: Int) -> Row { seenRows[Int(order[position])] }

    /// The figures of the row at `position` (in key order).
    public func figures(at position: Int) -> PeriodFigures {
        if let figures = kept?.figures(at: position) { return figures }
        return row(at: position).figures
    }

    /// `key(of:)` of the row at `position`.
    public func key(at position: Int) -> String {
        if let key = kept?.keys.string(position) { return key }
        return key(of: row(at: position))
    }

    /// `label(of:)` of the row at `position`.
    public func label(at position: Int) -> String {
        if let label = kept?.names.string(position) { return label }
        return label(of: row(at: position))
    }

    /// Appends the UTF-8 bytes of `key(at: position)`.
    public func appendKey(at position: Int, to bytes: inout [UInt8]) {
        guard kept?.keys.appendBytes(of: position, to: &bytes) == nil else { return }
        appendKey(of: row(at: position), to: &bytes)
    }

    /// Whether every key and name this breakdown writes is known well-formed UTF-8 (kept rows whose
    /// names were checked when read); otherwise output checks each.
    public var labelsAreValidUTF8: Bool { kept?.namesAreValidUTF8 ?? false }

    /// Starts loading what writing the rows after `position` reads, for a breakdown by
    /// enterprise computed here: its keys and names lie at random in tables larger than the
    /// cache, as are the rows themselves (in the order their groups were first seen). Called
    /// once a row, it asks for the row `2 * lookaheadRows` on, for where the names of the row
    /// `lookaheadRows` on start, and for the bytes of the row half as far on, whose starts it
    /// asked for before.
    public func anticipateRows(after position: Int) {
        guard kept == nil, grouping == .enterprise else { return }
        if position + 2 * GrantBreakdown.lookaheadRows < order.count {
            seenRows.prefetch(Int(order[position + 2 * GrantBreakdown.lookaheadRows]))
        }
        anticipate(row: position + GrantBreakdown.lookaheadRows, step: .entry)
        anticipate(row: position + GrantBreakdown.lookaheadRows / 2, step: .bytes)
    }

    /// A step of asking for the key and name of the row at `position`, if there is one.
    @inline(__always)
    private func anticipate(row position: Int, step: PrefetchStep) {
        guard position < order.count else { return }
        let row = row(at: position)
        ledger.enterprises.prefetch(EnterpriseIndex(offset: row.group), step: step)
        if let name = row.name { ledger.texts.prefetch(name, step: step) }
    }

    /// How many rows ahead `anticipateRows(after:)` starts asking.
    static let lookaheadRows = 16

    /// Appends the UTF-8 bytes of `label(at: position)`.
    public func appendLabel(at position: Int, to bytes: inout [UInt8]) {
        guard kept?.names.appendBytes(of: position, to: &bytes) == nil else { return }
        appendLabel(of: row(at: position), to: &bytes)
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
            ledger.programmes.appendBytes(of: ProgrammeIndex(offset: row.group), to: &bytes)
        case .enterprise:
            ledger.enterprises.appendBytes(of: EnterpriseIndex(offset: row.group), to: &bytes)
        case .tier:
            bytes.append(contentsOf: Tier(rawValue: Int8(row.group))!.name.utf8)
        }
    }

    /// Appends the UTF-8 bytes of `label(of: row)`.
    public func appendLabel(of row: Row, to bytes: inout [UInt8]) {
        guard let name = row.name else { return }
        ledger.texts.appendBytes(of: name, to: &bytes)
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
        // Computed rows are checked where they lie (the order reads them at random), and only
        // if one is refused in key order to find the first.
        if kept != nil || !seenRows.allSatisfy({ isShown($0.figures) }) {
            for position in 0..<rowCount where !isShown(figures(at: position)) {
                try check(figures(at: position), "the row \(key(at: position))")
            }
        }
        try check(total, "the total")
    }

    /// Whether rows carry a name beside their key (programme and enterprise names).
    public var isLabelled: Bool { grouping == .programme || grouping == .enterprise }

    /// The rows; grouped by programme or enterprise, each with the `name` the table and CSV show.
    public var json: JSONValue {
        let labelled = isLabelled
        return .array((0..<rowCount).map { position in
            let row = figures(at: position)
            return .record([("key", .text(key(at: position)))] + (labelled ? [("name", .text(label(at: position)))] : []) + [
                ("count", .integer(row.count)), ("awardedFen", .fen(row.awardedFen)),
                ("disbursedFen", .fen(row.disbursedFen)), ("recoveredFen", .fen(row.recoveredFen))])
        })
    }
}

extension GrantBreakdown: Equatable {
    /// Equal groupings, figures, keys and names (two ledgers may intern the same key at different indexes).
    public static func == (left: GrantBreakdown, right: GrantBreakdown) -> Bool {
        left.grouping == right.grouping && left.total == right.total && left.rowCount == right.rowCount
            && (0..<left.rowCount).allSatisfy { position in
                left.figures(at: position) == right.figures(at: position) && left.key(at: position) == right.key(at: position)
                    && left.label(at: position) == right.label(at: position)
            }
    }
}

extension ReadModels {
    /// The enterprise's tier on the award date, as known in this window (same-day changes included).
    public func tierAtGrant(_ grant: GrantState) -> Tier {
        enterprises[grant.enterprise]?.tier(on: grant.awarded) ?? .none
    }

    /// Asks ahead for what a tier on a date (`EnterpriseState.tier(on:)`) reads: the enterprises'
    /// states and their tier changes lie anywhere in tables of a million, so the state of `far`
    /// (met later) is asked for, and the tier changes of `near` (whose state was asked for
    /// before). Hints only.
    @inline(__always)
    func anticipateTier(far: EnterpriseIndex?, near: EnterpriseIndex?) {
        if let far { enterprises.prefetch(far.offset) }
        if let near { enterprises[near]?.history.prefetch() }
    }

    /// `anticipateTier` for `tierAtGrant` of the grants of `grants` after `position`: the
    /// enterprise of the grant `2 * lookahead` on, and the tier changes of the one `lookahead` on.
    @inline(__always)
    func anticipateTierAtGrant(of grants: [GrantState?], after position: Int,
                               lookahead: Int = GrantBreakdown.lookaheadGrants) {
        anticipateTier(far: position + 2 * lookahead < grants.count ? grants[position + 2 * lookahead]?.enterprise : nil,
                       near: position + lookahead < grants.count ? grants[position + lookahead]?.enterprise : nil)
    }
}
