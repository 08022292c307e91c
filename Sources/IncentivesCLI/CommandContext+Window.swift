import IncentivesDomain
import LedgerLog

/// Transaction times as people give and read them, in the ledger's time zone, and the window
/// and heads every answer names.
extension CommandContext {
    /// The ledger's time zone from its `ledger.json`; China Standard Time (+08:00) for a ledger
    /// without one (from before manifests).
    func timeZone() throws(LedgerError) -> LedgerTimeZone {
        LedgerTimeZone(manifest: try LedgerManifest.read(directory: eventsDirectory))
    }

    /// The one reading of a transaction time given as an option (`--known-at`, `--reported-at`):
    /// `YYYY-MM-DDTHH:MM:SSZ`, `YYYY-MM-DDTHH:MM:SS±HH:MM`, or `YYYY-MM-DD` for the end of that
    /// day in the ledger's time zone. Nil when the option is absent; malformed is a usage error.
    func moment(_ option: String) throws(LedgerError) -> Timestamp? {
        guard let text = arguments.value(option) else { return nil }
        switch LedgerTimeZone.parse(text) {
        case .moment(let moment)?: return moment
        case .endOfDate(let date)?: return try timeZone().endOfDay(date)
        case nil: throw .usage("\(command): --\(option) \"\(text)\" is not a time: give \(LedgerTimeZone.forms)")
        }
    }

    /// The heads of the logs known at the window's end (see `AnswerProvenance`).
    func provenance(_ ledger: Ledger, _ window: TimeWindow) throws(LedgerError) -> AnswerProvenance {
        try AnswerProvenance(ledger: ledger, window: window, store: store, verified: !arguments.has("no-verify"))
    }

    /// The lines a table answer begins with: `as of D, known at K` with K in the ledger's zone,
    /// then `heads: LOG EVENTS HASH, ...`. `prefix` replaces the opening words (`audit as of`).
    func windowHeader(_ provenance: AnswerProvenance, prefix: String = "as of", suffix: String = "") throws(LedgerError) -> String {
        let zone = try timeZone()
        let window = provenance.window
        return "\(prefix) \(window.asOf?.description ?? "(no limit)"), known at \(zone.format(window.knownAt))\(suffix)\n"
            + "heads: \(provenance.headsText)\n"
    }

    /// A query's JSON with `asOf`, `knownAt` and `heads` first: an object keeps its other
    /// members (any `asOf`/`knownAt` of its own give way), an array becomes the member `key`.
    func answerJSON(_ body: JSONValue, _ provenance: AnswerProvenance, key: String) -> JSONValue {
        let leading = provenance.jsonMembers
        let names = Set(leading.map(\.0))
        switch body {
        case .object(let object):
            return .record(leading + object.members.filter { !names.contains($0.key) }.map { ($0.key, $0.value) })
        default:
            return .record(leading + [(key, body)])
        }
    }

    /// Opens an answer written as bytes: the object and its leading `asOf`, `knownAt` and
    /// `heads`, as `answerJSON` puts them. The caller writes the other members and closes it.
    func beginAnswer(_ provenance: AnswerProvenance, pretty: Bool = true, capacity: Int = 4096) -> JSONByteWriter {
        var writer = JSONByteWriter(pretty: pretty, capacity: capacity)
        writer.beginObject()
        for (name, value) in provenance.jsonMembers {
            writer.key(text: name)
            writer.value(value)
        }
        return writer
    }
}
