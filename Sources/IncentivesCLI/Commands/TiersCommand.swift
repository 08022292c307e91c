import IncentivesDomain
import LedgerLog

/// `incentives tiers`: enterprises per Yanzhen tier, and the moves between tiers.
enum TiersCommand {
    static let spec = CommandSpec(
        name: "tiers", summary: "registered enterprises per tier; --transitions lists promotions and demotions in a period",
        usage: "incentives tiers [--transitions [--from YYYY-MM-DD] [--to YYYY-MM-DD]] " + QueryOptions.usageWithoutMoney,
        valueOptions: QueryOptions.valuesWithoutMoney + ["from", "to"], flags: QueryOptions.flags + ["transitions"])

    static func run(_ context: CommandContext) throws(LedgerError) -> ExitCode {
        let format = try context.format(), window = try context.window()
        let from = try context.date("from"), to = try context.date("to")
        let transitions = context.arguments.has("transitions")
        if !transitions && (from != nil || to != nil) { throw .usage("tiers: --from and --to go with --transitions") }
        if let from, let to, from > to {
            throw .usage("tiers: --from \(from) is after --to \(to); give the period's first day first")
        }
        let ledger = try context.loadLedger(TierReport.scope(window, includeTransitions: transitions))
        let report = TierReport(ledger: ledger, models: ledger.models(in: window),
                                transitionsFrom: from, to: to, includeTransitions: transitions)
        let provenance = try context.provenance(ledger, window)
        switch format {
        case .json:
            // Written move by move, members as `TierReport.json` orders them.
            var writer = context.beginAnswer(provenance, capacity: 1024 + (report.moves?.count ?? 0) * 220)
            writer.key("byTier")
            writer.beginObject()
            for tier in Tier.allCases {
                writer.key(text: tier.name)
                writer.integer(report.counts[Int(tier.rawValue)])
            }
            writer.endObject()
            if let moves = report.moves {
                // A move's code and name go from the ledger's bytes to the output through these, reused.
                var code: [UInt8] = [], name: [UInt8] = []
                writer.key("transitions")
                writer.beginArray()
                for move in moves {
                    writer.beginObject()
                    writer.key("effective")
                    writer.date(move.effective)
                    code.removeAll(keepingCapacity: true)
                    report.appendEnterprise(of: move, to: &code)
                    writer.member("enterprise", utf8: code)
                    name.removeAll(keepingCapacity: true)
                    report.appendName(of: move, to: &name)
                    writer.member("name", utf8: name)
                    writer.member("from", move.from.name)
                    writer.member("to", move.to.name)
                    writer.member("kind", move.kind)
                    writer.endObject()
                }
                writer.endArray()
            }
            writer.endObject()
            context.printJSON(writer)
        case .csv:
            if let moves = report.moves {
                var csv = CSVWriter(header: ["effective", "enterprise", "name", "from", "to", "kind"], byteOrderMark: context.arguments.has("bom"))
                var code: [UInt8] = [], name: [UInt8] = []
                for move in moves {
                    csv.date(move.effective)
                    code.removeAll(keepingCapacity: true)
                    report.appendEnterprise(of: move, to: &code)
                    csv.text(utf8: code)
                    name.removeAll(keepingCapacity: true)
                    report.appendName(of: move, to: &name)
                    csv.text(utf8: name)
                    csv.text(move.from.name)
                    csv.text(move.to.name)
                    csv.text(move.kind)
                    csv.endRow()
                }
                context.printCSV(csv)
            } else {
                var csv = CSVWriter(header: ["tier", "enterprises"], byteOrderMark: context.arguments.has("bom"),
                                    numberColumns: ["enterprises"])
                for tier in Tier.allCases { csv.addRow([tier.name, String(report.counts[Int(tier.rawValue)])]) }
                context.printCSV(csv)
            }
        case .table:
            context.io.write(try context.windowHeader(provenance) + "\n")
            var table = TextTable(columns: [.init(title: "tier"), .init(title: "enterprises", alignment: .right)])
            for tier in Tier.allCases { table.addRow([tier.name, String(report.counts[Int(tier.rawValue)])]) }
            context.io.write(table.render())
            if let moves = report.transitions {
                var list = TextTable(columns: [.init(title: "effective"), .init(title: "enterprise"), .init(title: "name"),
                                               .init(title: "from"), .init(title: "to"), .init(title: "kind")])
                for move in moves { list.addRow([move.effective.description, move.enterprise, move.name, move.from.name, move.to.name, move.kind]) }
                context.io.write("\n")
                context.io.write(list.renderBytes())
            }
        }
        return .success
    }
}
