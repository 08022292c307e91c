import IncentivesCLI
import LedgerLog
import Testing

/// Every query command in every format: JSON values, CSV for spreadsheets (CRLF, optional BOM),
/// tables for terminals (Chinese names aligned by display width), amounts in yuan or 万元.
@Suite("Query commands and formats")
struct QueryCommandTests {
    static let precision = Codes.precision, pharma = Codes.pharma, boats = Codes.boats

    /// A small district: two programmes, three enterprises, four grants (one revoked and partly
    /// recovered), two centres.
    static func district() -> LedgerScenario {
        let scenario = LedgerScenario()
        scenario.given([
            Draft.programme("p-yz", "yz", name: "雁阵计划", effective: "2022-01-01"),
            Draft.programme("p-cx", "cx", name: "创新券", effective: "2022-01-01"),
            Draft.register("e-precision", precision, name: Codes.precisionName, effective: "2022-01-01"),
            Draft.register("e-pharma", pharma, name: Codes.pharmaName, sector: "pharmaceuticals", effective: "2022-01-01"),
            Draft.register("e-boats", boats, name: Codes.boatsName, sector: "shipbuilding", effective: "2022-01-01"),
            Draft.tier("t-1", enterprise: precision, tier: "startup", effective: "2022-02-01"),
            Draft.tier("t-2", enterprise: pharma, tier: "startup", effective: "2022-02-01"),
            Draft.tier("t-3", enterprise: precision, tier: "sme", effective: "2023-03-01"),
            Draft.award("a-1", grant: "G-1", enterprise: precision, programme: "yz", amountFen: 150_000_050, effective: "2022-03-15"),
            Draft.grantAmount("d-1", "GrantDisbursed", grant: "G-1", amountFen: 100_000_000, effective: "2022-04-01"),
            Draft.award("a-2", grant: "G-2", enterprise: pharma, programme: "cx", amountFen: 20_000_000, effective: "2022-11-20"),
            Draft.award("a-3", grant: "G-3", enterprise: precision, programme: "cx", amountFen: 5_000_000, effective: "2023-03-01"),
            Draft.award("a-4", grant: "G-4", enterprise: boats, programme: "yz", amountFen: 80_000_000, project: "=HYPERLINK(\"x\")",
                        effective: "2023-07-07"),
            Draft.grantAmount("d-4", "GrantDisbursed", grant: "G-4", amountFen: 30_000_000, effective: "2023-08-01"),
            Draft.revoke("r-4", grant: "G-4", reason: "project abandoned", effective: "2023-12-01"),
            Draft.grantAmount("c-4", "GrantRecovered", grant: "G-4", amountFen: 10_000_000, effective: "2024-02-01"),
            Draft.openCentre("o-1", centre: "JIC-1", name: "泰州产业技术研究院联合创新中心", partner: "泰州产业技术研究院",
                             effective: "2022-05-01"),
            Draft.openCentre("o-2", centre: "OFF-SH", name: "上海离岸中心", kind: "offshore", city: "上海", effective: "2023-01-01"),
        ])
        return scenario
    }

    // MARK: summary

    @Test("summary in JSON, CSV and table, in yuan and 万元")
    func summary() {
        let scenario = Self.district()
        scenario.when(["summary", "--format", "json"]).then(exit: 0, json: ExpectedJSON.summary(
            events: 18, grants: .init(count: 4, revoked: 1, awardedFen: 175_000_050, disbursedFen: 130_000_000, recoveredFen: 10_000_000),
            registered: 3, byTier: [1, 1, 1, 0, 0], open: 2, byKind: [1, 1, 0]))
        let csv = scenario.when(["summary", "--format", "csv"])
        #expect(csv.output.hasPrefix("measure,value\r\nevents,18\r\ngrants,4\r\ngrants revoked,1\r\nawarded (元),1750000.50\r\n"))
        #expect(csv.output.contains("disbursed (元),1300000.00\r\nrecovered (元),100000.00\r\nenterprises registered,3\r\n"))
        #expect(csv.output.hasSuffix("centres open,2\r\ncentres innovation,1\r\ncentres offshore,1\r\ncentres rnd,0\r\n"))
        let table = scenario.when(["summary"])
        table.then(exit: 0, output: ["as of (no limit), known at 2025-01-15 17:00:00+08:00\nheads: tiers 6 ", "1,750,000.50 元", "1,300,000.00 元"])
        let wan = scenario.when(["summary", "--unit", "wan"])
        wan.then(exit: 0, output: ["175.00 万元", "130.00 万元", "10.00 万元"])
        #expect(!wan.output.contains(" 元\n"))
        scenario.when(["summary", "--as-of", "2022-12-31", "--known-at", "2025-01-15", "--format", "json"])
            .then(exit: 0, json: ExpectedJSON.summary(
                asOf: "2022-12-31", knownAt: "2025-01-15T15:59:59Z", events: 11,
                grants: .init(count: 2, awardedFen: 170_000_050, disbursedFen: 100_000_000), registered: 3, byTier: [1, 2, 0, 0, 0],
                open: 1, byKind: [1, 0, 0]))
    }

    // MARK: grants

    @Test("grants --by year, programme, tier, enterprise and month")
    func grantsGroupings() {
        let scenario = Self.district()
        typealias Row = ExpectedJSON
        scenario.when(["grants", "--by", "year", "--format", "json"]).then(exit: 0, json: Row.rows([
            Row.grantRow("2022", count: 2, awardedFen: 170_000_050, disbursedFen: 100_000_000),
            Row.grantRow("2023", count: 2, awardedFen: 5_000_000, disbursedFen: 30_000_000, recoveredFen: 10_000_000),
        ]))
        scenario.when(["grants", "--by", "programme", "--format", "json"]).then(exit: 0, json: Row.rows([
            Row.grantRow("cx", name: "创新券", count: 2, awardedFen: 25_000_000),
            Row.grantRow("yz", name: "雁阵计划", count: 2, awardedFen: 150_000_050, disbursedFen: 130_000_000, recoveredFen: 10_000_000),
        ]))
        scenario.when(["grants", "--by", "tier", "--format", "json"]).then(exit: 0, json: Row.rows([
            Row.grantRow("none", count: 1, awardedFen: 0, disbursedFen: 30_000_000, recoveredFen: 10_000_000),
            Row.grantRow("startup", count: 2, awardedFen: 170_000_050, disbursedFen: 100_000_000),
            Row.grantRow("sme", count: 1, awardedFen: 5_000_000),
        ]))
        scenario.when(["grants", "--by", "enterprise", "--format", "json"]).then(exit: 0, json: Row.rows([
            Row.grantRow(Self.boats, name: Codes.boatsName, count: 1, awardedFen: 0, disbursedFen: 30_000_000, recoveredFen: 10_000_000),
            Row.grantRow(Self.pharma, name: Codes.pharmaName, count: 1, awardedFen: 20_000_000),
            Row.grantRow(Self.precision, name: Codes.precisionName, count: 2, awardedFen: 155_000_050, disbursedFen: 100_000_000),
        ]))
        scenario.when(["grants", "--by", "month", "--format", "json"]).then(exit: 0, json: Row.rows([
            Row.grantRow("2022-03", count: 1, awardedFen: 150_000_050, disbursedFen: 100_000_000),
            Row.grantRow("2022-11", count: 1, awardedFen: 20_000_000),
            Row.grantRow("2023-03", count: 1, awardedFen: 5_000_000),
            Row.grantRow("2023-07", count: 1, awardedFen: 0, disbursedFen: 30_000_000, recoveredFen: 10_000_000),
        ]))
    }

    @Test("grants filters: programme, enterprise, year, and ones that match nothing")
    func grantsFilters() {
        let scenario = Self.district()
        scenario.when(["grants", "--by", "year", "--programme", "yz", "--year", "2023", "--format", "json"])
            .then(exit: 0, json: ExpectedJSON.rows([
                ExpectedJSON.grantRow("2023", count: 1, awardedFen: 0, disbursedFen: 30_000_000, recoveredFen: 10_000_000)]))
        scenario.when(["grants", "--by", "programme", "--enterprise", Self.precision, "--format", "json"])
            .then(exit: 0, json: ExpectedJSON.rows([
                ExpectedJSON.grantRow("cx", name: "创新券", count: 1, awardedFen: 5_000_000),
                ExpectedJSON.grantRow("yz", name: "雁阵计划", count: 1, awardedFen: 150_000_050, disbursedFen: 100_000_000)]))
        scenario.when(["grants", "--by", "month", "--programme", "nope", "--format", "json"]).then(exit: 65, errors: ["no programme nope"])
        scenario.when(["grants", "--by", "year", "--year", "2021", "--format", "json"]).then(exit: 0, json: ExpectedJSON.rows([]))
        scenario.when(["grants", "--by", "year", "--year", "21"]).then(exit: 64, errors: ["--year must be a year such as 2022"])
        scenario.when(["grants", "--by", "colour"]).then(exit: 64, errors: ["--by must be one of year, programme, tier, enterprise, month"])
    }

    @Test("grants as CSV: names, plain yuan, CRLF, formulas defused, optional BOM")
    func grantsCSV() {
        let scenario = Self.district()
        let byEnterprise = scenario.when(["grants", "--by", "enterprise", "--format", "csv"])
        byEnterprise.then(exit: 0)
        #expect(byEnterprise.output == "enterprise,name,count,awarded (元),disbursed (元),recovered (元)\r\n"
            + "\(Self.boats),姜堰船舶,1,0.00,300000.00,100000.00\r\n"
            + "\(Self.pharma),Jiangyan Pharma Ltd,1,200000.00,0.00,0.00\r\n"
            + "\(Self.precision),江苏泰州精密部件有限公司,2,1550000.50,1000000.00,0.00\r\n")
        let byYear = scenario.when(["grants", "--by", "year", "--format", "csv", "--bom"])
        #expect(byYear.output == "\u{FEFF}year,count,awarded (元),disbursed (元),recovered (元)\r\n"
            + "2022,2,1700000.50,1000000.00,0.00\r\n2023,2,50000.00,300000.00,100000.00\r\n")
        // A project name that a spreadsheet would run as a formula is neutralised.
        let profile = scenario.when(["enterprise", Self.boats, "--format", "csv"])
        #expect(profile.output.contains("\(Self.boats),G-4,yz,\"'=HYPERLINK(\"\"x\"\")\",2023-07-07,none,800000.00,0.00,300000.00,100000.00,200000.00,revoked\r\n"),
                "\(profile.output)")
    }

    @Test("grants as a table: Chinese names line up, totals, and 万元")
    func grantsTable() {
        let scenario = Self.district()
        let table = scenario.when(["grants", "--by", "enterprise"])
        table.then(exit: 0, output: ["江苏泰州精密部件有限公司", "1,550,000.50", "total", "1,750,000.50", "awarded (元)"])
        Self.expectRightEdgesAlign(table.output)
        let lines = table.output.split(separator: "\n").map(String.init)
        let chinese = lines.first { $0.contains(Codes.precisionName) }!, latin = lines.first { $0.contains(Codes.pharmaName) }!
        #expect(chinese.count < latin.count, "the Chinese row has fewer characters but the same display width")

        let wan = scenario.when(["grants", "--by", "programme", "--unit", "wan"])
        wan.then(exit: 0, output: ["awarded (万元)", "雁阵计划", "150.00", "25.00", "175.00"])
        Self.expectRightEdgesAlign(wan.output)
    }

    /// Every line of a table whose last column is right-aligned ends at the same display column.
    static func expectRightEdgesAlign(_ output: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let table = tableBody(output)
        let widths = table.split(separator: "\n").map { DisplayWidth.of(String($0)) }
        #expect(Set(widths).count == 1, "display widths of the lines: \(widths)\n\(table)", sourceLocation: sourceLocation)
    }

    /// The output without the window and heads a table answer begins with (up to its first blank line).
    static func tableBody(_ output: String) -> String {
        guard output.hasPrefix("as of "), let blank = output.range(of: "\n\n") else { return output }
        return String(output[blank.upperBound...])
    }

    /// The display column where `cell` starts on the line that contains `marker`.
    static func column(of cell: String, onLineWith marker: String, in output: String) -> Int? {
        let table = tableBody(output)
        guard let line = table.split(separator: "\n").first(where: { $0.contains(marker) }).map(String.init),
              let range = line.range(of: cell, range: line.range(of: marker).map { $0.upperBound..<line.endIndex } ?? line.startIndex..<line.endIndex)
        else { return nil }
        return DisplayWidth.of(String(line[..<range.lowerBound]))
    }

    // MARK: enterprise

    @Test("enterprise in JSON, CSV and as a profile")
    func enterprise() {
        let scenario = Self.district()
        scenario.when(["enterprise", Self.precision, "--format", "json"]).then(exit: 0, json: """
            {"asOf": null, "knownAt": "2025-01-15T09:00:00Z", "enterprise": "\(Self.precision)", "name": "江苏泰州精密部件有限公司", "sector": "machinery", "registered": "2022-01-01",
             "deregistered": null, "tier": "sme", "lastScore": null, "lastScoreDate": null, "checkDigitValid": true,
             "tierHistory": [{"effective": "2022-02-01", "from": "none", "to": "startup", "event": "t-1"},
                             {"effective": "2023-03-01", "from": "startup", "to": "sme", "event": "t-3"}],
             "grants": [
               {"grant": "G-1", "programme": "yz", "project": "precision parts line", "awarded": "2022-03-15", "tierAtGrant": "startup",
                "originalFen": 150000050, "awardedFen": 150000050, "disbursedFen": 100000000, "recoveredFen": 0, "owedFen": 0,
                "status": "partly paid"},
               {"grant": "G-3", "programme": "cx", "project": "precision parts line", "awarded": "2023-03-01", "tierAtGrant": "sme",
                "originalFen": 5000000, "awardedFen": 5000000, "disbursedFen": 0, "recoveredFen": 0, "owedFen": 0, "status": "awarded"}]}
            """)
        let csv = scenario.when(["enterprise", Self.precision, "--format", "csv", "--bom"])
        #expect(csv.output == "\u{FEFF}enterprise,grant,programme,project,awarded on,tierAtGrant,original (元),awarded (元),disbursed (元),recovered (元),owed (元),status\r\n"
            + "\(Self.precision),G-1,yz,precision parts line,2022-03-15,startup,1500000.50,1500000.50,1000000.00,0.00,0.00,partly paid\r\n"
            + "\(Self.precision),G-3,cx,precision parts line,2023-03-01,sme,50000.00,50000.00,0.00,0.00,0.00,awarded\r\n")
        let table = scenario.when(["enterprise", Self.precision])
        table.then(exit: 0, output: ["江苏泰州精密部件有限公司 (\(Self.precision))\n", "sector: machinery\n", "registered: 2022-01-01\n",
                                     "tier: sme\n", "last score: none\n", "tier history\n", "1,500,000.50", "partly paid"])
        #expect(!table.output.contains("warning"))
        scenario.when(["enterprise", Self.precision, "--unit", "wan"]).then(exit: 0, output: ["150.00", "100.00", "5.00"])
    }

    @Test("enterprise: unknown, malformed, and a code whose check digit is wrong")
    func enterpriseEdges() {
        let scenario = Self.district()
        scenario.when(["enterprise", Codes.code("91321204MA1UNKNW0")]).then(exit: 65, errors: ["is not registered in the ledger", "incentives history"])
        scenario.when(["enterprise", "12345"]).then(exit: 64, errors: ["has 18 characters"])
        let valid = Codes.code("91321204MA1CHECK0")
        let wrongCheck = String(valid.dropLast()) + (valid.hasSuffix("0") ? "1" : "0")
        scenario.given([Draft.register("e-wrong", wrongCheck, name: "错位校验码公司", effective: "2022-01-01")])
        scenario.when(["enterprise", wrongCheck]).then(exit: 0, output: ["warning: the code's GB 32100-2015 check digit does not match"])
        #expect(scenario.when(["enterprise", wrongCheck, "--format", "json"]).value("checkDigitValid")?.boolValue == false)
    }

    // MARK: tiers

    @Test("tiers and --transitions in every format, with --from and --to")
    func tiers() {
        let scenario = Self.district()
        scenario.when(["tiers", "--format", "json"]).then(exit: 0, json: """
            {"asOf": null, "knownAt": "2025-01-15T09:00:00Z", "byTier": {"none": 1, "startup": 1, "sme": 1, "high-tech": 0, "influential": 0}}
            """)
        scenario.when(["tiers", "--transitions", "--from", "2023-01-01", "--to", "2023-12-31", "--format", "json"]).then(exit: 0, json: """
            {"asOf": null, "knownAt": "2025-01-15T09:00:00Z", "byTier": {"none": 1, "startup": 1, "sme": 1, "high-tech": 0, "influential": 0},
             "transitions": [{"effective": "2023-03-01", "enterprise": "\(Self.precision)", "name": "江苏泰州精密部件有限公司",
                              "from": "startup", "to": "sme", "kind": "promotion"}]}
            """)
        #expect(scenario.when(["tiers", "--format", "csv"]).output
            == "tier,enterprises\r\nnone,1\r\nstartup,1\r\nsme,1\r\nhigh-tech,0\r\ninfluential,0\r\n")
        let transitions = scenario.when(["tiers", "--transitions", "--format", "csv", "--bom"]).output
        #expect(transitions == "\u{FEFF}effective,enterprise,name,from,to,kind\r\n"
            + "2022-02-01,\(Self.pharma),Jiangyan Pharma Ltd,none,startup,promotion\r\n"
            + "2022-02-01,\(Self.precision),江苏泰州精密部件有限公司,none,startup,promotion\r\n"
            + "2023-03-01,\(Self.precision),江苏泰州精密部件有限公司,startup,sme,promotion\r\n")
        let table = scenario.when(["tiers", "--transitions"]).output
        #expect(table.contains("tier         enterprises\n"))
        let header = Self.column(of: "from", onLineWith: "effective", in: table)
        #expect(header != nil)
        #expect(Self.column(of: "none", onLineWith: "Jiangyan Pharma Ltd", in: table) == header)
        #expect(Self.column(of: "startup", onLineWith: "2023-03-01", in: table) == header, "the column after a Chinese name lines up:\n\(table)")
        scenario.when(["tiers", "--from", "2023-01-01"]).then(exit: 64, errors: ["--from and --to go with --transitions"])
    }

    // MARK: centres

    @Test("centres in JSON, CSV and table")
    func centres() {
        let scenario = Self.district()
        scenario.when(["centres", "--format", "json", "--as-of", "2022-12-31"]).then(exit: 0, json: """
            {"asOf": "2022-12-31", "knownAt": "2025-01-15T09:00:00Z", "centres": [{"centre": "JIC-1", "name": "泰州产业技术研究院联合创新中心", "kind": "innovation", "city": "泰州",
              "partner": "泰州产业技术研究院", "opened": "2022-05-01", "closed": null}]}
            """)
        #expect(scenario.when(["centres", "--format", "csv"]).output == "centre,name,kind,city,partner,opened,closed\r\n"
            + "JIC-1,泰州产业技术研究院联合创新中心,innovation,泰州,泰州产业技术研究院,2022-05-01,\r\n"
            + "OFF-SH,上海离岸中心,offshore,上海,,2023-01-01,\r\n")
        let table = scenario.when(["centres"]).output
        let header = Self.column(of: "kind", onLineWith: "centre", in: table)
        #expect(header == DisplayWidth.of("centre  泰州产业技术研究院联合创新中心  "))
        #expect(Self.column(of: "innovation", onLineWith: "JIC-1", in: table) == header)
        #expect(Self.column(of: "offshore", onLineWith: "OFF-SH", in: table) == header, "\(table)")
        #expect(table.split(separator: "\n").allSatisfy { !$0.hasSuffix(" ") }, "no trailing spaces")
    }

    // MARK: history

    @Test("history of a grant, an enterprise and a programme, in every format")
    func history() {
        let scenario = Self.district()
        let grant = scenario.when(["history", "G-4", "--format", "json"])
        grant.then(exit: 0)
        #expect(grant.value("subject")?.stringValue == "G-4")
        let entries = grant.value("events")?.arrayValue ?? []
        #expect(entries.compactMap { $0["event"]?.stringValue } == ["a-4", "d-4", "r-4", "c-4"])
        #expect(entries.compactMap { $0["type"]?.stringValue } == ["GrantAwarded", "GrantDisbursed", "GrantRevoked", "GrantRecovered"])
        #expect(entries[2]["details"]?.stringValue == "grant G-4 revoked: project abandoned")
        #expect(entries.allSatisfy { $0["recorded"]?.stringValue == "2025-01-15T09:00:00Z" && $0["log"]?.stringValue == "grants" })

        let enterprise = scenario.when(["history", Self.precision, "--format", "json"]).value("events")?.arrayValue ?? []
        #expect(enterprise.compactMap { $0["event"]?.stringValue } == ["e-precision", "t-1", "t-3", "a-1", "d-1", "a-3"],
                "in the order learned: by recorded, then log rank (tiers before grants), then seq")
        let programme = scenario.when(["history", "cx", "--format", "json"]).value("events")?.arrayValue ?? []
        #expect(programme.compactMap { $0["event"]?.stringValue } == ["p-cx", "a-2", "a-3"])

        let csv = scenario.when(["history", "OFF-SH", "--format", "csv", "--bom"]).output
        #expect(csv == "\u{FEFF}recorded,effective,event,type,actor,source,details,retracted\r\n"
            + "2025-01-15T09:00:00Z,2023-01-01,o-2,CentreOpened,clerk Li,notice 2022-1,\"OFF-SH 上海离岸中心, offshore in 上海\",\r\n")
        scenario.when(["history", "G-4"]).then(exit: 0, output: ["GrantRecovered", "grant G-4 recovered ¥100,000.00"])
        scenario.when(["history", "nothing-here"]).then(exit: 65, errors: ["nothing in the ledger is called nothing-here"])
    }

    @Test("every query offers CSV with CRLF records and an optional BOM", arguments: [
        ["summary"], ["grants", "--by", "programme"], ["enterprise", Codes.precision], ["tiers"], ["tiers", "--transitions"],
        ["centres"], ["history", "yz"],
    ])
    func csvConventions(command: [String]) {
        let scenario = Self.district()
        let plain = scenario.when(command + ["--format", "csv"])
        let marked = scenario.when(command + ["--format", "csv", "--bom"])
        plain.then(exit: 0)
        marked.then(exit: 0)
        #expect(!plain.output.hasPrefix("\u{FEFF}"))
        #expect(marked.output == "\u{FEFF}" + plain.output)
        let bytes = Array(plain.output.utf8)
        #expect(bytes.last == UInt8(ascii: "\n"))
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            #expect(index > 0 && bytes[index - 1] == UInt8(ascii: "\r"), "every record ends in CR LF")
        }
        #expect(plain.output.split(separator: "\r\n").count >= 2, "a header and at least one record")
    }
}
