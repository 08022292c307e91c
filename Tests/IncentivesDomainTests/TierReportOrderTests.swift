@testable import IncentivesDomain
import LedgerLog
import Testing

/// `TierReport` keeps its moves as integers and orders them by date, then by the enterprise's
/// code ranked once (by its bytes when every code is ASCII), then by tier history: here it must
/// give the order a sort of Strings gives, as the report always did.
@Suite struct TierReportOrderTests {
    /// The reference: every move made a `Transition` of Strings, sorted by (date, code).
    static func reference(_ ledger: Ledger, _ models: ReadModels, from: CalendarDate?, to: CalendarDate?) -> [TierReport.Transition] {
        var transitions: [TierReport.Transition] = []
        for (index, enterprise) in models.enterprises.enumerated() {
            guard let enterprise else { continue }
            for change in enterprise.history {
                if let from, change.effective < from { continue }
                if let to, change.effective > to { continue }
                transitions.append(TierReport.Transition(
                    effective: change.effective, enterprise: ledger.enterprises.string(EnterpriseIndex(offset: index)),
                    name: ledger.texts.string(enterprise.name), from: change.from, to: change.to))
            }
        }
        return transitions.sorted { ($0.effective, $0.enterprise) < ($1.effective, $1.enterprise) }
    }

    @Test("moves by date, then code as Strings, then tier history, for ASCII codes and for codes that are not",
          arguments: [false, true])
    func movesInStringOrder(withCodesNotASCII: Bool) {
        var ledger = Ledger()
        let ascii = ["91321204MA1X0000B", "Z", "a", "91321204MA1X0000A", "ab", "9132", "zz", "913212"]
        let codes = withCodesNotASCII ? ascii + ["e\u{301}z", "éa", "e\u{301}", "é", "\u{212B}", "\u{C5}", "中", "A\u{30A}b"] : ascii
        let enterprises = codes.map { ledger.enterprises.intern($0) }
        let names = codes.map { ledger.texts.intern("企业 " + $0) }
        var models = ReadModels(ledger: ledger)
        let tiers: [Tier] = [.startup, .sme, .highTech, .influential]
        for (position, enterprise) in enterprises.enumerated() where position != 2 {
            var state = EnterpriseState(registered: CalendarDate(year: 2021, month: 1, day: 1)!, name: names[position], sector: names[0])
            // Moves on shared days (every third enterprise on the same dates) and two on one day.
            for step in 0..<(2 + position % 3) {
                let day = position % 3 == 0 ? 1 + step : 1 + (position * 5 + step * 3) % 27
                state.changeTier(to: tiers[(position + step) % tiers.count], on: CalendarDate(year: 2022, month: 1 + step % 2, day: day)!,
                                 event: EventIndex(offset: position * 10 + step))
            }
            state.changeTier(to: .none, on: CalendarDate(year: 2022, month: 3, day: 1)!, event: EventIndex(offset: position * 10 + 9))
            models.enterprises[enterprise.offset] = state
        }
        let periods: [(CalendarDate?, CalendarDate?)] = [
            (nil, nil), (CalendarDate(year: 2022, month: 1, day: 3), nil), (nil, CalendarDate(year: 2022, month: 1, day: 31)),
        ]
        for (from, to) in periods {
            let report = TierReport(ledger: ledger, models: models, transitionsFrom: from, to: to, includeTransitions: true)
            let expected = Self.reference(ledger, models, from: from, to: to)
            #expect(!expected.isEmpty)
            #expect(report.transitions == expected, "from \(from?.description ?? "-") to \(to?.description ?? "-")")
            // The bytes written for each move are those of its Strings.
            for (move, transition) in zip(report.moves ?? [], expected) {
                var code: [UInt8] = [], name: [UInt8] = []
                report.appendEnterprise(of: move, to: &code)
                report.appendName(of: move, to: &name)
                #expect(code == Array(transition.enterprise.utf8) && name == Array(transition.name.utf8))
            }
        }
        let counts = TierReport(ledger: ledger, models: models, transitionsFrom: nil, to: nil, includeTransitions: false)
        #expect(counts.moves == nil && counts.counts.reduce(0, +) == codes.count - 1)
        if withCodesNotASCII {
            // Not vacuous: the codes' bytes alone would order these otherwise.
            let keys = codes.sorted()
            #expect(keys.map { Array($0.utf8) } != keys.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) })
        }
    }
}
