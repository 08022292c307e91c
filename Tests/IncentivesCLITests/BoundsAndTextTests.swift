import IncentivesCLI
import IncentivesDomain
import LedgerLog
import Testing

/// Numbers never trap and text is data: every value has a bound checked when a draft is parsed,
/// totals are summed so that no log can overflow them, and control characters are refused on the
/// way in and made visible on the way out.
@Suite("Bounds and text")
struct BoundsAndTextTests {
    static let precision = Codes.precision
    static let largest: Int64 = 9_007_199_254_740_991

    static func base() -> LedgerScenario {
        let scenario = LedgerScenario()
        scenario.given([
            Draft.programme("p-yz", "yz", name: "雁阵计划", effective: "2022-01-01"),
            Draft.register("e-precision", precision, name: Codes.precisionName, effective: "2022-01-01"),
            Draft.award("a-1", grant: "G-1", enterprise: precision, programme: "yz", amountFen: 1_000_000, effective: "2022-03-01"),
        ])
        return scenario
    }

    /// Writes events straight through the log layer, as an older build or a hand with a valid
    /// chain could have: no schema, no bounds.
    static func writeUnchecked(_ scenario: LedgerScenario, _ events: [(type: String, effective: String, data: String)]) throws {
        let writer = try IncentiveLogs.store(directory: scenario.events).openWriter(clock: FixedClock(scenario.now), notify: { _ in })
        var unsealed: [UnsealedEvent] = []
        for (index, event) in events.enumerated() {
            let data = try JSONCanonical.serialize(JSONParser.parse(Array(event.data.utf8)))
            let kind = try #require(EventKind(typeName: event.type))
            unsealed.append(UnsealedEvent(
                log: kind.log ?? IncentiveLogs.grants, id: EventID(rawValue: "old-\(index)")!, type: event.type,
                recorded: scenario.now, effective: CalendarDate(parsing: event.effective)!, actor: "clerk\u{1B}[2J",
                source: "doc", data: data))
        }
        _ = try writer.append(unsealed)
    }

    // MARK: numbers

    @Test func paymentsBeyondTheBoundAreRefusedNamingMemberValueAndBound() {
        let scenario = Self.base()
        let before = scenario.directory.logSnapshot()
        let payments = (0..<1_100).map {
            Draft.grantAmount("pay-\($0)", "GrantDisbursed", grant: "G-1", amountFen: Self.largest, effective: "2022-04-01")
        }
        scenario.append(payments).then(exit: 65, errors: [
            "member \"amountFen\" must be at most 1000000000000 fen (10 billion yuan) in one event, got 9007199254740991",
            "nothing was appended",
        ])
        #expect(scenario.directory.logSnapshot() == before)
    }

    @Test("each money member is bounded", arguments: ["GrantAwarded", "GrantAmended", "GrantDisbursed", "GrantRecovered",
                                                       "BudgetAppropriated", "ProgrammeAmended"])
    func everyMoneyMemberIsBounded(type: String) {
        let scenario = Self.base()
        let data: String
        switch type {
        case "GrantAwarded":
            data = "{\"grant\":\"G-9\",\"enterprise\":\"\(Self.precision)\",\"programme\":\"yz\",\"amountFen\":1000000000001,\"project\":\"p\"}"
        case "BudgetAppropriated": data = "{\"programme\":\"yz\",\"year\":2022,\"amountFen\":1000000000001}"
        case "ProgrammeAmended": data = "{\"programme\":\"yz\",\"capFen\":1000000000001}"
        default: data = "{\"grant\":\"G-1\",\"amountFen\":1000000000001}"
        }
        scenario.append([Draft.line("n-1", type, effective: "2022-05-01", data: data)])
            .then(exit: 65, errors: ["must be at most 1000000000000 fen", "got 1000000000001"])
        // Exactly at the bound is allowed (a recovery of it only after as much was paid: the grant's timeline).
        if type == "GrantRecovered" {
            scenario.append([Draft.line("n-0", "GrantDisbursed", effective: "2022-05-01", data: "{\"grant\":\"G-1\",\"amountFen\":1000000000000}")])
                .then(exit: 0)
        }
        scenario.append([Draft.line("n-1", type, effective: "2022-05-01",
                                    data: data.replacingOccurrences(of: "1000000000001", with: "1000000000000"))])
            .then(exit: 0)
    }

    @Test func datesAndYearsAreBounded() {
        let scenario = Self.base()
        scenario.when(["award", "--grant", "G-7", "--enterprise", Self.precision, "--programme", "yz", "--amount", "100",
                       "--project", "p", "--effective", "2203-09-28", "--actor", "clerk Li", "--source", "doc"])
            .then(exit: 65, errors: ["effective 2203-09-28 is outside the dates a ledger event may carry, 1900-01-01 to 2199-12-31"])
        scenario.append([Draft.grantAmount("n-1", "GrantDisbursed", grant: "G-1", amountFen: 5, effective: "2200-01-01")])
            .then(exit: 65, errors: ["effective 2200-01-01 is outside", "2199-12-31"])
        scenario.append([Draft.line("n-2", "BudgetAppropriated", effective: "2022-05-01",
                                    data: "{\"programme\":\"yz\",\"year\":2500,\"amountFen\":5}")])
            .then(exit: 65, errors: ["member \"year\" must be from 1900 to 2199, got 2500"])
        scenario.append([Draft.line("n-3", "ProgrammeAmended", effective: "2022-05-01", data: "{\"programme\":\"yz\",\"capYears\":51}")])
            .then(exit: 65, errors: ["member \"capYears\" must be from 1 to 50, got 51"])
        // The last day inside the bound is not refused by the bound; at this clock, the 366-day horizon refuses it.
        let last = scenario.append([Draft.grantAmount("n-4", "GrantDisbursed", grant: "G-1", amountFen: 5, effective: "2199-12-31")])
        last.then(exit: 65, errors: ["more than the 366"])
        #expect(!last.errors.contains("outside the dates"))
    }

    /// An older log with 1,100 payments of 2^53−1 fen on one grant: nothing traps. A total that
    /// does not fit the output's 64-bit fen is exit 65 naming it; the rest answer.
    @Test func anOlderLogBeyondTheBoundsTrapsNothing() throws {
        let scenario = Self.base()
        try Self.writeUnchecked(scenario, Array(repeating: ("GrantDisbursed", "2022-04-01", "{\"grant\":\"G-1\",\"amountFen\":\(Self.largest)}"), count: 1_100)
            + [("ProgrammeAmended", "2022-02-01", "{\"programme\":\"yz\",\"capFen\":5,\"capYears\":2000000000}"),
               ("BudgetAppropriated", "2022-02-01", "{\"programme\":\"yz\",\"year\":2022,\"amountFen\":\(Self.largest)}"),
               ("GrantAwarded", "2022-05-01", "{\"grant\":\"G-2\",\"enterprise\":\"\(Self.precision)\",\"programme\":\"yz\",\"amountFen\":-\(Self.largest),\"project\":\"p\"}")])
        scenario.when(["verify"]).then(exit: 0)
        for format in ["table", "json", "csv"] {
            scenario.when(["summary", "--format", format]).then(exit: 65, errors: ["the summary's disbursed total is 9907919180215090100 fen", "beyond"])
            for grouping in GrantBreakdown.Grouping.allCases {
                scenario.when(["grants", "--by", grouping.rawValue, "--format", format])
                    .then(exit: 65, errors: ["disbursed amount (grants by \(grouping.rawValue))", "9907919180215090100"])
            }
            scenario.when(["enterprise", Self.precision, "--format", format]).then(exit: 65, errors: ["grant G-1's disbursed total"])
            scenario.when(["audit", "--format", format]).then(exit: 0)
            scenario.when(["tiers", "--format", format]).then(exit: 0)
            scenario.when(["centres", "--format", format]).then(exit: 0)
            scenario.when(["history", "G-1", "--format", format]).then(exit: 0)
        }
        scenario.when(["audit"]).then(exit: 0, output: ["over-disbursed", "¥99,079,191,802,150,901.00 net"])
        scenario.when(["replay"]).then(exit: 0)
        let checkpoint = scenario.when(["checkpoint"]).then(exit: 0)
        let path = scenario.directory.writeInput("checkpoint.json", Array(checkpoint.output.utf8))
        scenario.when(["replay", "--check", path]).then(exit: 0)
        scenario.when(["restatements", "--period", "2022", "--reported-at", "2022-01-01"])
            .then(exit: 65, errors: ["the disbursed amount of the 2022 figures now is 9907919180215090100 fen"])
        // The appended path reads the same log without trapping, and refuses only the bad draft.
        scenario.append([Draft.grantAmount("n-1", "GrantDisbursed", grant: "G-1", amountFen: 5, effective: "2022-06-01")]).then(exit: 0)
    }

    // MARK: text

    static let hostile = "\u{1B}[2J\u{1B}]0;pwned\u{07}"

    @Test func controlCharactersInAnyTextAreRefused() {
        let scenario = Self.base()
        let before = scenario.directory.logSnapshot()
        let cases: [(String, String)] = [
            (Draft.register("n-1", Codes.pharma, name: "Pharma" + Self.hostile, effective: "2022-01-01"), "member \"name\" contains U+001B at character 7"),
            (Draft.award("n-1", grant: "G-9", enterprise: Self.precision, programme: "yz", amountFen: 5, project: "a\u{202E}b", effective: "2022-05-01"),
             "member \"project\" contains U+202E at character 2"),
            (Draft.revoke("n-1", grant: "G-1", reason: "x\u{85}", effective: "2022-05-01"), "member \"reason\" contains U+0085"),
            (Draft.openCentre("n-1", centre: "C-9", name: "中心", city: "泰州\u{2066}", effective: "2022-05-01"), "member \"city\" contains U+2066"),
            (Draft.line("n-1", "GrantDisbursed", effective: "2022-05-01", actor: "clerk\u{7F}", data: "{\"grant\":\"G-1\",\"amountFen\":5}"),
             "actor contains U+007F"),
            (Draft.line("n-1", "GrantDisbursed", effective: "2022-05-01", source: "doc\tno. 7", data: "{\"grant\":\"G-1\",\"amountFen\":5}"),
             "source contains U+0009"),
        ]
        for (line, phrase) in cases {
            scenario.append([line]).then(exit: 65, errors: [phrase, "control characters"])
        }
        #expect(scenario.directory.logSnapshot() == before)
        // The message quoting the input shows the characters, it does not send them.
        let refused = scenario.append([cases[0].0])
        #expect(!refused.errors.unicodeScalars.contains { FreeText.isControl($0) && $0 != "\n" })
    }

    @Test func anOlderLogsControlCharactersAreShownNotObeyed() throws {
        let scenario = Self.base()
        try Self.writeUnchecked(scenario, [
            ("EnterpriseRegistered", "2022-01-01", "{\"enterprise\":\"\(Codes.pharma)\",\"name\":\"Pharma\(Draft.quoted(Self.hostile).dropFirst().dropLast())\",\"sector\":\"x\"}"),
            ("GrantAwarded", "2022-05-01", "{\"grant\":\"G-2\",\"enterprise\":\"\(Codes.pharma)\",\"programme\":\"yz\",\"amountFen\":5,\"project\":\"a\\u202eb\"}"),
        ])
        let visible = #"Pharma\u{1B}[2J\u{1B}]0;pwned\u{7}"#
        for arguments in [["grants", "--by", "enterprise"], ["enterprise", Codes.pharma], ["history", Codes.pharma], ["audit"],
                          ["grants", "--by", "enterprise", "--format", "csv"], ["enterprise", Codes.pharma, "--format", "csv"]] {
            let outcome = scenario.when(arguments).then(exit: 0)
            #expect(!outcome.output.unicodeScalars.contains { FreeText.isControl($0) && !["\n", "\r"].contains($0) }, "\(arguments)")
            let showsName = arguments.first == "grants" || arguments == ["enterprise", Codes.pharma]
            if arguments.first != "audit" { #expect(outcome.output.contains(showsName ? visible : #"\u{"#), "\(arguments)") }
        }
        scenario.when(["enterprise", Codes.pharma]).then(exit: 0, output: [visible + " (", #"a\u{202E}b"#])
        scenario.when(["enterprise", Codes.pharma, "--format", "json"]).then(exit: 0, output: [#""name": "Pharma\u001b[2J\u001b]0;pwned\u0007""#, #"a\u202eb"#])
    }

    @Test func csvDefendsTextCellsAndKeepsMoneyNumbers() {
        let scenario = Self.base()
        scenario.given([
            Draft.award("a-2", grant: "G-2", enterprise: Self.precision, programme: "yz", amountFen: 250, project: "=HYPERLINK(\"http://x\")", effective: "2022-04-01"),
            Draft.award("a-3", grant: "G-3", enterprise: Self.precision, programme: "yz", amountFen: 250, project: "-5", effective: "2022-04-02"),
        ])
        scenario.when(["enterprise", Self.precision, "--format", "csv"]).then(exit: 0, output: [
            "original (元),awarded (元),disbursed (元),recovered (元),owed (元),status\r\n",
            "\"'=HYPERLINK(\"\"http://x\"\")\",2022-04-01,none,2.50,2.50,0.00,0.00,0.00,awarded",
            "G-3,yz,'-5,2022-04-02,none,2.50,2.50,0.00,0.00,0.00,awarded",
        ])
    }
}
