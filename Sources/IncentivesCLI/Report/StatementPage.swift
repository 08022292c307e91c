import IncentivesDomain
import LedgerLog

/// One enterprise's statement as a self-contained HTML page: registration, tier history, every
/// grant with its payments, recoveries and status, and the audit findings that concern it.
struct StatementPage {
    var statement: EnterpriseStatement
    var window: TimeWindow
    var logs: [LogSummary]
    var findings: [AuditFinding]
    var ledgerId: String?
    var command: String

    func render() -> [UInt8] {
        let profile = statement.profile
        var document = HTMLDocument(capacity: 1 << 16)
        PageFrame.begin(&document, title: "企业资助对账单 Enterprise statement \(profile.code)")
        document.element("h1", text: "企业资助对账单 Enterprise statement")
        document.open("section", [("id", "enterprise")])
        document.element("h2", text: "\(profile.name) (\(profile.code))")
        document.open("dl", [("class", "facts")])
        PageFrame.fact(&document, "行业 Sector", profile.sector)
        PageFrame.fact(&document, "登记 Registered", profile.registered.description)
        PageFrame.fact(&document, "注销 Deregistered", profile.deregistered?.description ?? "—")
        PageFrame.fact(&document, "当前等级 Tier", PageFrame.tierLabel(profile.tier))
        PageFrame.fact(&document, "最近评分 Last score", profile.lastScore.map { "\($0) (\(profile.lastScoreDate!))" } ?? "—")
        PageFrame.fact(&document, "校验码 Check digit (GB 32100-2015)", profile.checkDigitValid ? "正确 valid" : "错误 invalid")
        document.close("dl")
        PageFrame.provenance(&document, window: window, ledgerId: ledgerId, logs: logs, command: command)
        document.close("section")

        document.open("section", [("id", "tier-history")])
        document.element("h2", text: "等级变更 Tier history")
        var history = HTMLTable([.init(title: "生效 Effective", nowrap: true), .init(title: "从 From"), .init(title: "至 To"), .init(title: "事件 Event", nowrap: true)])
        for step in profile.history {
            history.add([step.effective.description, PageFrame.tierLabel(step.from), PageFrame.tierLabel(step.to), step.event])
        }
        if profile.history.isEmpty { history.add(["—", "—", "—", "—"]) }
        history.render(into: &document)
        document.close("section")

        document.open("section", [("id", "grants")])
        document.element("h2", text: "资助 Grants")
        var grants = HTMLTable([.init(title: "资助 Grant", nowrap: true), .init(title: "项目 Programme"), .init(title: "授予 Awarded", nowrap: true),
                                .init(title: "等级 Tier at grant"), .init(title: "金额 Amount (元)", numeric: true),
                                .init(title: "拨付 Disbursed (元)", numeric: true), .init(title: "追回 Recovered (元)", numeric: true),
                                .init(title: "状态 Status")])
        // 128-bit, as every money total: the rendering cannot trap on an old log's amounts.
        var total = (awarded: Int128(0), disbursed: Int128(0), recovered: Int128(0))
        for grant in profile.grants {
            grants.add([grant.grant, grant.programme, grant.awarded.description, PageFrame.tierLabel(grant.tierAtGrant),
                        PageFrame.money(grant.awardedFen), PageFrame.money(grant.disbursedFen), PageFrame.money(grant.recoveredFen),
                        grant.status])
            total.awarded += Int128(grant.awardedFen)
            total.disbursed += Int128(grant.disbursedFen)
            total.recovered += Int128(grant.recoveredFen)
        }
        grants.addTotal(["合计 Total", "", "", "", PageFrame.money(total.awarded), PageFrame.money(total.disbursed),
                         PageFrame.money(total.recovered), "\(profile.grants.count)"])
        grants.render(into: &document)
        if !profile.grants.isEmpty {
            PageFrame.figure(&document) { document in
                BarChart(title: "资助与拨付 Awarded and disbursed per grant (万元)", unit: "万元", categories: profile.grants.map(\.grant),
                         series: [
                            ChartSeries(name: "授予 Awarded", colour: ChartSeries.palette[1], values: profile.grants.map { PageFrame.wan($0.awardedFen) }),
                            ChartSeries(name: "拨付 Disbursed", colour: ChartSeries.palette[2], values: profile.grants.map { PageFrame.wan($0.disbursedFen) }),
                            ChartSeries(name: "追回 Recovered", colour: ChartSeries.palette[3], values: profile.grants.map { PageFrame.wan($0.recoveredFen) }),
                         ], layout: .grouped, height: 240).render(into: &document)
            }
        }
        document.close("section")

        document.open("section", [("id", "movements")])
        document.element("h2", text: "资金往来 Movements per grant")
        for grant in profile.grants {
            document.open("div", [("class", "keep")])
            document.element("h3", text: "\(grant.grant) \(grant.project)")
            var movements = HTMLTable([.init(title: "生效 Effective", nowrap: true), .init(title: "类型 Kind"), .init(title: "金额 Amount (元)", numeric: true),
                                       .init(title: "事件 Event", nowrap: true)])
            for movement in statement.movements(of: grant.grant) {
                movements.add([movement.effective.description, StatementPage.kindLabel(movement.kind),
                               movement.kind == "revoked" ? "—" : PageFrame.money(movement.amountFen), movement.event])
            }
            movements.render(into: &document)
            document.close("div")
        }
        document.close("section")

        document.open("section", [("id", "findings")])
        document.element("h2", text: "审计发现 Audit findings")
        if findings.isEmpty { document.element("p", text: "无发现 No findings concern this enterprise or its grants.") }
        else {
            var table = HTMLTable([.init(title: "规则 Rule", nowrap: true), .init(title: "级别 Severity"), .init(title: "对象 Subject", nowrap: true),
                                   .init(title: "事件 Event", nowrap: true), .init(title: "生效 Effective", nowrap: true), .init(title: "原因 Reason")])
            for finding in findings {
                table.add([finding.rule.name, finding.severity.name, finding.subject, finding.event ?? "—",
                           finding.effective.description, finding.message])
            }
            table.render(into: &document)
        }
        document.close("section")
        PageFrame.end(&document)
        return document.bytes
    }

    static func kindLabel(_ kind: String) -> String {
        switch kind {
        case "awarded": return "授予 awarded"
        case "amended": return "变更 amended"
        case "disbursed": return "拨付 disbursed"
        case "recovered": return "追回 recovered"
        case "revoked": return "撤销 revoked"
        default: return kind
        }
    }
}
