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
        // Tables show recorded times in the ledger's zone; CSV keeps UTC, as JSON does.
        func cells(_ entry: History.Entry, zoned: Bool = false) -> [String] {
            [zoned ? zone.format(entry.recorded) : entry.recorded.description, entry.effective.description, entry.event, entry.type, entry.actor, entry.source,
             entry.details, entry.retractedBy.map { "retracted by \($0)" } ?? ""]
        }
        switch format {
        case .json:
            // Written entry by entry, members as `History.json` orders them.
            var writer = context.beginAnswer(provenance, capacity: 256 + history.entries.count * 512)
            writer.member("subject", history.subject)
            writer.key("events")
            writer.beginArray()
            for entry in history.entries {
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
            }
            writer.endArray()
            writer.endObject()
            context.printJSON(writer)
        case .csv:
            var csv = CSVWriter(header: header, byteOrderMark: context.arguments.has("bom"))
            for entry in history.entries {
                csv.timestamp(entry.recorded)
                csv.date(entry.effective)
                csv.text(entry.event)
                csv.text(entry.type)
                csv.text(entry.actor)
                csv.text(entry.source)
                csv.text(entry.details)
                if let retraction = entry.retractedBy { csv.text("retracted by " + retraction) } else { csv.text("") }
                csv.endRow()
            }
            context.printCSV(csv)
        case .table:
            context.io.write(try context.windowHeader(provenance) + "\n")
            var table = TextTable(columns: header.map { .init(title: $0) })
            for entry in history.entries { table.addRow(cells(entry, zoned: true)) }
            context.io.write(table.renderBytes())
        }
        return .success
    }
}
