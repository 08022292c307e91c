import Foundation
import IncentivesDomain
import Testing

/// A draft is judged against the whole timeline of each entity it touches, as it will be with the
/// draft in its place in replay order: every invariant of README "Events and validation" fired and
/// not fired at its boundary (the same day included), each refusal naming the event it would
/// contradict, exit 65, nothing appended.
@Suite("Timeline refusals")
struct TimelineRefusalTests {
    static let precision = Codes.precision
    static let pharma = Codes.pharma

    /// A programme, two registered enterprises, a grant of ¥1,000,000 to `precision` with ¥500,000 paid.
    static func base() -> LedgerScenario {
        let scenario = LedgerScenario()
        scenario.given([
            Draft.programme("p-yz", "yz", name: "雁阵计划", effective: "2022-01-01"),
            Draft.register("reg-precision", precision, name: Codes.precisionName, effective: "2022-01-01"),
            Draft.register("reg-pharma", pharma, name: Codes.pharmaName, effective: "2022-01-01"),
            Draft.award("a-1", grant: "G-1", enterprise: precision, programme: "yz", amountFen: 100_000_000, effective: "2022-03-01"),
            Draft.grantAmount("pay-1", "GrantDisbursed", grant: "G-1", amountFen: 50_000_000, effective: "2022-04-01"),
        ])
        return scenario
    }

    /// Appends `lines` and expects a refusal on `line` that says every phrase, with the logs unchanged.
    static func refuse(_ scenario: LedgerScenario, _ lines: [String], line: Int = 1, _ phrases: [String],
                       sourceLocation: SourceLocation = #_sourceLocation) {
        let before = scenario.directory.logSnapshot()
        let path = scenario.nextInputPath
        let outcome = scenario.append(lines)
        outcome.then(exit: 65, errors: ["\(path):\(line): "] + phrases + ["nothing was appended"], sourceLocation: sourceLocation)
        #expect(scenario.directory.logSnapshot() == before, "nothing was appended", sourceLocation: sourceLocation)
    }

    static func evaluation(_ id: String, _ enterprise: String = precision, score: Int = 60, effective: String) -> String {
        Draft.line(id, "CapabilityEvaluated", effective: effective, data: "{\"enterprise\":\"\(enterprise)\",\"score\":\(score)}")
    }

    static func deregistration(_ id: String, _ enterprise: String = precision, effective: String) -> String {
        Draft.line(id, "EnterpriseDeregistered", effective: effective, data: "{\"enterprise\":\"\(enterprise)\",\"reason\":\"moved away\"}")
    }

    static func promote(_ tier: String, _ effective: String) -> [String] {
        ["promote", "--enterprise", precision, "--tier", tier, "--effective", effective, "--actor", "clerk Li", "--source", "notice"]
    }

    // MARK: Tier changes

    @Test("a back-dated promotion that makes a later promotion no longer a raise is refused, naming it")
    func backDatedPromotionAboveALaterOne() {
        let scenario = Self.base()
        scenario.when(Self.promote("high-tech", "2023-09-30")).then(exit: 0)
        let before = scenario.directory.logSnapshot()
        scenario.when(Self.promote("influential", "2023-09-29"))
            .then(exit: 65, errors: ["TierPromoted promote:\(Self.precision):influential:2023-09-29 refused",
                                     "it would contradict TierPromoted promote:\(Self.precision):high-tech:2023-09-30, effective 2023-09-30",
                                     "would no longer raise the tier, which would be influential there", "nothing was appended"])
        #expect(scenario.directory.logSnapshot() == before)
        // Not fired: below the later tier, or on the same day after it in replay order.
        scenario.when(Self.promote("sme", "2023-09-29")).then(exit: 0)
        scenario.when(Self.promote("influential", "2023-09-30")).then(exit: 0)
        let history = scenario.when(["enterprise", Self.precision, "--format", "json"]).value("tierHistory")?.arrayValue ?? []
        #expect(history.map { "\($0["from"]?.stringValue ?? "?")→\($0["to"]?.stringValue ?? "?")" }
                == ["none→sme", "sme→high-tech", "high-tech→influential"], "every change is a raise")
    }

    @Test("a same-day tier change is judged after the changes recorded before it that day")
    func sameDayTierChange() {
        let scenario = Self.base()
        scenario.given([Draft.tier("t-ht", enterprise: Self.precision, tier: "high-tech", effective: "2023-09-30")])
        Self.refuse(scenario, [Draft.tier("t-sme", enterprise: Self.precision, tier: "sme", effective: "2023-09-30")],
                    ["TierPromoted t-sme refused", "a promotion must raise the tier", "is high-tech on 2023-09-30",
                     "set by TierPromoted t-ht, effective 2023-09-30"])
        scenario.given([Draft.tier("t-sme", "TierDemoted", enterprise: Self.precision, tier: "sme", effective: "2023-09-30")])
    }

    @Test("two drafts of one batch are judged together: the second may not undo the first")
    func batchDraftsContradictingEachOther() {
        let scenario = Self.base()
        Self.refuse(scenario, [Draft.tier("t-ht", enterprise: Self.precision, tier: "high-tech", effective: "2023-09-30"),
                               Draft.tier("t-in", enterprise: Self.precision, tier: "influential", effective: "2023-09-29")],
                    line: 2, ["TierPromoted t-in refused", "it would contradict TierPromoted t-ht, effective 2023-09-30"])
    }

    @Test("a back-dated demotion that makes a later demotion no longer a lowering is refused, naming it")
    func backDatedDemotion() {
        let scenario = Self.base()
        scenario.given([
            Draft.tier("t-s", enterprise: Self.precision, tier: "startup", effective: "2022-02-01"),
            Draft.tier("t-m", enterprise: Self.precision, tier: "sme", effective: "2022-03-01"),
            Draft.tier("t-d", "TierDemoted", enterprise: Self.precision, tier: "startup", effective: "2022-06-01"),
        ])
        Self.refuse(scenario, [Draft.tier("n-d", "TierDemoted", enterprise: Self.precision, tier: "none", effective: "2022-05-01")],
                    ["TierDemoted n-d refused", "it would contradict TierDemoted t-d, effective 2022-06-01",
                     "that demotion to startup would no longer lower the tier, which would be none there"])
        // Not fired: after the last demotion.
        scenario.given([Draft.tier("n-d", "TierDemoted", enterprise: Self.precision, tier: "none", effective: "2022-06-02")])
    }

    @Test("retracting a tier change that a later one rests on is refused; from the end back it is allowed")
    func retractingAMiddleTierChange() {
        let scenario = Self.base()
        scenario.given([
            Draft.tier("t-s", enterprise: Self.precision, tier: "startup", effective: "2022-02-01"),
            Draft.tier("t-m", enterprise: Self.precision, tier: "sme", effective: "2022-03-01"),
            Draft.tier("t-d", "TierDemoted", enterprise: Self.precision, tier: "startup", effective: "2022-06-01"),
        ])
        Self.refuse(scenario, [Draft.retract("x-m", target: "t-m", effective: "2022-07-01")],
                    ["EventRetracted x-m refused", "retracting TierPromoted t-m, effective 2022-03-01 would leave TierDemoted t-d, effective 2022-06-01",
                     "that demotion to startup would no longer lower the tier, which would be startup there"])
        // The later change first, in the same batch: allowed.
        scenario.given([Draft.retract("x-d", target: "t-d", effective: "2022-07-01"),
                        Draft.retract("x-m", target: "t-m", effective: "2022-07-01")])
        #expect(scenario.when(["enterprise", Self.precision, "--format", "json"]).value("tier")?.stringValue == "startup")
    }

    // MARK: Registration and deregistration

    @Test("nothing happens to an enterprise after its deregistration; on the day itself it may")
    func nothingAfterDeregistration() {
        let scenario = Self.base()
        scenario.given([Self.deregistration("dereg", effective: "2023-03-31")])
        let named = "EnterpriseDeregistered dereg, effective 2023-03-31"
        Self.refuse(scenario, [Self.evaluation("ev-late", effective: "2023-04-01")],
                    ["CapabilityEvaluated ev-late refused", "the enterprise left the plan by \(named), before 2023-04-01"])
        Self.refuse(scenario, [Draft.tier("t-late", enterprise: Self.precision, tier: "sme", effective: "2023-04-01")],
                    ["TierPromoted t-late refused", named])
        Self.refuse(scenario, [Draft.tier("t-late", "TierDemoted", enterprise: Self.precision, tier: "none", effective: "2023-04-01")],
                    ["TierDemoted t-late refused", named])
        Self.refuse(scenario, [Draft.award("a-late", grant: "G-2", enterprise: Self.precision, programme: "yz", amountFen: 5,
                                           effective: "2023-04-01")],
                    ["GrantAwarded a-late refused", named])
        // The day of the deregistration is still inside.
        scenario.given([Self.evaluation("ev-day", effective: "2023-03-31"),
                        Draft.tier("t-day", enterprise: Self.precision, tier: "startup", effective: "2023-03-31"),
                        Draft.award("a-day", grant: "G-2", enterprise: Self.precision, programme: "yz", amountFen: 5, effective: "2023-03-31")])
        // No money is paid after it either; on its day it still may be.
        Self.refuse(scenario, [Draft.grantAmount("pay-late", "GrantDisbursed", grant: "G-1", amountFen: 100, effective: "2023-04-01")],
                    ["GrantDisbursed pay-late refused", named])
        scenario.given([Draft.grantAmount("pay-day", "GrantDisbursed", grant: "G-1", amountFen: 100, effective: "2023-03-31")])
    }

    @Test("imported history keeps what its timelines break, and the audit reports it")
    func importedHistoryIsAudited() {
        let scenario = LedgerScenario(now: "2024-01-15T09:00:00Z")
        let history = [
            Draft.programme("p-yz", "yz", name: "雁阵计划", effective: "2022-01-01", recorded: "2022-01-02T08:00:00Z"),
            Draft.register("reg-precision", Self.precision, name: Codes.precisionName, effective: "2022-01-01",
                           recorded: "2022-01-02T08:00:00Z"),
            Draft.award("a-1", grant: "G-1", enterprise: Self.precision, programme: "yz", amountFen: 100_000_000,
                        effective: "2022-03-01", recorded: "2022-03-02T08:00:00Z"),
            Draft.line("dereg", "EnterpriseDeregistered", effective: "2023-03-31", recorded: "2023-04-01T08:00:00Z",
                       data: "{\"enterprise\":\"\(Self.precision)\",\"reason\":\"moved away\"}"),
            Draft.grantAmount("pay-late", "GrantDisbursed", grant: "G-1", amountFen: 100, effective: "2023-05-12",
                              recorded: "2023-05-13T08:00:00Z"),
        ]
        scenario.when(["import", "-"], input: Array(history.map { $0 + "\n" }.joined().utf8)).then(exit: 0, output: ["5 appended"])
        let findings = scenario.when(["audit", "--rule", "after-deregistration", "--format", "json"]).value("findings")?.arrayValue
        #expect(findings?.compactMap { $0["event"]?.stringValue } == ["pay-late"])
        // Appending what breaks a timeline is still refused.
        Self.refuse(scenario, [Draft.grantAmount("pay-later", "GrantDisbursed", grant: "G-1", amountFen: 100, effective: "2023-06-01")],
                    ["GrantDisbursed pay-later refused", "EnterpriseDeregistered dereg, effective 2023-03-31"])
    }

    @Test("a deregistration back-dated before the enterprise's events is refused, naming the first of them")
    func backDatedDeregistration() {
        let scenario = Self.base()
        scenario.given([Self.evaluation("ev-1", effective: "2023-05-01")])
        Self.refuse(scenario, [Self.deregistration("dereg", effective: "2023-04-30")],
                    ["EnterpriseDeregistered dereg refused", "it would contradict CapabilityEvaluated ev-1, effective 2023-05-01",
                     "it would fall after the enterprise's deregistration (EnterpriseDeregistered dereg, effective 2023-04-30)"])
        // An award counts as an event of the enterprise too, and so does a payment on its grant.
        Self.refuse(scenario, [Self.deregistration("dereg", effective: "2022-02-28")],
                    ["it would contradict GrantAwarded a-1, effective 2022-03-01"])
        Self.refuse(scenario, [Self.deregistration("dereg", effective: "2022-03-31")],
                    ["it would contradict GrantDisbursed pay-1, effective 2022-04-01"])
        scenario.given([Self.deregistration("dereg", effective: "2023-05-01")])
    }

    @Test("a registration, an establishment and an opening bound what follows them by date, their own day inside")
    func creationsBoundTheirDependantsByDate() {
        let scenario = Self.base()
        Self.refuse(scenario, [Self.evaluation("ev-early", effective: "2021-12-31")],
                    ["CapabilityEvaluated ev-early refused", "is registered only from 2022-01-01, after 2021-12-31"])
        Self.refuse(scenario, [Draft.line("b-early", "BudgetAppropriated", effective: "2021-12-31", data: #"{"programme":"yz","year":2022,"amountFen":5}"#)],
                    ["BudgetAppropriated b-early refused", "programme yz is established only from 2022-01-01, after 2021-12-31"])
        scenario.given([Draft.openCentre("c-open", centre: "C-1", name: "联合创新中心", effective: "2022-05-01")])
        Self.refuse(scenario, [Draft.closeCentre("c-close", centre: "C-1", effective: "2022-04-30")],
                    ["CentreClosed c-close refused", "centre C-1 is not open on 2022-04-30"])
        scenario.given([Self.evaluation("ev-day", effective: "2022-01-01"),
                        Draft.tier("t-day", enterprise: Self.precision, tier: "startup", effective: "2022-01-01"),
                        Draft.line("b-day", "BudgetAppropriated", effective: "2022-01-01", data: #"{"programme":"yz","year":2022,"amountFen":5}"#),
                        Draft.award("a-day", grant: "G-2", enterprise: Self.pharma, programme: "yz", amountFen: 5, effective: "2022-01-01"),
                        Draft.closeCentre("c-close", centre: "C-1", effective: "2022-05-01")])
    }

    // MARK: Grants

    @Test("a grant's payments, amendments, revocation and recoveries come after its award")
    func grantEventsAfterTheAward() {
        let scenario = Self.base()
        let award = "GrantAwarded a-1, effective 2022-03-01"
        Self.refuse(scenario, [Draft.grantAmount("pay-early", "GrantDisbursed", grant: "G-1", amountFen: 5, effective: "2022-02-28")],
                    ["GrantDisbursed pay-early refused", "its grant is awarded only by \(award)"])
        Self.refuse(scenario, [Draft.grantAmount("am-early", "GrantAmended", grant: "G-1", amountFen: 5, effective: "2022-02-28")],
                    ["GrantAmended am-early refused", award])
        Self.refuse(scenario, [Draft.revoke("rv-early", grant: "G-1", effective: "2022-02-28")],
                    ["GrantRevoked rv-early refused", award])
        // On the award's day, recorded after it: fine.
        scenario.given([Draft.grantAmount("pay-day", "GrantDisbursed", grant: "G-1", amountFen: 5, effective: "2022-03-01")])
    }

    @Test("a revocation back-dated before an amendment or a payment is refused, naming it; on the same day after them it is not")
    func backDatedRevocation() {
        let scenario = Self.base()
        scenario.given([Draft.grantAmount("am-1", "GrantAmended", grant: "G-1", amountFen: 90_000_000, effective: "2022-05-01")])
        Self.refuse(scenario, [Draft.revoke("rv-1", grant: "G-1", effective: "2022-04-30")],
                    ["GrantRevoked rv-1 refused", "it would contradict GrantAmended am-1, effective 2022-05-01",
                     "it would come after the grant's revocation (GrantRevoked rv-1, effective 2022-04-30)"])
        Self.refuse(scenario, [Draft.revoke("rv-1", grant: "G-1", effective: "2022-03-15")],
                    ["it would contradict GrantDisbursed pay-1, effective 2022-04-01"])
        scenario.given([Draft.revoke("rv-1", grant: "G-1", effective: "2022-05-01")])
        // After the revocation: no payment, no amendment, even on its day; recoveries are what follows it.
        Self.refuse(scenario, [Draft.grantAmount("pay-2", "GrantDisbursed", grant: "G-1", amountFen: 5, effective: "2022-05-01")],
                    ["GrantDisbursed pay-2 refused", "grant G-1 is revoked by GrantRevoked rv-1, effective 2022-05-01"])
        Self.refuse(scenario, [Draft.grantAmount("am-2", "GrantAmended", grant: "G-1", amountFen: 5, effective: "2022-06-01")],
                    ["GrantAmended am-2 refused", "grant G-1 is revoked"])
        scenario.given([Draft.grantAmount("am-0", "GrantAmended", grant: "G-1", amountFen: 80_000_000, effective: "2022-04-15"),
                        Draft.grantAmount("rc-1", "GrantRecovered", grant: "G-1", amountFen: 50_000_000, effective: "2022-06-01")])
    }

    @Test("recoveries never exceed what was paid at their place; exactly all of it may be recovered")
    func recoveriesWithinWhatWasPaid() {
        let scenario = Self.base()
        Self.refuse(scenario, [Draft.grantAmount("rc-early", "GrantRecovered", grant: "G-1", amountFen: 1, effective: "2022-03-31")],
                    ["GrantRecovered rc-early refused", "recoveries would reach ¥0.01 on 2022-03-31, more than the ¥0.00 paid by then"])
        scenario.given([Draft.grantAmount("rc-1", "GrantRecovered", grant: "G-1", amountFen: 50_000_000, effective: "2022-04-01")])
        Self.refuse(scenario, [Draft.grantAmount("rc-2", "GrantRecovered", grant: "G-1", amountFen: 1, effective: "2022-08-01")],
                    ["recoveries would reach ¥500,000.01 on 2022-08-01, more than the ¥500,000.00 paid by then"])
        // Taking away the payment a recovery rests on.
        Self.refuse(scenario, [Draft.retract("x-pay", target: "pay-1", effective: "2022-08-01")],
                    ["EventRetracted x-pay refused", "would leave GrantRecovered rc-1, effective 2022-04-01 breaking the timeline",
                     "recoveries would reach ¥500,000.00 there, more than the ¥0.00 paid by then"])
    }

    // MARK: Retractions with dependants

    @Test("a registration cannot be retracted while the enterprise's events stand; retracting them first in the batch can")
    func retractingARegistration() {
        let scenario = Self.base()
        scenario.when(["retract", "--target", "reg-precision", "--reason", "wrong code", "--effective", "2023-01-01",
                       "--actor", "clerk Li", "--source", "notice"])
            .then(exit: 65, errors: ["event EnterpriseRegistered reg-precision, effective 2022-01-01 cannot be retracted while GrantAwarded a-1, effective 2022-03-01 depends on it",
                                     "retract that event first", "nothing was appended"])
        scenario.when(["enterprise", Self.precision]).then(exit: 0, output: [Codes.precisionName])
        // In the wrong order the batch is refused at the first retraction.
        Self.refuse(scenario, [Draft.retract("x-reg", target: "reg-precision", effective: "2023-01-01"),
                               Draft.retract("x-a", target: "a-1", effective: "2023-01-01"),
                               Draft.retract("x-pay", target: "pay-1", effective: "2023-01-01")],
                    ["EventRetracted x-reg refused", "GrantAwarded a-1"])
        scenario.given([Draft.retract("x-pay", target: "pay-1", effective: "2023-01-01"),
                        Draft.retract("x-a", target: "a-1", effective: "2023-01-01"),
                        Draft.retract("x-reg", target: "reg-precision", effective: "2023-01-01")])
    }

    @Test("an award cannot be retracted while payments on it stand, so no disbursed total loses them")
    func retractingAnAwardWithPayments() {
        let scenario = Self.base()
        Self.refuse(scenario, [Draft.retract("x-a", target: "a-1", effective: "2023-01-01")],
                    ["event GrantAwarded a-1, effective 2022-03-01 cannot be retracted while GrantDisbursed pay-1, effective 2022-04-01 depends on it",
                     "its grant would have no award"])
        #expect(scenario.when(["summary", "--format", "json"]).value("grants", "disbursedFen")?.numberValue?.integerValue == 50_000_000)
        scenario.given([Draft.retract("x-pay", target: "pay-1", effective: "2023-01-01"),
                        Draft.retract("x-a", target: "a-1", effective: "2023-01-01")])
    }

    @Test("a programme's establishment and a centre's opening cannot be retracted while what depends on them stands")
    func retractingAProgrammeOrACentre() {
        let scenario = Self.base()
        Self.refuse(scenario, [Draft.retract("x-p", target: "p-yz", effective: "2023-01-01")],
                    ["event ProgrammeEstablished p-yz, effective 2022-01-01 cannot be retracted while GrantAwarded a-1, effective 2022-03-01 depends on it"])
        scenario.given([Draft.programme("p-2", "yz-2", name: "人才计划", effective: "2022-01-01"),
                        Draft.line("b-2", "BudgetAppropriated", effective: "2022-01-02", data: #"{"programme":"yz-2","year":2022,"amountFen":5}"#),
                        Draft.openCentre("c-open", centre: "C-1", name: "联合创新中心", effective: "2022-05-01"),
                        Draft.closeCentre("c-close", centre: "C-1", effective: "2023-01-01")])
        Self.refuse(scenario, [Draft.retract("x-p2", target: "p-2", effective: "2023-01-01")],
                    ["BudgetAppropriated b-2, effective 2022-01-02 depends on it"])
        Self.refuse(scenario, [Draft.retract("x-open", target: "c-open", effective: "2023-02-01")],
                    ["event CentreOpened c-open, effective 2022-05-01 cannot be retracted while CentreClosed c-close, effective 2023-01-01 depends on it"])
        scenario.given([Draft.retract("x-close", target: "c-close", effective: "2023-02-01"),
                        Draft.retract("x-open", target: "c-open", effective: "2023-02-01"),
                        Draft.retract("x-b2", target: "b-2", effective: "2023-02-01"),
                        Draft.retract("x-p2", target: "p-2", effective: "2023-02-01")])
    }

    // MARK: The bundled ledger

    @Test("the bundled ledger stays appendable; a timeline with an old audit finding refuses only what is new")
    func bundledLedgerStaysAppendable() throws {
        let scenario = LedgerScenario()
        for log in ["tiers", "centres", "grants"] {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: Generator.packageRoot + "/Events/\(log).jsonl"))
            scenario.directory.writeLog(log, Array(bytes))
        }
        // Case (f): 91321204MA177L8793 left the plan on 2023-03-31 (t-001164); g-000802 paid it afterwards.
        let departed = "91321204MA177L8793"
        Self.refuse(scenario, [Self.evaluation("ev-after", departed, effective: "2023-06-01")],
                    ["CapabilityEvaluated ev-after refused", "EnterpriseDeregistered t-001164, effective 2023-03-31"])
        // Another payment after it is refused; the old one (g-000802) does not block what breaks nothing new.
        Self.refuse(scenario, [Draft.grantAmount("pay-after", "GrantDisbursed", grant: "JY-G2022-0011", amountFen: 100, effective: "2023-06-01")],
                    ["GrantDisbursed pay-after refused", "EnterpriseDeregistered t-001164, effective 2023-03-31"])
        scenario.given([Self.evaluation("ev-day", departed, effective: "2023-03-31")])
        scenario.when(["verify"]).then(exit: 0)
        let findings = scenario.when(["audit", "--rule", "after-deregistration", "--format", "json"]).value("findings")?.arrayValue
        #expect(findings?.compactMap { $0["event"]?.stringValue } == ["g-000802"])
    }
}
