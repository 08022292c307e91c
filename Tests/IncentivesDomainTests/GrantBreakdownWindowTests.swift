@testable import IncentivesDomain
import IncentivesTestSupport
import LedgerLog
import Testing

/// The breakdown of grants by enterprise in a window is replayed for what it shows alone: the
/// grants' events on one core, the registrations (the names) on the other
/// (`GrantBreakdown(replayingByEnterpriseOf:in:)`). It must give exactly the breakdown of every
/// model replayed event by event, in every window, from the logs and from the snapshot.
@Suite struct GrantBreakdownWindowTests {
    /// The breakdown of the models an event-by-event replay gives, the reference.
    static func expected(_ ledger: Ledger, _ window: TimeWindow) -> GrantBreakdown {
        GrantBreakdown(ledger: ledger, models: Projection(ledger: ledger, window: window).runEventByEvent(),
                       grouping: .enterprise, filter: .init())
    }

    @Test("replayed for the grants and names alone, as from every model: generated ledgers, cold and warm, many windows",
          arguments: [61, 65] as [UInt64])
    func generatedLedgers(seed: UInt64) throws {
        let (directory, cold, warm, heads) = try SnapshotScratchDirectory.generatedColdAndWarm(seed: seed, drafts: 450)
        defer { withExtendedLifetime(directory) {} }
        var windows = [TimeWindow(asOf: nil, knownAt: heads)]
        for year in 2021...2023 {
            for month in [1, 6, 11] { windows.append(TimeWindow(asOf: CalendarDate(year: year, month: month, day: 15)!, knownAt: heads)) }
        }
        for days in [1, 10, 40, 200] {
            let knownAt = Timestamp(secondsSinceEpoch: heads.secondsSinceEpoch - 86_400 * Int64(days))
            windows.append(TimeWindow(asOf: nil, knownAt: knownAt))
            windows.append(TimeWindow(asOf: CalendarDate(year: 2022, month: 3, day: 1)!, knownAt: knownAt))
        }
        var rowsSeen = 0
        for (name, ledger) in [("cold", cold), ("warm", warm)] {
            for (position, window) in windows.enumerated() {
                let expected = Self.expected(ledger, window)
                #expect(GrantBreakdown(replayingByEnterpriseOf: ledger, in: window) == expected, "seed \(seed), \(name), window \(position)")
                // Grouped and sorted in two halves by the enterprises' sides, joined end to end.
                #expect(GrantBreakdown(replayingByEnterpriseOf: ledger, in: window, halvesFromGrants: 0) == expected,
                        "halves: seed \(seed), \(name), window \(position)")
                #expect(ledger.grantsByEnterprise(in: window) == expected, "seed \(seed), \(name), window \(position)")
                rowsSeen += expected.rowCount
            }
        }
        #expect(rowsSeen > 100, "the windows hold grants")
    }

    /// Names come from the registration that made an enterprise's state in the window: a later
    /// registration under a new name (logs an older build may have written), a deregistration
    /// (the name stays), a retracted registration (no state, so no name, before it is registered
    /// again), and an enterprise with a grant but no registration in the window.
    @Test("names from the registration in force in the window: registered again, deregistered, retracted, not yet registered")
    func namesInTheWindow() throws {
        let builder = try AuditLedgerBuilder()
        builder.writesUncheckedLogs = true
        let first = AuditLedgerBuilder.code(1), second = AuditLedgerBuilder.code(2), third = AuditLedgerBuilder.code(3)
        try builder.programme("yz-rd", effective: "2019-01-01", recorded: "2019-01-01")
        try builder.budget("yz-rd", year: 2021, amountFen: 10_000_000_000, effective: "2019-01-02", recorded: "2019-01-02")
        try builder.budget("yz-rd", year: 2022, amountFen: 10_000_000_000, effective: "2019-01-02", recorded: "2019-01-02")
        try builder.register(first, effective: "2020-01-01", recorded: "2020-01-01", name: "旧名称企业")
        try builder.register(second, effective: "2020-01-01", recorded: "2020-01-01", name: "第二企业")
        let third1 = try builder.register(third, effective: "2020-01-01", recorded: "2020-01-01", name: "第三企业")
        try builder.award("G1", to: first, under: "yz-rd", amountFen: 100_000, effective: "2021-03-01", recorded: "2021-03-01")
        try builder.award("G2", to: second, under: "yz-rd", amountFen: 200_000, effective: "2021-04-01", recorded: "2021-04-01")
        try builder.award("G3", to: third, under: "yz-rd", amountFen: 300_000, effective: "2021-05-01", recorded: "2021-05-01")
        try builder.register(first, effective: "2021-06-01", recorded: "2021-06-01", name: "新名称企业")
        try builder.deregister(second, effective: "2021-07-01", recorded: "2021-07-01")
        try builder.retract(third1, effective: "2021-08-01", recorded: "2021-08-01")
        try builder.register(third, effective: "2021-09-01", recorded: "2021-09-01", name: "第三企业（重新登记）")
        try builder.award("G4", to: first, under: "yz-rd", amountFen: 400_000, effective: "2022-01-10", recorded: "2022-01-10")
        let ledger = try builder.ledger()
        func window(asOf: String?, knownAt: String) -> TimeWindow {
            TimeWindow(asOf: asOf.map(AuditLedgerBuilder.date), knownAt: AuditLedgerBuilder.moment(knownAt))
        }
        let cases: [(TimeWindow, [String])] = [
            (window(asOf: "2021-05-15", knownAt: "2021-05-15"), ["旧名称企业", "第二企业", "第三企业"]),
            (window(asOf: "2021-07-15", knownAt: "2021-07-15"), ["新名称企业", "第二企业", "第三企业"]),
            (window(asOf: "2021-08-15", knownAt: "2021-08-15"), ["新名称企业", "第二企业", ""]),
            (window(asOf: "2021-05-15", knownAt: "2021-08-15"), ["旧名称企业", "第二企业", ""]),
            (window(asOf: nil, knownAt: "2023-01-01"), ["新名称企业", "第二企业", "第三企业（重新登记）"]),
            (window(asOf: "2021-08-15", knownAt: "2023-01-01"), ["新名称企业", "第二企业", ""]),
        ]
        for (position, (window, names)) in cases.enumerated() {
            for halvesFromGrants in [0, GrantBreakdown.halvesFromGrants] {
                let replayed = GrantBreakdown(replayingByEnterpriseOf: ledger, in: window, halvesFromGrants: halvesFromGrants)
                #expect(replayed == Self.expected(ledger, window), "case \(position)")
                #expect((0..<replayed.rowCount).map(replayed.label(at:)) == names, "case \(position)")
                #expect((0..<replayed.rowCount).map(replayed.key(at:)) == [first, second, third], "case \(position)")
            }
        }
    }
}
