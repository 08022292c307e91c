import Testing
@testable import IncentivesDomain
import LedgerLog

@Suite("Audit: payment rules")
struct AuditPaymentRulesTests {
    let enterprise = AuditLedgerBuilder.code(1)

    /// Grant G1 of ¥1,000,000.00 awarded on 2022-03-01.
    func grantLedger() throws -> AuditLedgerBuilder {
        let builder = try AuditLedgerBuilder()
        try builder.programme("yz-rd")
        try builder.register(enterprise)
        try builder.award("G1", to: enterprise, under: "yz-rd", amountFen: auditYuan(1_000_000), effective: "2022-03-01")
        return builder
    }

    // MARK: over-disbursed

    @Test func payingExactlyTheAwardIsAllowed() throws {
        let builder = try grantLedger()
        try builder.disburse("G1", amountFen: auditYuan(600_000), effective: "2022-04-01", id: "pay-1")
        try builder.disburse("G1", amountFen: auditYuan(400_000), effective: "2022-05-01", id: "pay-2")
        #expect(try builder.audit(rules: [.overDisbursed]).findings.isEmpty)
    }

    @Test func theFirstPaymentPastTheAwardIsTheEvent() throws {
        let builder = try grantLedger()
        try builder.disburse("G1", amountFen: auditYuan(600_000), effective: "2022-04-01", id: "pay-1")
        try builder.disburse("G1", amountFen: auditYuan(400_001), effective: "2022-05-01", id: "pay-2")
        try builder.disburse("G1", amountFen: auditYuan(1), effective: "2022-06-01", id: "pay-3")
        let findings = try builder.audit(rules: [.overDisbursed]).findings
        #expect(findings.count == 1)
        let finding = try #require(findings.first)
        #expect(finding.subject == "G1" && finding.event == "pay-2" && finding.severity == .error)
        #expect(finding.effective == AuditLedgerBuilder.date("2022-05-01"))
        #expect(finding.message == "grant G1 to \(enterprise) under programme yz-rd has been paid ¥1,000,002.00 less ¥0.00 recovered, ¥1,000,002.00 net, ¥2.00 more than the ¥1,000,000.00 awarded")
    }

    @Test func aRecoveryBringsItBackWithinTheAward() throws {
        let builder = try grantLedger()
        try builder.disburse("G1", amountFen: auditYuan(1_200_000), effective: "2022-04-01", id: "pay-1")
        try builder.recover("G1", amountFen: auditYuan(200_000), effective: "2022-06-01", recorded: "2022-06-02")
        #expect(try builder.audit(asOf: "2022-05-31", rules: [.overDisbursed]).findings.map(\.event) == ["pay-1"])
        #expect(try builder.audit(knownAt: "2022-06-01", rules: [.overDisbursed]).findings.map(\.event) == ["pay-1"])
        #expect(try builder.audit(rules: [.overDisbursed]).findings.isEmpty)
    }

    @Test func anAmendmentBelowWhatWasPaidIsTheEvent() throws {
        let builder = try grantLedger()
        try builder.disburse("G1", amountFen: auditYuan(900_000), effective: "2022-04-01", id: "pay-1")
        let amendment = try builder.amend("G1", amountFen: auditYuan(800_000), effective: "2022-07-01")
        let findings = try builder.audit(rules: [.overDisbursed]).findings
        #expect(findings.map(\.event) == [amendment])
        #expect(findings.first?.message.contains("¥100,000.00 more than the ¥800,000.00 awarded") == true)
    }

    @Test func aRetractedPaymentNoLongerCounts() throws {
        let builder = try grantLedger()
        try builder.disburse("G1", amountFen: auditYuan(1_000_000), effective: "2022-04-01", id: "pay-1")
        try builder.disburse("G1", amountFen: auditYuan(1_000_000), effective: "2022-04-01", recorded: "2022-04-01T10:00:00Z", id: "pay-1-again")
        #expect(try builder.audit(rules: [.overDisbursed]).findings.map(\.event) == ["pay-1-again"])
        try builder.retract("pay-1-again", effective: "2022-04-02", recorded: "2022-04-02")
        #expect(try builder.audit(rules: [.overDisbursed]).findings.isEmpty)
        #expect(try builder.audit(knownAt: "2022-04-01", rules: [.overDisbursed]).findings.count == 1)
    }

    // MARK: unrecovered-revocation

    @Test func aRevokedGrantWithMoneyOutIsOwedBack() throws {
        let builder = try grantLedger()
        try builder.disburse("G1", amountFen: auditYuan(500_000), effective: "2022-04-01", id: "pay-1")
        let revocation = try builder.revoke("G1", effective: "2022-08-01")
        try builder.recover("G1", amountFen: auditYuan(200_000), effective: "2022-09-01")
        let report = try builder.audit(rules: [.unrecoveredRevocation, .overDisbursed])
        #expect(report.findings.count == 1)
        let finding = try #require(report.findings.first)
        #expect(finding.rule == .unrecoveredRevocation && finding.severity == .warning)
        #expect(finding.subject == "G1" && finding.event == revocation)
        #expect(finding.effective == AuditLedgerBuilder.date("2022-08-01"))
        #expect(finding.message == "grant G1 to \(enterprise) under programme yz-rd was revoked on 2022-08-01; ¥500,000.00 was paid and ¥200,000.00 recovered, so ¥300,000.00 is owed back")
    }

    @Test func aFullyRecoveredOrUnpaidRevocationIsSettled() throws {
        let builder = try grantLedger()
        try builder.award("G2", to: enterprise, under: "yz-rd", amountFen: auditYuan(10), effective: "2022-03-01")
        try builder.disburse("G1", amountFen: auditYuan(500_000), effective: "2022-04-01", id: "pay-1")
        try builder.revoke("G1", effective: "2022-08-01")
        try builder.revoke("G2", effective: "2022-08-01")
        try builder.recover("G1", amountFen: auditYuan(500_000), effective: "2022-09-01", recorded: "2022-09-20")
        #expect(try builder.audit(rules: [.unrecoveredRevocation]).findings.isEmpty)
        // Until the recovery was recorded, the money was owed.
        #expect(try builder.audit(knownAt: "2022-09-19", rules: [.unrecoveredRevocation]).findings.map(\.subject) == ["G1"])
    }

    // MARK: payment-before-award

    @Test func aPaymentEffectiveBeforeTheAward() throws {
        let builder = try grantLedger()
        // The append path now refuses such a timeline; logs written before it was checked must still be audited.
        builder.writesUncheckedLogs = true
        try builder.disburse("G1", amountFen: auditYuan(100), effective: "2022-02-20", id: "pay-early")
        let findings = try builder.audit(rules: [.paymentBeforeAward]).findings
        #expect(findings.count == 1)
        let finding = try #require(findings.first)
        #expect(finding.subject == "G1" && finding.event == "pay-early" && finding.severity == .error)
        #expect(finding.effective == AuditLedgerBuilder.date("2022-02-20"))
        #expect(finding.message == "payment pay-early of ¥100.00 on grant G1, effective 2022-02-20, is before the grant's award on 2022-03-01, so the grant's figures leave it out; record the award first or correct the payment's date")
    }

    @Test func aPaymentOnTheAwardDayRecordedAfterItIsFine() throws {
        let builder = try grantLedger()
        try builder.disburse("G1", amountFen: auditYuan(100), effective: "2022-03-01", recorded: "2022-03-01T10:00:00Z", id: "pay-1")
        #expect(try builder.audit(rules: [.paymentBeforeAward]).findings.isEmpty)
    }

    @Test func aSameDayPaymentRecordedBeforeTheAwardIsReported() throws {
        // The award is withdrawn and recorded again under a new id after the payment: the
        // replay meets the payment first, and leaves it out of the grant's figures.
        let builder = try grantLedger()
        // The append path now refuses such a timeline; logs written before it was checked must still be audited.
        builder.writesUncheckedLogs = true
        try builder.disburse("G1", amountFen: auditYuan(100), effective: "2022-03-01", id: "pay-1")
        try builder.retract("award:G1", effective: "2022-03-02")
        try builder.award("G1", to: enterprise, under: "yz-rd", amountFen: auditYuan(1_000_000), effective: "2022-03-01",
                          id: "award:G1:again")
        #expect(try builder.audit(knownAt: "2022-03-01", rules: [.paymentBeforeAward]).findings.isEmpty)
        let findings = try builder.audit(rules: [.paymentBeforeAward]).findings
        #expect(findings.map(\.event) == ["pay-1"])
        #expect(findings.first?.message.contains("was recorded before the grant's award of the same day") == true)
    }

    @Test func aPaymentWhoseAwardIsOutsideTheWindow() throws {
        let builder = try grantLedger()
        // The append path now refuses such a timeline; logs written before it was checked must still be audited.
        builder.writesUncheckedLogs = true
        try builder.disburse("G1", amountFen: auditYuan(100), effective: "2022-02-20", id: "pay-early")
        let findings = try builder.audit(asOf: "2022-02-28", rules: [.paymentBeforeAward]).findings
        #expect(findings.map(\.event) == ["pay-early"])
        #expect(findings.first?.message.contains("has no award of that grant to go with it (as of 2022-02-28") == true)
        // A retracted award leaves its payments without one too.
        try builder.retract("award:G1", effective: "2022-05-01", recorded: "2022-05-01")
        #expect(try builder.audit(rules: [.paymentBeforeAward]).findings.map(\.event) == ["pay-early"])
    }

    // MARK: after-deregistration (payments)

    @Test func aPaymentAfterDeregistrationIsAFindingOneOnTheDayIsNot() throws {
        let builder = try grantLedger()
        try builder.deregister(enterprise, effective: "2022-06-30")
        try builder.disburse("G1", amountFen: auditYuan(100), effective: "2022-06-30", id: "pay-on-the-day")
        try builder.disburse("G1", amountFen: auditYuan(200), effective: "2022-07-01", id: "pay-after")
        let findings = try builder.audit(rules: [.afterDeregistration]).findings
        #expect(findings.map(\.event) == ["pay-after"])
        #expect(findings.first?.message == "payment pay-after of ¥200.00 on grant G1, effective 2022-07-01, went to \(enterprise), which was deregistered on 2022-06-30")
    }
}
