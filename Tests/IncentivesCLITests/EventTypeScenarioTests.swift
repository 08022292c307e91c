import IncentivesDomain
import LedgerLog
import Testing

/// Given events of each type, a query shows exactly what the event changed.
@Suite("Every event type, given / when / then")
struct EventTypeScenarioTests {
    static let precision = Codes.precision

    /// A programme and a registered enterprise: what every grant needs.
    static func base(_ scenario: LedgerScenario) {
        scenario.given([
            Draft.programme("p-yz", "yz", name: "雁阵计划", effective: "2022-01-01"),
            Draft.register("e-precision", precision, name: Codes.precisionName, effective: "2022-01-01"),
        ])
    }

    @Test("ProgrammeEstablished and EnterpriseRegistered")
    func establishedAndRegistered() {
        let scenario = LedgerScenario()
        Self.base(scenario)
        scenario.when(["summary", "--format", "json"])
            .then(exit: 0, json: ExpectedJSON.summary(events: 2, registered: 1, byTier: [1, 0, 0, 0, 0]))
        scenario.when(["enterprise", Self.precision, "--format", "json"]).then(exit: 0, json: """
            {"asOf": null, "knownAt": "2025-01-15T09:00:00Z", "enterprise": "\(Self.precision)", "name": "江苏泰州精密部件有限公司", "sector": "machinery",
             "registered": "2022-01-01", "deregistered": null, "tier": "none", "lastScore": null, "lastScoreDate": null,
             "checkDigitValid": true, "tierHistory": [], "grants": []}
            """)
        let history = scenario.when(["history", "yz", "--format", "json"])
        history.then(exit: 0, json: """
            {"asOf": null, "knownAt": "2025-01-15T09:00:00Z", "subject": "yz", "events": [{"event": "p-yz", "log": "grants", "seq": 1, "type": "ProgrammeEstablished",
              "effective": "2022-01-01", "recorded": "2025-01-15T09:00:00Z", "actor": "clerk Li", "source": "notice 2022-1",
              "details": "programme yz, name 雁阵计划", "retracted": false, "retractedBy": null}]}
            """)
    }

    @Test("ProgrammeAmended renames from its effective date on")
    func programmeAmended() {
        let scenario = LedgerScenario()
        Self.base(scenario)
        scenario.given([
            Draft.award("a-1", grant: "G-1", enterprise: Self.precision, programme: "yz", amountFen: 100_000, effective: "2022-03-01"),
            Draft.line("p-yz-2", "ProgrammeAmended", effective: "2023-01-01",
                       data: #"{"programme":"yz","name":"雁阵计划 (2023)","capFen":5000000}"#),
        ])
        scenario.when(["grants", "--by", "programme", "--format", "csv"])
            .then(exit: 0, output: ["programme,name,count,awarded (元),disbursed (元),recovered (元)\r\nyz,雁阵计划 (2023),1,1000.00,0.00,0.00\r\n"])
        scenario.when(["grants", "--by", "programme", "--format", "csv", "--as-of", "2022-12-31"])
            .then(exit: 0, output: ["yz,雁阵计划,1,1000.00,0.00,0.00\r\n"])
        scenario.when(["history", "yz", "--format", "json"]).then(exit: 0, output: [
            "\"type\": \"ProgrammeAmended\"", "\"details\": \"programme yz, name 雁阵计划 (2023), cap ¥50,000.00\"",
        ])
    }

    @Test("BudgetAppropriated is recorded against its programme")
    func budgetAppropriated() {
        let scenario = LedgerScenario()
        Self.base(scenario)
        scenario.given([Draft.line("b-2022", "BudgetAppropriated", effective: "2022-01-10",
                                   data: #"{"programme":"yz","year":2022,"amountFen":500000000}"#)])
        let history = scenario.when(["history", "yz", "--format", "json"])
        history.then(exit: 0, output: ["\"event\": \"b-2022\"", "\"type\": \"BudgetAppropriated\"",
                                       "\"details\": \"programme yz, year 2022, appropriated ¥5,000,000.00\""])
        #expect(history.value("events")?.arrayValue?.count == 2)
        scenario.when(["summary", "--format", "json"])
            .then(exit: 0, json: ExpectedJSON.summary(events: 3, registered: 1, byTier: [1, 0, 0, 0, 0]))
    }

    @Test("GrantAwarded, GrantAmended, GrantDisbursed: amounts and status")
    func awardedAmendedDisbursed() {
        let scenario = LedgerScenario()
        Self.base(scenario)
        scenario.given([
            Draft.award("a-1", grant: "G-1", enterprise: Self.precision, programme: "yz", amountFen: 150_000_050,
                        effective: "2022-03-01"),
        ])
        scenario.when(["summary", "--format", "json"]).then(exit: 0, json: ExpectedJSON.summary(
            events: 3, grants: .init(count: 1, awardedFen: 150_000_050), registered: 1, byTier: [1, 0, 0, 0, 0]))

        scenario.given([
            Draft.grantAmount("m-1", "GrantAmended", grant: "G-1", amountFen: 120_000_000, effective: "2022-04-01"),
            Draft.grantAmount("d-1", "GrantDisbursed", grant: "G-1", amountFen: 20_000_000, effective: "2022-05-01"),
        ])
        let profile = scenario.when(["enterprise", Self.precision, "--format", "json"])
        profile.then(exit: 0, output: [])
        #expect(profile.value("grants")?.arrayValue?.count == 1)
        let line = profile.value("grants")?.arrayValue?.first
        #expect(line?["originalFen"]?.numberValue?.integerValue == 150_000_050)
        #expect(line?["awardedFen"]?.numberValue?.integerValue == 120_000_000)
        #expect(line?["disbursedFen"]?.numberValue?.integerValue == 20_000_000)
        #expect(line?["status"]?.stringValue == "partly paid")

        scenario.given([Draft.grantAmount("d-2", "GrantDisbursed", grant: "G-1", amountFen: 100_000_000, effective: "2022-06-01")])
        scenario.when(["summary", "--format", "json"]).then(exit: 0, json: ExpectedJSON.summary(
            events: 6, grants: .init(count: 1, awardedFen: 120_000_000, disbursedFen: 120_000_000), registered: 1,
            byTier: [1, 0, 0, 0, 0]))
        #expect(scenario.when(["enterprise", Self.precision, "--format", "json"])
            .value("grants")?.arrayValue?.first?["status"]?.stringValue == "paid")
    }

    @Test("GrantRevoked and GrantRecovered")
    func revokedAndRecovered() {
        let scenario = LedgerScenario()
        Self.base(scenario)
        scenario.given([
            Draft.award("a-1", grant: "G-1", enterprise: Self.precision, programme: "yz", amountFen: 1_000_000, effective: "2022-03-01"),
            Draft.grantAmount("d-1", "GrantDisbursed", grant: "G-1", amountFen: 600_000, effective: "2022-04-01"),
            Draft.revoke("r-1", grant: "G-1", effective: "2022-09-01"),
        ])
        scenario.when(["summary", "--format", "json"]).then(exit: 0, json: ExpectedJSON.summary(
            events: 5, grants: .init(count: 1, revoked: 1, awardedFen: 0, disbursedFen: 600_000), registered: 1,
            byTier: [1, 0, 0, 0, 0]))
        scenario.given([Draft.grantAmount("c-1", "GrantRecovered", grant: "G-1", amountFen: 600_000, effective: "2022-11-01")])
        scenario.when(["summary", "--format", "json"]).then(exit: 0, json: ExpectedJSON.summary(
            events: 6, grants: .init(count: 1, revoked: 1, awardedFen: 0, disbursedFen: 600_000, recoveredFen: 600_000),
            registered: 1, byTier: [1, 0, 0, 0, 0]))
        #expect(scenario.when(["enterprise", Self.precision, "--format", "json"])
            .value("grants")?.arrayValue?.first?["status"]?.stringValue == "revoked")
    }

    @Test("CapabilityEvaluated: the last score and its date")
    func capabilityEvaluated() {
        let scenario = LedgerScenario()
        Self.base(scenario)
        scenario.given([
            Draft.line("s-1", "CapabilityEvaluated", effective: "2022-06-30", data: "{\"enterprise\":\"\(Self.precision)\",\"score\":71}"),
            Draft.line("s-2", "CapabilityEvaluated", effective: "2023-06-30", data: "{\"enterprise\":\"\(Self.precision)\",\"score\":84}"),
        ])
        let now = scenario.when(["enterprise", Self.precision, "--format", "json"])
        #expect(now.value("lastScore")?.numberValue?.integerValue == 84)
        #expect(now.value("lastScoreDate")?.stringValue == "2023-06-30")
        let then = scenario.when(["enterprise", Self.precision, "--format", "json", "--as-of", "2022-12-31"])
        #expect(then.value("lastScore")?.numberValue?.integerValue == 71)
        scenario.when(["enterprise", Self.precision]).then(exit: 0, output: ["last score: 84 on 2023-06-30"])
    }

    @Test("TierPromoted and TierDemoted move the tier and are listed as transitions")
    func promotedAndDemoted() {
        let scenario = LedgerScenario()
        Self.base(scenario)
        scenario.given([
            Draft.tier("t-1", enterprise: Self.precision, tier: "startup", effective: "2022-02-01"),
            Draft.tier("t-2", enterprise: Self.precision, tier: "high-tech", effective: "2023-02-01"),
            Draft.tier("t-3", "TierDemoted", enterprise: Self.precision, tier: "sme", effective: "2024-02-01"),
        ])
        scenario.when(["tiers", "--format", "json"]).then(exit: 0, json: """
            {"asOf": null, "knownAt": "2025-01-15T09:00:00Z", "byTier": {"none": 0, "startup": 0, "sme": 1, "high-tech": 0, "influential": 0}}
            """)
        scenario.when(["tiers", "--format", "json", "--as-of", "2023-12-31"]).then(exit: 0, json: """
            {"asOf": "2023-12-31", "knownAt": "2025-01-15T09:00:00Z", "byTier": {"none": 0, "startup": 0, "sme": 0, "high-tech": 1, "influential": 0}}
            """)
        scenario.when(["tiers", "--transitions", "--format", "json"]).then(exit: 0, json: """
            {"asOf": null, "knownAt": "2025-01-15T09:00:00Z", "byTier": {"none": 0, "startup": 0, "sme": 1, "high-tech": 0, "influential": 0},
             "transitions": [
               {"effective": "2022-02-01", "enterprise": "\(Self.precision)", "name": "江苏泰州精密部件有限公司", "from": "none", "to": "startup", "kind": "promotion"},
               {"effective": "2023-02-01", "enterprise": "\(Self.precision)", "name": "江苏泰州精密部件有限公司", "from": "startup", "to": "high-tech", "kind": "promotion"},
               {"effective": "2024-02-01", "enterprise": "\(Self.precision)", "name": "江苏泰州精密部件有限公司", "from": "high-tech", "to": "sme", "kind": "demotion"}]}
            """)
        let profile = scenario.when(["enterprise", Self.precision, "--format", "json"])
        #expect(profile.value("tier")?.stringValue == "sme")
        #expect(profile.value("tierHistory")?.arrayValue?.compactMap { $0["event"]?.stringValue } == ["t-1", "t-2", "t-3"])
    }

    @Test("EnterpriseDeregistered leaves the register but keeps its history")
    func deregistered() {
        let scenario = LedgerScenario()
        Self.base(scenario)
        scenario.given([
            Draft.tier("t-1", enterprise: Self.precision, tier: "sme", effective: "2022-02-01"),
            Draft.line("x-1", "EnterpriseDeregistered", effective: "2024-05-01",
                       data: "{\"enterprise\":\"\(Self.precision)\",\"reason\":\"moved to Wuxi\"}"),
        ])
        scenario.when(["summary", "--format", "json"]).then(exit: 0, json: ExpectedJSON.summary(events: 4))
        scenario.when(["summary", "--format", "json", "--as-of", "2024-04-30"])
            .then(exit: 0, json: ExpectedJSON.summary(asOf: "2024-04-30", events: 3, registered: 1, byTier: [0, 0, 1, 0, 0]))
        #expect(scenario.when(["enterprise", Self.precision, "--format", "json"]).value("deregistered")?.stringValue == "2024-05-01")
        scenario.when(["tiers", "--format", "json"]).then(exit: 0, json: """
            {"asOf": null, "knownAt": "2025-01-15T09:00:00Z", "byTier": {"none": 0, "startup": 0, "sme": 0, "high-tech": 0, "influential": 0}}
            """)
    }

    @Test("CentreOpened and CentreClosed")
    func centres() {
        let scenario = LedgerScenario()
        scenario.given([
            Draft.openCentre("c-1", centre: "JIC-1", name: "泰州产业技术研究院联合创新中心", partner: "泰州产业技术研究院",
                             effective: "2022-05-01"),
            Draft.openCentre("c-2", centre: "OFF-SZ", name: "Shenzhen offshore centre", kind: "offshore", city: "深圳",
                             effective: "2022-07-01"),
            Draft.closeCentre("c-3", centre: "OFF-SZ", effective: "2024-01-31"),
        ])
        scenario.when(["centres", "--format", "json"]).then(exit: 0, json: """
            {"asOf": null, "knownAt": "2025-01-15T09:00:00Z", "centres": [{"centre": "JIC-1", "name": "泰州产业技术研究院联合创新中心", "kind": "innovation", "city": "泰州",
              "partner": "泰州产业技术研究院", "opened": "2022-05-01", "closed": null},
             {"centre": "OFF-SZ", "name": "Shenzhen offshore centre", "kind": "offshore", "city": "深圳",
              "partner": null, "opened": "2022-07-01", "closed": "2024-01-31"}]}
            """)
        scenario.when(["summary", "--format", "json"])
            .then(exit: 0, json: ExpectedJSON.summary(events: 3, open: 1, byKind: [1, 0, 0]))
        scenario.when(["summary", "--format", "json", "--as-of", "2023-12-31"])
            .then(exit: 0, json: ExpectedJSON.summary(asOf: "2023-12-31", events: 2, open: 2, byKind: [1, 1, 0]))
    }

    @Test("EventRetracted withdraws its target without deleting anything")
    func retracted() {
        let scenario = LedgerScenario()
        Self.base(scenario)
        scenario.given([
            Draft.award("a-1", grant: "G-1", enterprise: Self.precision, programme: "yz", amountFen: 1_000_000, effective: "2022-03-01"),
            Draft.award("a-2", grant: "G-2", enterprise: Self.precision, programme: "yz", amountFen: 2_000_000, effective: "2022-03-02"),
        ])
        let grantsBefore = scenario.directory.readLog("grants")
        scenario.given([Draft.retract("x-a-2", target: "a-2", reason: "duplicate entry", effective: "2022-03-02")])
        #expect(Array(scenario.directory.readLog("grants").prefix(grantsBefore.count)) == grantsBefore, "nothing is rewritten")
        scenario.when(["summary", "--format", "json"]).then(exit: 0, json: ExpectedJSON.summary(
            events: 3, grants: .init(count: 1, awardedFen: 1_000_000), registered: 1, byTier: [1, 0, 0, 0, 0]))
        let history = scenario.when(["history", "G-2", "--format", "json"])
        history.then(exit: 0, output: [])
        let entries = history.value("events")?.arrayValue ?? []
        #expect(entries.compactMap { $0["event"]?.stringValue } == ["a-2", "x-a-2"])
        #expect(entries.first?["retracted"]?.boolValue == true)
        #expect(entries.first?["retractedBy"]?.stringValue == "x-a-2")
        #expect(entries.last?["details"]?.stringValue == "retracts a-2: duplicate entry")
        #expect(entries.last?["log"]?.stringValue == "grants", "a retraction goes into its target's log")
    }

    @Test("a retraction goes into the log of the event it retracts")
    func retractionLog() {
        let scenario = LedgerScenario()
        Self.base(scenario)
        scenario.given([
            Draft.tier("t-1", enterprise: Self.precision, tier: "startup", effective: "2022-02-01"),
            Draft.retract("x-t-1", target: "t-1", effective: "2022-02-01"),
        ])
        #expect(scenario.directory.logLines("tiers").count == 3)
        #expect(scenario.directory.logLines("tiers").last?.contains("\"id\":\"x-t-1\"") == true)
        scenario.when(["tiers", "--format", "json"]).then(exit: 0, json: """
            {"asOf": null, "knownAt": "2025-01-15T09:00:00Z", "byTier": {"none": 1, "startup": 0, "sme": 0, "high-tech": 0, "influential": 0}}
            """)
    }
}
