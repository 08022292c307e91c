import Testing

/// Every refusal of `append`: exit 65, a message that names the line (and the event) and the
/// rule, and nothing appended: the logs stay byte-identical, even the valid drafts of the batch.
@Suite("Refused drafts")
struct RefusalTests {
    static let precision = Codes.precision
    static let pharma = Codes.pharma

    /// A ledger with something of every kind to refer to (and to collide with).
    static func base() -> LedgerScenario {
        let scenario = LedgerScenario()
        scenario.given([
            Draft.programme("p-yz", "yz", name: "雁阵计划", effective: "2022-01-01"),
            Draft.register("e-precision", precision, name: Codes.precisionName, effective: "2022-01-01"),
            Draft.register("e-pharma", pharma, name: Codes.pharmaName, effective: "2022-01-01"),
            Draft.tier("t-1", enterprise: precision, tier: "startup", effective: "2022-02-01"),
            Draft.award("a-1", grant: "G-1", enterprise: precision, programme: "yz", amountFen: 1_000_000, effective: "2022-03-01"),
            Draft.award("a-2", grant: "G-2", enterprise: pharma, programme: "yz", amountFen: 2_000_000, effective: "2022-03-01"),
            Draft.revoke("r-2", grant: "G-2", effective: "2022-06-01"),
            Draft.award("a-3", grant: "G-3", enterprise: precision, programme: "yz", amountFen: 3_000_000, effective: "2022-04-01"),
            Draft.retract("x-a-3", target: "a-3", effective: "2022-04-01"),
            Draft.openCentre("c-1", centre: "C-1", name: "联合创新中心", effective: "2022-05-01"),
            Draft.openCentre("c-2", centre: "C-2", name: "离岸创新中心", kind: "offshore", city: "上海", effective: "2022-05-01"),
            Draft.closeCentre("c-3", centre: "C-2", effective: "2023-01-01"),
        ])
        return scenario
    }

    /// A valid draft placed before the bad one: it must not be appended either.
    static let validFirst = Draft.grantAmount("ok-1", "GrantDisbursed", grant: "G-1", amountFen: 1000, effective: "2022-07-01")

    struct Refusal: Sendable, CustomTestStringConvertible {
        var name: String
        /// The drafts after `validFirst`; the bad one is on line 2 unless `line` says otherwise.
        var drafts: [String] = []
        var bytes: [UInt8]? = nil
        var line = 2
        var phrases: [String]
        var testDescription: String { name }
    }

    static func award(_ data: String) -> String { Draft.line("n-2", "GrantAwarded", effective: "2022-08-01", data: data) }
    static func awardData(enterprise: String = Codes.precision, programme: String = "yz", amount: String = "500000",
                          grant: String = "G-NEW", extra: String = "") -> String {
        "{\"grant\":\"\(grant)\",\"enterprise\":\"\(enterprise)\",\"programme\":\"\(programme)\",\"amountFen\":\(amount),\"project\":\"p\"\(extra)}"
    }

    static let parserRefusals: [Refusal] = [
        Refusal(name: "unknown event type", drafts: [Draft.line("n-2", "GrantGiven", effective: "2022-08-01", data: "{}")],
                phrases: ["unknown event type \"GrantGiven\"", "GrantAwarded"]),
        Refusal(name: "unknown draft member",
                drafts: [String(Draft.award("n-2", grant: "G-9", enterprise: precision, programme: "yz", amountFen: 5, effective: "2022-08-01").dropLast()) + ",\"note\":1}"],
                phrases: ["unknown member \"note\""]),
        Refusal(name: "unknown data member", drafts: [award(awardData(extra: ",\"currency\":\"CNY\""))],
                phrases: ["(event n-2)", "GrantAwarded has an unknown member \"currency\""]),
        Refusal(name: "missing draft member",
                drafts: ["{\"id\":\"n-2\",\"type\":\"GrantDisbursed\",\"effective\":\"2022-08-01\",\"source\":\"s\",\"data\":{\"grant\":\"G-1\",\"amountFen\":5}}"],
                phrases: ["missing member \"actor\""]),
        Refusal(name: "missing data member",
                drafts: [Draft.line("n-2", "GrantDisbursed", effective: "2022-08-01", data: "{\"grant\":\"G-1\"}")],
                phrases: ["(event n-2)", "GrantDisbursed lacks the member \"amountFen\""]),
        Refusal(name: "missing data object",
                drafts: ["{\"id\":\"n-2\",\"type\":\"GrantDisbursed\",\"effective\":\"2022-08-01\",\"actor\":\"a\",\"source\":\"s\"}"],
                phrases: ["missing member \"data\""]),
        Refusal(name: "non-integer amount", drafts: [award(awardData(amount: "1000.5"))],
                phrases: ["member \"amountFen\" must be an integer (amounts are whole fen), got 1000.5"]),
        Refusal(name: "amount written with an exponent", drafts: [award(awardData(amount: "1e6"))],
                phrases: ["member \"amountFen\" must be an integer", "got 1e6"]),
        Refusal(name: "amount zero", drafts: [award(awardData(amount: "0"))],
                phrases: ["member \"amountFen\" must be a positive amount in fen, got 0"]),
        Refusal(name: "amount negative",
                drafts: [Draft.grantAmount("n-2", "GrantDisbursed", grant: "G-1", amountFen: -5, effective: "2022-08-01")],
                phrases: ["must be a positive amount in fen, got -5"]),
        Refusal(name: "amount beyond 2^53", drafts: [award(awardData(amount: "9007199254740992"))],
                phrases: ["must be within ±(2^53−1), got 9007199254740992"]),
        Refusal(name: "amount as a string", drafts: [award(awardData(amount: "\"500\""))],
                phrases: ["member \"amountFen\" must be an integer, got \"500\""]),
        Refusal(name: "USCC too short", drafts: [award(awardData(enterprise: String(Codes.precision.dropLast())))],
                phrases: ["member \"enterprise\" is invalid", "has 18 characters", "has 17"]),
        Refusal(name: "USCC with a letter outside the alphabet", drafts: [award(awardData(enterprise: "91321204MA1PRICE00"))],
                phrases: ["uses only 0-9 and A-Y without I, O, Z, S, V", "contains \"I\""]),
        Refusal(name: "USCC in lower case", drafts: [award(awardData(enterprise: Codes.precision.lowercased()))],
                phrases: ["member \"enterprise\" is invalid"]),
        Refusal(name: "impossible effective date",
                drafts: [Draft.grantAmount("n-2", "GrantDisbursed", grant: "G-1", amountFen: 5, effective: "2023-02-30")],
                phrases: ["effective \"2023-02-30\" is not a real date in the form YYYY-MM-DD"]),
        Refusal(name: "effective date in another form",
                drafts: [Draft.grantAmount("n-2", "GrantDisbursed", grant: "G-1", amountFen: 5, effective: "2023/02/03")],
                phrases: ["effective \"2023/02/03\" is not a real date"]),
        Refusal(name: "impossible recorded time",
                drafts: [Draft.grantAmount("n-2", "GrantDisbursed", grant: "G-1", amountFen: 5, effective: "2022-08-01",
                                           recorded: "2025-01-15T25:00:00Z")],
                phrases: ["recorded \"2025-01-15T25:00:00Z\" is not a real UTC time"]),
        Refusal(name: "id with a space",
                drafts: [Draft.grantAmount("pay 2", "GrantDisbursed", grant: "G-1", amountFen: 5, effective: "2022-08-01")],
                phrases: ["invalid id \"pay 2\"", "no spaces"]),
        Refusal(name: "grant id with a space", drafts: [award(awardData(grant: "G 7"))],
                phrases: ["member \"grant\" must be an identifier", "got \"G 7\""]),
        Refusal(name: "tier that does not exist",
                drafts: [Draft.tier("n-2", enterprise: precision, tier: "gold", effective: "2022-08-01")],
                phrases: ["member \"tier\" must be one of none, startup, sme, high-tech, influential, got \"gold\""]),
        Refusal(name: "centre kind that does not exist",
                drafts: [Draft.openCentre("n-2", centre: "C-9", name: "n", kind: "lab", effective: "2022-08-01")],
                phrases: ["member \"kind\" must be one of innovation, offshore, rnd, got \"lab\""]),
        Refusal(name: "empty actor",
                drafts: [Draft.line("n-2", "GrantDisbursed", effective: "2022-08-01", actor: "", data: "{\"grant\":\"G-1\",\"amountFen\":5}")],
                phrases: ["actor must be a non-empty string"]),
        Refusal(name: "payload version other than 1",
                drafts: [String(Draft.grantAmount("n-2", "GrantDisbursed", grant: "G-1", amountFen: 5, effective: "2022-08-01").dropLast()) + ",\"v\":2}"],
                phrases: ["v must be 1"]),
        Refusal(name: "not JSON", drafts: ["{\"id\":\"n-2\","], phrases: ["not valid JSON"]),
        Refusal(name: "a JSON array instead of an object", drafts: ["[1,2]"], phrases: ["a draft is a JSON object"]),
        Refusal(name: "duplicate id in the batch",
                drafts: [Draft.grantAmount("ok-1", "GrantDisbursed", grant: "G-1", amountFen: 7, effective: "2022-08-01")],
                phrases: ["id ok-1 is already used by", ":1 in the same input"]),
        Refusal(name: "duplicate key in a draft",
                drafts: ["{\"id\":\"n-2\",\"id\":\"n-3\",\"type\":\"GrantDisbursed\",\"effective\":\"2022-08-01\",\"actor\":\"a\",\"source\":\"s\",\"data\":{\"grant\":\"G-1\",\"amountFen\":5}}"],
                phrases: ["not valid JSON", "duplicate key \"id\""]),
        Refusal(name: "byte-order mark", bytes: [0xEF, 0xBB, 0xBF] + Array((validFirst + "\n").utf8), line: 1,
                phrases: ["starts with a UTF-8 byte-order mark", "without BOM"]),
        Refusal(name: "CR LF line ends", bytes: Array((validFirst + "\r\n").utf8), line: 1,
                phrases: ["ends in CR LF", "LF (Unix) line ends"]),
    ]

    static let ruleRefusals: [Refusal] = [
        Refusal(name: "award to an unregistered enterprise", drafts: [award(awardData(enterprise: Codes.boats))],
                phrases: ["GrantAwarded n-2 refused", "enterprise \(Codes.boats) is not registered"]),
        Refusal(name: "award before the enterprise's registration",
                drafts: [Draft.award("n-2", grant: "G-9", enterprise: precision, programme: "yz", amountFen: 5, effective: "2021-12-31")],
                phrases: ["GrantAwarded n-2 refused", "is registered only from 2022-01-01, after 2021-12-31"]),
        Refusal(name: "award under an unknown programme", drafts: [award(awardData(programme: "nope"))],
                phrases: ["GrantAwarded n-2 refused", "programme nope was never established"]),
        Refusal(name: "payment on an unknown grant",
                drafts: [Draft.grantAmount("n-2", "GrantDisbursed", grant: "G-404", amountFen: 5, effective: "2022-08-01")],
                phrases: ["GrantDisbursed n-2 refused", "there is no grant G-404"]),
        Refusal(name: "payment on a retracted award's grant",
                drafts: [Draft.grantAmount("n-2", "GrantDisbursed", grant: "G-3", amountFen: 5, effective: "2022-08-01")],
                phrases: ["GrantDisbursed n-2 refused", "there is no grant G-3"]),
        Refusal(name: "budget for an unknown programme",
                drafts: [Draft.line("n-2", "BudgetAppropriated", effective: "2022-08-01", data: #"{"programme":"nope","year":2022,"amountFen":5}"#)],
                phrases: ["BudgetAppropriated n-2 refused", "programme nope was never established"]),
        Refusal(name: "promotion that does not raise the tier",
                drafts: [Draft.tier("n-2", enterprise: precision, tier: "startup", effective: "2022-08-01")],
                phrases: ["TierPromoted n-2 refused", "a promotion must raise the tier", "is startup on 2022-08-01"]),
        Refusal(name: "demotion that does not lower the tier",
                drafts: [Draft.tier("n-2", "TierDemoted", enterprise: precision, tier: "sme", effective: "2022-08-01")],
                phrases: ["TierDemoted n-2 refused", "a demotion must lower the tier"]),
        Refusal(name: "closing a centre that was never opened",
                drafts: [Draft.closeCentre("n-2", centre: "C-9", effective: "2022-08-01")],
                phrases: ["CentreClosed n-2 refused", "centre C-9 is not open on 2022-08-01"]),
        Refusal(name: "closing a centre before it opened",
                drafts: [Draft.closeCentre("n-2", centre: "C-1", effective: "2022-04-30")],
                phrases: ["CentreClosed n-2 refused", "centre C-1 is not open on 2022-04-30"]),
        Refusal(name: "closing a closed centre",
                drafts: [Draft.closeCentre("n-2", centre: "C-2", effective: "2023-06-01")],
                phrases: ["CentreClosed n-2 refused", "centre C-2 is already closed on 2023-01-01"]),
        Refusal(name: "retracting an unknown event", drafts: [Draft.retract("n-2", target: "nope", effective: "2022-08-01")],
                phrases: ["EventRetracted n-2 refused", "there is no event nope in the ledger to retract"]),
        Refusal(name: "retracting an event already retracted",
                drafts: [Draft.retract("n-2", target: "a-3", effective: "2022-08-01")],
                phrases: ["EventRetracted n-2 refused", "event a-3 is already retracted"]),
        Refusal(name: "retracting a retraction", drafts: [Draft.retract("n-2", target: "x-a-3", effective: "2022-08-01")],
                phrases: ["EventRetracted n-2 refused", "event x-a-3 is itself a retraction"]),
        Refusal(name: "second award of a grant",
                drafts: [Draft.award("n-2", grant: "G-1", enterprise: precision, programme: "yz", amountFen: 5, effective: "2022-08-01")],
                phrases: ["GrantAwarded n-2 refused", "grant G-1 is already awarded"]),
        Refusal(name: "second registration of an enterprise",
                drafts: [Draft.register("n-2", precision, name: "again", effective: "2022-08-01")],
                phrases: ["EnterpriseRegistered n-2 refused", "enterprise \(precision) is already registered"]),
        Refusal(name: "second opening of a centre",
                drafts: [Draft.openCentre("n-2", centre: "C-1", name: "again", effective: "2022-08-01")],
                phrases: ["CentreOpened n-2 refused", "centre C-1 is already open in the ledger"]),
        Refusal(name: "second establishment of a programme",
                drafts: [Draft.programme("n-2", "yz", name: "again", effective: "2022-08-01")],
                phrases: ["ProgrammeEstablished n-2 refused", "programme yz is already established"]),
        Refusal(name: "amending a revoked grant",
                drafts: [Draft.grantAmount("n-2", "GrantAmended", grant: "G-2", amountFen: 5, effective: "2022-08-01")],
                phrases: ["GrantAmended n-2 refused", "grant G-2 is revoked"]),
        Refusal(name: "revoking a revoked grant", drafts: [Draft.revoke("n-2", grant: "G-2", effective: "2022-08-01")],
                phrases: ["GrantRevoked n-2 refused", "grant G-2 is already revoked"]),
        Refusal(name: "evaluating an unregistered enterprise",
                drafts: [Draft.line("n-2", "CapabilityEvaluated", effective: "2022-08-01", data: "{\"enterprise\":\"\(Codes.boats)\",\"score\":50}")],
                phrases: ["CapabilityEvaluated n-2 refused", "is not registered"]),
        Refusal(name: "score out of range",
                drafts: [Draft.line("n-2", "CapabilityEvaluated", effective: "2022-08-01", data: "{\"enterprise\":\"\(precision)\",\"score\":101}")],
                phrases: ["member \"score\" must be from 0 to 100, got 101"]),
        Refusal(name: "a rule broken by the second of two new drafts",
                drafts: [Draft.register("n-2", Codes.boats, name: Codes.boatsName, effective: "2022-08-01"),
                         Draft.register("n-3", Codes.boats, name: "again", effective: "2022-08-02")],
                line: 3, phrases: ["EnterpriseRegistered n-3 refused", "is already registered"]),
        Refusal(name: "a draft that gives its own recorded time",
                drafts: [Draft.grantAmount("n-2", "GrantDisbursed", grant: "G-1", amountFen: 5, effective: "2022-08-01",
                                           recorded: "2024-01-01T00:00:00Z")],
                phrases: ["event n-2 gives recorded 2024-01-01T00:00:00Z", "the ledger records each event at the time of its own clock",
                          "use `incentives import` into a new, empty ledger", "nothing was appended"]),
        Refusal(name: "an effective date more than 366 days after the day it is recorded",
                drafts: [Draft.grantAmount("n-2", "GrantDisbursed", grant: "G-1", amountFen: 5, effective: "2031-09-28")],
                phrases: ["GrantDisbursed n-2 refused", "effective 2031-09-28", "after 2025-01-15, the day it is recorded",
                          "check the date for a typo"]),
    ]

    @Test("a refused batch exits 65, names the line and the rule, and appends nothing",
          arguments: parserRefusals + ruleRefusals)
    func refused(_ refusal: Refusal) {
        let scenario = Self.base()
        let before = scenario.directory.logSnapshot()
        let path = scenario.nextInputPath
        let outcome = refusal.bytes.map { scenario.appendBytes($0) } ?? scenario.append([Self.validFirst] + refusal.drafts)
        #expect(outcome.exitCode == 65, "exit \(outcome.exitCode): \(outcome.errors)")
        #expect(outcome.output.isEmpty, "nothing is reported as appended: \(outcome.output)")
        if refusal.line > 0 {
            // "FILE:LINE: what" or, for a payload problem, "FILE:LINE (event ID): what".
            let named = outcome.errors.contains("\(path):\(refusal.line): ") || outcome.errors.contains("\(path):\(refusal.line) (event ")
            #expect(named, "the message names line \(refusal.line): \(outcome.errors)")
        }
        for phrase in refusal.phrases {
            #expect(outcome.errors.contains(phrase), "the message says \"\(phrase)\": \(outcome.errors)")
        }
        #expect(scenario.directory.logSnapshot() == before, "the logs are byte-identical after a refusal")
        scenario.when(["verify"]).then(exit: 0)
    }

    @Test("every problem in a file is listed with its line, not just the first")
    func everyLineReported() {
        let scenario = Self.base()
        let before = scenario.directory.logSnapshot()
        let path = scenario.nextInputPath
        let outcome = scenario.append([
            Self.validFirst,
            Draft.line("n-2", "GrantGiven", effective: "2022-08-01", data: "{}"),
            Draft.grantAmount("n-3", "GrantDisbursed", grant: "G-1", amountFen: 0, effective: "2022-08-01"),
            Draft.grantAmount("n 4", "GrantDisbursed", grant: "G-1", amountFen: 5, effective: "2022-08-01"),
        ])
        outcome.then(exit: 65, errors: ["\(path):2: unknown event type", "\(path):3 (event n-3): GrantDisbursed member \"amountFen\" must be a positive amount", "\(path):4: invalid id",
                                        "nothing was appended"])
        #expect(scenario.directory.logSnapshot() == before)
    }

    @Test("an empty file appends nothing and says so")
    func emptyFile() {
        let scenario = Self.base()
        let before = scenario.directory.logSnapshot()
        scenario.appendBytes([]).then(exit: 65, errors: ["holds no events; nothing was appended"])
        scenario.appendBytes(Array("\n\n".utf8)).then(exit: 65, errors: ["holds no events"])
        #expect(scenario.directory.logSnapshot() == before)
    }

    @Test("a retracted award's grant may be awarded again under a new id")
    func reawardAfterRetraction() {
        let scenario = Self.base()
        scenario.given([Draft.award("a-3b", grant: "G-3", enterprise: Self.precision, programme: "yz", amountFen: 2_500_000,
                                    effective: "2022-04-01")])
        let grants = scenario.when(["enterprise", Self.precision, "--format", "json"]).value("grants")?.arrayValue ?? []
        #expect(grants.first { $0["grant"]?.stringValue == "G-3" }?["awardedFen"]?.numberValue?.integerValue == 2_500_000)
    }
}
