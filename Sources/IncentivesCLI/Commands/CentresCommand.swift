import IncentivesDomain
import LedgerLog

/// `incentives centres`: the register of innovation centres.
enum CentresCommand {
    static let spec = CommandSpec(
        name: "centres", summary: "the register of innovation centres with opened and closed dates, kind, city, partner",
        usage: "incentives centres " + QueryOptions.usageWithoutMoney,
        valueOptions: QueryOptions.valuesWithoutMoney, flags: QueryOptions.flags)

    static func run(_ context: CommandContext) throws(LedgerError) -> ExitCode {
        let format = try context.format(), window = try context.window()
        let ledger = try context.loadLedger(CentreRegister.scope(window))
        let register = CentreRegister(ledger: ledger, models: ledger.models(in: window))
        let provenance = try context.provenance(ledger, window)
        let header = ["centre", "name", "kind", "city", "partner", "opened", "closed"]
        func cells(_ entry: CentreRegister.Entry) -> [String] {
            [entry.centre, entry.name, entry.kind.name, entry.city, entry.partner ?? "", entry.opened.description,
             entry.closed?.description ?? ""]
        }
        switch format {
        case .json:
            context.printJSON(context.answerJSON(register.json, provenance, key: "centres"))
        case .csv:
            var csv = CSVWriter(header: header, byteOrderMark: context.arguments.has("bom"))
            for entry in register.entries { csv.addRow(cells(entry)) }
            context.printCSV(csv)
        case .table:
            context.io.write(try context.windowHeader(provenance) + "\n")
            var table = TextTable(columns: header.map { .init(title: $0) })
            for entry in register.entries { table.addRow(cells(entry)) }
            context.io.write(table.render())
        }
        return .success
    }
}
