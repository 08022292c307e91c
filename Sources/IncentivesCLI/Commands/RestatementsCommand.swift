import IncentivesDomain
import LedgerLog

/// `incentives restatements`: what changed in a period's figures since they were reported, and why.
enum RestatementsCommand {
    static let spec = CommandSpec(
        name: "restatements",
        summary: "compare a period's figures as reported at K1 with what is known now, listing each event that changed them",
        usage: "incentives restatements --period YYYY|YYYYQn|YYYY-MM --reported-at K1 [--known-at K2] [--format table|json|csv] [--unit yuan|wan] [--bom] [--no-verify] [--no-snapshot] [--events DIR]",
        valueOptions: ["events", "period", "reported-at", "known-at", "format", "unit"], flags: ["no-verify", "no-snapshot", "bom"])

    static func run(_ context: CommandContext) throws(LedgerError) -> ExitCode {
        let format = try context.format(), unit = try context.unit()
        guard let periodText = context.arguments.value("period") else {
            throw .usage("restatements: --period is required: \(RestatementPeriod.forms); usage: \(spec.usage)")
        }
        guard let period = RestatementPeriod(parsing: periodText) else {
            throw .usage("restatements: --period \"\(periodText)\" is not \(RestatementPeriod.forms)")
        }
        guard let reportedAt = try context.moment("reported-at") else {
            throw .usage("restatements: --reported-at is required: when the figures were reported, \(LedgerTimeZone.forms)")
        }
        let knownAt = try context.window().knownAt
        guard reportedAt <= knownAt else {
            throw .usage("restatements: --reported-at \(reportedAt) is after --known-at \(knownAt); the report must come first")
        }
        let ledger = try context.loadLedger(.everyEvent(actorsAndSources: false, lookups: []))
        let restatement = Restatement(ledger: ledger, period: period, reportedAt: reportedAt, knownAt: knownAt)
        try restatement.checkShown()
        // The figures compared are those of two windows: the heads of each are named.
        let now = try context.provenance(ledger, TimeWindow(asOf: period.last, knownAt: knownAt))
        let reported = try context.provenance(ledger, TimeWindow(asOf: period.last, knownAt: reportedAt))
        // Every event recorded since the report may have changed the figures (a report at the start
        // of a busy year): the list goes out in pieces as it is written.
        let pieceBytes = CommandContext.outputPieceBytes
        switch format {
        case .json:
            var writer = context.beginAnswer(now)
            writeJSONMembers(restatement, reportedHeads: reported, leading: Set(now.jsonMembers.map(\.0)), to: &writer,
                             pieceBytes: pieceBytes) { context.io.write($0) }
            writer.endObject()
            context.printJSON(writer)
        case .csv:
            // Rows only, as every CSV answer: the window and heads are in the table and JSON.
            writeCSV(restatement, unit: unit, byteOrderMark: context.arguments.has("bom"), pieceBytes: pieceBytes) { context.io.write($0) }
        case .table:
            write(restatement, unit: unit, zone: try context.timeZone(), heads: (reported, now), pieceBytes: pieceBytes) { context.io.write($0) }
        }
        return restatement.isRestated ? .findings : .success
    }

    /// The members after `asOf`, `knownAt` and `heads` (as `answerJSON` orders them, the
    /// restatement's own `asOf` and `knownAt` giving way to those in `leading`): the heads at the
    /// report, then the restatement's, its rows and events written one at a time and handed to `output` in
    /// pieces of about `pieceBytes` (what `writer` held before them goes with the first).
    static func writeJSONMembers(_ restatement: Restatement, reportedHeads reported: AnswerProvenance, leading: Set<String>,
                                 to writer: inout JSONByteWriter, pieceBytes: Int, output: ([UInt8]) -> Void) {
        guard let reportedHeads = reported.jsonMembers.first(where: { $0.0 == "heads" })?.1 else {
            preconditionFailure("an answer's provenance names its heads")
        }
        writer.key("reportedHeads")
        writer.value(reportedHeads)
        for (name, value) in restatement.jsonMembersBeforeRows where !leading.contains(name) {
            writer.key(text: name)
            writer.value(value)
        }
        for (name, rows, key) in [("programmes", restatement.programmes, "programme"), ("enterprises", restatement.enterprises, "enterprise")] {
            writer.key(text: name)
            writer.beginArray()
            for row in rows {
                writer.value(Restatement.json(of: row, key: key))
                writer.writeOut(ifAtLeast: pieceBytes, to: output)
            }
            writer.endArray()
        }
        writer.key("events")
        writer.beginArray()
        for position in 0..<restatement.changeCount {
            writer.value(Restatement.json(of: restatement.change(at: position)))
            writer.writeOut(ifAtLeast: pieceBytes, to: output)
        }
        writer.endArray()
        for (name, value) in restatement.jsonMembersAfterEvents where !leading.contains(name) {
            writer.key(text: name)
            writer.value(value)
        }
    }

    /// The table answer, handed to `output` in pieces of about `pieceBytes`.
    static func write(_ restatement: Restatement, unit: MoneyUnit, zone: LedgerTimeZone = .chinaStandardTime,
                      heads: (reported: AnswerProvenance, now: AnswerProvenance)? = nil, pieceBytes: Int,
                      to output: ([UInt8]) -> Void) {
        let period = restatement.period
        func money(_ fen: Int128) -> String { MoneyFormat.format(fen: fen, unit: unit) }
        func signedMoney(_ fen: Int128) -> String { fen > 0 ? "+" + money(fen) : money(fen) }
        func signedCount(_ count: Int) -> String { count > 0 ? "+\(count)" : String(count) }
        func titled(_ name: String) -> String { MoneyColumn.title(name, unit: unit) }
        func text(_ line: String) { output(Array(line.utf8)) }
        var opening = "figures for \(period): grants awarded \(period.first) to \(period.last), as of \(period.last)\n"
        opening += "reported at \(zone.format(restatement.reportedAt)), compared with what is known at \(zone.format(restatement.knownAt))\n"
        if let heads {
            opening += "heads at the report: \(heads.reported.headsText)\n"
            opening += "heads now: \(heads.now.headsText)\n"
        }
        text(opening + "\n")
        var totals = TextTable(columns: [.init(title: ""), .init(title: "grants", alignment: .right),
                                         .init(title: titled("awarded"), alignment: .right),
                                         .init(title: titled("disbursed"), alignment: .right),
                                         .init(title: titled("recovered"), alignment: .right)])
        for (label, figures) in [("reported", restatement.reported), ("now", restatement.now)] {
            totals.addRow([label, String(figures.count), money(figures.awardedFen), money(figures.disbursedFen), money(figures.recoveredFen)])
        }
        let difference = restatement.difference
        totals.addRow(["difference", signedCount(difference.count), signedMoney(difference.awardedFen),
                       signedMoney(difference.disbursedFen), signedMoney(difference.recoveredFen)])
        output(totals.renderBytes())
        func differenceColumns(_ first: String) -> [TextTable.Column] {
            [.init(title: first), .init(title: "Δ grants", alignment: .right), .init(title: titled("Δ awarded"), alignment: .right),
             .init(title: titled("Δ disbursed"), alignment: .right), .init(title: titled("Δ recovered"), alignment: .right)]
        }
        /// The count and amounts of a difference, a plus before each increase, written as digits.
        @Sendable func appendDifference(_ figures: PeriodFigures, to row: inout TextTable.RowCells) {
            row.appendInteger(figures.count, plusIfPositive: true)
            row.appendMoney(fen: figures.awardedFen, unit: unit, plusIfPositive: true)
            row.appendMoney(fen: figures.disbursedFen, unit: unit, plusIfPositive: true)
            row.appendMoney(fen: figures.recoveredFen, unit: unit, plusIfPositive: true)
        }
        for (title, rows) in [("programme", restatement.programmes), ("enterprise", restatement.enterprises)] where !rows.isEmpty {
            text("\nchanged by \(title)\n")
            TextTable.Layout.write(columns: differenceColumns(title), rowCount: rows.count, pieceBytes: pieceBytes,
                                   appendCells: { position, row in
                row.appendCell(rows[position].key)
                appendDifference(rows[position].difference, to: &row)
            }, to: output)
        }
        if restatement.changeCount > 0 {
            text("\nevents recorded since the report that changed the figures\n")
            let columns: [TextTable.Column] = [.init(title: "recorded"), .init(title: "event"), .init(title: "type"),
                                               .init(title: "effective"), .init(title: "grant")]
                + differenceColumns("").dropFirst() + [.init(title: "details")]
            TextTable.Layout.write(columns: columns, rowCount: restatement.changeCount, pieceBytes: pieceBytes,
                                   appendCells: { position, row in
                let change = restatement.change(at: position)
                row.appendCells([zone.format(change.recorded), change.event, change.type])
                row.appendCell { change.effective.appendDigits(to: &$0) }
                row.appendCell(change.grant)
                appendDifference(change.difference, to: &row)
                row.appendCell(change.details)
            }, to: output)
        }
        let others = restatement.eventsWithoutEffect
        text("\n\(others) other event\(others == 1 ? "" : "s") recorded since the report left these figures unchanged\n"
             + (restatement.isRestated ? "the \(period) figures were restated\n" : "the \(period) figures are as reported\n"))
    }

    /// One table for a spreadsheet: the totals as reported, now and their difference; the
    /// differences by programme and by enterprise; then each event that changed the figures;
    /// handed to `output` in pieces of about `pieceBytes`.
    static func writeCSV(_ restatement: Restatement, unit: MoneyUnit, byteOrderMark: Bool, pieceBytes: Int,
                         to output: ([UInt8]) -> Void) {
        let money = ["awarded", "disbursed", "recovered"].map { MoneyColumn.title($0, unit: unit) }
        var csv = CSVWriter(header: ["section", "key", "recorded", "event", "type", "effective", "grants"] + money + ["details"],
                            byteOrderMark: byteOrderMark, numberColumns: Set(["grants"] + money))
        func figures(_ figures: PeriodFigures) -> [String] {
            [String(figures.count)] + [figures.awardedFen, figures.disbursedFen, figures.recoveredFen].map { MoneyColumn.plain(fen: $0, unit: unit) }
        }
        let period = restatement.period.description
        for (label, totals) in [("reported", restatement.reported), ("now", restatement.now), ("difference", restatement.difference)] {
            csv.addRow([label, period, "", "", "", ""] + figures(totals) + [""])
        }
        for (section, rows) in [("programme", restatement.programmes), ("enterprise", restatement.enterprises)] {
            for row in rows {
                csv.addRow([section, row.key, "", "", "", ""] + figures(row.difference) + [""])
                csv.writeOut(ifAtLeast: pieceBytes, to: output)
            }
        }
        for position in 0..<restatement.changeCount {
            let change = restatement.change(at: position)
            csv.addRow(["event", change.grant, change.recorded.description, change.event, change.type, change.effective.description]
                       + figures(change.difference) + [change.details])
            csv.writeOut(ifAtLeast: pieceBytes, to: output)
        }
        output(csv.bytes)
    }
}
