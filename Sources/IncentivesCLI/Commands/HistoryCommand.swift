import IncentivesDomain
import LedgerLog

/// `incentives history ID`: every event touching an enterprise, grant, programme or centre.
enum HistoryCommand {
    static let spec = CommandSpec(
        name: "history", summary: "every event that touches an enterprise, grant, programme or centre, with both times; retracted ones marked",
        usage: "incentives history ID [--known-at K] [--format table|json|csv] [--bom] [--no-verify] [--no-snapshot] [--events DIR]",
        valueOptions: ["events", "known-at", "format"], flags: QueryOptions.flags, positionals: 1...1)

    static func run(_ context: CommandContext) throws(LedgerError) -> ExitCode {
        let format = try context.format(), window = try context.window()
        let subject = context.arguments.positionals[0]
        // It looks its subject up among the entities and the events' ids, and reads no text by name.
        let ledger = try context.loadLedger(.everyEvent(actorsAndSources: true, lookups: [.programmes, .grants, .enterprises, .centres]))
        guard let history = History(ledger: ledger, subject: subject, knownAt: window.knownAt) else {
            throw .badData("history: nothing in the ledger is called \(subject); give an enterprise code, grant, programme, centre or event id")
        }
        let provenance = try context.provenance(ledger, window)
        let zone = try context.timeZone()
        let header = ["recorded", "effective", "event", "type", "actor", "source", "details", "retracted"]
        // A programme's history has over a million entries in a large ledger: they are made one
        // at a time and go out in pieces as they are written.
        let pieceBytes = CommandContext.outputPieceBytes
        switch format {
        case .json:
            var writer = context.beginAnswer(provenance)
            writeJSONMembers(history, to: &writer, pieceBytes: pieceBytes) { context.io.write($0) }
            writer.endObject()
            context.printJSON(writer)
        case .csv:
            var csv = CSVWriter(header: header, byteOrderMark: context.arguments.has("bom"))
            writeCSVRows(history, to: &csv, pieceBytes: pieceBytes) { context.io.write($0) }
            context.printCSV(csv)
        case .table:
            context.io.write(try context.windowHeader(provenance) + "\n")
            TextTable.Layout.write(columns: header.map { .init(title: $0) }, rowCount: history.count, pieceBytes: pieceBytes,
                                   appendCells: { position, row in
                // Tables show recorded times in the ledger's zone; CSV keeps UTC, as JSON does.
                let entry = history.entry(at: position)
                row.appendCell(zone.format(entry.recorded))
                row.appendCell { entry.effective.appendDigits(to: &$0) }
                for text in [entry.event, entry.type, entry.actor, entry.source, entry.details] { row.appendCell(text) }
                if let retraction = entry.retractedBy { row.appendCell("retracted by " + retraction) } else { row.appendCell("") }
            }, to: { context.io.write($0) })
        }
        return .success
    }

    /// The history's members, as `History.json` orders them, written into `writer` (inside an open
    /// object) and handed to `output` in pieces of about `pieceBytes` while the entries are written
    /// (what `writer` held before them goes with the first).
    static func writeJSONMembers(_ history: History, to writer: inout JSONByteWriter, pieceBytes: Int,
                                 output: ([UInt8]) -> Void) {
        writer.member("subject", history.subject)
        writer.key("events")
        writer.beginArray()
        for position in 0..<history.count {
            let entry = history.entry(at: position)
            writer.beginObject()
            writer.member("event", entry.event)
            writer.member("log", entry.log)
            writer.member("seq", entry.seq)
            writer.member("type", entry.type)
            writer.key("effective")
            writer.date(entry.effective)
            writer.key("recorded")
            writer.timestamp(entry.recorded)
            writer.member("actor", entry.actor)
            writer.member("source", entry.source)
            writer.member("details", entry.details)
            writer.member("retracted", entry.retractedBy != nil)
            writer.member("retractedBy", entry.retractedBy)
            writer.endObject()
            writer.writeOut(ifAtLeast: pieceBytes, to: output)
        }
        writer.endArray()
    }

    /// The history's entries as CSV rows (recorded times in UTC), written into `csv` and handed to
    /// `output` in pieces of about `pieceBytes` (the header goes with the first).
    static func writeCSVRows(_ history: History, to csv: inout CSVWriter, pieceBytes: Int, output: ([UInt8]) -> Void) {
        for position in 0..<history.count {
            let entry = history.entry(at: position)
            csv.timestamp(entry.recorded)
            csv.date(entry.effective)
            csv.text(entry.event)
            csv.text(entry.type)
            csv.text(entry.actor)
            csv.text(entry.source)
            csv.text(entry.details)
            if let retraction = entry.retractedBy { csv.text("retracted by " + retraction) } else { csv.text("") }
            csv.endRow()
            csv.writeOut(ifAtLeast: pieceBytes, to: output)
        }
    }
}
