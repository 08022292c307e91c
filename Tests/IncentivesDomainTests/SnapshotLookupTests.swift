@testable import IncentivesDomain
import IncentivesTestSupport
import LedgerColumns
import LedgerLog
import Testing

/// A query that reads a name table by index only (it looks no name up in it) opens it from the
/// snapshot without its hash table: that column is neither read nor hashed, the answer is the
/// full read's, and the tables it does look names up in keep theirs.
@Suite struct SnapshotLookupTests {
    /// The name tables of `ledger` that hold names and can be looked in (a table not read is
    /// left empty, as a new one is).
    static func searchableTablesRead(_ ledger: Ledger) -> NameTables {
        var tables: NameTables = []
        if ledger.programmes.count > 0 && ledger.programmes.isSearchable { tables.insert(.programmes) }
        if ledger.grants.count > 0 && ledger.grants.isSearchable { tables.insert(.grants) }
        if ledger.enterprises.count > 0 && ledger.enterprises.isSearchable { tables.insert(.enterprises) }
        if ledger.centres.count > 0 && ledger.centres.isSearchable { tables.insert(.centres) }
        if ledger.texts.count > 0 && ledger.texts.isSearchable { tables.insert(.texts) }
        return tables
    }

    @Test("an enterprise's profile reads the texts, grants and programmes without their hash tables, at the heads and in a window")
    func profileLooksUpTheEnterpriseAlone() throws {
        let (directory, cold) = try KeptModelOpeningTests.saved(seed: 57)
        let heads = KeptModelOpeningTests.headWindow(cold)
        let asOf = TimeWindow(asOf: CalendarDate(year: 2023, month: 6, day: 30)!, knownAt: heads.knownAt)
        for (window, source) in [(heads, LedgerOpening.Source.keptModels), (asOf, .readModels)] {
            let opening = try directory.open(scope: EnterpriseProfile.scope(window))
            #expect(opening.source == source, "\(window)")
            let ledger = opening.ledger
            #expect(Self.searchableTablesRead(ledger) == [.enterprises], "\(window)")
            #expect(ledger.texts.count == cold.texts.count && ledger.grants.count == cold.grants.count
                && ledger.programmes.count == cold.programmes.count, "read, by index only")
            let models = ledger.models(in: window), coldModels = cold.models(in: window)
            var profiles = 0
            for index in 0..<cold.enterprises.count {
                let code = cold.enterprises.string(EnterpriseIndex(offset: index))
                let profile = EnterpriseProfile(ledger: ledger, models: models, code: code)
                #expect(profile == EnterpriseProfile(ledger: cold, models: coldModels, code: code), "\(code), \(window)")
                if profile != nil { profiles += 1 }
            }
            #expect(profiles > 0)
        }
    }

    @Test("a breakdown filtered by programme looks up the programme alone")
    func filterLooksUpItsTable() throws {
        let (directory, cold) = try KeptModelOpeningTests.saved(seed: 58)
        let heads = KeptModelOpeningTests.headWindow(cold)
        let filter = GrantBreakdown.Filter(programme: cold.programmes.string(ProgrammeIndex(offset: 0)))
        for grouping in GrantBreakdown.Grouping.allCases {
            let opening = try directory.open(scope: GrantBreakdown.scope(heads, grouping: grouping, filter: filter))
            #expect(opening.source == .keptModels)
            #expect(Self.searchableTablesRead(opening.ledger) == [.programmes], "by \(grouping)")
            #expect(opening.ledger.programmes.isSearchable, "by \(grouping)")
            let ledger = opening.ledger
            #expect(GrantBreakdown(ledger: ledger, models: ledger.models(in: heads), grouping: grouping, filter: filter)
                == GrantBreakdown(ledger: cold, models: cold.models(in: heads), grouping: grouping, filter: filter), "by \(grouping)")
        }
    }

    @Test("damage in a hash table the query does not read leaves its answer alone; a whole opening refuses it")
    func unreadHashTablesAreNotHashed() throws {
        let (directory, cold) = try KeptModelOpeningTests.saved(seed: 59)
        let heads = KeptModelOpeningTests.headWindow(cold)
        let original = directory.readSnapshot()
        let file = try ColumnFile(bytes: original)
        let slots = try #require(file.placement(of: SnapshotColumn.textSlots.rawValue))
        var damaged = original
        damaged[slots.offset] ^= 0x01
        directory.writeSnapshot(damaged)
        let code = cold.enterprises.string(EnterpriseIndex(offset: 0))
        let opening = try directory.open(scope: EnterpriseProfile.scope(heads))
        #expect(opening.source == .keptModels, "the texts' hash table was neither read nor hashed")
        #expect(EnterpriseProfile(ledger: opening.ledger, models: opening.ledger.models(in: heads), code: code)
            == EnterpriseProfile(ledger: cold, models: cold.models(in: heads), code: code))
        #expect(try directory.open().source == .logs(snapshotRejected: .damaged), "its digest refuses a whole opening")
    }
}
