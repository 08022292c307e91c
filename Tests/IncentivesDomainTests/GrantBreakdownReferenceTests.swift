@testable import IncentivesDomain
import IncentivesTestSupport
import LedgerLog
import Testing

/// `GrantBreakdown` groups by integers and sorts by the names' bytes; here it must give what a
/// plain computation gives: a row per distinct key made as a String for every grant, rows in the
/// order of their keys as Strings (tiers by rank), figures and names equal, for every grouping and
/// filter, on generated ledgers read from the logs and from the snapshot's kept read models.
@Suite struct GrantBreakdownReferenceTests {
    typealias Grouping = GrantBreakdown.Grouping
    typealias Filter = GrantBreakdown.Filter

    struct ReferenceRow: Equatable {
        var key: [UInt8]
        var label: [UInt8]
        var figures: PeriodFigures
    }

    /// The breakdown as a reader of the events would work it out: a String key per grant, rows kept
    /// apart by their keys' bytes, in the order first seen, then sorted by key as Strings (tiers by rank).
    static func reference(ledger: Ledger, models: ReadModels, grouping: Grouping,
                          filter: Filter) -> (rows: [ReferenceRow], total: PeriodFigures) {
        var positions: [[UInt8]: Int] = [:]
        var rows: [(key: String, label: String, rank: Int, figures: PeriodFigures)] = []
        var total = PeriodFigures()
        for grant in models.grants {
            guard let grant else { continue }
            let programme = ledger.programmes.string(grant.programme), enterprise = ledger.enterprises.string(grant.enterprise)
            if let wanted = filter.programme, Array(wanted.utf8) != Array(programme.utf8) { continue }
            if let wanted = filter.enterprise, Array(wanted.utf8) != Array(enterprise.utf8) { continue }
            let (year, month, _) = grant.awarded.components
            if let wanted = filter.year, wanted != year { continue }
            let tier = models.enterprises[grant.enterprise.offset]?.history.last(where: { $0.effective <= grant.awarded })?.to ?? .none
            let key: String
            var label = ""
            switch grouping {
            case .year: key = String(year)
            case .month: key = String(year) + "-" + (month < 10 ? "0" : "") + String(month)
            case .tier: key = tier.name
            case .programme:
                key = programme
                label = models.programmes[grant.programme.offset].map { ledger.texts.string($0.name) } ?? ""
            case .enterprise:
                key = enterprise
                label = models.enterprises[grant.enterprise.offset].map { ledger.texts.string($0.name) } ?? ""
            }
            let figures = PeriodFigures(count: 1, awardedFen: Int128(grant.awardedFen.rawValue),
                                        disbursedFen: grant.disbursedFen, recoveredFen: grant.recoveredFen)
            if let position = positions[Array(key.utf8)] {
                rows[position].figures += figures
            } else {
                positions[Array(key.utf8)] = rows.count
                rows.append((key, label, Int(tier.rawValue), figures))
            }
            total += figures
        }
        let sorted = grouping == .tier ? rows.sorted { $0.rank < $1.rank } : rows.sorted { $0.key < $1.key }
        return (sorted.map { ReferenceRow(key: Array($0.key.utf8), label: Array($0.label.utf8), figures: $0.figures) }, total)
    }

    /// The breakdown's rows as the reference spells them, through both the String and the byte accessors.
    static func expectAgrees(ledger: Ledger, models: ReadModels, grouping: Grouping, filter: Filter,
                             _ context: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let breakdown = GrantBreakdown(ledger: ledger, models: models, grouping: grouping, filter: filter)
        let expected = reference(ledger: ledger, models: models, grouping: grouping, filter: filter)
        var key: [UInt8] = [], label: [UInt8] = []
        let rows = breakdown.rows.map { row in
            key.removeAll()
            label.removeAll()
            breakdown.appendKey(of: row, to: &key)
            breakdown.appendLabel(of: row, to: &label)
            #expect(key == Array(breakdown.key(of: row).utf8) && label == Array(breakdown.label(of: row).utf8),
                    "\(context): bytes and Strings of a row differ", sourceLocation: sourceLocation)
            return ReferenceRow(key: key, label: label, figures: row.figures)
        }
        #expect(rows == expected.rows, "\(context): rows differ", sourceLocation: sourceLocation)
        #expect(breakdown.total == expected.total, "\(context): totals differ", sourceLocation: sourceLocation)
        #expect(breakdown.isLabelled == (grouping == .programme || grouping == .enterprise), sourceLocation: sourceLocation)
    }

    /// No filter, each of a few programmes, enterprises and years (one of each naming nothing), and combinations.
    static func filters(_ ledger: Ledger, _ models: ReadModels) -> [Filter] {
        let awarded = models.grants.compactMap { $0 }
        let programmes = Array(Set(awarded.map { ledger.programmes.string($0.programme) })).sorted().prefix(3)
        let enterprises = Array(Set(awarded.map { ledger.enterprises.string($0.enterprise) })).sorted().prefix(3)
        let years = Array(Set(awarded.map(\.awarded.year))).sorted()
        var filters: [Filter] = [.init(), .init(programme: "no-such-programme"), .init(enterprise: ScenarioGenerator.code(9_999)),
                                 .init(year: 1999)]
        filters += programmes.map { .init(programme: $0) } + enterprises.map { .init(enterprise: $0) } + years.map { .init(year: $0) }
        if let programme = programmes.first, let enterprise = enterprises.first, let year = years.last {
            filters += [.init(programme: programme, year: year), .init(programme: programme, enterprise: enterprise),
                        .init(programme: programme, enterprise: enterprise, year: year)]
        }
        return filters
    }

    @Test("every grouping and filter as the reference computes it, read from the logs and from the kept models",
          arguments: [61, 62, 63] as [UInt64])
    func generatedLedgers(seed: UInt64) throws {
        let (directory, cold, warm, heads) = try SnapshotScratchDirectory.generatedColdAndWarm(seed: seed, drafts: 450)
        defer { withExtendedLifetime(directory) {} }
        #expect(warm.answersWithoutReplay(TimeWindow(asOf: nil, knownAt: heads)), "the warm ledger answers the heads from its kept models")
        // Enough programmes that their ids sort otherwise as strings than as numbers ("prog-10" < "prog-2").
        #expect(cold.programmes.count >= 10)
        let windows = [
            TimeWindow(asOf: nil, knownAt: heads),
            TimeWindow(asOf: CalendarDate(year: 2021, month: 10, day: 31)!, knownAt: heads),
            TimeWindow(asOf: nil, knownAt: Timestamp(secondsSinceEpoch: heads.secondsSinceEpoch - 86_400 * 10)),
        ]
        for (ledgerName, ledger) in [("cold", cold), ("warm", warm)] {
            for (position, window) in windows.enumerated() {
                let models = ledger.models(in: window)
                #expect(models.grants.contains { $0 != nil })
                for filter in Self.filters(ledger, models) {
                    for grouping in Grouping.allCases {
                        Self.expectAgrees(ledger: ledger, models: models, grouping: grouping, filter: filter,
                                          "seed \(seed), \(ledgerName), window \(position), by \(grouping.rawValue), \(filter)")
                    }
                }
            }
        }
    }

    /// Ids are ASCII in every ledger the logs or a snapshot give; were one not, the order must still
    /// be that of Strings, where canonically equivalent spellings compare equal and keep the order
    /// they came in, and where bytes and Strings disagree ("e" + U+0301 + "z" after "éa").
    @Test("keys that are not ASCII sort as Strings, equivalent spellings in the order first seen")
    func keysThatAreNotASCII() {
        var ledger = Ledger()
        let codes = ["e\u{301}z", "Z", "éa", "e\u{301}", "é", "a", "ab", "\u{212B}", "\u{C5}", "中", "A\u{30A}b", "zz"]
        let enterprises = codes.map { ledger.enterprises.intern($0) }
        let programmes = ["p-\u{E9}", "p-e\u{301}", "p-1", "p-10", "p-2"].map { ledger.programmes.intern($0) }
        let names = codes.map { ledger.texts.intern("企业 " + $0) }
        var models = ReadModels(ledger: ledger)
        let registered = CalendarDate(year: 2021, month: 1, day: 1)!
        for (position, enterprise) in enterprises.enumerated() where position != 6 {
            // One enterprise with no state in the window: its row has no name.
            var state = EnterpriseState(registered: registered, name: names[position], sector: names[0])
            if position % 3 == 0 { state.changeTier(to: .sme, on: CalendarDate(year: 2022, month: 6, day: 1)!, event: EventIndex(offset: 0)) }
            models.enterprises[enterprise.offset] = state
        }
        for (position, programme) in programmes.enumerated() {
            models.programmes[programme.offset] = ProgrammeState(established: registered, name: names[position],
                                                                terms: [(registered, nil, nil, 3)], budgets: [])
        }
        var grants: [GrantState?] = [nil]
        for index in 0..<60 {
            let enterprise = enterprises[(index * 7) % enterprises.count], programme = programmes[(index * 3) % programmes.count]
            let awarded = CalendarDate(year: 2021 + index % 3, month: 1 + index % 12, day: 1 + index % 28)!
            var grant = GrantState(enterprise: enterprise, programme: programme, project: names[0], awarded: awarded,
                                   awardEvent: EventIndex(offset: index), originalFen: Fen(Int64(100 * (index + 1))),
                                   awardedFen: Fen(Int64(100 * (index + 1))))
            grant.disbursedFen = Int128(index * 10)
            grant.recoveredFen = Int128(index % 4)
            grants.append(grant)
        }
        models.grants = grants
        for grouping in Grouping.allCases {
            for filter in [Filter(), Filter(programme: "p-e\u{301}"), Filter(enterprise: "é"), Filter(year: 2022)] {
                Self.expectAgrees(ledger: ledger, models: models, grouping: grouping, filter: filter, "by \(grouping.rawValue), \(filter)")
            }
        }
        // The reference itself is not vacuous here: bytes alone would order these otherwise.
        let byEnterprise = GrantBreakdown(ledger: ledger, models: models, grouping: .enterprise, filter: .init())
        let keys = byEnterprise.rows.map { byEnterprise.key(of: $0) }
        #expect(keys.count == codes.count)
        #expect(keys.map { Array($0.utf8) } != keys.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) })
        #expect(keys.firstIndex(of: "éa")! < keys.firstIndex(of: "e\u{301}z")!)
    }
}
