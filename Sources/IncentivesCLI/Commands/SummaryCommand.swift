import IncentivesDomain
import LedgerLog

/// `incentives summary`: the ledger at a glance.
enum SummaryCommand {
    static let spec = CommandSpec(
        name: "summary", summary: "grants, enterprises by tier and open centres at a point in time",
        usage: "incentives summary " + QueryOptions.usage,
        valueOptions: QueryOptions.values, flags: QueryOptions.flags)

    static func run(_ context: CommandContext) throws(LedgerError) -> ExitCode {
        let format = try context.format(), unit = try context.unit(), window = try context.window()
        // At the heads, the summary kept with the snapshot is all it reads; else the events, no names.
        let ledger = try context.loadLedger(.summary(window))
        let summary = ledger.summary(in: window)
        try summary.checkShown()
        let provenance = try context.provenance(ledger, window)
        switch format {
        case .json:
            context.printJSON(context.answerJSON(summary.json, provenance, key: "summary"))
        case .csv:
            var csv = CSVWriter(header: ["measure", "value"], byteOrderMark: context.arguments.has("bom"),
                                numberColumns: ["value"])
            for (measure, value) in rows(summary, money: { MoneyColumn.plain(fen: $0, unit: unit) }, wanSuffix: "", unit: unit) {
                csv.addRow([measure, value])
            }
            context.printCSV(csv)
        case .table:
            context.io.write(try context.windowHeader(provenance) + "\n")
            var table = TextTable(columns: [.init(title: "measure"), .init(title: "value", alignment: .right)])
            for row in rows(summary, money: { MoneyFormat.format(fen: $0, unit: unit) }, wanSuffix: unit == .wan ? " 万元" : " 元", unit: nil) {
                table.addRow([row.0, row.1])
            }
            context.io.write(table.render())
        }
        return .success
    }

    /// With `unit`, the money measures name it (`awarded (元)`): a CSV value carries no unit of its own.
    static func rows(_ summary: Summary, money: (Int128) -> String, wanSuffix: String, unit: MoneyUnit?) -> [(String, String)] {
        func measure(_ name: String) -> String { unit.map { MoneyColumn.title(name, unit: $0) } ?? name }
        var rows: [(String, String)] = [
            ("events", String(summary.events)),
            ("grants", String(summary.grantCount)),
            ("grants revoked", String(summary.revokedCount)),
            (measure("awarded"), money(summary.awardedFen) + wanSuffix),
            (measure("disbursed"), money(summary.disbursedFen) + wanSuffix),
            (measure("recovered"), money(summary.recoveredFen) + wanSuffix),
            ("enterprises registered", String(summary.registeredEnterprises)),
        ]
        for tier in Tier.allCases {
            rows.append(("enterprises \(tier.name)", String(summary.enterprisesByTier[Int(tier.rawValue)])))
        }
        rows.append(("centres open", String(summary.openCentres)))
        for kind in CentreKind.allCases {
            rows.append(("centres \(kind.name)", String(summary.centresByKind[Int(kind.rawValue)])))
        }
        return rows
    }
}
