import IncentivesDomain
import LedgerLog

/// The published report as one self-contained HTML page: provenance, summary, budget use,
/// awards by tier, tiers over time, top recipients, audit findings and, against a checkpoint,
/// the restatements. Every number is a field of `ReportFigures`; this only lays them out.
struct ReportPage {
    var figures: ReportFigures
    /// From `ledger.json`; nil prints "—".
    var ledgerId: String?
    /// The command line that redoes this page.
    var command: String

    /// A bound on the rows of one period's list of changes; the rest are counted and named by command.
    static let maximumChangesShown = 200
    /// A bound on the findings listed per rule, for the same reason.
    static let maximumFindingsShown = 500

    func render() -> [UInt8] {
        var document = HTMLDocument(capacity: 1 << 18)
        PageFrame.begin(&document, title: "创新激励台账报告 Innovation incentives report")
        document.element("h1", text: "创新激励台账报告 Innovation incentives report")
        document.element("p", [("class", "note")],
                         text: "计算依据 Computed from the ledger's logs at the heads below; the same command on the same logs gives the same page.")
        PageFrame.provenance(&document, window: figures.window, ledgerId: ledgerId, logs: figures.logs, command: command)
        if let period = figures.period {
            PageFrame.fact(&document, "期间 Period", "\(period.description) (\(period.first) – \(period.last))")
        }
        summary(&document)
        budget(&document)
        tierAwards(&document)
        tierTimeline(&document)
        topRecipients(&document)
        findings(&document)
        if figures.checkpoint != nil { restatements(&document) }
        PageFrame.end(&document)
        return document.bytes
    }

    private func summary(_ document: inout HTMLDocument) {
        let summary = figures.summary
        document.open("section", [("id", "summary")])
        document.element("h2", text: "概要 Summary")
        var table = HTMLTable([.init(title: "项目 Measure"), .init(title: "数值 Value", numeric: true)])
        table.add(["事件 Events applied", String(summary.events)])
        table.add(["资助 Grants", String(summary.grantCount)])
        table.add(["撤销 Grants revoked", String(summary.revokedCount)])
        table.add(["授予 Awarded (元)", PageFrame.money(summary.awardedFen)])
        table.add(["拨付 Disbursed (元)", PageFrame.money(summary.disbursedFen)])
        table.add(["追回 Recovered (元)", PageFrame.money(summary.recoveredFen)])
        table.add(["在册企业 Enterprises registered", String(summary.registeredEnterprises)])
        for tier in Tier.allCases {
            table.add(["  企业 Enterprises \(PageFrame.tierLabel(tier))", String(summary.enterprisesByTier[Int(tier.rawValue)])])
        }
        table.add(["开放中心 Centres open", String(summary.openCentres)])
        for kind in CentreKind.allCases {
            table.add(["  中心 Centres \(kind.name)", String(summary.centresByKind[Int(kind.rawValue)])])
        }
        table.render(into: &document)
        document.close("section")
    }

    private func budget(_ document: inout HTMLDocument) {
        document.open("section", [("class", "page"), ("id", "budget")])
        document.element("h2", text: "预算使用 Budget use")
        document.element("p", [("class", "note")],
                         text: "每年：拨款对比当年授予的资助及其拨付 Per year: appropriated against the grants awarded that year and what they were paid. 使用率 Utilisation = awarded ÷ appropriated.")
        let years = figures.budget.years
        for programme in figures.budget.programmes {
            document.open("div", [("class", "keep")])
            document.element("h3", text: programme.name.isEmpty ? programme.id : "\(programme.id) \(programme.name)")
            var rules = HTMLTable([.init(title: "生效 From", nowrap: true), .init(title: "最低等级 Minimum tier"),
                                   .init(title: "上限 Cap (元)", numeric: true), .init(title: "上限年数 Cap years", numeric: true)])
            for entry in programme.rules {
                rules.add([entry.from.description, entry.minTier.map(PageFrame.tierLabel) ?? "—",
                           entry.capFen.map(PageFrame.money) ?? "—", String(entry.capYears)])
            }
            if programme.rules.isEmpty { rules.add(["—", "not established in this window 未设立", "—", "—"]) }
            rules.render(into: &document)
            var table = HTMLTable([.init(title: "年 Year", nowrap: true), .init(title: "拨款 Appropriated (元)", numeric: true),
                                   .init(title: "资助 Grants", numeric: true), .init(title: "授予 Awarded (元)", numeric: true),
                                   .init(title: "拨付 Disbursed (元)", numeric: true), .init(title: "追回 Recovered (元)", numeric: true),
                                   .init(title: "使用率 Utilisation", numeric: true)])
            for year in programme.years { table.add(ReportPage.budgetCells(String(year.year), year)) }
            table.addTotal(ReportPage.budgetCells("合计 Total", programme.total))
            table.render(into: &document)
            document.close("div")
            let byYear = Dictionary(uniqueKeysWithValues: programme.years.map { ($0.year, $0) })
            let shown = years.filter { byYear[$0] != nil }
            PageFrame.figure(&document) { document in
                BarChart(title: "\(programme.id) 预算使用 Budget use (万元)", unit: "万元",
                         categories: shown.map(String.init),
                         series: [
                            ChartSeries(name: "拨款 Appropriated", colour: ChartSeries.palette[0], values: shown.map { PageFrame.wan(byYear[$0]!.appropriatedFen) }),
                            ChartSeries(name: "授予 Awarded", colour: ChartSeries.palette[1], values: shown.map { PageFrame.wan(byYear[$0]!.awardedFen) }),
                            ChartSeries(name: "拨付 Disbursed", colour: ChartSeries.palette[2], values: shown.map { PageFrame.wan(byYear[$0]!.disbursedFen) }),
                         ], layout: .grouped, height: 230).render(into: &document)
            }
        }
        document.close("section")
    }

    static func budgetCells(_ label: String, _ year: ProgrammeBudget.Year) -> [String] {
        [label, PageFrame.money(year.appropriatedFen), String(year.grants), PageFrame.money(year.awardedFen),
         PageFrame.money(year.disbursedFen), PageFrame.money(year.recoveredFen),
         year.utilisationBasisPoints.map { YuanText.percent(basisPoints: $0) } ?? "—"]
    }

    private func tierAwards(_ document: inout HTMLDocument) {
        document.open("section", [("class", "page"), ("id", "tiers-at-grant")])
        document.element("h2", text: "按授予时等级的资助 Awards by tier at grant")
        let years = figures.tierAwards.years
        PageFrame.figure(&document) { document in
            BarChart(title: "按授予时等级的资助 Awards by tier at grant (万元)", unit: "万元", categories: years.map { String($0.year) },
                     series: Tier.allCases.map { tier in
                        ChartSeries(name: PageFrame.tierLabel(tier), colour: PageFrame.tierColours[Int(tier.rawValue)],
                                    values: years.map { PageFrame.wan($0.awardedFen[Int(tier.rawValue)]) })
                     }, layout: .stacked).render(into: &document)
        }
        var table = HTMLTable([.init(title: "年 Year", nowrap: true)] + Tier.allCases.map { .init(title: PageFrame.tierLabel($0) + " (元)", numeric: true) }
                              + [.init(title: "资助 Grants", numeric: true)])
        for year in years {
            table.add([String(year.year)] + Tier.allCases.map { PageFrame.money(year.awardedFen[Int($0.rawValue)]) }
                      + [String(year.grants.reduce(0, +))])
        }
        table.render(into: &document)
        document.close("section")
    }

    private func tierTimeline(_ document: inout HTMLDocument) {
        document.open("section", [("id", "tiers-over-time")])
        document.element("h2", text: "各等级在册企业 Registered enterprises per tier")
        let points = figures.tierTimeline.points
        document.element("p", [("class", "note")], text: "每季度末 At the end of each quarter.")
        PageFrame.figure(&document) { document in
            LineChart(title: "各等级在册企业 Registered enterprises per tier", unit: "企业 enterprises",
                      categories: points.map(\.label),
                      series: Tier.allCases.map { tier in
                        ChartSeries(name: PageFrame.tierLabel(tier), colour: PageFrame.tierColours[Int(tier.rawValue)],
                                    values: points.map { Double($0.enterprises[Int(tier.rawValue)]) })
                      }, height: 280).render(into: &document)
        }
        var table = HTMLTable([.init(title: "季度 Quarter", nowrap: true)] + Tier.allCases.map { .init(title: PageFrame.tierLabel($0), numeric: true) }
                              + [.init(title: "合计 Total", numeric: true)])
        for point in points {
            table.add([point.label] + point.enterprises.map(String.init) + [String(point.enterprises.reduce(0, +))])
        }
        table.render(into: &document)
        document.close("section")
    }

    private func topRecipients(_ document: inout HTMLDocument) {
        let top = figures.topRecipients
        document.open("section", [("class", "page"), ("id", "recipients")])
        document.element("h2", text: "主要受助企业与集中度 Top recipients and concentration")
        if let period = figures.period {
            document.element("p", [("class", "note")], text: "期间 Grants awarded in \(period.description) (\(period.first) – \(period.last)).")
        }
        document.open("dl", [("class", "facts")])
        PageFrame.fact(&document, "受助企业 Recipients", String(top.recipientCount))
        if let concentration = top.concentration {
            PageFrame.fact(&document, "授予合计 Awarded in total (元)", PageFrame.money(concentration.totalFen))
            PageFrame.fact(&document, "前十占比 Top-10 share", YuanText.percent(basisPoints: concentration.topShareBasisPoints)
                           + " (" + PageFrame.money(concentration.topFen) + " 元)")
            PageFrame.fact(&document, "赫芬达尔指数 Herfindahl-Hirschman index", "\(concentration.herfindahlIndex) / 10000")
        } else {
            PageFrame.fact(&document, "授予合计 Awarded in total", "0")
        }
        document.close("dl")
        var table = HTMLTable([.init(title: "#", numeric: true), .init(title: "统一社会信用代码 USCC", nowrap: true), .init(title: "企业 Enterprise"),
                               .init(title: "资助 Grants", numeric: true), .init(title: "授予 Awarded (元)", numeric: true),
                               .init(title: "占比 Share", numeric: true)])
        for (rank, recipient) in top.recipients.enumerated() {
            table.add([String(rank + 1), recipient.code, recipient.name, String(recipient.grants), PageFrame.money(recipient.awardedFen),
                       YuanText.percent(basisPoints: recipient.shareBasisPoints)])
        }
        table.render(into: &document)
        document.close("section")
    }

    private func findings(_ document: inout HTMLDocument) {
        let audit = figures.audit
        document.open("section", [("class", "page"), ("id", "findings")])
        document.element("h2", text: "审计发现 Audit findings")
        let counts = AuditSeverity.allCases.reversed().map { "\(audit.count($0)) \($0.name)" }.joined(separator: ", ")
        document.element("p", [("class", "note")], text: "\(audit.findings.count) 项 findings: \(counts); late-recording after \(audit.options.lateDays) days.")
        if audit.findings.isEmpty { document.element("p", text: "无发现 No findings.") }
        for rule in AuditRule.allCases {
            let found = audit.findings(of: rule)
            guard !found.isEmpty else { continue }
            document.open("h3", [("class", rule.severity.name)])
            document.text("\(rule.name) (\(rule.severity.name), \(found.count))")
            document.close("h3")
            var table = HTMLTable([.init(title: "对象 Subject", nowrap: true), .init(title: "事件 Event", nowrap: true), .init(title: "生效 Effective", nowrap: true),
                                   .init(title: "原因 Reason")])
            for finding in found.prefix(ReportPage.maximumFindingsShown) {
                table.add([finding.subject, finding.event ?? "—", finding.effective.description, finding.message])
            }
            table.render(into: &document)
            if found.count > ReportPage.maximumFindingsShown {
                document.element("p", [("class", "note")],
                                 text: "… \(found.count - ReportPage.maximumFindingsShown) more 其余: `incentives audit --rule \(rule.name) --known-at \(figures.window.knownAt)` lists them all.")
            }
        }
        document.close("section")
    }

    private func restatements(_ document: inout HTMLDocument) {
        guard let checkpoint = figures.checkpoint else { return }
        document.open("section", [("class", "page"), ("id", "restatements")])
        document.element("h2", text: "自检查点以来的重述 Restated since the checkpoint")
        document.open("dl", [("class", "facts")])
        PageFrame.fact(&document, "检查点已知时点 Checkpoint known at", checkpoint.window.knownAt.description)
        PageFrame.fact(&document, "检查点截至 Checkpoint as of", checkpoint.window.asOf?.description ?? "无限制 no limit")
        for log in checkpoint.logs {
            PageFrame.fact(&document, "检查点日志 Checkpoint log \(log.log.rawValue)", "\(log.events) events 条, head \(log.head.hex)", id: true)
        }
        PageFrame.fact(&document, "比较至 Compared with known at", figures.window.knownAt.description)
        document.close("dl")
        document.element("p", [("class", "note")],
                         text: "各期间数字为当期授予的资助，截至期末 A period's figures are those of the grants awarded in it, as of its last day (as `incentives restatements` computes them); " + (figures.period == nil ? "without --period, each year the checkpoint's window had awards in 未指定期间时为检查点内有授予的各年." : "the period given 指定期间."))
        for restatement in figures.restatements {
            document.open("div", [("class", "keep")])
            document.element("h3", text: "\(restatement.period.description): " + (restatement.isRestated ? "已重述 restated" : "与发布一致 as reported"))
            var totals = HTMLTable([.init(title: ""), .init(title: "资助 Grants", numeric: true), .init(title: "授予 Awarded (元)", numeric: true),
                                    .init(title: "拨付 Disbursed (元)", numeric: true), .init(title: "追回 Recovered (元)", numeric: true)])
            for (label, value) in [("发布时 Reported", restatement.reported), ("现在 Now", restatement.now)] {
                totals.add([label, String(value.count), PageFrame.money(value.awardedFen), PageFrame.money(value.disbursedFen),
                            PageFrame.money(value.recoveredFen)])
            }
            let difference = restatement.difference
            totals.addTotal(["差额 Difference", PageFrame.signed(difference.count), PageFrame.signed(difference.awardedFen),
                             PageFrame.signed(difference.disbursedFen), PageFrame.signed(difference.recoveredFen)])
            totals.render(into: &document)
            document.close("div")
            guard restatement.changeCount > 0 else { continue }
            var changes = HTMLTable([.init(title: "记录 Recorded", nowrap: true), .init(title: "事件 Event", nowrap: true), .init(title: "类型 Type"),
                                     .init(title: "生效 Effective", nowrap: true), .init(title: "资助 Grant", nowrap: true),
                                     .init(title: "Δ 授予 Awarded (元)", numeric: true), .init(title: "Δ 拨付 Disbursed (元)", numeric: true),
                                     .init(title: "原因 Why")])
            for change in (0..<min(restatement.changeCount, ReportPage.maximumChangesShown)).map(restatement.change(at:)) {
                changes.add([change.recorded.description, change.event, change.type, change.effective.description, change.grant,
                             PageFrame.signed(change.difference.awardedFen), PageFrame.signed(change.difference.disbursedFen),
                             change.details])
            }
            changes.render(into: &document)
            if restatement.changeCount > ReportPage.maximumChangesShown {
                document.element("p", [("class", "note")],
                                 text: "… \(restatement.changeCount - ReportPage.maximumChangesShown) more changes 其余变更: `incentives restatements --period \(restatement.period) --reported-at \(restatement.reportedAt) --known-at \(restatement.knownAt)` lists them all.")
            }
            document.element("p", [("class", "note")],
                             text: "\(restatement.eventsWithoutEffect) other events recorded since left these figures unchanged 其余事件未改变数字.")
        }
        document.close("section")
    }
}
