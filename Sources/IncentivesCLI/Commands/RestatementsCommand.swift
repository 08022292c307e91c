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
        switch format {
        case .json:
            guard case .object(let object) = context.answerJSON(restatement.json, now, key: "restatement") else {
                preconditionFailure("a restatement's JSON is an object")
            }
            var members = object.members.map { ($0.key, $0.value) }
            let reportedHeads = reported.jsonMembers.first { $0.0 == "heads" }!.1
            members.insert(("reportedHeads", reportedHeads), at: members.firstIndex { $0.0 == "heads" }! + 1)
            context.printJSON(.record(members))
        case .csv:
            // Rows only, as every CSV answer: the window and heads are in the table and JSON.
            context.io.write(csv(restatement, unit: unit, byteOrderMark: context.arguments.has("bom")))
        case .table:
            context.io.write(render(restatement, unit: unit, zone: try context.timeZone(), heads: (reported, now)))
        }
        return restatement.isRestated ? .findings : .success
    }

    static func render(_ restatement: Restatement, unit: MoneyUnit, zone: LedgerTimeZone = .chinaStandardTime,
                       heads: (reported: AnswerProvenance, now: AnswerProvenance)? = nil) -> String {
        let period = restatement.period
        func money(_ fen: Int128) -> String { MoneyFormat.format(fen: fen, unit: unit) }
        func signedMoney(_ fen: Int128) -> String { fen > 0 ? "+" + money(fen) : money(fen) }
        func signedCount(_ count: Int) -> String { count > 0 ? "+\(count)" : String(count) }
        func titled(_ name: String) -> String { MoneyColumn.title(name, unit: unit) }
        var text = "figures for \(period): grants awarded \(period.first) to \(period.last), as of \(period.last)\n"
        text += "reported at \(zone.format(restatement.reportedAt)), compared with what is known at \(zone.format(restatement.knownAt))\n"
        if let heads {
            text += "heads at the report: \(heads.reported.headsText)\n"
            text += "heads now: \(heads.now.headsText)\n"
        }
        text += "\n"
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
        text += totals.render()
        func differenceColumns(_ first: String) -> [TextTable.Column] {
            [.init(title: first), .init(title: "Δ grants", alignment: .right), .init(title: titled("Δ awarded"), alignment: .right),
             .init(title: titled("Δ disbursed"), alignment: .right), .init(title: titled("Δ recovered"), alignment: .right)]
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
                table.addRow([zone.format(change.recorded), change.event, change.type, change.effective.description, change.grant]
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
            for row in rows { csv.addRow([section, row.key, "", "", "", ""] + figures(row.difference) + [""]) }
        }
        for change in restatement.changes {
            csv.addRow(["event", change.grant, change.recorded.description, change.event, change.type, change.effective.description]
                       + figures(change.difference) + [change.details])
        }
        return csv.render()
    }
}
