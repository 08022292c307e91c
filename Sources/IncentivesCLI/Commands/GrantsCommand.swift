import IncentivesDomain
import LedgerLog

/// `incentives grants --by KEY`: who got what, grouped.
enum GrantsCommand {
    static let spec = CommandSpec(
        name: "grants", summary: "grants grouped by year (the default), programme, tier at grant, enterprise or month",
        usage: "incentives grants [--by year|programme|tier|enterprise|month] [--programme ID] [--enterprise USCC] [--year YYYY] " + QueryOptions.usage,
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
        let programmeFilter = context.arguments.value("programme"), enterpriseFilter = context.arguments.value("enterprise")
        let filter = GrantBreakdown.Filter(programme: programmeFilter, enterprise: enterpriseFilter, year: year)
        let scope = GrantBreakdown.scope(window, grouping: grouping, filter: filter)
        let breakdown: GrantBreakdown
        if case .grantsByEnterprise = scope {
            // The longest common answer: kept with the snapshot at the heads, else computed from
            // what it reads alone.
            let ledger = try context.loadLedger(scope)
            breakdown = ledger.grantsByEnterprise(in: window)
            return try write(breakdown, provenance: try context.provenance(ledger, window), format: format, unit: unit, context)
        }
        // Only a filter looks a name up (`GrantBreakdown.scope`): here, with the table it names.
        let ledger = try context.loadLedger(scope)
        let models = ledger.models(in: window, parts: scope.readModelParts)
        // A filter naming nothing would print zero totals as if they were an answer.
        if let programme = programmeFilter, ledger.programmes.find(programme).map({ models.programmes[$0] == nil }) ?? true {
            let known = models.programmes.indices.lazy.filter { models.programmes[$0] != nil }.map { ledger.programmes.string(.init(offset: $0)) }
            try refuseUnknown(programme, what: "programme", known: known, window: window)
        }
        if let enterprise = enterpriseFilter, ledger.enterprises.find(enterprise).map({ models.enterprises[$0] == nil }) ?? true {
            let known = models.enterprises.indices.lazy.filter { models.enterprises[$0] != nil }.map { ledger.enterprises.string(.init(offset: $0)) }
            try refuseUnknown(enterprise, what: "enterprise", known: known, window: window)
        }
        breakdown = GrantBreakdown(ledger: ledger, models: models, grouping: grouping, filter: filter)
        return try write(breakdown, provenance: try context.provenance(ledger, window), format: format, unit: unit, context)
    }

    /// Writes `breakdown` in `format`, row by row, after checking output can show every figure.
    private static func write(_ breakdown: GrantBreakdown, provenance: AnswerProvenance, format: OutputFormat, unit: MoneyUnit,
                              _ context: CommandContext) throws(LedgerError) -> ExitCode {
        let grouping = breakdown.grouping
        try breakdown.checkShown()
        let labelled = breakdown.isLabelled
        switch format {
        case .json:
            // Written row by row, members as `GrantBreakdown.json` orders them; a long answer in
            // parts on every core, printed in order.
            var writer = context.beginAnswer(provenance)
            writer.key("rows")
            writer.beginArray()
            writeJSONRows(breakdown, after: &writer, rounds: PartedRows.rounds(rowCount: breakdown.rowCount)) { context.io.write($0) }
            writer.endArray()
            writer.endObject()
            context.printJSON(writer)
        case .csv:
            var csv = csvWriter(for: breakdown, unit: unit, byteOrderMark: context.arguments.has("bom"))
            // Written in parts on every core, printed in order, as the JSON rows are.
            csv.writeOut(ifAtLeast: 1) { context.io.write($0) }
            for round in PartedRows.rounds(rowCount: breakdown.rowCount) {
                for part in csvRowParts(breakdown, after: csv, unit: unit, ranges: round) {
                    context.io.write(part.bytes)
                }
            }
            context.printCSV(csv)
        case .table:
            context.io.write(try context.windowHeader(provenance) + "\n")
            let columns: [TextTable.Column] = [.init(title: grouping.rawValue)] + (labelled ? [.init(title: "name")] : []) + [
                .init(title: "grants", alignment: .right), .init(title: MoneyColumn.title("awarded", unit: unit), alignment: .right),
                .init(title: MoneyColumn.title("disbursed", unit: unit), alignment: .right),
                .init(title: MoneyColumn.title("recovered", unit: unit), alignment: .right),
            ]
            let total = breakdown.total
            // Every row, then the total: hundreds of thousands of rows by enterprise, written out
            // in pieces as they are; the rows measured kept for writing while they fit a budget
            // (their keys and names are read at random from large tables).
            TextTable.Layout.write(columns: columns, rowCount: breakdown.rowCount + 1, pieceBytes: CommandContext.outputPieceBytes,
                                   appendCells: { position, row in
                let figures: PeriodFigures
                if position < breakdown.rowCount {
                    // Key and name straight from the ledger's bytes, asked for rows ahead as JSON does.
                    breakdown.anticipateRows(after: position)
                    figures = breakdown.figures(at: position)
                    row.appendCell { breakdown.appendKey(at: position, to: &$0) }
                    if labelled { row.appendCell { breakdown.appendLabel(at: position, to: &$0) } }
                } else {
                    figures = total
                    row.appendCell("total")
                    if labelled { row.appendCell("") }
                }
                row.appendInteger(figures.count)
                row.appendMoney(fen: figures.awardedFen, unit: unit)
                row.appendMoney(fen: figures.disbursedFen, unit: unit)
                row.appendMoney(fen: figures.recoveredFen, unit: unit)
            }, heldBytes: TextTable.Layout.heldRowsBudgetBytes, to: { context.io.write($0) })
        }
        return .success
    }

    /// Prints what `writer` holds, then the rows of `breakdown` after it (inside its open array),
    /// round by round (`PartedRows.rounds`), each part printed as soon as the round is written.
    static func writeJSONRows(_ breakdown: GrantBreakdown, after writer: inout JSONByteWriter, rounds: [[Range<Int>]],
                              to output: ([UInt8]) -> Void) {
        output(writer.takeBytes())
        for round in rounds {
            for part in jsonRowParts(breakdown, after: writer, ranges: round) {
                output(part.bytes)
                writer.resume(after: part)
            }
        }
    }

    /// The rows `ranges` of `breakdown`, consecutive, each range written on a core of its own.
    static func jsonRowParts(_ breakdown: GrantBreakdown, after writer: JSONByteWriter, ranges: [Range<Int>]) -> [JSONByteWriter] {
        let labelled = breakdown.isLabelled, valid = breakdown.labelsAreValidUTF8
        return PartedRows.write(ranges) { rows in
            var part = writer.continuation(afterElements: rows.lowerBound > 0, capacity: rows.count * (labelled ? 260 : 200))
            // A row's key and name go from the ledger's bytes to the output through these, reused.
            var key: [UInt8] = [], label: [UInt8] = []
            for position in rows {
                breakdown.anticipateRows(after: position)
                let row = breakdown.figures(at: position)
                part.beginObject()
                key.removeAll(keepingCapacity: true)
                breakdown.appendKey(at: position, to: &key)
                if valid { part.member("key", validUTF8: key) } else { part.member("key", utf8: key) }
                if labelled {
                    label.removeAll(keepingCapacity: true)
                    breakdown.appendLabel(at: position, to: &label)
                    if valid { part.member("name", validUTF8: label) } else { part.member("name", utf8: label) }
                }
                part.member("count", row.count)
                part.key("awardedFen")
                part.integer(row.awardedFen)
                part.key("disbursedFen")
                part.integer(row.disbursedFen)
                part.key("recoveredFen")
                part.integer(row.recoveredFen)
                part.endObject()
            }
            return part
        }
    }

    /// The export of `breakdown`'s rows with its header written: a column for the key, the name
    /// where rows have one, the count and the three amounts in `unit`.
    static func csvWriter(for breakdown: GrantBreakdown, unit: MoneyUnit, byteOrderMark: Bool) -> CSVWriter {
        let moneyTitles = ["awarded", "disbursed", "recovered"].map { MoneyColumn.title($0, unit: unit) }
        return CSVWriter(header: [breakdown.grouping.rawValue] + (breakdown.isLabelled ? ["name"] : []) + ["count"] + moneyTitles,
                         byteOrderMark: byteOrderMark, numberColumns: Set(["count"] + moneyTitles))
    }

    /// The rows `ranges` of `breakdown` as CSV records following `writer`'s, each range written
    /// on a core of its own.
    static func csvRowParts(_ breakdown: GrantBreakdown, after writer: CSVWriter, unit: MoneyUnit, ranges: [Range<Int>]) -> [CSVWriter] {
        let labelled = breakdown.isLabelled
        return PartedRows.write(ranges) { rows in
            var part = writer.continuation(capacity: rows.count * (labelled ? 120 : 80))
            // A row's key and name go from the ledger's bytes to the output through these, reused.
            var key: [UInt8] = [], label: [UInt8] = []
            for position in rows {
                breakdown.anticipateRows(after: position)
                let row = breakdown.figures(at: position)
                key.removeAll(keepingCapacity: true)
                breakdown.appendKey(at: position, to: &key)
                part.text(utf8: key)
                if labelled {
                    label.removeAll(keepingCapacity: true)
                    breakdown.appendLabel(at: position, to: &label)
                    part.text(utf8: label)
                }
                part.integer(row.count)
                part.money(fen: row.awardedFen, unit: unit)
                part.money(fen: row.disbursedFen, unit: unit)
                part.money(fen: row.recoveredFen, unit: unit)
                part.endRow()
            }
            return part
        }
    }

    /// Exit 65 for a filter naming nothing in the window, with the nearest name `known` holds.
    /// Only a name missing from the ledger's names, or without a state in the window, comes here:
    /// the names are made and compared only then.
    private static func refuseUnknown(_ name: String, what: String, known: some Sequence<String>,
                                      window: TimeWindow) throws(LedgerError) {
        var nearest: (name: String, distance: Int)? = nil
        for candidate in known {
            // String equality (canonical equivalence) accepts what the byte lookup did not.
            if candidate == name { return }
            let distance = CLI.distance(candidate, name)
            if nearest == nil || distance < nearest!.distance || (distance == nearest!.distance && candidate < nearest!.name) {
                nearest = (candidate, distance)
            }
        }
        let hint = nearest.map { " (did you mean \($0.name)?)" } ?? ""
        throw .badData("grants: there is no \(what) \(name) in the ledger as of \(window.asOf?.description ?? "(no limit)"), known at \(window.knownAt)\(hint); `incentives grants --by \(what)` lists them")
    }
}
