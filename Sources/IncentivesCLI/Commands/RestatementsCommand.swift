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
        guard let reportedText = context.arguments.value("reported-at") else {
            throw .usage("restatements: --reported-at is required: when the figures were reported (YYYY-MM-DD for the end of that day, or YYYY-MM-DDTHH:MM:SSZ)")
        }
        guard let reportedAt = Timestamp(timestampOrEndOfDate: reportedText) else {
            throw .usage("restatements: --reported-at \"\(reportedText)\" is neither YYYY-MM-DD nor YYYY-MM-DDTHH:MM:SSZ")
        }
        let knownAt = try context.window().knownAt
        guard reportedAt <= knownAt else {
            throw .usage("restatements: --reported-at \(reportedAt) is after --known-at \(knownAt); the report must come first")
        }
        let ledger = try context.loadLedger()
        let restatement = Restatement(ledger: ledger, period: period, reportedAt: reportedAt, knownAt: knownAt)
        switch format {
        case .json: context.printJSON(restatement.json)
        case .csv: context.io.write(csv(restatement, unit: unit, byteOrderMark: context.arguments.has("bom")))
        case .table: context.io.write(render(restatement, unit: unit))
        }
        return restatement.isRestated ? .findings : .success
    }

    static func render(_ restatement: Restatement, unit: MoneyUnit) -> String {
        let period = restatement.period
        func money(_ fen: Int64) -> String { MoneyFormat.format(fen: fen, unit: unit) }
        func signedMoney(_ fen: Int64) -> String { fen > 0 ? "+" + money(fen) : money(fen) }
        func signedCount(_ count: Int) -> String { count > 0 ? "+\(count)" : String(count) }
        let suffix = unit == .wan ? " (万元)" : " (元)"
        var text = "figures for \(period): grants awarded \(period.first) to \(period.last), as of \(period.last)\n"
        text += "reported at \(restatement.reportedAt), compared with what is known at \(restatement.knownAt)\n\n"
        var totals = TextTable(columns: [.init(title: ""), .init(title: "grants", alignment: .right),
                                         .init(title: "awarded" + suffix, alignment: .right),
                                         .init(title: "disbursed" + suffix, alignment: .right),
                                         .init(title: "recovered" + suffix, alignment: .right)])
        for (label, figures) in [("reported", restatement.reported), ("now", restatement.now)] {
            totals.addRow([label, String(figures.count), money(figures.awardedFen), money(figures.disbursedFen), money(figures.recoveredFen)])
        }
        let difference = restatement.difference
        totals.addRow(["difference", signedCount(difference.count), signedMoney(difference.awardedFen),
                       signedMoney(difference.disbursedFen), signedMoney(difference.recoveredFen)])
        text += totals.render()
        func differenceColumns(_ first: String) -> [TextTable.Column] {
            [.init(title: first), .init(title: "Δ grants", alignment: .right), .init(title: "Δ awarded" + suffix, alignment: .right),
             .init(title: "Δ disbursed" + suffix, alignment: .right), .init(title: "Δ recovered" + suffix, alignment: .right)]
        }
        func differenceCells(_ figures: PeriodFigures) -> [String] {
            [signedCount(figures.count), signedMoney(figures.awardedFen), signedMoney(figures.disbursedFen), signedMoney(figures.recoveredFen)]
        }
        for (title, rows) in [("programme", restatement.programmes), ("enterprise", restatement.enterprises)] where !rows.isEmpty {
            var table = TextTable(columns: differenceColumns(title))
            for row in rows { table.addRow([row.key] + differenceCells(row.difference)) }
            text += "\nchanged by \(title)\n" + table.render()
        }
        if !restatement.changes.isEmpty {
            var table = TextTable(columns: [.init(title: "recorded"), .init(title: "event"), .init(title: "type"),
                                            .init(title: "effective"), .init(title: "grant")]
                                  + differenceColumns("").dropFirst() + [.init(title: "details")])
            for change in restatement.changes {
                table.addRow([change.recorded.description, change.event, change.type, change.effective.description, change.grant]
                             + differenceCells(change.difference) + [change.details])
            }
            text += "\nevents recorded since the report that changed the figures\n" + table.render()
        }
        let others = restatement.eventsWithoutEffect
        text += "\n\(others) other event\(others == 1 ? "" : "s") recorded since the report left these figures unchanged\n"
        text += restatement.isRestated
            ? "the \(period) figures were restated\n"
            : "the \(period) figures are as reported\n"
        return text
    }

    /// One table for a spreadsheet: the totals as reported, now and their difference; the
    /// differences by programme and by enterprise; then each event that changed the figures.
    static func csv(_ restatement: Restatement, unit: MoneyUnit, byteOrderMark: Bool) -> String {
        var csv = CSVWriter(header: ["section", "key", "recorded", "event", "type", "effective", "grants"]
                                + ["awarded", "disbursed", "recovered"].map { MoneyColumn.title($0, unit: unit) } + ["details"],
                            byteOrderMark: byteOrderMark)
        func figures(_ figures: PeriodFigures) -> [String] {
            [String(figures.count)] + [figures.awardedFen, figures.disbursedFen, figures.recoveredFen].map { MoneyColumn.plain(fen: $0, unit: unit) }
        }
        let period = restatement.period.description
        for (label, totals) in [("reported", restatement.reported), ("now", restatement.now), ("difference", restatement.difference)] {
            csv.addRow([label, period, "", "", "", ""] + figures(totals) + [""])
        }
        for (section, rows) in [("programme", restatement.programmes), ("enterprise", restatement.enterprises)] {
            for row in rows { csv.addRow([section, row.key, "", "", "", ""] + figures(row.difference) + [""]) }
        }
        for change in restatement.changes {
            csv.addRow(["event", change.grant, change.recorded.description, change.event, change.type, change.effective.description]
                       + figures(change.difference) + [change.details])
        }
        return csv.render()
    }
}
