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
        public var awardedFen: Int64 = 0
        public var disbursedFen: Int64 = 0
        public var recoveredFen: Int64 = 0

        public init(key: String, label: String) {
            self.key = key
            self.label = label
        }
    }

    public var grouping: Grouping
    public var rows: [Row]

    public init(ledger: Ledger, models: ReadModels, grouping: Grouping, filter: Filter) {
        self.grouping = grouping
        let programmeFilter = filter.programme.map { ledger.programmes.find($0) ?? -2 }
        let enterpriseFilter = filter.enterprise.map { ledger.enterprises.find($0) ?? -2 }
        // Keys are sortable strings, except tiers, which sort by rank.
        var rowsByKey: [String: Row] = [:]
        for grant in models.grants {
            guard let grant else { continue }
            if let programmeFilter, grant.programme != programmeFilter { continue }
            if let enterpriseFilter, grant.enterprise != enterpriseFilter { continue }
            if let year = filter.year, grant.awarded.year != year { continue }
            let key: String, label: String
            switch grouping {
            case .year:
                key = String(grant.awarded.year)
                label = ""
            case .month:
                key = String(grant.awarded.description.prefix(7))
                label = ""
            case .programme:
                key = ledger.programmes.string(grant.programme)
                label = models.programmes[Int(grant.programme)].map { ledger.texts.string($0.name) } ?? ""
            case .enterprise:
                key = ledger.enterprises.string(grant.enterprise)
                label = models.enterprises[Int(grant.enterprise)].map { ledger.texts.string($0.name) } ?? ""
            case .tier:
                key = models.tierAtGrant(grant).name
                label = ""
            }
            var row = rowsByKey[key] ?? Row(key: key, label: label)
            row.count += 1
            row.awardedFen += grant.awardedFen
            row.disbursedFen += grant.disbursedFen
            row.recoveredFen += grant.recoveredFen
            rowsByKey[key] = row
        }
        if grouping == .tier {
            rows = Tier.allCases.compactMap { rowsByKey[$0.name] }
        } else {
            rows = rowsByKey.values.sorted { $0.key < $1.key }
        }
    }

    public var json: JSONValue {
        .array(rows.map { row in
            .record([("key", .text(row.key)), ("count", .integer(row.count)), ("awardedFen", .integer(row.awardedFen)),
                     ("disbursedFen", .integer(row.disbursedFen)), ("recoveredFen", .integer(row.recoveredFen))])
        })
    }
}

extension ReadModels {
    /// The enterprise's tier on the award date, as known in this window (same-day changes included).
    public func tierAtGrant(_ grant: GrantState) -> Tier {
        enterprises[Int(grant.enterprise)]?.tier(on: grant.awarded) ?? .none
    }
}
