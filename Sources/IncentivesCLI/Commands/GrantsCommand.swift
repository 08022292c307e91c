import IncentivesDomain
import LedgerLog

/// `incentives grants --by KEY`: who got what, grouped.
enum GrantsCommand {
    static let spec = CommandSpec(
        name: "grants", summary: "grants grouped by year, programme, tier at grant, enterprise or month",
        usage: "incentives grants --by year|programme|tier|enterprise|month [--programme ID] [--enterprise USCC] [--year YYYY] " + QueryOptions.usage,
        valueOptions: QueryOptions.values + ["by", "programme", "enterprise", "year"], flags: QueryOptions.flags)

    static func run(_ context: CommandContext) throws(LedgerError) -> ExitCode {
        let format = try context.format(), unit = try context.unit(), window = try context.window()
        let byText = context.arguments.value("by") ?? "year"
        guard let grouping = GrantBreakdown.Grouping(rawValue: byText) else {
            throw .usage("grants: --by must be one of \(GrantBreakdown.Grouping.allCases.map(\.rawValue).joined(separator: ", ")), not \"\(byText)\"")
        }
        var year: Int? = nil
        if let text = context.arguments.value("year") {
            guard let value = Int(text), (1900...9999).contains(value) else {
                throw .usage("grants: --year must be a year such as 2022, not \"\(text)\"")
            }
            year = value
        }
        let ledger = try context.loadLedger()
        let models = Projection(ledger: ledger, window: window).run()
        let breakdown = GrantBreakdown(
            ledger: ledger, models: models, grouping: grouping,
            filter: .init(programme: context.arguments.value("programme"), enterprise: context.arguments.value("enterprise"), year: year))
        try breakdown.checkShown()
        let labelled = grouping == .programme || grouping == .enterprise
        let provenance = try context.provenance(ledger, window)
        switch format {
        case .json:
            context.printJSON(context.answerJSON(breakdown.json, provenance, key: "rows"))
        case .csv:
            var csv = CSVWriter(header: [grouping.rawValue] + (labelled ? ["name"] : []) + ["count", "awardedYuan", "disbursedYuan", "recoveredYuan"],
                                byteOrderMark: context.arguments.has("bom"),
                                numberColumns: ["count", "awardedYuan", "disbursedYuan", "recoveredYuan"])
            for row in breakdown.rows {
                csv.addRow([row.key] + (labelled ? [row.label] : []) + [String(row.count), plainYuan(row.awardedFen),
                            plainYuan(row.disbursedFen), plainYuan(row.recoveredFen)])
            }
            context.io.write(csv.render())
        case .table:
            context.io.write(try context.windowHeader(provenance) + "\n")
            let suffix = unit == .wan ? " (万元)" : " (元)"
            var table = TextTable(columns: [.init(title: grouping.rawValue)] + (labelled ? [.init(title: "name")] : []) + [
                .init(title: "grants", alignment: .right), .init(title: "awarded" + suffix, alignment: .right),
                .init(title: "disbursed" + suffix, alignment: .right), .init(title: "recovered" + suffix, alignment: .right),
            ])
            let total = breakdown.total
            for row in breakdown.rows {
                table.addRow([row.key] + (labelled ? [row.label] : []) + [String(row.count), MoneyFormat.format(fen: row.awardedFen, unit: unit),
                              MoneyFormat.format(fen: row.disbursedFen, unit: unit), MoneyFormat.format(fen: row.recoveredFen, unit: unit)])
            }
            table.addRow(["total"] + (labelled ? [""] : []) + [String(total.count), MoneyFormat.format(fen: total.awardedFen, unit: unit),
                          MoneyFormat.format(fen: total.disbursedFen, unit: unit), MoneyFormat.format(fen: total.recoveredFen, unit: unit)])
            context.io.write(table.render())
        }
        return .success
    }
}
