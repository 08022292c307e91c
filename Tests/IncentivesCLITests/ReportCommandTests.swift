import Foundation
import IncentivesDomain
@testable import IncentivesCLI
import LedgerLog
import Testing

/// `report`, `statement` and `programmes`: the figures are the domain's, the page is whole,
/// self-contained and well-formed, hostile names print as text, and files are replaced in one step.
@Suite("Report, statement and programmes")
struct ReportCommandTests {
    static let precision = Codes.precision, pharma = Codes.pharma, boats = Codes.boats
    static let hostileEnterprise = "<script>alert(\"x\")</script> & Co"
    static let hostileProgramme = "A&B <svg onload=x>"

    /// Two programmes (one amended), budgets for some years, three enterprises, four grants: one
    /// below the programme's minimum tier and later revoked, two over a year's budget.
    static func district() -> LedgerScenario {
        let scenario = LedgerScenario()
        scenario.given([
            Draft.programme("p-yz", "yz", name: hostileProgramme, effective: "2022-01-01",
                            extra: #","minTier":"startup","capFen":200000000,"capYears":3"#),
            Draft.programme("p-cx", "cx", name: "创新券", effective: "2022-01-01"),
            Draft.line("m-yz", "ProgrammeAmended", effective: "2023-01-01", data: #"{"programme":"yz","capFen":300000000}"#),
            Draft.line("b-yz-2022", "BudgetAppropriated", effective: "2022-01-05", data: #"{"programme":"yz","year":2022,"amountFen":200000000}"#),
            Draft.line("b-yz-2023", "BudgetAppropriated", effective: "2023-01-05", data: #"{"programme":"yz","year":2023,"amountFen":100000000}"#),
            Draft.line("b-cx-2022", "BudgetAppropriated", effective: "2022-01-05", data: #"{"programme":"cx","year":2022,"amountFen":10000000}"#),
            Draft.register("e-precision", precision, name: hostileEnterprise, effective: "2022-01-01"),
            Draft.register("e-pharma", pharma, name: Codes.pharmaName, sector: "pharmaceuticals", effective: "2022-01-01"),
            Draft.register("e-boats", boats, name: Codes.boatsName, sector: "shipbuilding", effective: "2022-01-01"),
            Draft.tier("t-1", enterprise: precision, tier: "startup", effective: "2022-02-01"),
            Draft.tier("t-2", enterprise: pharma, tier: "startup", effective: "2022-02-01"),
            Draft.tier("t-3", enterprise: precision, tier: "sme", effective: "2023-03-01"),
            Draft.award("a-1", grant: "G-1", enterprise: precision, programme: "yz", amountFen: 150_000_050, effective: "2022-03-15"),
            Draft.grantAmount("d-1", "GrantDisbursed", grant: "G-1", amountFen: 100_000_000, effective: "2022-04-01"),
            Draft.award("a-2", grant: "G-2", enterprise: pharma, programme: "cx", amountFen: 20_000_000, effective: "2022-11-20"),
            Draft.award("a-3", grant: "G-3", enterprise: precision, programme: "cx", amountFen: 5_000_000, effective: "2023-03-01"),
            Draft.award("a-4", grant: "G-4", enterprise: boats, programme: "yz", amountFen: 80_000_000, effective: "2023-07-07"),
            Draft.grantAmount("d-4", "GrantDisbursed", grant: "G-4", amountFen: 30_000_000, effective: "2023-08-01"),
            Draft.revoke("r-4", grant: "G-4", reason: "project abandoned", effective: "2023-12-01"),
            Draft.grantAmount("c-4", "GrantRecovered", grant: "G-4", amountFen: 10_000_000, effective: "2024-02-01"),
        ])
        return scenario
    }

    static func money(_ fen: Int64) -> String { MoneyFormat.format(fen: fen, unit: .yuan) }
    static func money(_ fen: Int128) -> String { MoneyFormat.format(fen: fen, unit: .yuan) }

    static func readFile(_ path: String) -> [UInt8] {
        FileManager.default.contents(atPath: path).map { [UInt8]($0) } ?? []
    }

    static func figures(_ scenario: LedgerScenario, checkpoint: Checkpoint? = nil) throws -> ReportFigures {
        let ledger = try Ledger.load(store: IncentiveLogs.store(directory: scenario.events))
        return try ReportFigures(ledger: ledger, window: TimeWindow(asOf: nil, knownAt: scenario.now), checkpoint: checkpoint)
    }

    // MARK: programmes

    @Test("programmes: rules over time and per-year figures, worked out by hand")
    func programmesJSON() {
        let scenario = Self.district()
        let outcome = scenario.when(["programmes", "--format", "json"])
        outcome.then(exit: 0)
        guard let programmes = outcome.value("programmes")?.arrayValue, programmes.count == 2 else {
            Issue.record("programmes: \(outcome.output)")
            return
        }
        #expect(programmes[0]["programme"] == .string("cx") && programmes[1]["programme"] == .string("yz"))
        let yz = programmes[1]
        #expect(yz["name"] == .string(Self.hostileProgramme))
        let rules = yz["rules"]?.arrayValue ?? []
        #expect(rules.count == 2)
        #expect(rules.first?["capFen"]?.integer == 200_000_000 && rules.first?["minTier"] == .string("startup"))
        #expect(rules.last?["from"] == .string("2023-01-01") && rules.last?["capFen"]?.integer == 300_000_000)
        #expect(rules.last?["minTier"] == .string("startup") && rules.last?["capYears"]?.integer == 3)
        func year(_ programme: JSONValue, _ year: Int64) -> JSONValue? {
            programme["years"]?.arrayValue?.first { $0["year"]?.integer == year }
        }
        // yz 2022: 150,000.50 yuan of 2,000,000 appropriated is 75.00%.
        #expect(year(yz, 2022)?["appropriatedFen"]?.integer == 200_000_000)
        #expect(year(yz, 2022)?["awardedFen"]?.integer == 150_000_050)
        #expect(year(yz, 2022)?["disbursedFen"]?.integer == 100_000_000)
        #expect(year(yz, 2022)?["utilisationBasisPoints"]?.integer == 7_500)
        // yz 2023: the revoked grant counts, awarded 0, paid 300,000 and 100,000 recovered.
        #expect(year(yz, 2023)?["grants"]?.integer == 1 && year(yz, 2023)?["awardedFen"]?.integer == 0)
        #expect(year(yz, 2023)?["disbursedFen"]?.integer == 30_000_000 && year(yz, 2023)?["recoveredFen"]?.integer == 10_000_000)
        #expect(year(yz, 2023)?["utilisationBasisPoints"]?.integer == 0)
        #expect(yz["total"]?["appropriatedFen"]?.integer == 300_000_000 && yz["total"]?["utilisationBasisPoints"]?.integer == 5_000)
        let cx = programmes[0]
        #expect(year(cx, 2022)?["utilisationBasisPoints"]?.integer == 20_000)
        // No appropriation for cx in 2023: no utilisation, not a division by zero.
        #expect(year(cx, 2023)?["appropriatedFen"]?.integer == 0 && year(cx, 2023)?["utilisationBasisPoints"] == .null)
        #expect(cx["rules"]?.arrayValue?.first?["minTier"] == .null && cx["rules"]?.arrayValue?.first?["capYears"]?.integer == 3)
    }

    @Test("programmes: totals agree with grants --by programme; as-of and known-at apply; table and CSV")
    func programmesAgreeWithGrants() {
        let scenario = Self.district()
        let programmes = scenario.when(["programmes", "--format", "json"]).value("programmes")?.arrayValue ?? []
        let grants = scenario.when(["grants", "--by", "programme", "--format", "json"]).value("rows")?.arrayValue ?? []
        #expect(programmes.count == grants.count && !grants.isEmpty)
        for row in grants {
            let programme = programmes.first { $0["programme"] == row["key"] }
            #expect(programme?["total"]?["grants"]?.integer == row["count"]?.integer)
            for key in ["awardedFen", "disbursedFen", "recoveredFen"] {
                #expect(programme?["total"]?[key]?.integer == row[key]?.integer, "\(key) of \(String(describing: row["key"]))")
            }
        }
        let early = scenario.when(["programmes", "--as-of", "2022-12-31", "--format", "json"])
        let yz = early.value("programmes")?.arrayValue?.first { $0["programme"] == .string("yz") }
        #expect(yz?["rules"]?.arrayValue?.count == 1)
        #expect(yz?["years"]?.arrayValue?.map { $0["year"]?.integer } == [2022])
        scenario.when(["programmes"]).then(exit: 0, output: ["yz A&B <svg onload=x>", "2,000,000.00", "75.00%", "250.00%", "total"])
        let csv = scenario.when(["programmes", "--format", "csv"])
        csv.then(exit: 0, output: ["programme,name,year,appropriated (元),grants,awarded (元),disbursed (元),recovered (元),utilisationPercent\r\n",
                                   ",2022,2000000.00,1,1500000.50,1000000.00,0.00,75.00\r\n", ",2023,0.00,1,50000.00,0.00,0.00,\r\n"])
        // Money headers name their unit, and --unit reaches the CSV, exactly.
        scenario.when(["programmes", "--format", "csv", "--unit", "wan"]).then(exit: 0, output: [
            "programme,name,year,appropriated (万元),grants,awarded (万元),disbursed (万元),recovered (万元),utilisationPercent\r\n",
            ",2022,200.000000,1,150.000050,100.000000,0.000000,75.00\r\n"])
        scenario.when(["programmes", "--unit", "wan"]).then(exit: 0, output: ["appropriated (万元)", "cap (万元)", "200.00"])
    }

    // MARK: report

    @Test("report: every section, with the domain's figures in its tables")
    func reportSections() throws {
        let scenario = Self.district()
        let path = scenario.directory.root + "/report.html"
        scenario.when(["report", "--html", path]).then(exit: 0, errors: ["wrote \(path)"])
        let bytes = Self.readFile(path)
        let page = try #require(XMLTree.parse(bytes), "the page is well-formed XML")
        let figures = try Self.figures(scenario)
        for section in ["summary", "budget", "tiers-at-grant", "tiers-over-time", "recipients", "findings"] {
            #expect(page.element(id: section) != nil, "section \(section)")
        }
        #expect(page.element(id: "restatements") == nil, "no restatements without a checkpoint")
        let text = page.text
        // Provenance: window, the ledger id, each log's head.
        #expect(text.contains(scenario.now.description) && text.contains("账本 Ledger id" + TemporaryEventsDirectory.ledgerId))
        for log in figures.logs { #expect(text.contains(log.head.hex)) }
        #expect(text.contains("incentives report --html \(path) --known-at \(scenario.now) --events \(scenario.events)"), "the command that redoes it")
        // Summary.
        let summaryRows = try #require(page.element(id: "summary")).tableRows
        #expect(summaryRows.contains(["资助 Grants", String(figures.summary.grantCount)]))
        #expect(summaryRows.contains(["授予 Awarded (元)", Self.money(figures.summary.awardedFen)]))
        #expect(summaryRows.contains(["拨付 Disbursed (元)", Self.money(figures.summary.disbursedFen)]))
        // Budget: each programme's rows, as the domain figures them.
        let budgetRows = try #require(page.element(id: "budget")).tableRows
        for programme in figures.budget.programmes {
            for year in programme.years {
                let utilisation = year.utilisationBasisPoints.map { YuanText.percent(basisPoints: $0) } ?? "—"
                #expect(budgetRows.contains([String(year.year), Self.money(year.appropriatedFen), String(year.grants), Self.money(year.awardedFen),
                                             Self.money(year.disbursedFen), Self.money(year.recoveredFen), utilisation]),
                        "\(programme.id) \(year.year)")
            }
        }
        #expect(budgetRows.contains(["合计 Total", "3,000,000.00", "2", "1,500,000.50", "1,300,000.00", "100,000.00", "50.00%"]))
        // Awards by tier at grant: 2022 is 1,500,000.50 to startup, 200,000 to startup (pharma).
        let tierRows = try #require(page.element(id: "tiers-at-grant")).tableRows
        #expect(tierRows.contains(["2022", "0.00", "1,700,000.50", "0.00", "0.00", "0.00", "2"]))
        // Enterprises per tier at each quarter's end.
        let timelineRows = try #require(page.element(id: "tiers-over-time")).tableRows
        for point in figures.tierTimeline.points {
            #expect(timelineRows.contains([point.label] + point.enterprises.map(String.init) + [String(point.enterprises.reduce(0, +))]))
        }
        // Top recipients and concentration.
        let recipients = try #require(page.element(id: "recipients"))
        let concentration = try #require(figures.topRecipients.concentration)
        #expect(recipients.text.contains(YuanText.percent(basisPoints: concentration.topShareBasisPoints)))
        #expect(recipients.text.contains("\(concentration.herfindahlIndex) / 10000"))
        #expect(recipients.tableRows.first == ["1", Self.precision, Self.hostileEnterprise, "2", "1,550,000.50",
                                              YuanText.percent(basisPoints: figures.topRecipients.recipients[0].shareBasisPoints)])
        // Findings: grouped by rule, each with its event id and reason.
        let findings = try #require(page.element(id: "findings"))
        #expect(!figures.audit.findings.isEmpty)
        for finding in figures.audit.findings {
            #expect(findings.tableRows.contains([finding.subject, finding.event ?? "—", finding.effective.description, finding.message]))
        }
        let headings = findings.all("h3").map(\.text)
        #expect(headings.contains { $0.hasPrefix("unrecovered-revocation (warning, 1)") })
        #expect(headings.contains { $0.hasPrefix("budget-exceeded (error, 2)") })
    }

    @Test("report: hostile names print as text; the page needs nothing outside itself")
    func reportEscapesAndIsSelfContained() throws {
        let scenario = Self.district()
        let outcome = scenario.when(["report", "--html", "-"])
        outcome.then(exit: 0)
        let html = outcome.output
        #expect(!html.contains("<script") && !html.contains("<svg onload"))
        #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co"))
        #expect(html.contains("A&amp;B &lt;svg onload=x&gt;"))
        let page = try #require(XMLTree.parse(Array(html.utf8)))
        #expect(page.text.contains(Self.hostileEnterprise) && page.text.contains(Self.hostileProgramme))
        // Nothing to fetch: no scripts, no links, no external images or fonts.
        for tag in ["script", "link", "img", "iframe", "object"] { #expect(page.all(tag).isEmpty, "<\(tag)>") }
        #expect(!html.contains("http://") || !html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http://"))
        #expect(!html.contains("https://") && !html.contains("@import") && !html.contains("url("))
        // Print: A4, a page break before sections, rows kept whole, a CJK font first.
        for rule in ["size: A4", "break-before: page", "break-inside: avoid", "\"Noto Sans CJK SC\""] {
            #expect(html.contains(rule), "style has \(rule)")
        }
    }

    @Test("report: every chart is well-formed SVG with axes, ticks, legend and the figures' values")
    func reportCharts() throws {
        let scenario = Self.district()
        let html = scenario.when(["report", "--html", "-"]).output
        let page = try #require(XMLTree.parse(Array(html.utf8)))
        let charts = page.all("svg")
        // One per programme, awards by tier, tiers over time.
        #expect(charts.count == 4)
        for chart in charts {
            #expect(chart.attributes["xmlns"] == "http://www.w3.org/2000/svg" && chart.attributes["viewBox"] != nil)
            #expect(!chart.all("title").isEmpty)
            #expect(chart.all("line").filter { $0.hasClass("axis") }.count >= 2, "both axes")
            #expect(chart.all("text").filter { $0.hasClass("tick") }.count >= 2, "ticks")
            let legend = try #require(chart.all("g").first { $0.hasClass("legend") })
            #expect(legend.all("rect").count == legend.all("text").count && !legend.all("rect").isEmpty)
        }
        let svgPieces = html.components(separatedBy: "<svg ").dropFirst().map { "<svg " + $0.components(separatedBy: "</svg>")[0] + "</svg>" }
        #expect(svgPieces.count == 4)
        for piece in svgPieces { #expect(XMLTree.parse(Array(piece.utf8)) != nil, "standalone SVG parses") }
        // The yz budget chart: the 2022 award is 150.00005 万元, read on an axis of 50 万元 steps.
        let budget = try #require(charts.first { $0.attributes["aria-label"]?.hasPrefix("yz ") ?? false })
        let barTitles = budget.all("rect").flatMap { $0.all("title") }.map(\.text)
        #expect(barTitles.contains("授予 Awarded, 2022: 150 万元"))
        #expect(barTitles.contains("拨款 Appropriated, 2022: 200 万元"))
        #expect(budget.all("text").filter { $0.hasClass("tick") }.map(\.text) == ["0", "50", "100", "150", "200"])
        // The stacked chart's total over 2022 is written above the bar.
        let stacked = try #require(charts.first { $0.hasClass("bar-stacked") })
        #expect(stacked.all("text").filter { $0.hasClass("value") }.map(\.text).contains("170"))
        let line = try #require(charts.first { $0.hasClass("line") })
        #expect(line.all("polyline").count == Tier.allCases.count)
    }

    @Test("report --since-checkpoint: what changed since the published checkpoint, and why")
    func reportSinceCheckpoint() throws {
        let scenario = Self.district()
        let checkpointPath = scenario.directory.root + "/checkpoint.json"
        let checkpoint = scenario.when(["checkpoint", "--as-of", "2022-12-31"])
        checkpoint.then(exit: 0)
        _ = FileManager.default.createFile(atPath: checkpointPath, contents: Data(checkpoint.output.utf8))
        // Learned after the checkpoint: the 2022 award to pharma was cut.
        scenario.now = Timestamp(parsing: "2025-03-01T09:00:00Z")!
        scenario.given([Draft.grantAmount("x-2", "GrantAmended", grant: "G-2", amountFen: 15_000_000, effective: "2022-12-20")])
        let outcome = scenario.when(["report", "--html", "-", "--since-checkpoint", checkpointPath])
        outcome.then(exit: 0)
        let page = try #require(XMLTree.parse(Array(outcome.output.utf8)))
        let section = try #require(page.element(id: "restatements"))
        #expect(section.text.contains("2025-01-15T09:00:00Z") && section.text.contains("2022: 已重述 restated"))
        #expect(!section.text.contains("2023:"), "only the years the checkpoint reported")
        #expect(section.tableRows.contains(["差额 Difference", "0", "-50,000.00", "0.00", "0.00"]))
        #expect(section.tableRows.contains { $0.count == 8 && $0[1] == "x-2" && $0[2] == "GrantAmended" && $0[5] == "-50,000.00" })
        // A period picks one; a checkpoint from after --known-at is refused; so is a file that is not one.
        let quarter = scenario.when(["report", "--html", "-", "--since-checkpoint", checkpointPath, "--period", "2022-Q4"])
        quarter.then(exit: 0, output: ["2022Q4: 已重述 restated"])
        scenario.when(["report", "--html", "-", "--since-checkpoint", checkpointPath, "--known-at", "2024-01-01"])
            .then(exit: 64, errors: ["after --known-at"])
        let junk = scenario.directory.writeInput("junk.json", Array(#"{"format":"other"}"#.utf8))
        scenario.when(["report", "--html", "-", "--since-checkpoint", junk]).then(exit: 65, errors: ["is not a checkpoint"])
    }

    @Test("report: the file is replaced whole; a missing folder or option is refused and writes nothing")
    func reportFileHandling() throws {
        let scenario = Self.district()
        let path = scenario.directory.root + "/out.html"
        _ = FileManager.default.createFile(atPath: path, contents: Data("old report".utf8))
        scenario.when(["report", "--html", path]).then(exit: 0)
        let written = Self.readFile(path)
        #expect(String(decoding: written, as: UTF8.self).hasPrefix("<!DOCTYPE html>") && written.count > 10_000)
        #expect(String(decoding: written, as: UTF8.self).hasSuffix("</html>\n"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: scenario.directory.root).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
        // The same command on the same logs writes the same bytes.
        scenario.when(["report", "--html", path]).then(exit: 0)
        #expect(Self.readFile(path) == written)
        let missing = scenario.directory.root + "/no-such-folder/report.html"
        scenario.when(["report", "--html", missing]).then(exit: 74, errors: ["cannot create", "was not changed"])
        #expect(!FileManager.default.fileExists(atPath: missing))
        scenario.when(["report"]).then(exit: 64, errors: ["--html FILE is required"])
        scenario.when(["report", "--html", "-", "--period", "2022Q5"]).then(exit: 64, errors: ["--period \"2022Q5\""])
        scenario.when(["report", "--html", "-", "--as-of", "2022-02-30"]).then(exit: 64)
    }

    @Test("report --period: the top recipients and concentration of the grants awarded in the period")
    func reportPeriod() throws {
        let scenario = Self.district()
        let outcome = scenario.when(["report", "--html", "-", "--period", "2023"])
        outcome.then(exit: 0, output: ["--period 2023"])
        let page = try #require(XMLTree.parse(Array(outcome.output.utf8)))
        let recipients = try #require(page.element(id: "recipients"))
        // In 2023 only G-3 (50,000.00) is awarded anything; G-4 was revoked.
        #expect(recipients.tableRows == [["1", Self.precision, Self.hostileEnterprise, "1", "50,000.00", "100.00%"]])
        #expect(recipients.text.contains("10000 / 10000"))
        let all = try #require(XMLTree.parse(Array(scenario.when(["report", "--html", "-"]).output.utf8)))
        // Over every year: precision and pharma; boats, whose only grant was revoked, received nothing.
        #expect(try #require(all.element(id: "recipients")).tableRows.map { $0[1] } == [Self.precision, Self.pharma])
    }

    @Test("report: the ledger id from ledger.json; a damaged ledger.json is refused")
    func reportLedgerId() throws {
        let scenario = Self.district()
        let outcome = scenario.when(["report", "--html", "-"])
        outcome.then(exit: 0, output: [TemporaryEventsDirectory.ledgerId])
        scenario.directory.writeEventsFile("ledger.json", Array("{not json".utf8))
        scenario.when(["report", "--html", "-"]).then(exit: 65, errors: ["ledger.json is not a ledger manifest"])
    }

    // MARK: statement

    @Test("statement: one enterprise's tiers, grants with every movement, and only its findings")
    func statement() throws {
        let scenario = Self.district()
        let boats = scenario.when(["statement", Self.boats, "--html", "-"])
        boats.then(exit: 0)
        let page = try #require(XMLTree.parse(Array(boats.output.utf8)))
        for section in ["enterprise", "tier-history", "grants", "movements", "findings"] {
            #expect(page.element(id: section) != nil, "section \(section)")
        }
        let rows = page.tableRows
        #expect(rows.contains(["G-4", "yz", "2023-07-07", "无 none", "0.00", "300,000.00", "100,000.00", "revoked"]))
        #expect(rows.contains(["2023-07-07", "授予 awarded", "800,000.00", "a-4"]))
        #expect(rows.contains(["2023-08-01", "拨付 disbursed", "300,000.00", "d-4"]))
        #expect(rows.contains(["2023-12-01", "撤销 revoked", "—", "r-4"]))
        #expect(rows.contains(["2024-02-01", "追回 recovered", "100,000.00", "c-4"]))
        let findings = try #require(page.element(id: "findings")).tableRows
        #expect(findings.contains { $0[0] == "unrecovered-revocation" && $0[3] == "r-4" })
        #expect(!findings.contains { $0[3] == "a-2" }, "pharma's budget finding is not boats'")
        #expect(page.all("svg").count == 1 && XMLTree.parse(Array(boats.output.utf8)) != nil)
        // The hostile name is text; an unknown enterprise and a malformed code are refused.
        let precision = scenario.when(["statement", Self.precision, "--html", "-"])
        precision.then(exit: 0, output: ["&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co (\(Self.precision))"])
        #expect(!precision.output.contains("<script"))
        scenario.when(["statement", Codes.code("91321204MA1N0B0D0"), "--html", "-"]).then(exit: 65, errors: ["is not registered"])
        // Known to the ledger, but not yet registered in the window: refused after the replay.
        scenario.when(["statement", Self.boats, "--html", "-", "--as-of", "2021-12-31"])
            .then(exit: 65, errors: ["enterprise \(Self.boats) is not registered in the ledger as of 2021-12-31"])
        scenario.when(["statement", "123", "--html", "-"]).then(exit: 64)
        scenario.when(["statement", Self.boats]).then(exit: 64, errors: ["--html FILE is required"])
    }

    // MARK: chart writer

    @Test("axis ticks are round numbers covering the maximum")
    func axisTicks() {
        #expect(ChartAxis(maximum: 7.3).ticks == [0, 2, 4, 6, 8])
        #expect(ChartAxis(maximum: 200).ticks == [0, 50, 100, 150, 200])
        #expect(ChartAxis(maximum: 1_234_567).step == 250_000)
        #expect(ChartAxis(maximum: 0.37).ticks.last! >= 0.37 && ChartAxis(maximum: 0.37).label(0.1) == "0.1")
        let unit = ChartAxis(maximum: 0)
        #expect(unit.ticks.map(unit.label) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        #expect(ChartAxis(maximum: .nan).ticks.last == 1)
        #expect(ChartAxis(maximum: 12_000).label(12_000) == "12,000")
    }

    @Test("charts escape every text and stay well-formed with hostile names and control characters")
    func hostileCharts() throws {
        let names = ["<b>&", "\"quoted\" 'single'", "tab\tand\u{1}control", "]]>"]
        var document = HTMLDocument()
        BarChart(title: "<title>&", unit: "万元", categories: names, series: names.enumerated().map {
            ChartSeries(name: $0.element, colour: ChartSeries.palette[$0.offset], values: [1, 2.5, 0, 1e9])
        }, layout: .grouped).render(into: &document)
        BarChart(title: "stacked", unit: "u", categories: names, series: [ChartSeries(name: "<s>", colour: "#000", values: [1, -2, 3, 4])],
                 layout: .stacked).render(into: &document)
        LineChart(title: "line & <more>", unit: "u", categories: names, series: [ChartSeries(name: "a&b", colour: "#000", values: [0, 1, 2, 3])])
            .render(into: &document)
        let wrapped = Array("<root>".utf8) + document.bytes + Array("</root>".utf8)
        let root = try #require(XMLTree.parse(wrapped))
        #expect(root.all("svg").count == 3)
        #expect(root.all("text").map(\.text).contains("<b>&"))
        #expect(root.all("text").map(\.text).contains("tab\tand\u{FFFD}control"))
        #expect(!String(decoding: document.bytes, as: UTF8.self).contains("<b>"))
    }
}

extension JSONValue {
    /// The value as an integer, when it is a whole number.
    var integer: Int64? { numberValue?.integerValue }
}
