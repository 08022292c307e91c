@testable import IncentivesDomain
import IncentivesTestSupport
import LedgerLog
import Testing

/// Each query that declares what it reads (`scope`) answers from a ledger opened for that alone
/// exactly as from a full read: at the heads from the kept models, in another window from the
/// events without ids; and the tables it does not declare are not read.
@Suite struct QueryScopeTests {
    static func windows(_ cold: Ledger) -> [(String, TimeWindow, LedgerOpening.Source)] {
        let heads = KeptModelOpeningTests.headWindow(cold)
        return [
            ("heads", heads, .keptModels),
            ("as of", TimeWindow(asOf: CalendarDate(year: 2023, month: 6, day: 30)!, knownAt: heads.knownAt), .readModels),
            ("known before", TimeWindow(asOf: nil, knownAt: Timestamp(secondsSinceEpoch: heads.knownAt.secondsSinceEpoch - 86_400)),
             .readModels),
        ]
    }

    @Test("centres, tiers (with and without transitions) and programmes answer from their scope as from a full read",
          arguments: [71, 72] as [UInt64])
    func scopedQueriesAnswerAsAFullRead(seed: UInt64) throws {
        let (directory, cold) = try KeptModelOpeningTests.saved(seed: seed)
        for (label, window, source) in Self.windows(cold) {
            let full = cold.models(in: window)
            let centres = try directory.open(scope: CentreRegister.scope(window))
            #expect(centres.source == source, "centres, \(label)")
            #expect(CentreRegister(ledger: centres.ledger, models: centres.ledger.models(in: window))
                == CentreRegister(ledger: cold, models: full), "centres, \(label)")
            #expect(centres.ledger.enterprises.count == 0 && centres.ledger.programmes.count == 0, "only the centres' names are read")
            for transitions in [false, true] {
                let tiers = try directory.open(scope: TierReport.scope(window, includeTransitions: transitions))
                #expect(tiers.source == source, "tiers, \(label)")
                let report = TierReport(ledger: tiers.ledger, models: tiers.ledger.models(in: window), transitionsFrom: nil, to: nil,
                                        includeTransitions: transitions)
                let expected = TierReport(ledger: cold, models: full, transitionsFrom: nil, to: nil, includeTransitions: transitions)
                #expect(report == expected, "tiers, \(label), transitions \(transitions)")
                #expect(report.counts.reduce(0, +) > 0)
                #expect((tiers.ledger.texts.count > 0) == transitions, "names are read only for the transitions")
            }
            let programmes = try directory.open(scope: ProgrammeBudget.scope(window))
            #expect(programmes.source == source, "programmes, \(label)")
            let budget = try ProgrammeBudget(ledger: programmes.ledger, models: programmes.ledger.models(in: window))
            #expect(budget == (try ProgrammeBudget(ledger: cold, models: full)), "programmes, \(label)")
            // Summed in flat cells and through the dictionary of cells alike.
            #expect(budget == (try ProgrammeBudget(ledger: cold, models: full, maximumCells: 0)), "programmes by dictionary, \(label)")
            #expect(budget.programmes.contains { $0.years.count > 1 && $0.years.contains { $0.grants > 0 } }, "years of grants to sum")
            #expect(!budget.programmes.isEmpty && programmes.ledger.enterprises.count == 0)
            // An enterprise's profile names the events of its tier changes: the ids are read, nothing else of the events.
            let profiles = try directory.open(scope: EnterpriseProfile.scope(window))
            #expect(profiles.source == source, "enterprise, \(label)")
            #expect(profiles.ledger.holdsReadModelsOnly && profiles.ledger.eventIds.count == cold.count)
            var profiled = 0
            for index in 0..<cold.enterprises.count {
                let code = cold.enterprises.string(EnterpriseIndex(offset: index))
                let expected = EnterpriseProfile(ledger: cold, models: full, code: code)
                #expect(EnterpriseProfile(ledger: profiles.ledger, models: profiles.ledger.models(in: window), code: code) == expected,
                        "enterprise \(code), \(label)")
                if let expected, !expected.history.isEmpty { profiled += 1 }
            }
            #expect(profiled > 0, "some enterprise has tier changes to name")
        }
    }
}
