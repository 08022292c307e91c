import LedgerLog

/// Grants grouped by one key, with filters: the auditor's "who got what" table.
public struct GrantBreakdown: Sendable, Equatable {
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
        public var key: String
        /// A name for the key where it has one (enterprise, programme), for people.
        public var label: String
        public var count = 0
        /// Summed in 128 bits (`FenTotal`); `checkShown()` refuses what output cannot show.
        public var awardedFen: Int128 = 0
        public var disbursedFen: Int128 = 0
        public var recoveredFen: Int128 = 0

        public init(key: String, label: String) {
            self.key = key
            self.label = label
        }
    }

    public var grouping: Grouping
    public var rows: [Row]
    /// Every row together: what the table's last line shows.
    public var total = Row(key: "total", label: "")

    public init(ledger: Ledger, models: ReadModels, grouping: Grouping, filter: Filter) {
        self.grouping = grouping
        // A filter naming nothing in the ledger (inner nil) matches no grant.
        let programmeFilter: ProgrammeIndex?? = filter.programme.map { ledger.programmes.find($0) }
        let enterpriseFilter: EnterpriseIndex?? = filter.enterprise.map { ledger.enterprises.find($0) }
        // Grants are grouped by an integer (interned index, year, month or tier rank), so
        // that the key and label strings are made once per row, not once per grant.
        var rowsByGroup: [Int: Int] = [:]
        var groups: [Int] = []
        var totals: [Row] = []
        for grant in models.grants {
            guard let grant else { continue }
            if let programmeFilter, grant.programme != programmeFilter { continue }
            if let enterpriseFilter, grant.enterprise != enterpriseFilter { continue }
            if let year = filter.year, grant.awarded.year != year { continue }
            let group = GrantBreakdown.group(of: grant, by: grouping, models: models)
            let position: Int
            if let found = rowsByGroup[group] {
                position = found
            } else {
                position = totals.count
                rowsByGroup[group] = position
                groups.append(group)
                totals.append(Row(key: "", label: ""))
            }
            totals[position].count += 1
            totals[position].awardedFen += Int128(grant.awardedFen)
            totals[position].disbursedFen += grant.disbursedFen
            totals[position].recoveredFen += grant.recoveredFen
            total.count += 1
            total.awardedFen += Int128(grant.awardedFen)
            total.disbursedFen += grant.disbursedFen
            total.recoveredFen += grant.recoveredFen
        }
        for position in totals.indices {
            (totals[position].key, totals[position].label) =
                GrantBreakdown.keyAndLabel(of: groups[position], by: grouping, ledger: ledger, models: models)
        }
        if grouping == .tier {
            // Tiers sort by rank, which is their group number.
            rows = zip(groups, totals).sorted { $0.0 < $1.0 }.map(\.1)
        } else {
            // Keys are sortable strings; distinct groups have distinct keys.
            rows = totals.sorted { $0.key < $1.key }
        }
    }

    /// The integer a grant is grouped by: an interned index, a year, the day number of the first of
    /// its month, or a tier's rank.
    private static func group(of grant: GrantState, by grouping: Grouping, models: ReadModels) -> Int {
        switch grouping {
        case .year: return grant.awarded.year
        case .month:
            let (year, month, _) = grant.awarded.components
            return Int(CalendarDate(year: year, month: month, day: 1)!.daysSinceEpoch)
        case .programme: return grant.programme.offset
        case .enterprise: return grant.enterprise.offset
        case .tier: return Int(models.tierAtGrant(grant).rawValue)
        }
    }

    /// The row's key and label, from its group number.
    private static func keyAndLabel(of group: Int, by grouping: Grouping, ledger: Ledger,
                                    models: ReadModels) -> (key: String, label: String) {
        switch grouping {
        case .year:
            return (String(group), "")
        case .month:
            return (String(CalendarDate(daysSinceEpoch: Int32(group)).description.prefix(7)), "")
        case .programme:
            let programme = ProgrammeIndex(offset: group)
            return (ledger.programmes.string(programme),
                    models.programmes[group].map { ledger.texts.string($0.name) } ?? "")
        case .enterprise:
            let enterprise = EnterpriseIndex(offset: group)
            return (ledger.enterprises.string(enterprise),
                    models.enterprises[group].map { ledger.texts.string($0.name) } ?? "")
        case .tier:
            return (Tier(rawValue: Int8(group))!.name, "")
        }
    }

    /// Exit 65 naming the first figure, a row's or the total's, that output (64-bit fen) cannot show.
    public func checkShown() throws(LedgerError) {
        func check(_ row: Row, _ name: String) throws(LedgerError) {
            try FenTotal.shown(row.awardedFen, "\(name)'s awarded amount (grants by \(grouping.rawValue))")
            try FenTotal.shown(row.disbursedFen, "\(name)'s disbursed amount (grants by \(grouping.rawValue))")
            try FenTotal.shown(row.recoveredFen, "\(name)'s recovered amount (grants by \(grouping.rawValue))")
        }
        for row in rows { try check(row, "the row \(row.key)") }
        try check(total, "the total")
    }

    /// Whether rows carry a name beside their key (programme and enterprise names).
    public var isLabelled: Bool { grouping == .programme || grouping == .enterprise }

    /// The rows; grouped by programme or enterprise, each with the `name` the table and CSV show.
    public var json: JSONValue {
        let labelled = isLabelled
        return .array(rows.map { row in
            .record([("key", .text(row.key))] + (labelled ? [("name", .text(row.label))] : []) + [
                ("count", .integer(row.count)), ("awardedFen", .fen(row.awardedFen)),
                ("disbursedFen", .fen(row.disbursedFen)), ("recoveredFen", .fen(row.recoveredFen))])
        })
    }
}

extension ReadModels {
    /// The enterprise's tier on the award date, as known in this window (same-day changes included).
    public func tierAtGrant(_ grant: GrantState) -> Tier {
        enterprises[grant.enterprise]?.tier(on: grant.awarded) ?? .none
    }
}
