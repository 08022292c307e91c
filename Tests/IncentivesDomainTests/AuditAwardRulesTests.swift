import Testing
@testable import IncentivesDomain
import IncentivesTestSupport
import LedgerLog

/// Fen from whole yuan, so amounts in tests read as in a notice.
func auditYuan<Amount: FixedWidthInteger>(_ yuan: Amount) -> Amount { yuan * 100 }

@Suite("Audit: award rules")
struct AuditAwardRulesTests {
    let enterprise = AuditLedgerBuilder.code(1)
    let other = AuditLedgerBuilder.code(2)

    // MARK: tier-below-minimum

    /// A programme for sme and above, and an enterprise that is a startup from 2020.
    func tierLedger() throws -> AuditLedgerBuilder {
        let builder = try AuditLedgerBuilder()
        try builder.programme("yz-rd", minTier: .sme)
        try builder.register(enterprise)
        try builder.promote(enterprise, to: .startup, effective: "2020-01-01")
        return builder
    }

    @Test func tierBelowMinimumFires() throws {
        let builder = try tierLedger()
        try builder.award("G1", to: enterprise, under: "yz-rd", amountFen: auditYuan(100_000), effective: "2022-03-01")
        let findings = try builder.audit(rules: [.tierBelowMinimum]).findings
        #expect(findings.count == 1)
        let finding = try #require(findings.first)
        #expect(finding.rule == .tierBelowMinimum && finding.severity == .error)
        #expect(finding.subject == "G1" && finding.event == "award:G1")
        #expect(finding.effective == AuditLedgerBuilder.date("2022-03-01"))
        #expect(finding.message == "grant G1 of ¥100,000.00 to \(enterprise) under programme yz-rd was awarded on 2022-03-01 while the enterprise was tier startup; the programme requires at least sme on that date")
    }

    @Test func tierReachedTheSameDayAsTheAwardIsEnough() throws {
        let builder = try tierLedger()
        try builder.award("G1", to: enterprise, under: "yz-rd", amountFen: auditYuan(100_000),
                          effective: "2022-03-01", recorded: "2022-03-01T08:00:00Z")
        // Recorded after the award, on the same effective day: it still counts for the award date.
        try builder.promote(enterprise, to: .sme, effective: "2022-03-01", recorded: "2022-03-01T17:00:00Z")
        #expect(try builder.audit(rules: [.tierBelowMinimum]).findings.isEmpty)
    }

    @Test func tierReachedTheDayAfterTheAwardIsTooLate() throws {
        let builder = try tierLedger()
        try builder.award("G1", to: enterprise, under: "yz-rd", amountFen: auditYuan(100_000), effective: "2022-03-01")
        try builder.promote(enterprise, to: .sme, effective: "2022-03-02")
        #expect(try builder.audit(rules: [.tierBelowMinimum]).findings.map(\.subject) == ["G1"])
    }

    @Test func aRaisedMinimumAppliesFromItsOwnDateOnly() throws {
        let builder = try AuditLedgerBuilder()
        try builder.programme("yz-rd", minTier: .startup)
        try builder.register(enterprise)
        try builder.promote(enterprise, to: .startup, effective: "2020-01-01")
        try builder.award("G1", to: enterprise, under: "yz-rd", amountFen: auditYuan(100_000), effective: "2022-03-01")
        try builder.amendProgramme("yz-rd", effective: "2022-06-01", recorded: "2022-05-20", minTier: .highTech)
        try builder.award("G2", to: enterprise, under: "yz-rd", amountFen: auditYuan(100_000), effective: "2022-06-01")
        let findings = try builder.audit(rules: [.tierBelowMinimum]).findings
        #expect(findings.map(\.subject) == ["G2"])
        #expect(findings.first?.message.contains("requires at least high-tech") == true)
    }

    @Test func aBackDatedDemotionShowsOnlyOnceKnown() throws {
        let builder = try AuditLedgerBuilder()
        try builder.programme("yz-rd", minTier: .sme)
        try builder.register(enterprise)
        try builder.promote(enterprise, to: .sme, effective: "2020-01-01")
        try builder.award("G1", to: enterprise, under: "yz-rd", amountFen: auditYuan(100_000), effective: "2022-03-01")
        try builder.demote(enterprise, to: .startup, effective: "2022-01-01", recorded: "2022-09-01")
        #expect(try builder.audit(knownAt: "2022-08-31", rules: [.tierBelowMinimum]).findings.isEmpty)
        #expect(try builder.audit(knownAt: "2022-09-01", rules: [.tierBelowMinimum]).findings.map(\.subject) == ["G1"])
    }

    @Test func aRevokedGrantIsNotReportedForItsTier() throws {
        let builder = try tierLedger()
        try builder.award("G1", to: enterprise, under: "yz-rd", amountFen: auditYuan(100_000), effective: "2022-03-01")
        try builder.revoke("G1", effective: "2022-05-01")
        #expect(try builder.audit(rules: [.tierBelowMinimum]).findings.isEmpty)
        // Before the revocation took effect, the grant stood.
        #expect(try builder.audit(asOf: "2022-04-30", rules: [.tierBelowMinimum]).findings.count == 1)
    }

    // MARK: cap-exceeded

    /// A cap of ¥5,000,000.00 over 3 years.
    /// Two programmes capped at ¥5,000,000 over 3 years and two enterprises; with `unchecked`,
    /// written as they are (`AuditLedgerBuilder.writesUncheckedLogs`).
    func capLedger(unchecked: Bool = false) throws -> AuditLedgerBuilder {
        let builder = try AuditLedgerBuilder()
        builder.writesUncheckedLogs = unchecked
        try builder.programme("yz-rd", capFen: auditYuan(5_000_000), capYears: 3)
        try builder.programme("yz-talent", capFen: auditYuan(5_000_000), capYears: 3)
        try builder.register(enterprise)
        try builder.register(other)
        return builder
    }

    @Test func exactlyAtTheCapIsAllowed() throws {
        let builder = try capLedger()
        try builder.award("G1", to: enterprise, under: "yz-rd", amountFen: auditYuan(3_000_000), effective: "2020-01-10")
        try builder.award("G2", to: enterprise, under: "yz-rd", amountFen: auditYuan(2_000_000), effective: "2022-06-30")
        #expect(try builder.audit(rules: [.capExceeded]).findings.isEmpty)
    }

    @Test func oneFenOverTheCapIsTheWholeAward() throws {
        let builder = try capLedger()
        try builder.award("G1", to: enterprise, under: "yz-rd", amountFen: auditYuan(3_000_000), effective: "2020-01-10")
        try builder.award("G2", to: enterprise, under: "yz-rd", amountFen: auditYuan(2_000_000) + 1, effective: "2022-06-30")
        let findings = try builder.audit(rules: [.capExceeded]).findings
        #expect(findings.count == 1)
        let finding = try #require(findings.first)
        #expect(finding.subject == "G2" && finding.event == "award:G2" && finding.severity == .error)
        #expect(finding.message == "grant G2 of ¥2,000,000.01 to \(enterprise) brings awards under programme yz-rd in the 3 years to 2022-06-30 to ¥5,000,000.01 (2 awards from 2019-07-01), over the cap of ¥5,000,000.00 by ¥0.01")
    }

    /// Only a log written by hand holds an award below zero; the years are then counted back even
    /// where the group's whole sum so far is within the cap (the rule skips that count otherwise).
    @Test func anAwardBelowZeroOutsideTheYearsDoesNotHideAnExcess() throws {
        let builder = try capLedger(unchecked: true)
        try builder.award("G1", to: enterprise, under: "yz-rd", amountFen: auditYuan(4_000_000), effective: "2019-02-01")
        builder.negateLastAmount()
        try builder.award("G2", to: enterprise, under: "yz-rd", amountFen: auditYuan(5_500_000), effective: "2022-06-30")
        let findings = try builder.audit(rules: [.capExceeded]).findings
        #expect(findings.map(\.subject) == ["G2"], "¥5,500,000.00 in the 3 years to 2022-06-30, though ¥1,500,000.00 in all")
    }

    @Test func theWindowStartsTheDayAfterTheSameDateYearsEarlier() throws {
        let outside = try capLedger()
        try outside.award("G1", to: enterprise, under: "yz-rd", amountFen: auditYuan(3_000_000), effective: "2019-06-30")
        try outside.award("G2", to: enterprise, under: "yz-rd", amountFen: auditYuan(3_000_000), effective: "2022-06-30")
        #expect(try outside.audit(rules: [.capExceeded]).findings.isEmpty)

        let inside = try capLedger()
        try inside.award("G1", to: enterprise, under: "yz-rd", amountFen: auditYuan(3_000_000), effective: "2019-07-01")
        try inside.award("G2", to: enterprise, under: "yz-rd", amountFen: auditYuan(3_000_000), effective: "2022-06-30")
        #expect(try inside.audit(rules: [.capExceeded]).findings.map(\.subject) == ["G2"])
    }

    @Test func theIssueExampleReadsAsWritten() throws {
        let builder = try capLedger()
        try builder.award("G-2019-0002", to: enterprise, under: "yz-rd", amountFen: auditYuan(2_000_000), effective: "2019-07-01")
        try builder.award("G-2021-0050", to: enterprise, under: "yz-rd", amountFen: auditYuan(2_200_000), effective: "2021-05-12")
        try builder.award("G-2022-0173", to: enterprise, under: "yz-rd", amountFen: auditYuan(1_200_000), effective: "2022-06-30")
        let findings = try builder.audit(rules: [.capExceeded]).findings
        #expect(findings.map(\.message) == ["grant G-2022-0173 of ¥1,200,000.00 to \(enterprise) brings awards under programme yz-rd in the 3 years to 2022-06-30 to ¥5,400,000.00 (3 awards from 2019-07-01), over the cap of ¥5,000,000.00 by ¥400,000.00"])
    }

    @Test func everyAwardWhileOverTheCapIsAFindingAndOthersDoNotCount() throws {
        let builder = try capLedger()
        try builder.award("G1", to: enterprise, under: "yz-rd", amountFen: auditYuan(4_000_000), effective: "2021-01-10")
        // Another enterprise and another programme have caps of their own.
        try builder.award("G2", to: other, under: "yz-rd", amountFen: auditYuan(4_000_000), effective: "2021-02-10")
        try builder.award("G3", to: enterprise, under: "yz-talent", amountFen: auditYuan(4_000_000), effective: "2021-03-10")
        try builder.award("G4", to: enterprise, under: "yz-rd", amountFen: auditYuan(1_500_000), effective: "2021-04-10")
        try builder.award("G5", to: enterprise, under: "yz-rd", amountFen: auditYuan(100), effective: "2021-05-10")
        let findings = try builder.audit(rules: [.capExceeded]).findings
        #expect(findings.map(\.subject) == ["G4", "G5"])
    }

    @Test func sameDayAwardsCountInReplayOrder() throws {
        let builder = try capLedger()
        try builder.award("G1", to: enterprise, under: "yz-rd", amountFen: auditYuan(3_000_000), effective: "2022-01-10",
                          recorded: "2022-01-10T09:00:00Z")
        try builder.award("G2", to: enterprise, under: "yz-rd", amountFen: auditYuan(3_000_000), effective: "2022-01-10",
                          recorded: "2022-01-10T10:00:00Z")
        #expect(try builder.audit(rules: [.capExceeded]).findings.map(\.subject) == ["G2"])
    }

    /// A grant awarded twice (logs an older build wrote): the second award replaces the first,
    /// so only it counts, with its own amount, date, event and place in replay order.
    @Test func aGrantAwardedTwiceCountsOnlyItsLastAward() throws {
        let builder = try capLedger()
        builder.writesUncheckedLogs = true
        try builder.award("G1", to: enterprise, under: "yz-rd", amountFen: auditYuan(4_000_000), effective: "2021-01-10")
        try builder.award("G2", to: enterprise, under: "yz-rd", amountFen: auditYuan(3_000_000), effective: "2021-03-10")
        try builder.award("G1", to: enterprise, under: "yz-rd", amountFen: auditYuan(2_500_000), effective: "2021-05-10",
                          id: "award:G1:again")
        let findings = try builder.audit(rules: [.capExceeded, .duplicateAward]).findings
        // Counted once, after G2: ¥3,000,000 + ¥2,500,000. Both awards of G1 would have put G2 over.
        #expect(findings.map(\.event) == ["award:G1:again"])
        #expect(findings.first?.message == "grant G1 of ¥2,500,000.00 to \(enterprise) brings awards under programme yz-rd in the 3 years to 2021-05-10 to ¥5,500,000.00 (2 awards from 2018-05-11), over the cap of ¥5,000,000.00 by ¥500,000.00")
    }

    @Test func aLaterCapAppliesFromItsOwnDateOnly() throws {
        let builder = try capLedger()
        try builder.award("G1", to: enterprise, under: "yz-rd", amountFen: auditYuan(2_000_000), effective: "2021-01-10")
        try builder.award("G2", to: enterprise, under: "yz-rd", amountFen: auditYuan(2_000_000), effective: "2022-01-10")
        try builder.amendProgramme("yz-rd", effective: "2022-07-01", capFen: auditYuan(3_000_000))
        try builder.award("G3", to: enterprise, under: "yz-rd", amountFen: auditYuan(100), effective: "2022-08-01")
        let findings = try builder.audit(rules: [.capExceeded]).findings
        #expect(findings.map(\.subject) == ["G3"])
        #expect(findings.first?.message.contains("over the cap of ¥3,000,000.00") == true)
    }

    @Test func aBackDatedAwardBreachesTheCapOnlyOnceKnownAndItsRetractionClearsIt() throws {
        let builder = try capLedger()
        try builder.award("G1", to: enterprise, under: "yz-rd", amountFen: auditYuan(3_000_000), effective: "2021-01-10")
        try builder.award("G3", to: enterprise, under: "yz-rd", amountFen: auditYuan(1_000_000), effective: "2022-01-10")
        try builder.award("G2", to: enterprise, under: "yz-rd", amountFen: auditYuan(1_500_000), effective: "2021-06-10",
                          recorded: "2022-03-01")
        try builder.retract("award:G2", effective: "2022-04-01")
        #expect(try builder.audit(knownAt: "2022-02-28", rules: [.capExceeded]).findings.isEmpty)
        #expect(try builder.audit(knownAt: "2022-03-01", rules: [.capExceeded]).findings.map(\.subject) == ["G3"])
        #expect(try builder.audit(knownAt: "2022-04-01", rules: [.capExceeded]).findings.isEmpty)
    }

    @Test func revokedAwardsDoNotCountTowardsTheCap() throws {
        let builder = try capLedger()
        try builder.award("G1", to: enterprise, under: "yz-rd", amountFen: auditYuan(4_000_000), effective: "2021-01-10")
        try builder.revoke("G1", effective: "2021-06-01")
        try builder.award("G2", to: enterprise, under: "yz-rd", amountFen: auditYuan(4_000_000), effective: "2022-01-10")
        #expect(try builder.audit(rules: [.capExceeded]).findings.isEmpty)
    }

    @Test func anAmendedAmountIsTheOneThatCounts() throws {
        let builder = try capLedger()
        try builder.award("G1", to: enterprise, under: "yz-rd", amountFen: auditYuan(2_000_000), effective: "2021-01-10")
        try builder.award("G2", to: enterprise, under: "yz-rd", amountFen: auditYuan(2_000_000), effective: "2022-01-10")
        try builder.amend("G1", amountFen: auditYuan(3_500_000), effective: "2022-03-01")
        #expect(try builder.audit(asOf: "2022-02-28", rules: [.capExceeded]).findings.isEmpty)
        #expect(try builder.audit(rules: [.capExceeded]).findings.map(\.subject) == ["G2"])
    }

    // MARK: budget-exceeded

    func budgetLedger() throws -> AuditLedgerBuilder {
        let builder = try AuditLedgerBuilder()
        try builder.programme("yz-rd")
        try builder.register(enterprise)
        try builder.register(other)
        try builder.budget("yz-rd", year: 2022, amountFen: auditYuan(6_000_000))
        try builder.budget("yz-rd", year: 2022, amountFen: auditYuan(4_000_000), effective: "2022-07-01")
        return builder
    }

    @Test func budgetExactlySpentIsAllowed() throws {
        let builder = try budgetLedger()
        try builder.award("G1", to: enterprise, under: "yz-rd", amountFen: auditYuan(6_000_000), effective: "2022-03-01")
        try builder.award("G2", to: other, under: "yz-rd", amountFen: auditYuan(4_000_000), effective: "2022-09-01")
        // An award of another year draws on another year's appropriation.
        try builder.award("G0", to: other, under: "yz-rd", amountFen: auditYuan(100), effective: "2021-12-31")
        try builder.budget("yz-rd", year: 2021, amountFen: auditYuan(100), effective: "2021-01-01")
        #expect(try builder.audit(rules: [.budgetExceeded]).findings.isEmpty)
    }

    @Test func budgetExceededNamesTheAwardThatPassedIt() throws {
        let builder = try budgetLedger()
        try builder.award("G1", to: enterprise, under: "yz-rd", amountFen: auditYuan(6_000_000), effective: "2022-03-01")
        try builder.award("G2", to: other, under: "yz-rd", amountFen: auditYuan(4_000_000), effective: "2022-09-01")
        try builder.award("G3", to: other, under: "yz-rd", amountFen: 1, effective: "2022-10-01")
        try builder.award("G4", to: other, under: "yz-rd", amountFen: auditYuan(1), effective: "2022-11-01")
        let findings = try builder.audit(rules: [.budgetExceeded]).findings
        #expect(findings.count == 1)
        let finding = try #require(findings.first)
        #expect(finding.subject == "yz-rd" && finding.event == "award:G3")
        #expect(finding.effective == AuditLedgerBuilder.date("2022-10-01"))
        #expect(finding.message == "awards under programme yz-rd in 2022 total ¥10,000,001.01 (4 grants), over the ¥10,000,000.00 appropriated for 2022 by ¥1.01; grant G3 of ¥0.01 awarded on 2022-10-01 is the first past it")
    }

    @Test func aYearWithoutAppropriationIsOverItsBudget() throws {
        let builder = try budgetLedger()
        try builder.award("G1", to: enterprise, under: "yz-rd", amountFen: auditYuan(10), effective: "2023-02-01")
        let findings = try builder.audit(rules: [.budgetExceeded]).findings
        #expect(findings.count == 1)
        #expect(findings.first?.message.contains("its appropriations for 2023 (none recorded)") == true)
    }

    @Test func aSupplementaryAppropriationRecordedLaterClearsTheFinding() throws {
        let builder = try budgetLedger()
        try builder.award("G1", to: enterprise, under: "yz-rd", amountFen: auditYuan(12_000_000), effective: "2022-03-01")
        try builder.budget("yz-rd", year: 2022, amountFen: auditYuan(2_000_000), effective: "2022-11-01", recorded: "2022-11-02")
        #expect(try builder.audit(knownAt: "2022-11-01", rules: [.budgetExceeded]).findings.count == 1)
        #expect(try builder.audit(knownAt: "2022-11-02", rules: [.budgetExceeded]).findings.isEmpty)
    }

    // MARK: duplicate-award

    @Test func duplicateProjectsMatchIgnoringCaseAndSpaces() throws {
        let builder = try AuditLedgerBuilder()
        try builder.programme("yz-rd")
        try builder.register(enterprise)
        try builder.award("G1", to: enterprise, under: "yz-rd", amountFen: auditYuan(100), project: "Smart Factory Line",
                          effective: "2022-01-10")
        try builder.award("G2", to: enterprise, under: "yz-rd", amountFen: auditYuan(200), project: "smart  factoryline ",
                          effective: "2022-02-10")
        try builder.award("G3", to: enterprise, under: "yz-rd", amountFen: auditYuan(300), project: "智能 工厂",
                          effective: "2022-03-10")
        try builder.award("G4", to: enterprise, under: "yz-rd", amountFen: auditYuan(400), project: "智能\u{3000}工厂",
                          effective: "2022-04-10")
        let findings = try builder.audit(rules: [.duplicateAward]).findings
        #expect(findings.map(\.subject) == ["G2", "G4"])
        #expect(findings.first?.severity == .warning)
        #expect(findings.first?.message == "grant G2 of ¥200.00 to \(enterprise) under programme yz-rd for project \"smart  factoryline \" repeats grant G1 of ¥100.00 awarded on 2022-01-10 for \"Smart Factory Line\"")
    }

    /// Groups up to `AuditContext.duplicatesListedUpTo` awards are looked through as a list,
    /// larger ones in a table: both find the same repeats, each against its first award.
    @Test(arguments: [AuditContext.duplicatesListedUpTo, AuditContext.duplicatesListedUpTo + 1])
    func duplicatesInSmallAndLargeGroups(awards: Int) throws {
        let builder = try AuditLedgerBuilder()
        try builder.programme("yz-rd")
        try builder.register(enterprise)
        for number in 1...awards {
            // Every seventh award repeats the project of the third, spelled in capitals.
            let project = number % 7 == 0 ? "LINE 3" : "line \(number)"
            let (month, day) = number <= 28 ? (3, number) : (4, number - 28)
            try builder.award("G\(number)", to: enterprise, under: "yz-rd", amountFen: auditYuan(1), project: project,
                              effective: "2022-0\(month)-\(String(100 + day).suffix(2))")
        }
        let findings = try builder.audit(rules: [.duplicateAward]).findings
        let expected = (1...awards).filter { $0 % 7 == 0 }.map { "G\($0)" }
        #expect(findings.map(\.subject).sorted() == expected.sorted())
        #expect(findings.allSatisfy { $0.message.contains("repeats grant G3 ") }, "each against the first award of its project")
    }

    /// The awards' groupings, by counting sorts or (keys spanning more values than a count may
    /// hold) by comparison: both give (programme, key, replay order), checked against a plain sort.
    @Test(arguments: [false, true])
    func awardsSortedByProgrammeThenKey(wideKeys: Bool) {
        var random = SplitMix64(seed: wideKeys ? 71 : 17)
        for round in 0..<40 {
            let count = Int.random(in: 0...300, using: &random)
            let awards = (0..<count).map { order in
                let enterprise = wideKeys && round % 2 == 0 ? Int32.random(in: 0...5_000_000, using: &random) : Int32.random(in: 0...40, using: &random)
                let programme = wideKeys && round % 2 == 1 ? Int32.random(in: 0...3_000_000, using: &random) : Int32.random(in: 3...9, using: &random)
                let year = wideKeys ? Int32.random(in: 1900...9999, using: &random) : Int32.random(in: 2021...2025, using: &random)
                return LiveAward(grant: GrantIndex(rawValue: Int32(order)), programme: ProgrammeIndex(rawValue: programme),
                                 enterprise: EnterpriseIndex(rawValue: enterprise), awarded: CalendarDate(daysSinceEpoch: 0),
                                 year: year, order: Int32(order), amountFen: Fen(1))
            }
            let byEnterprise = AuditContext.sorted(awards, by: .programmeAndEnterprise).map(\.order)
            let byYear = AuditContext.sorted(awards, by: .programmeAndYear).map(\.order)
            let expectedByEnterprise = awards.sorted {
                ($0.programme.rawValue, $0.enterprise.rawValue, $0.order) < ($1.programme.rawValue, $1.enterprise.rawValue, $1.order)
            }.map(\.order)
            let expectedByYear = awards.sorted {
                ($0.programme.rawValue, $0.year, $0.order) < ($1.programme.rawValue, $1.year, $1.order)
            }.map(\.order)
            #expect(byEnterprise == expectedByEnterprise, "round \(round): by programme and enterprise")
            #expect(byYear == expectedByYear, "round \(round): by programme and year")
        }
    }

    @Test func differentProgrammeEnterpriseOrProjectIsNoDuplicate() throws {
        let builder = try AuditLedgerBuilder()
        try builder.programme("yz-rd")
        try builder.programme("yz-talent")
        try builder.register(enterprise)
        try builder.register(other)
        try builder.award("G1", to: enterprise, under: "yz-rd", amountFen: auditYuan(100), project: "Line A", effective: "2022-01-10")
        try builder.award("G2", to: other, under: "yz-rd", amountFen: auditYuan(100), project: "Line A", effective: "2022-01-11")
        try builder.award("G3", to: enterprise, under: "yz-talent", amountFen: auditYuan(100), project: "Line A", effective: "2022-01-12")
        try builder.award("G4", to: enterprise, under: "yz-rd", amountFen: auditYuan(100), project: "Line B", effective: "2022-01-13")
        #expect(try builder.audit(rules: [.duplicateAward]).findings.isEmpty)
    }

    @Test func aRevokedOrRetractedAwardIsNotLive() throws {
        let builder = try AuditLedgerBuilder()
        try builder.programme("yz-rd")
        try builder.register(enterprise)
        try builder.award("G1", to: enterprise, under: "yz-rd", amountFen: auditYuan(100), project: "Line A", effective: "2022-01-10")
        try builder.award("G2", to: enterprise, under: "yz-rd", amountFen: auditYuan(100), project: "Line A", effective: "2022-02-10")
        try builder.award("G3", to: enterprise, under: "yz-rd", amountFen: auditYuan(100), project: "Line B", effective: "2022-01-10")
        try builder.award("G4", to: enterprise, under: "yz-rd", amountFen: auditYuan(100), project: "Line B", effective: "2022-02-10")
        #expect(try builder.audit(rules: [.duplicateAward]).findings.map(\.subject) == ["G2", "G4"])
        try builder.revoke("G1", effective: "2022-03-01")
        try builder.retract("award:G4", effective: "2022-03-01", recorded: "2022-03-05")
        #expect(try builder.audit(rules: [.duplicateAward]).findings.isEmpty)
        #expect(try builder.audit(knownAt: "2022-03-04", rules: [.duplicateAward]).findings.map(\.subject) == ["G4"])
    }

    // MARK: after-deregistration (awards)

    @Test func anAwardAfterDeregistrationIsAFindingOneOnTheDayIsNot() throws {
        let builder = try AuditLedgerBuilder()
        // The append path now refuses such a timeline; logs written before it was checked must still be audited.
        builder.writesUncheckedLogs = true
        try builder.programme("yz-rd")
        try builder.register(enterprise)
        try builder.register(other)
        try builder.deregister(enterprise, effective: "2022-05-31")
        try builder.deregister(other, effective: "2022-05-31")
        try builder.award("G1", to: enterprise, under: "yz-rd", amountFen: auditYuan(100), effective: "2022-06-01")
        try builder.award("G2", to: other, under: "yz-rd", amountFen: auditYuan(100), effective: "2022-05-31")
        let findings = try builder.audit(rules: [.afterDeregistration]).findings
        #expect(findings.map(\.subject) == ["G1"])
        #expect(findings.first?.message == "grant G1 of ¥100.00 under programme yz-rd was awarded on 2022-06-01 to \(enterprise), which was deregistered on 2022-05-31")
    }

    @Test func aDeregistrationRecordedLaterShowsOnlyOnceKnown() throws {
        let builder = try AuditLedgerBuilder()
        // The append path now refuses such a timeline; logs written before it was checked must still be audited.
        builder.writesUncheckedLogs = true
        try builder.programme("yz-rd")
        try builder.register(enterprise)
        try builder.award("G1", to: enterprise, under: "yz-rd", amountFen: auditYuan(100), effective: "2022-06-01")
        try builder.deregister(enterprise, effective: "2022-05-31", recorded: "2022-07-15")
        #expect(try builder.audit(knownAt: "2022-07-14", rules: [.afterDeregistration]).findings.isEmpty)
        #expect(try builder.audit(knownAt: "2022-07-15", rules: [.afterDeregistration]).findings.map(\.subject) == ["G1"])
    }
}
