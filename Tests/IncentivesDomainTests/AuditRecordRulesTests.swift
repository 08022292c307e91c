import Testing
import IncentivesTestSupport
@testable import IncentivesDomain
import LedgerLog

@Suite("Audit: records, codes, concentration and the report")
struct AuditRecordRulesTests {
    let enterprise = AuditLedgerBuilder.code(1)

    // MARK: late-recording

    @Test func exactlyNinetyDaysLateIsOnTimeNinetyOneIsNot() throws {
        let builder = try AuditLedgerBuilder()
        try builder.programme("yz-rd", recorded: "2019-01-01")
        try builder.register(enterprise, recorded: "2019-01-01")
        // 2022-01-01 + 90 days = 2022-04-01.
        try builder.award("G1", to: enterprise, under: "yz-rd", amountFen: auditYuan(100), effective: "2022-01-01",
                          recorded: "2022-04-01T23:59:59Z")
        try builder.award("G2", to: enterprise, under: "yz-rd", amountFen: auditYuan(100), effective: "2022-01-01",
                          recorded: "2022-04-02T00:00:00Z")
        let findings = try builder.audit(rules: [.lateRecording]).findings
        #expect(findings.count == 1)
        let finding = try #require(findings.first)
        #expect(finding.subject == "G2" && finding.event == "award:G2" && finding.severity == .warning)
        #expect(finding.effective == AuditLedgerBuilder.date("2022-01-01"))
        #expect(finding.message == "GrantAwarded award:G2 effective 2022-01-01 was recorded at 2022-04-02T00:00:00Z, 91 days later, more than the 90 allowed")
    }

    @Test func theLimitIsAnOptionAndCoversEveryKindOfEvent() throws {
        let builder = try AuditLedgerBuilder()
        try builder.programme("yz-rd", recorded: "2019-01-01")
        try builder.register(enterprise, recorded: "2019-01-31")
        try builder.promote(enterprise, to: .startup, effective: "2020-01-01", recorded: "2020-01-31T12:00:00Z")
        let findings = try builder.audit(rules: [.lateRecording], lateDays: 29).findings
        #expect(findings.map(\.subject) == [enterprise, enterprise])
        #expect(findings.map(\.effective) == [AuditLedgerBuilder.date("2019-01-01"), AuditLedgerBuilder.date("2020-01-01")])
        #expect(try builder.audit(rules: [.lateRecording], lateDays: 30).findings.isEmpty)
    }

    @Test func aLateEventIsNotReportedBeforeItIsKnownNorOnceRetracted() throws {
        let builder = try AuditLedgerBuilder()
        try builder.programme("yz-rd")
        try builder.register(enterprise)
        try builder.award("G1", to: enterprise, under: "yz-rd", amountFen: auditYuan(100), effective: "2022-01-01",
                          recorded: "2022-06-01")
        try builder.retract("award:G1", effective: "2022-07-01", recorded: "2022-07-01")
        #expect(try builder.audit(knownAt: "2022-05-31", rules: [.lateRecording]).findings.isEmpty)
        #expect(try builder.audit(knownAt: "2022-06-30", rules: [.lateRecording]).findings.map(\.subject) == ["G1"])
        #expect(try builder.audit(rules: [.lateRecording]).findings.isEmpty)
    }

    // MARK: uscc-check-digit

    @Test func aWrongCheckCharacterIsReported() throws {
        let bad = AuditLedgerBuilder.badCode(7)
        let builder = try AuditLedgerBuilder()
        try builder.register(enterprise)
        let registration = try builder.register(bad, effective: "2021-05-06", name: "江堰精密")
        let findings = try builder.audit(rules: [.usccCheckDigit]).findings
        #expect(findings.count == 1)
        let finding = try #require(findings.first)
        let good = AuditLedgerBuilder.code(7)
        #expect(finding.subject == bad && finding.event == registration && finding.severity == .error)
        #expect(finding.effective == AuditLedgerBuilder.date("2021-05-06"))
        #expect(finding.message == "enterprise code \(bad) (江堰精密) fails the GB 32100-2015 check: its last character is \(bad.last!), the first 17 call for \(good.last!); check the business licence and record the enterprise under its correct code")
    }

    @Test func aKnownGoodCodePasses() throws {
        // The check character of a published code, computed by hand: weights 1, 3, 9, … mod 31.
        #expect(EnterpriseCode(rawValue: "91350100M000100Y43")?.hasValidCheckDigit == true)
        let builder = try AuditLedgerBuilder()
        try builder.register("91350100M000100Y43")
        try builder.register(enterprise)
        #expect(try builder.audit(rules: [.usccCheckDigit]).findings.isEmpty)
    }

    /// The audit checks codes from their bytes (`EnterpriseCode.isValid`): it must pass exactly
    /// what the code's own checks pass, for codes near valid ones and for any bytes.
    @Test func theByteCheckAgreesWithTheCodesOwnChecks() {
        var random = SplitMix64(seed: 53)
        let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY".utf8)
        let others = Array("IOZSVaz -\u{7F}".utf8) + [0x00, 0xC3, 0xA9, 0xFF]
        var valid = 0
        for _ in 0..<20_000 {
            var bytes = Array(AuditLedgerBuilder.code(random.below(99_999) + 1).utf8)
            switch random.below(6) {
            case 0: break
            case 1: bytes[random.below(18)] = random.pick(alphabet)
            case 2: bytes[random.below(18)] = random.pick(others)
            case 3: bytes.removeLast(random.below(3) + 1)
            case 4: bytes.append(random.pick(alphabet))
            default: bytes = (0..<random.below(20)).map { _ in random.chance(1, in: 8) ? random.pick(others) : random.pick(alphabet) }
            }
            let text = String(decoding: bytes, as: UTF8.self)
            let expected = Array(text.utf8) == bytes && EnterpriseCode(rawValue: text)?.hasValidCheckDigit == true
            #expect(EnterpriseCode.isValid(bytes) == expected, "\(bytes)")
            if expected { valid += 1 }
        }
        #expect(valid > 2_000 && valid < 18_000, "both kinds met: \(valid) valid")
    }

    @Test func aBadCodeRegisteredLaterShowsOnlyOnceKnown() throws {
        let builder = try AuditLedgerBuilder()
        try builder.register(AuditLedgerBuilder.badCode(3), effective: "2021-01-01", recorded: "2021-03-01")
        #expect(try builder.audit(knownAt: "2021-02-28", rules: [.usccCheckDigit]).findings.isEmpty)
        #expect(try builder.audit(knownAt: "2021-03-01", rules: [.usccCheckDigit]).findings.count == 1)
    }

    // MARK: concentration

    @Test func concentrationFiguresAreExact() throws {
        let single = try #require(Concentration(amountsFen: [500]))
        #expect(single.topShareBasisPoints == 10_000 && single.herfindahlIndex == 10_000)
        let pair = try #require(Concentration(amountsFen: [25, 75]))
        #expect(pair.topShareBasisPoints == 10_000 && pair.herfindahlIndex == 6_250 && pair.topFen == 100)
        // Twelve equal recipients: the top ten hold 10/12 = 83.33%, the index is 12 × (100/12)² = 833.3.
        let twelve = try #require(Concentration(amountsFen: Array(repeating: 1_000, count: 12)))
        #expect(twelve.topFen == 10_000 && twelve.totalFen == 12_000)
        #expect(twelve.topShareBasisPoints == 8_333 && twelve.herfindahlIndex == 833)
        // Totals beyond 2^53 fen are scaled, not overflowed.
        let huge = try #require(Concentration(amountsFen: [Int128(1) << 60, Int128(1) << 60]))
        #expect(huge.herfindahlIndex == 5_000 && huge.topShareBasisPoints == 10_000)
        #expect(Concentration(amountsFen: []) == nil && Concentration(amountsFen: [0, 0]) == nil)
    }

    /// The top recipients are kept as they pass, not sorted: the figures equal those of the
    /// whole list sorted, for lists with ties, zeros and negative amounts, and any top count.
    @Test func concentrationKeepsTheLargestWithoutSorting() throws {
        var random = SplitMix64(seed: 0xC0C0)
        var compared = 0
        for round in 0..<400 {
            let count = Int.random(in: 0...40, using: &random)
            let spread = [3, 1_000, 1 << 40][round % 3]
            let amounts = (0..<count).map { _ in Int128(Int.random(in: -2...spread, using: &random)) }
            let topCount = [0, 1, 3, 10, 50][round % 5]
            let descending = amounts.map { max($0, 0) }.sorted(by: >)
            let total = descending.reduce(0, +)
            guard let figures = Concentration(amountsFen: amounts, topCount: topCount) else {
                #expect(total == 0, "nil only when nothing was received: \(amounts)")
                continue
            }
            #expect(figures.totalFen == total && figures.topFen == descending.prefix(topCount).reduce(0, +),
                    "top \(topCount) of \(amounts)")
            // The index does not depend on the order of the amounts.
            #expect(figures == Concentration(amountsFen: descending, topCount: topCount), "\(amounts)")
            compared += 1
        }
        #expect(compared > 300, "most lists received something")
    }

    @Test func concentrationPerProgrammeAndYear() throws {
        let builder = try AuditLedgerBuilder()
        try builder.programme("yz-rd")
        for number in 1...12 { try builder.register(AuditLedgerBuilder.code(number)) }
        for number in 1...12 {
            try builder.award("G\(number)", to: AuditLedgerBuilder.code(number), under: "yz-rd", amountFen: auditYuan(1_000),
                              effective: "2022-0\(number % 9 + 1)-15")
        }
        // Two grants to one recipient are one recipient; a revoked grant counts for nothing.
        try builder.award("G13", to: AuditLedgerBuilder.code(1), under: "yz-rd", amountFen: auditYuan(1_000), effective: "2023-02-01")
        try builder.award("G14", to: AuditLedgerBuilder.code(1), under: "yz-rd", amountFen: auditYuan(3_000), effective: "2023-03-01")
        try builder.award("G15", to: AuditLedgerBuilder.code(2), under: "yz-rd", amountFen: auditYuan(9_000), effective: "2023-03-01")
        try builder.revoke("G15", effective: "2023-04-01")
        try builder.award("G16", to: AuditLedgerBuilder.code(2), under: "yz-rd", amountFen: auditYuan(4_000), effective: "2023-05-01")
        let findings = try builder.audit(rules: [.concentration]).findings
        #expect(findings.count == 2)
        #expect(findings.allSatisfy { $0.severity == .info && $0.event == nil && $0.subject == "yz-rd" })
        #expect(findings.map(\.effective) == [AuditLedgerBuilder.date("2022-12-31"), AuditLedgerBuilder.date("2023-12-31")])
        #expect(findings.map(\.message) == [
            "programme yz-rd in 2022: ¥12,000.00 to 12 recipients; the top 10 received ¥10,000.00 (83.33%); Herfindahl-Hirschman index 833 (of 10000)",
            "programme yz-rd in 2023: ¥8,000.00 to 2 recipients; the top 2 received ¥8,000.00 (100.00%); Herfindahl-Hirschman index 5000 (of 10000)",
        ])
        // As of mid-2023 the year so far is what is measured, dated the as-of day.
        let partial = try builder.audit(asOf: "2023-03-31", rules: [.concentration]).findings
        #expect(partial.last?.effective == AuditLedgerBuilder.date("2023-03-31"))
        #expect(partial.last?.message.contains("¥13,000.00 to 2 recipients") == true)
    }

    // MARK: the report

    @Test func findingsAreSortedByRuleThenDateThenSubject() throws {
        let builder = try AuditLedgerBuilder()
        try builder.programme("yz-rd", minTier: .sme)
        try builder.register(enterprise)
        try builder.award("G2", to: enterprise, under: "yz-rd", amountFen: auditYuan(100), effective: "2022-03-01")
        try builder.award("G1", to: enterprise, under: "yz-rd", amountFen: auditYuan(100), effective: "2022-03-01")
        try builder.award("G0", to: enterprise, under: "yz-rd", amountFen: auditYuan(100), effective: "2022-04-01",
                          recorded: "2022-09-01")
        let report = try builder.audit(rules: [.lateRecording, .tierBelowMinimum])
        #expect(report.findings.map { "\($0.rule) \($0.effective) \($0.subject)" } == [
            "tier-below-minimum 2022-03-01 G1", "tier-below-minimum 2022-03-01 G2", "tier-below-minimum 2022-04-01 G0",
            "late-recording 2022-04-01 G0",
        ])
        #expect(report.count(.error) == 3 && report.count(.warning) == 1 && report.count(.info) == 0)
        #expect(report.hasFinding(atLeast: .warning) && report.hasFinding(atLeast: .error))
        #expect(report.options.rules == [.tierBelowMinimum, .lateRecording])
    }

    @Test func onlyTheChosenRulesRun() throws {
        let builder = try AuditLedgerBuilder()
        try builder.programme("yz-rd", minTier: .sme)
        try builder.register(AuditLedgerBuilder.badCode(1))
        try builder.award("G1", to: AuditLedgerBuilder.badCode(1), under: "yz-rd", amountFen: auditYuan(100), effective: "2022-03-01")
        let all = try builder.audit()
        #expect(Set(all.findings.map(\.rule)) == [.tierBelowMinimum, .usccCheckDigit, .budgetExceeded, .concentration])
        #expect(try builder.audit(rules: [.usccCheckDigit]).findings.map(\.rule) == [.usccCheckDigit])
        #expect(try builder.audit(rules: []).findings.isEmpty)
    }

    @Test func aCleanLedgerHasOnlyItsConcentrationFigures() throws {
        let builder = try AuditLedgerBuilder()
        try builder.programme("yz-rd", minTier: .startup, capFen: auditYuan(1_000), capYears: 2)
        try builder.budget("yz-rd", year: 2022, amountFen: auditYuan(1_000))
        try builder.register(enterprise)
        try builder.promote(enterprise, to: .startup, effective: "2021-01-01")
        try builder.award("G1", to: enterprise, under: "yz-rd", amountFen: auditYuan(1_000), effective: "2022-03-01")
        try builder.disburse("G1", amountFen: auditYuan(1_000), effective: "2022-04-01", id: "pay-1")
        let report = try builder.audit()
        #expect(report.findings.map(\.rule) == [.concentration])
        #expect(!report.hasFinding(atLeast: .warning))
    }

    @Test func theJSONHasTheDocumentedMembers() throws {
        let builder = try AuditLedgerBuilder()
        try builder.programme("yz-rd", minTier: .sme)
        try builder.register(enterprise)
        try builder.award("G1", to: enterprise, under: "yz-rd", amountFen: auditYuan(100), effective: "2022-03-01")
        let report = try builder.audit(asOf: "2022-12-31", knownAt: "2023-01-15", rules: [.tierBelowMinimum])
        guard case .object(let object) = report.json else { Issue.record("not an object"); return }
        #expect(object.members.map(\.key) == ["asOf", "knownAt", "rules", "lateDays", "counts", "findings"])
        #expect(object["asOf"] == .string("2022-12-31") && object["knownAt"] == .string("2023-01-15T23:59:59Z"))
        guard case .array(let findings)? = object["findings"], case .object(let finding)? = findings.first else {
            Issue.record("no findings array"); return
        }
        #expect(finding.members.map(\.key) == ["rule", "severity", "subject", "event", "effective", "message"])
        #expect(finding["rule"] == .string("tier-below-minimum") && finding["event"] == .string("award:G1"))
    }
}
