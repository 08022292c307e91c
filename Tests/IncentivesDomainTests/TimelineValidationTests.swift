import IncentivesDomain
import LedgerLog
import Testing

/// Timeline validation below the command line: a log that already breaks an invariant (written
/// before the append path checked timelines, or imported) is still read and audited, and stays
/// appendable; only what a draft newly breaks refuses it.
@Suite("Timeline validation")
struct TimelineValidationTests {
    static let enterprise = AuditLedgerBuilder.code(7)

    /// A log whose enterprise was promoted to startup twice (the second no raise) and paid before its award.
    static func oldLog() throws -> AuditLedgerBuilder {
        let builder = try AuditLedgerBuilder()
        builder.writesUncheckedLogs = true
        try builder.programme("yz")
        try builder.register(enterprise, effective: "2022-01-01")
        try builder.add(.tierPromoted, effective: "2022-02-01", id: "t-1", [("enterprise", .text(enterprise)), ("tier", .text("startup"))])
        try builder.add(.tierPromoted, effective: "2022-03-01", id: "t-2", [("enterprise", .text(enterprise)), ("tier", .text("startup"))])
        try builder.disburse("G1", amountFen: 100, effective: "2022-03-15", id: "pay-early")
        try builder.award("G1", to: enterprise, under: "yz", amountFen: 10_000, effective: "2022-04-01")
        try builder.commit()
        return builder
    }

    static func append(_ drafts: [EventDraft], to builder: AuditLedgerBuilder) throws -> AppendOutcome {
        let session = try AppendSession(store: builder.store, clock: FixedClock(AuditLedgerBuilder.clockMoment)) { notice in
            Issue.record("unexpected repair notice: \(notice)")
        }
        return try session.append(drafts)
    }

    static func refusal(_ drafts: [EventDraft], to builder: AuditLedgerBuilder) throws -> String? {
        do {
            _ = try append(drafts, to: builder)
            return nil
        } catch let error as LedgerError {
            #expect(error.code == .badData, "a refusal is bad data: \(error.message)")
            return error.message
        }
    }

    @Test("an old log breaking an invariant is read and audited as it is")
    func oldLogIsReadAndAudited() throws {
        let builder = try Self.oldLog()
        let ledger = try builder.ledger()
        #expect(ledger.count == 6)
        let findings = try builder.audit(rules: [.paymentBeforeAward]).findings
        #expect(findings.map(\.event) == ["pay-early"])
    }

    @Test("drafts that break nothing new are accepted on a timeline with old faults")
    func oldFaultsDoNotBlock() throws {
        let builder = try Self.oldLog()
        let outcome = try Self.append([
            try Drafts.tier("t-3", to: "sme", on: "2022-05-01", enterprise: Self.enterprise),
            try Drafts.make("pay-2", .grantDisbursed, "2022-05-01", [("amountFen", 200), ("grant", "G1")]),
        ], to: builder)
        #expect(outcome.appended.map(\.id.rawValue) == ["t-3", "pay-2"])
        // Still what it was: the old faults are the audit's to report.
        #expect(try builder.audit(rules: [.paymentBeforeAward]).findings.map(\.event) == ["pay-early"])
    }

    @Test("a draft that breaks a timeline anew is refused there, naming the event it contradicts")
    func newFaultsAreRefused() throws {
        let builder = try Self.oldLog()
        let message = try Self.refusal([try Drafts.tier("t-0", to: "sme", on: "2022-01-15", enterprise: Self.enterprise)], to: builder)
        #expect(message?.contains("TierPromoted t-0 refused: it would contradict TierPromoted t-1, effective 2022-02-01") == true,
                "\(message ?? "accepted")")
        let early = try Self.refusal([try Drafts.make("pay-3", .grantDisbursed, "2022-03-20", [("amountFen", 5), ("grant", "G1")])], to: builder)
        #expect(early?.contains("GrantDisbursed pay-3 refused: its grant is awarded only by GrantAwarded") == true, "\(early ?? "accepted")")
    }

    @Test("each draft of a batch is judged with the drafts before it in the batch")
    func batchOrder() throws {
        let scratch = DomainScratchLedger()
        try scratch.append(try Drafts.base())
        let bytes = IncentiveLogs.all.map(scratch.logBytes)
        #expect {
            try scratch.append([
                try Drafts.tier("t-ht", to: "high-tech", on: "2023-09-30"),
                try Drafts.tier("t-sme", to: "sme", on: "2023-09-29"),
                try Drafts.tier("t-in", to: "influential", on: "2023-09-29"),
            ])
        } throws: { error in
            guard let error = error as? LedgerError else { return false }
            return error.message.hasPrefix("test draft t-in: TierPromoted t-in refused: it would contradict TierPromoted t-ht, effective 2023-09-30")
        }
        #expect(IncentiveLogs.all.map(scratch.logBytes) == bytes, "nothing was appended")
    }
}
