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
        let ledger = try context.loadLedger()
        let budget = try ProgrammeBudget(ledger: ledger, models: Projection(ledger: ledger, window: window).run())
        let provenance = try context.provenance(ledger, window)
        switch format {
        case .json:
            context.printJSON(context.answerJSON(budget.json, provenance, key: "programmes"))
        case .csv:
            var csv = CSVWriter(header: ["programme", "name", "year", "appropriatedYuan", "grants", "awardedYuan", "disbursedYuan",
                                         "recoveredYuan", "utilisationPercent"], byteOrderMark: context.arguments.has("bom"))
            // Utilisation in basis points prints like fen: 7500 is "75.00" (percent).
            for programme in budget.programmes {
                for year in programme.years {
                    csv.addRow([programme.id, programme.name, String(year.year), plainYuan(year.appropriatedFen), String(year.grants),
                                plainYuan(year.awardedFen), plainYuan(year.disbursedFen), plainYuan(year.recoveredFen),
                                year.utilisationBasisPoints.map(plainYuan) ?? ""])
                }
            }
            context.io.write(csv.render())
        case .table:
            func money(_ fen: Int64) -> String { MoneyFormat.format(fen: fen, unit: unit) }
            let suffix = unit == .wan ? " (万元)" : " (元)"
            var text = try context.windowHeader(provenance)
            for programme in budget.programmes {
                text += "\n\(programme.id) \(programme.name)\n"
                var rules = TextTable(columns: [.init(title: "from"), .init(title: "minTier"), .init(title: "cap" + suffix, alignment: .right),
                                                .init(title: "capYears", alignment: .right)])
                for entry in programme.rules {
                    rules.addRow([entry.from.description, entry.minTier?.name ?? "-", entry.capFen.map(money) ?? "-", String(entry.capYears)])
                }
                if programme.rules.isEmpty { rules.addRow(["-", "(not established in this window)", "-", "-"]) }
                text += rules.render()
                var years = TextTable(columns: [.init(title: "year"), .init(title: "appropriated" + suffix, alignment: .right),
                                                .init(title: "grants", alignment: .right), .init(title: "awarded" + suffix, alignment: .right),
                                                .init(title: "disbursed" + suffix, alignment: .right),
                                                .init(title: "recovered" + suffix, alignment: .right),
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
