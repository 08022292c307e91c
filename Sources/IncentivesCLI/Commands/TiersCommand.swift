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
        // The moves (millions in a large ledger) go out in pieces as they are written.
        let pieceBytes = CommandContext.outputPieceBytes
        switch format {
        case .json:
            var writer = context.beginAnswer(provenance)
            writeJSONMembers(report, to: &writer, pieceBytes: pieceBytes) { context.io.write($0) }
            writer.endObject()
            context.printJSON(writer)
        case .csv:
            if report.moves != nil {
                var csv = CSVWriter(header: ["effective", "enterprise", "name", "from", "to", "kind"], byteOrderMark: context.arguments.has("bom"))
                writeCSVMoves(report, to: &csv, pieceBytes: pieceBytes) { context.io.write($0) }
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
            if report.moves != nil {
                context.io.write("\n")
                writeTableMoves(report, pieceBytes: pieceBytes) { context.io.write($0) }
            }
        }
        return .success
    }

    /// The report's members, as `TierReport.json` orders them, written into `writer` (inside an open
    /// object) and handed to `output` in pieces of about `pieceBytes` while the moves are written
    /// (what `writer` held before them goes with the first).
    static func writeJSONMembers(_ report: TierReport, to writer: inout JSONByteWriter, pieceBytes: Int,
                                 output: ([UInt8]) -> Void) {
        writer.key("byTier")
        writer.beginObject()
        for tier in Tier.allCases {
            writer.key(text: tier.name)
            writer.integer(report.counts[Int(tier.rawValue)])
        }
        writer.endObject()
        guard let moves = report.moves else { return }
        // A move's code and name go from the ledger's bytes to the output through these, reused.
        var code: [UInt8] = [], name: [UInt8] = []
        writer.key("transitions")
        writer.beginArray()
        for (position, move) in moves.enumerated() {
            report.anticipateMoves(after: position)
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
            writer.writeOut(ifAtLeast: pieceBytes, to: output)
        }
        writer.endArray()
    }

    /// The report's moves as CSV rows, written into `csv` and handed to `output` in pieces of
    /// about `pieceBytes` (the header goes with the first).
    static func writeCSVMoves(_ report: TierReport, to csv: inout CSVWriter, pieceBytes: Int, output: ([UInt8]) -> Void) {
        var code: [UInt8] = [], name: [UInt8] = []
        for (position, move) in (report.moves ?? []).enumerated() {
            report.anticipateMoves(after: position)
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
            csv.writeOut(ifAtLeast: pieceBytes, to: output)
        }
    }

    /// The report's moves as a table, handed to `output` in pieces of about `pieceBytes`: the
    /// moves are measured in one pass and written in a second, so no row is held.
    static func writeTableMoves(_ report: TierReport, pieceBytes: Int, output: ([UInt8]) -> Void) {
        let moves = report.moves ?? []
        // The cells of `report.transition(of:)`, the code and name copied from the ledger's bytes.
        TextTable.Layout.write(columns: ["effective", "enterprise", "name", "from", "to", "kind"].map { .init(title: $0) },
                               rowCount: moves.count, pieceBytes: pieceBytes, appendCells: { position, row in
            let move = moves[position]
            report.anticipateMoves(after: position)
            row.appendCell { move.effective.appendDigits(to: &$0) }
            row.appendCell { report.appendEnterprise(of: move, to: &$0) }
            row.appendCell { report.appendName(of: move, to: &$0) }
            row.appendCell(move.from.name)
            row.appendCell(move.to.name)
            row.appendCell(move.kind)
        }, to: output)
    }
}
