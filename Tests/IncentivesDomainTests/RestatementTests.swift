import Testing
@testable import IncentivesDomain
import LedgerLog

@Suite("Restatements")
struct RestatementTests {
    let first = AuditLedgerBuilder.code(1)
    let second = AuditLedgerBuilder.code(2)
    static let reportedAt = LedgerTimeZone.utc.moment(parsing: "2023-01-15")!

    /// The 2022 figures as published on 2023-01-15: G1 (¥1,000,000.00, ¥400,000.00 paid) and
    /// G2 (¥500,000.00); G0 belongs to 2021.
    func publishedLedger() throws -> AuditLedgerBuilder {
        let builder = try AuditLedgerBuilder()
        try builder.programme("yz-rd")
        try builder.programme("yz-talent")
        try builder.register(first)
        try builder.register(second)
        try builder.award("G0", to: first, under: "yz-rd", amountFen: auditYuan(300_000), effective: "2021-05-01")
        try builder.award("G1", to: first, under: "yz-rd", amountFen: auditYuan(1_000_000), effective: "2022-03-01")
        try builder.disburse("G1", amountFen: auditYuan(400_000), effective: "2022-04-01", id: "pay-G1-1")
        try builder.award("G2", to: second, under: "yz-talent", amountFen: auditYuan(500_000), effective: "2022-09-01")
        return builder
    }

    func restatement(_ builder: AuditLedgerBuilder, period: String = "2022",
                     knownAt: String = "2029-12-31") throws -> Restatement {
        Restatement(ledger: try builder.ledger(), period: try #require(RestatementPeriod(parsing: period)),
                    reportedAt: RestatementTests.reportedAt, knownAt: LedgerTimeZone.utc.moment(parsing: knownAt)!)
    }

    @Test func nothingChangedWhenLaterEventsConcernLaterDates() throws {
        let builder = try publishedLedger()
        // A payment made in 2023 on a 2022 grant is new business, not a restatement.
        try builder.disburse("G1", amountFen: auditYuan(600_000), effective: "2023-02-01", id: "pay-G1-2")
        try builder.promote(first, to: .startup, effective: "2023-02-01")
        try builder.award("G3", to: second, under: "yz-rd", amountFen: auditYuan(10), effective: "2023-03-01")
        let result = try restatement(builder)
        #expect(!result.isRestated)
        #expect(result.reported == PeriodFigures(count: 2, awardedFen: auditYuan(1_500_000), disbursedFen: auditYuan(400_000)))
        #expect(result.now == result.reported && result.difference.isZero)
        #expect(result.changes.isEmpty && result.programmes.isEmpty && result.enterprises.isEmpty)
        #expect(result.eventsWithoutEffect == 3)
    }

    @Test func aBackDatedAmendmentIsListedWithItsDifference() throws {
        let builder = try publishedLedger()
        let amendment = try builder.amend("G1", amountFen: auditYuan(1_200_000), effective: "2022-11-30", recorded: "2023-03-01")
        let result = try restatement(builder)
        #expect(result.isRestated)
        #expect(result.difference == PeriodFigures(awardedFen: auditYuan(200_000)))
        #expect(result.now.awardedFen == auditYuan(1_700_000))
        #expect(result.changes.count == 1)
        let change = try #require(result.changes.first)
        #expect(change.event == amendment && change.type == "GrantAmended" && change.grant == "G1")
        #expect(change.log == "grants" && change.retracts == nil)
        #expect(change.effective == AuditLedgerBuilder.date("2022-11-30"))
        #expect(change.recorded == AuditLedgerBuilder.moment("2023-03-01"))
        #expect(change.difference == PeriodFigures(awardedFen: auditYuan(200_000)))
        #expect(change.shares == [Restatement.Share(programme: "yz-rd", enterprise: first,
                                                    difference: PeriodFigures(awardedFen: auditYuan(200_000)))])
        #expect(result.programmes.map(\.key) == ["yz-rd"] && result.enterprises.map(\.key) == [first])
        #expect(result.programmes.first?.reported.awardedFen == auditYuan(1_000_000))
        #expect(result.programmes.first?.now.awardedFen == auditYuan(1_200_000))
        // Known only from 2023-03-01: a comparison with what was known before then shows nothing.
        #expect(try !restatement(builder, knownAt: "2023-02-28").isRestated)
    }

    @Test func retractionsAfterTheReportAreListedInRecordedOrder() throws {
        let builder = try publishedLedger()
        let first = try builder.retract("pay-G1-1", effective: "2023-02-10", recorded: "2023-02-10")
        let second = try builder.retract("award:G2", effective: "2023-02-11", recorded: "2023-02-11")
        let result = try restatement(builder)
        #expect(result.isRestated)
        #expect(result.changes.map(\.event) == [first, second])
        #expect(result.changes.map(\.retracts) == ["pay-G1-1", "award:G2"])
        #expect(result.changes.map(\.difference) == [PeriodFigures(disbursedFen: -auditYuan(400_000)),
                                                     PeriodFigures(count: -1, awardedFen: -auditYuan(500_000))])
        #expect(result.changes.map(\.type) == ["EventRetracted", "EventRetracted"])
        #expect(result.now == PeriodFigures(count: 1, awardedFen: auditYuan(1_000_000)))
        #expect(result.programmes.map(\.key) == ["yz-rd", "yz-talent"])
    }

    @Test func aBackDatedAwardAddsAGrant() throws {
        let builder = try publishedLedger()
        try builder.award("G9", to: second, under: "yz-rd", amountFen: auditYuan(70_000), effective: "2022-12-31", recorded: "2023-01-16")
        let result = try restatement(builder)
        #expect(result.changes.map(\.event) == ["award:G9"])
        #expect(result.difference == PeriodFigures(count: 1, awardedFen: auditYuan(70_000)))
        #expect(result.enterprises.map(\.key) == [second])
    }

    @Test func whatWasRecordedByTheReportIsPartOfIt() throws {
        let builder = try publishedLedger()
        try builder.award("G8", to: second, under: "yz-rd", amountFen: auditYuan(1), effective: "2022-06-01",
                          recorded: "2023-01-15T23:59:59Z")
        try builder.award("G9", to: second, under: "yz-rd", amountFen: auditYuan(2), effective: "2022-06-01",
                          recorded: "2023-01-16T00:00:00Z")
        let result = try restatement(builder)
        #expect(result.reported.count == 3)
        #expect(result.changes.map(\.event) == ["award:G9"])
        #expect(result.eventsWithoutEffect == 0)
    }

    @Test func aGrantMovedToAnotherEnterpriseShowsOnBoth() throws {
        let builder = try publishedLedger()
        try builder.retract("award:G2", effective: "2023-02-01", recorded: "2023-02-01")
        try builder.award("G2", to: first, under: "yz-talent", amountFen: auditYuan(500_000), effective: "2022-09-01",
                          recorded: "2023-02-01T10:00:00Z", id: "award:G2:corrected")
        let result = try restatement(builder)
        #expect(result.isRestated)
        #expect(result.difference.isZero)
        #expect(result.programmes.isEmpty)
        #expect(result.enterprises.map(\.key) == [first, second])
        #expect(result.enterprises.map(\.difference.count) == [1, -1])
        #expect(result.changes.map { $0.shares.map(\.enterprise) } == [[second], [first]])
    }

    /// Logs an older build may have written: a second award of G2, to another enterprise and
    /// programme, moves the grant in one event, so its change has two shares.
    @Test func oneEventMovingAGrantHasTwoShares() throws {
        let builder = try publishedLedger()
        builder.writesUncheckedLogs = true
        try builder.award("G2", to: first, under: "yz-rd", amountFen: auditYuan(700_000), effective: "2022-10-01",
                          recorded: "2023-02-01T10:00:00Z", id: "award:G2:again")
        let result = try restatement(builder)
        let change = try #require(result.changes.first)
        #expect(result.changeCount == 1 && change.event == "award:G2:again")
        #expect(change.difference == PeriodFigures(count: 0, awardedFen: auditYuan(200_000)))
        #expect(change.shares == [
            Restatement.Share(programme: "yz-talent", enterprise: second, difference: PeriodFigures(count: -1, awardedFen: -auditYuan(500_000))),
            Restatement.Share(programme: "yz-rd", enterprise: first, difference: PeriodFigures(count: 1, awardedFen: auditYuan(700_000))),
        ])
        #expect(result.enterprises.map(\.key) == [first, second])
        #expect(result.programmes.map(\.difference.awardedFen) == [auditYuan(700_000), -auditYuan(500_000)])
        // The change made again is the same; the list made whole is the changes one at a time.
        #expect(result.change(at: 0) == change)
        #expect(result.changes == (0..<result.changeCount).map(result.change(at:)))
    }

    @Test func aChangeUndoneBeforeNowIsListedButRestatesNothing() throws {
        let builder = try publishedLedger()
        try builder.disburse("G2", amountFen: auditYuan(100), effective: "2022-10-01", recorded: "2023-02-01", id: "pay-G2-late")
        try builder.retract("pay-G2-late", effective: "2023-02-02", recorded: "2023-02-02")
        let result = try restatement(builder)
        #expect(!result.isRestated)
        #expect(result.changes.map(\.difference.disbursedFen) == [auditYuan(100), -auditYuan(100)])
    }

    @Test func theNewFiguresAreThoseTheGrantsQueryGives() throws {
        let builder = try publishedLedger()
        try builder.amend("G1", amountFen: auditYuan(900_000), effective: "2022-12-01", recorded: "2023-02-01")
        try builder.disburse("G2", amountFen: auditYuan(50_000), effective: "2022-12-15", recorded: "2023-02-02", id: "pay-G2")
        try builder.recover("G1", amountFen: auditYuan(1_000), effective: "2022-12-20", recorded: "2023-02-03")
        try builder.revoke("G2", effective: "2022-12-28", recorded: "2023-02-04")
        let ledger = try builder.ledger()
        let knownAt = LedgerTimeZone.utc.moment(parsing: "2029-12-31")!
        let result = Restatement(ledger: ledger, period: RestatementPeriod(parsing: "2022")!,
                                 reportedAt: RestatementTests.reportedAt, knownAt: knownAt)
        for (moment, figures) in [(RestatementTests.reportedAt, result.reported), (knownAt, result.now)] {
            let models = Projection(ledger: ledger, window: TimeWindow(asOf: AuditLedgerBuilder.date("2022-12-31"), knownAt: moment)).run()
            let rows = GrantBreakdown(ledger: ledger, models: models, grouping: .year, filter: .init(year: 2022)).rows
            let row = try #require(rows.first)
            #expect(PeriodFigures(count: row.count, awardedFen: row.awardedFen, disbursedFen: row.disbursedFen,
                                  recoveredFen: row.recoveredFen) == figures)
        }
        #expect(result.changes.count == 4)
        #expect(result.changes.reduce(result.reported) { $0 + $1.difference } == result.now)
        #expect(result.now == PeriodFigures(count: 2, awardedFen: auditYuan(900_000), disbursedFen: auditYuan(450_000),
                                            recoveredFen: auditYuan(1_000)))
    }

    @Test func aQuarterOrMonthCoversOnlyItsGrants() throws {
        let builder = try publishedLedger()
        try builder.amend("G1", amountFen: auditYuan(1_200_000), effective: "2022-11-30", recorded: "2023-03-01")
        try builder.disburse("G2", amountFen: auditYuan(100), effective: "2022-09-30", recorded: "2023-03-02", id: "pay-G2")
        let third = try restatement(builder, period: "2022Q3")
        #expect(third.reported == PeriodFigures(count: 1, awardedFen: auditYuan(500_000)))
        #expect(third.changes.map(\.event) == ["pay-G2"])
        let march = try restatement(builder, period: "2022-03")
        // Measured as of 2022-03-31: the amendment of November is not part of March's figures.
        #expect(march.reported == PeriodFigures(count: 1, awardedFen: auditYuan(1_000_000)))
        #expect(!march.isRestated && march.eventsWithoutEffect == 2)
    }

    @Test(arguments: [
        ("2022", "2022-01-01", "2022-12-31"), ("2022Q1", "2022-01-01", "2022-03-31"), ("2022q3", "2022-07-01", "2022-09-30"),
        ("2024Q4", "2024-10-01", "2024-12-31"), ("2024-02", "2024-02-01", "2024-02-29"), ("2023-02", "2023-02-01", "2023-02-28"),
        ("2022-12", "2022-12-01", "2022-12-31"),
    ])
    func periodsParse(text: String, first: String, last: String) throws {
        let period = try #require(RestatementPeriod(parsing: text))
        #expect(period.first == AuditLedgerBuilder.date(first) && period.last == AuditLedgerBuilder.date(last))
        #expect(period.contains(period.first) && period.contains(period.last))
        #expect(!period.contains(period.first.adding(days: -1)) && !period.contains(period.last.adding(days: 1)))
    }

    @Test(arguments: ["", "22", "20222", "2022Q0", "2022Q5", "2022-00", "2022-13", "2022-7", "2022-07-01", "1899", "２０２２", "2022H1"])
    func badPeriodsAreRefused(text: String) {
        #expect(RestatementPeriod(parsing: text) == nil)
    }

    @Test func theJSONHasTheDocumentedMembers() throws {
        let builder = try publishedLedger()
        try builder.amend("G1", amountFen: auditYuan(1_200_000), effective: "2022-11-30", recorded: "2023-03-01")
        guard case .object(let object) = try restatement(builder).json else { Issue.record("not an object"); return }
        #expect(object.members.map(\.key) == ["period", "from", "to", "asOf", "reportedAt", "knownAt", "restated", "reported",
                                              "now", "difference", "programmes", "enterprises", "events", "eventsWithoutEffect"])
        #expect(object["restated"] == .bool(true) && object["asOf"] == .string("2022-12-31"))
        guard case .array(let events)? = object["events"], case .object(let event)? = events.first else {
            Issue.record("no events"); return
        }
        #expect(event.members.map(\.key) == ["event", "type", "log", "seq", "recorded", "effective", "grant", "retracts",
                                             "details", "difference", "shares"])
    }
}

/// The attribution reads each event's grant from its columns (a grant event's subject, a
/// retraction's target's): every change it lists names the grant the assembled event names,
/// and every event recorded between the two moments is either listed or counted as without effect.
@Suite struct RestatementAttributionReferenceTests {
    /// The grant an assembled event can change (a retraction: its target's, unless the target is
    /// itself a retraction), as `Ledger.auditGrant(of:)` names it.
    static func grant(of index: Int, in ledger: Ledger) -> GrantIndex? {
        let event = ledger.events[index]
        if case .eventRetracted(let target, _) = event.payload {
            guard let target, !ledger.events.isRetraction(target.offset) else { return nil }
            return grant(of: target.offset, in: ledger)
        }
        return ledger.auditGrant(of: event)
    }

    @Test("tangled ledgers, every pair of five moments, two periods", arguments: [1, 4, 9] as [UInt64])
    func listedChangesNameTheirEventsGrants(seed: UInt64) throws {
        let ledger = ColumnReplayTests.tangledLedger(seed: seed, count: 500)
        let moments = ledger.events.indices.map { ledger.events.recordedTime(at: $0).secondsSinceEpoch }
        let (first, last) = (try #require(moments.min()), try #require(moments.max()))
        let points = (0...4).map { Timestamp(secondsSinceEpoch: first - 1 + (last - first + 2) * Int64($0) / 4) }
        var listed = 0
        for period in ["2022", "2023"] {
            let period = try #require(RestatementPeriod(parsing: period))
            for (low, reportedAt) in points.enumerated() {
                for knownAt in points[low...] {
                    let restatement = Restatement(ledger: ledger, period: period, reportedAt: reportedAt, knownAt: knownAt)
                    let between = moments.filter { $0 > reportedAt.secondsSinceEpoch && $0 <= knownAt.secondsSinceEpoch }.count
                    #expect(restatement.changeCount + restatement.eventsWithoutEffect == between,
                            "seed \(seed), \(period) reported at \(reportedAt), known at \(knownAt): every event stepped is accounted for")
                    for record in restatement.changeRecords {
                        #expect(record.grant == Self.grant(of: record.event.offset, in: ledger), "seed \(seed): event \(record.event)")
                        #expect(record.retracts == (ledger.events.isRetraction(record.event.offset)
                            ? ledger.events.retractionTarget(at: record.event.offset) : nil))
                    }
                    listed += restatement.changeCount
                }
            }
        }
        #expect(listed > 20, "seed \(seed): changes were listed and compared")
    }
}
