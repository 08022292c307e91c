import LedgerLog
import Testing

/// Valid time (`--as-of`) and transaction time (`--known-at`): corrections change answers about
/// the past without changing what was reported before they were recorded.
@Suite("Bitemporal scenarios")
struct BitemporalScenarioTests {
    static let precision = Codes.precision
    static let pharma = Codes.pharma

    static func base(_ scenario: LedgerScenario) {
        scenario.given(at: "2022-01-02T08:00:00Z", [
            Draft.programme("p-yz", "yz", name: "雁阵计划", effective: "2022-01-01"),
            Draft.register("e-precision", precision, name: Codes.precisionName, effective: "2022-01-01"),
            Draft.register("e-pharma", pharma, name: Codes.pharmaName, sector: "pharmaceuticals", effective: "2022-01-01"),
        ])
    }

    @Test("a back-dated amendment changes the earlier year it belongs to, and only from when it was recorded")
    func backDatedAmendment() {
        let scenario = LedgerScenario()
        Self.base(scenario)
        scenario.given(at: "2022-03-02T09:00:00Z", [
            Draft.award("a-1", grant: "G-1", enterprise: Self.precision, programme: "yz", amountFen: 100_000_000,
                        effective: "2022-03-01"),
        ])
        scenario.given(at: "2023-04-02T09:00:00Z", [
            Draft.award("a-2", grant: "G-2", enterprise: Self.pharma, programme: "yz", amountFen: 50_000_000,
                        effective: "2023-04-01"),
        ])
        let reportedEarly2023 = scenario.when(["grants", "--by", "year", "--format", "json", "--known-at", "2023-01-31"])
        reportedEarly2023.then(exit: 0, json: ExpectedJSON.rows([ExpectedJSON.grantRow("2022", count: 1, awardedFen: 100_000_000)], knownAt: "2023-01-31T15:59:59Z"))

        // Recorded in 2023, effective in 2022: the 2022 total changes, 2023 does not gain it.
        scenario.given(at: "2023-05-10T10:00:00Z", [Draft.grantAmount("m-1", "GrantAmended", grant: "G-1", amountFen: 80_000_000,
                                                                      effective: "2022-06-01")])
        scenario.when(["grants", "--by", "year", "--format", "json"]).then(exit: 0, json: ExpectedJSON.rows([
            ExpectedJSON.grantRow("2022", count: 1, awardedFen: 80_000_000),
            ExpectedJSON.grantRow("2023", count: 1, awardedFen: 50_000_000),
        ]))
        // What was known on 2023-01-31 is reproduced exactly.
        let again = scenario.when(["grants", "--by", "year", "--format", "json", "--known-at", "2023-01-31"])
        #expect(again.output == reportedEarly2023.output)
        // Known just before and at the amendment's recording.
        scenario.when(["grants", "--by", "year", "--format", "json", "--known-at", "2023-05-10T09:59:59Z"])
            .then(exit: 0, json: ExpectedJSON.rows([
                ExpectedJSON.grantRow("2022", count: 1, awardedFen: 100_000_000),
                ExpectedJSON.grantRow("2023", count: 1, awardedFen: 50_000_000),
            ], knownAt: "2023-05-10T09:59:59Z"))
        scenario.when(["grants", "--by", "year", "--format", "json", "--known-at", "2023-05-10T10:00:00Z", "--year", "2022"])
            .then(exit: 0, json: ExpectedJSON.rows([ExpectedJSON.grantRow("2022", count: 1, awardedFen: 80_000_000)], knownAt: "2023-05-10T10:00:00Z"))
        // As of a date before the amendment's effective date, the original amount stands.
        scenario.when(["grants", "--by", "year", "--format", "json", "--as-of", "2022-05-31"])
            .then(exit: 0, json: ExpectedJSON.rows([ExpectedJSON.grantRow("2022", count: 1, awardedFen: 100_000_000)], asOf: "2022-05-31"))
        // The enterprise keeps the original amount beside the amended one.
        let grant = scenario.when(["enterprise", Self.precision, "--format", "json"]).value("grants")?.arrayValue?.first
        #expect(grant?["originalFen"]?.numberValue?.integerValue == 100_000_000)
        #expect(grant?["awardedFen"]?.numberValue?.integerValue == 80_000_000)
    }

    @Test("a retraction recorded after a report leaves that report reproducible at --known-at before it")
    func retractionAfterReport() {
        let scenario = LedgerScenario()
        Self.base(scenario)
        scenario.given(at: "2022-03-02T09:00:00Z", [
            Draft.award("a-1", grant: "G-1", enterprise: Self.precision, programme: "yz", amountFen: 100_000_000,
                        effective: "2022-03-01"),
        ])
        scenario.given(at: "2022-05-02T09:00:00Z", [
            Draft.award("a-2", grant: "G-2", enterprise: Self.pharma, programme: "yz", amountFen: 30_000_000,
                        effective: "2022-05-01"),
        ])
        scenario.given(at: "2022-06-02T09:00:00Z", [
            Draft.grantAmount("d-2", "GrantDisbursed", grant: "G-2", amountFen: 10_000_000, effective: "2022-06-01"),
        ])
        // The annual report, published with its known-at.
        let reportArguments = ["--known-at", "2022-12-31", "--as-of", "2022-12-31"]
        let published = ["json", "csv", "table"].map { format in
            scenario.when(["summary", "--format", format] + reportArguments).output
        }
        let publishedGrants = scenario.when(["grants", "--by", "enterprise", "--format", "csv"] + reportArguments).output
        scenario.when(["summary", "--format", "json"] + reportArguments).then(exit: 0, json: ExpectedJSON.summary(
            asOf: "2022-12-31", knownAt: "2022-12-31T15:59:59Z", events: 6,
            grants: .init(count: 2, awardedFen: 130_000_000, disbursedFen: 10_000_000), registered: 2, byTier: [2, 0, 0, 0, 0]))

        // In 2023 the award to pharma is found to be an error and retracted, effective from its own date;
        // its payment first, since an award cannot be withdrawn from under a payment.
        scenario.given(at: "2023-03-15T10:00:00Z", [
            Draft.retract("x-d-2", target: "d-2", reason: "paid on an award made twice", effective: "2022-06-01"),
            Draft.retract("x-a-2", target: "a-2", reason: "awarded twice", effective: "2022-05-01"),
        ])
        let republished = ["json", "csv", "table"].map { format in
            scenario.when(["summary", "--format", format] + reportArguments).output
        }
        #expect(republished == published, "the report known at 2022-12-31 reproduces byte for byte")
        #expect(scenario.when(["grants", "--by", "enterprise", "--format", "csv"] + reportArguments).output == publishedGrants)

        // Known now, the retracted award and its payment count no more.
        scenario.when(["summary", "--format", "json", "--as-of", "2022-12-31"]).then(exit: 0, json: ExpectedJSON.summary(
            asOf: "2022-12-31", events: 4, grants: .init(count: 1, awardedFen: 100_000_000), registered: 2,
            byTier: [2, 0, 0, 0, 0]))
        // The history shows the retraction only from when it was known.
        let before = scenario.when(["history", "G-2", "--format", "json", "--known-at", "2022-12-31"])
        #expect(before.value("events")?.arrayValue?.first?["retracted"]?.boolValue == false)
        let after = scenario.when(["history", "G-2", "--format", "json"])
        #expect(after.value("events")?.arrayValue?.first?["retractedBy"]?.stringValue == "x-a-2")
    }

    @Test("a promotion on the same day as a grant counts in the tier at grant, even when recorded later")
    func sameDayPromotion() {
        let scenario = LedgerScenario()
        Self.base(scenario)
        scenario.given(at: "2022-01-03T08:00:00Z", [
            Draft.tier("t-1", enterprise: Self.precision, tier: "startup", effective: "2022-01-15"),
        ])
        scenario.given(at: "2022-03-01T09:00:00Z", [
            Draft.award("a-1", grant: "G-1", enterprise: Self.precision, programme: "yz", amountFen: 100_000_000,
                        effective: "2022-03-01"),
            Draft.award("a-2", grant: "G-2", enterprise: Self.pharma, programme: "yz", amountFen: 20_000_000,
                        effective: "2022-03-01"),
        ])
        // Recorded after the award, effective the same day.
        scenario.given(at: "2022-03-01T17:00:00Z", [
            Draft.tier("t-2", enterprise: Self.precision, tier: "high-tech", effective: "2022-03-01"),
        ])
        // The day after the award: not part of the tier at grant.
        scenario.given(at: "2022-03-02T09:00:00Z", [
            Draft.tier("t-3", enterprise: Self.pharma, tier: "sme", effective: "2022-03-02"),
        ])
        scenario.when(["grants", "--by", "tier", "--format", "json"]).then(exit: 0, json: ExpectedJSON.rows([
            ExpectedJSON.grantRow("none", count: 1, awardedFen: 20_000_000),
            ExpectedJSON.grantRow("high-tech", count: 1, awardedFen: 100_000_000),
        ]))
        let grant = scenario.when(["enterprise", Self.precision, "--format", "json"]).value("grants")?.arrayValue?.first
        #expect(grant?["tierAtGrant"]?.stringValue == "high-tech")
        // Known before the promotion was recorded, the tier at grant was startup.
        scenario.when(["grants", "--by", "tier", "--format", "json", "--known-at", "2022-03-01T12:00:00Z"])
            .then(exit: 0, json: ExpectedJSON.rows([
                ExpectedJSON.grantRow("none", count: 1, awardedFen: 20_000_000),
                ExpectedJSON.grantRow("startup", count: 1, awardedFen: 100_000_000),
            ], knownAt: "2022-03-01T12:00:00Z"))
    }

    @Test("a revoked grant with money paid out shows what is to be recovered until it is")
    func revokedWithMoneyToRecover() {
        let scenario = LedgerScenario()
        Self.base(scenario)
        scenario.given(at: "2022-03-02T09:00:00Z", [
            Draft.award("a-1", grant: "G-1", enterprise: Self.precision, programme: "yz", amountFen: 100_000_000,
                        effective: "2022-03-01"),
        ])
        scenario.given(at: "2022-04-02T09:00:00Z", [
            Draft.grantAmount("d-1", "GrantDisbursed", grant: "G-1", amountFen: 60_000_000, effective: "2022-04-01"),
        ])
        scenario.given(at: "2022-10-02T09:00:00Z", [
            Draft.revoke("r-1", grant: "G-1", reason: "project abandoned", effective: "2022-10-01"),
        ])
        let revoked = scenario.when(["enterprise", Self.precision, "--format", "json"])
        let line = revoked.value("grants")?.arrayValue?.first
        #expect(line?["status"]?.stringValue == "revoked")
        #expect(line?["awardedFen"]?.numberValue?.integerValue == 0)
        #expect(line?["originalFen"]?.numberValue?.integerValue == 100_000_000)
        #expect(line?["disbursedFen"]?.numberValue?.integerValue == 60_000_000)
        #expect(line?["recoveredFen"]?.numberValue?.integerValue == 0)
        scenario.when(["summary", "--format", "json"]).then(exit: 0, json: ExpectedJSON.summary(
            events: 6, grants: .init(count: 1, revoked: 1, awardedFen: 0, disbursedFen: 60_000_000), registered: 2,
            byTier: [2, 0, 0, 0, 0]))
        // Before the revocation the grant was partly paid.
        #expect(scenario.when(["enterprise", Self.precision, "--format", "json", "--as-of", "2022-09-30"])
            .value("grants")?.arrayValue?.first?["status"]?.stringValue == "partly paid")
        // Amending a revoked grant is refused (the money owed cannot be hidden by an amendment).
        scenario.append(at: "2022-11-02T09:00:00Z", [Draft.grantAmount("m-1", "GrantAmended", grant: "G-1", amountFen: 0 + 1,
                                                                       effective: "2022-11-01")])
            .then(exit: 65, errors: ["grant G-1 is revoked"])
        // Recovered in two instalments.
        scenario.given(at: "2022-12-02T09:00:00Z", [
            Draft.grantAmount("c-1", "GrantRecovered", grant: "G-1", amountFen: 40_000_000, effective: "2022-12-01"),
        ])
        scenario.given(at: "2023-02-02T09:00:00Z", [
            Draft.grantAmount("c-2", "GrantRecovered", grant: "G-1", amountFen: 20_000_000, effective: "2023-02-01"),
        ])
        scenario.when(["grants", "--by", "year", "--format", "json", "--as-of", "2022-12-31"])
            .then(exit: 0, json: ExpectedJSON.rows([ExpectedJSON.grantRow("2022", count: 1, awardedFen: 0,
                                                                           disbursedFen: 60_000_000, recoveredFen: 40_000_000)], asOf: "2022-12-31"))
        scenario.when(["grants", "--by", "year", "--format", "json"])
            .then(exit: 0, json: ExpectedJSON.rows([ExpectedJSON.grantRow("2022", count: 1, awardedFen: 0,
                                                                           disbursedFen: 60_000_000, recoveredFen: 60_000_000)]))
    }
}
