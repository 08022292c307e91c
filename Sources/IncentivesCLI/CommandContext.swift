import IncentivesDomain
import LedgerLog

/// Output formats every query offers.
enum OutputFormat: String, CaseIterable {
    case table, json, csv
}

/// What every command needs: its arguments, where to write, the clock, the events directory.
struct CommandContext {
    let io: CommandIO
    let environment: [String: String]
    let clock: any LedgerClock
    let arguments: ParsedArguments
    let command: String
    /// Where `init` takes a new ledger's id from.
    var ledgerIds: LedgerIdSource = .system

    var eventsDirectory: String {
        arguments.value("events") ?? environment["INCENTIVES_EVENTS"].flatMap { $0.isEmpty ? nil : $0 } ?? "Events"
    }

    var store: EventStore { IncentiveLogs.store(directory: eventsDirectory) }

    /// Refuses, with exit 66, an events directory that is not a ledger.
    func requireLedger() throws(LedgerError) {
        try IncentiveLogs.requireLedger(store)
    }

    func format() throws(LedgerError) -> OutputFormat {
        guard let text = arguments.value("format") else { return .table }
        guard let format = OutputFormat(rawValue: text) else {
            throw .usage("\(command): --format must be table, json or csv, not \"\(text)\"")
        }
        return format
    }

    func unit() throws(LedgerError) -> MoneyUnit {
        switch arguments.value("unit") {
        case nil, "yuan": return .yuan
        case "wan": return .wan
        case let other?: throw .usage("\(command): --unit must be yuan or wan (万元), not \"\(other)\"")
        }
    }

    func date(_ option: String) throws(LedgerError) -> CalendarDate? {
        guard let text = arguments.value(option) else { return nil }
        guard let date = CalendarDate(parsing: text) else {
            throw .usage("\(command): --\(option) \"\(text)\" is not a real date in the form YYYY-MM-DD")
        }
        return date
    }

    /// `--as-of D` (a calendar date) and `--known-at K` (see `moment(_:)`; default: now).
    func window() throws(LedgerError) -> TimeWindow {
        let asOf = try date("as-of")
        return TimeWindow(asOf: asOf, knownAt: try moment("known-at") ?? clock.now())
    }

    /// Whether the user's snapshot (in the cache directory, see `SnapshotCache`) may be read and saved: not with `--no-snapshot`
    /// or `INCENTIVES_NO_SNAPSHOT` set (to anything but empty or 0).
    var usesSnapshot: Bool {
        let disabled = environment["INCENTIVES_NO_SNAPSHOT"].map { !$0.isEmpty && $0 != "0" } ?? false
        return !disabled && !arguments.has("no-snapshot")
    }

    /// The ledger, refused unless every log verifies (`--no-verify` answers anyway, on purpose).
    /// From the snapshot and the events after it when it still matches the logs, else from the
    /// logs in full; the answer is the same either way. `INCENTIVES_SNAPSHOT_TRACE=1` says which.
    /// `scope` says what the command needs: a command that reads only the read models at the heads
    /// (and names) says so, and then, for the heads' window, the events are not read at all.
    func loadLedger(_ scope: LedgerScope = .everything) throws(LedgerError) -> Ledger {
        let verify = !arguments.has("no-verify")
        if !verify { io.writeError("warning: --no-verify: answering without checking the hash chains\n") }
        let opening = try Ledger.open(store: store, verify: verify, useSnapshot: usesSnapshot, scope: scope,
                                      environment: environment)
        if environment["INCENTIVES_SNAPSHOT_TRACE"] == "1" { io.writeError("incentives \(command): \(opening.note)\n") }
        warnAboutInterruptions(opening.ledger)
        return opening.ledger
    }

    /// Prints an answer built as parsed values (small answers), pretty, with a final line feed.
    func printJSON(_ value: JSONValue) {
        var writer = JSONByteWriter(pretty: true)
        writer.value(value)
        io.write(writer.finishedLine())
    }

    /// Prints JSON written member by member (large answers), with a final line feed.
    func printJSON(_ writer: consuming JSONByteWriter) {
        io.write(writer.finishedLine())
    }

    /// A long answer goes out in pieces of about this many bytes as it is written, so that an
    /// answer of hundreds of megabytes (`tiers --transitions` of millions of moves) never sits
    /// whole in memory.
    static let outputPieceBytes = 1 << 20

    /// Prints a CSV export as its bytes.
    func printCSV(_ writer: CSVWriter) {
        io.write(writer.bytes)
    }
}

/// Money for CSV: plain yuan with two decimals, no separators, so spreadsheets read numbers.
func plainYuan(_ fen: Int64) -> String { plainYuan(Int128(fen)) }

func plainYuan(_ fen: Int128) -> String {
    let negative = fen < 0
    let magnitude = fen.magnitude
    let cents = magnitude % 100
    return (negative ? "-" : "") + String(magnitude / 100) + "." + (cents < 10 ? "0" : "") + String(cents)
}
