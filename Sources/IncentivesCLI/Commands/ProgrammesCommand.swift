import IncentivesDomain
import LedgerLog

/// `incentives programmes`: each programme's rules over time and its budget use per year.
enum ProgrammesCommand {
    static let spec = CommandSpec(
        name: "programmes", summary: "each programme's rules over time and, per year, appropriated, awarded, disbursed, recovered, utilisation",
        usage: "incentives programmes " + QueryOptions.usage,
        valueOptions: QueryOptions.values, flags: QueryOptions.flags)

    static func run(_ context: CommandContext) throws(LedgerError) -> ExitCode {
        let format = try context.format(), unit = try context.unit(), window = try context.window()
        let ledger = try context.loadLedger(ProgrammeBudget.scope(window))
        let budget = try ProgrammeBudget(ledger: ledger, models: ledger.models(in: window, parts: ProgrammeBudget.parts))
        let provenance = try context.provenance(ledger, window)
        switch format {
        case .json:
            context.printJSON(context.answerJSON(budget.json, provenance, key: "programmes"))
        case .csv:
            // Money headers name the unit (`awarded (元)`), as in every CSV answer; the cells are plain numbers.
            let money = ["appropriated", "awarded", "disbursed", "recovered"].map { MoneyColumn.title($0, unit: unit) }
            var csv = CSVWriter(header: ["programme", "name", "year", money[0], "grants", money[1], money[2], money[3], "utilisationPercent"],
                                byteOrderMark: context.arguments.has("bom"),
                                numberColumns: Set(["year", "grants", "utilisationPercent"] + money))
            // Utilisation in basis points prints like fen: 7500 is "75.00" (percent).
            for programme in budget.programmes {
                for year in programme.years {
                    csv.addRow([programme.id, programme.name, String(year.year), MoneyColumn.plain(fen: year.appropriatedFen, unit: unit),
                                String(year.grants), MoneyColumn.plain(fen: year.awardedFen, unit: unit),
                                MoneyColumn.plain(fen: year.disbursedFen, unit: unit), MoneyColumn.plain(fen: year.recoveredFen, unit: unit),
                                year.utilisationBasisPoints.map(plainYuan) ?? ""])
                }
            }
            context.printCSV(csv)
        case .table:
            func money(_ fen: Int64) -> String { MoneyFormat.format(fen: fen, unit: unit) }
            func titled(_ name: String) -> String { MoneyColumn.title(name, unit: unit) }
            var text = try context.windowHeader(provenance)
            for programme in budget.programmes {
                text += "\n\(programme.id) \(programme.name)\n"
                var rules = TextTable(columns: [.init(title: "from"), .init(title: "minTier"), .init(title: titled("cap"), alignment: .right),
                                                .init(title: "capYears", alignment: .right)])
                for entry in programme.rules {
                    rules.addRow([entry.from.description, entry.minTier?.name ?? "-", entry.capFen.map(money) ?? "-", String(entry.capYears)])
                }
                if programme.rules.isEmpty { rules.addRow(["-", "(not established in this window)", "-", "-"]) }
                text += rules.render()
                var years = TextTable(columns: [.init(title: "year"), .init(title: titled("appropriated"), alignment: .right),
                                                .init(title: "grants", alignment: .right), .init(title: titled("awarded"), alignment: .right),
                                                .init(title: titled("disbursed"), alignment: .right),
                                                .init(title: titled("recovered"), alignment: .right),
                                                .init(title: "utilisation", alignment: .right)])
                for year in programme.years + [programme.total] {
                    years.addRow([year.year == 0 ? "total" : String(year.year), money(year.appropriatedFen), String(year.grants),
                                  money(year.awardedFen), money(year.disbursedFen), money(year.recoveredFen),
                                  year.utilisationBasisPoints.map { YuanText.percent(basisPoints: $0) } ?? "-"])
                }
                text += "\n" + years.render()
            }
            context.io.write(text)
        }
        return .success
    }
}
