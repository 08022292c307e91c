import IncentivesDomain
import LedgerLog

/// What every daily command shares: its options, reading typed values (a malformed value is a
/// usage error, 64; a well-formed value the ledger refuses is bad data, 65), and building the one
/// draft it submits through `append`'s path. The commands themselves are grouped by what they
/// concern: `ProgrammeShortcuts`, `GrantShortcuts`, `EnterpriseShortcuts`, `CentreShortcuts`.
enum ShortcutCommands {
    static let common = ["events", "format", "id", "effective", "recorded", "actor", "source"]
    static let flags = ["dry-run", "strict"]

    /// A daily command's spec: its own options first, then the shared ones (each listed once).
    /// `idRequired` is for money movements, where a retry must be recognised by its id.
    static func spec(_ name: String, _ summary: String, options: String, values: [String],
                     idRequired: Bool = false) -> CommandSpec {
        let identifier = idRequired ? "--id EVENT-ID " : ""
        let optionalIdentifier = idRequired ? "" : "[--id EVENT-ID] "
        return CommandSpec(
            name: name, summary: summary,
            usage: "incentives \(name) \(identifier)\(options) --effective YYYY-MM-DD --actor WHO --source DOCUMENT "
                + "\(optionalIdentifier)[--dry-run] [--strict] [--format table|json] [--events DIR]",
            valueOptions: common + values, flags: flags)
    }

    static let retractSpec = spec(
        "retract", "retract an event recorded in error (nothing is deleted)",
        options: "--target EVENT-ID --reason TEXT", values: ["target", "reason"])

    static func retract(_ context: CommandContext) throws(LedgerError) -> ExitCode {
        let target = try identifier(context, "target")
        return try submit(context, kind: .eventRetracted, defaultId: "retract:" + target, data: [
            ("reason", .text(try required(context, "reason"))), ("target", .text(target)),
        ])
    }

    // MARK: Reading options

    static func required(_ context: CommandContext, _ option: String) throws(LedgerError) -> String {
        guard let value = context.arguments.value(option), !value.isEmpty else {
            let usage = CLI.commands.first { $0.spec.name == context.command }?.spec.usage ?? ""
            throw .usage("\(context.command): --\(option) is required; usage: \(usage)")
        }
        return value
    }

    /// An id of a grant, programme, centre or event: 1–64 characters from `A-Za-z0-9._:-`.
    static func identifier(_ context: CommandContext, _ option: String) throws(LedgerError) -> String {
        let text = try required(context, option)
        guard EventID(rawValue: text) != nil else {
            throw .usage("\(context.command): --\(option) \"\(text)\" is not an id: use 1–64 characters from A-Za-z0-9._:- (no spaces)")
        }
        return text
    }

    /// A Unified Social Credit Code of the right form (its check digit is audited, not refused).
    static func enterpriseCode(_ context: CommandContext) throws(LedgerError) -> String {
        let text = try required(context, "enterprise")
        if let problem = EnterpriseCode.formatProblem(text) { throw .usage("\(context.command): --enterprise: \(problem)") }
        return text
    }

    /// An amount typed in yuan, exactly in fen: malformed is a usage error, zero is refused as data.
    static func amount(_ context: CommandContext, _ option: String = "amount") throws(LedgerError) -> Int64 {
        let text = try required(context, option)
        return try fen(context, option, text)
    }

    static func optionalAmount(_ context: CommandContext, _ option: String) throws(LedgerError) -> Int64? {
        guard let text = context.arguments.value(option) else { return nil }
        return try fen(context, option, text)
    }

    private static func fen(_ context: CommandContext, _ option: String, _ text: String) throws(LedgerError) -> Int64 {
        switch YuanAmount.parseFen(text) {
        case .success(let fen):
            guard fen > 0 else { throw .badData("\(context.command): --\(option) must be positive, got \(text)") }
            return fen
        case .failure(let error):
            throw .usage("\(context.command): --\(option) \"\(text)\": \(error.message)")
        }
    }

    /// A whole number; its range is the event schema's to judge.
    static func integer(_ context: CommandContext, _ option: String, required isRequired: Bool = true) throws(LedgerError) -> Int64? {
        guard let text = isRequired ? try required(context, option) : context.arguments.value(option) else { return nil }
        guard text.utf8.count <= 18, !text.isEmpty, text.utf8.allSatisfy({ (48...57).contains($0) }), let value = Int64(text) else {
            throw .usage("\(context.command): --\(option) must be a whole number written with digits 0-9, not \"\(text)\"")
        }
        return value
    }

    static func tier(_ context: CommandContext, _ option: String = "tier", required isRequired: Bool = true) throws(LedgerError) -> String? {
        guard let text = isRequired ? try required(context, option) : context.arguments.value(option) else { return nil }
        let choices = Tier.allCases.filter { $0 != .none }.map(\.name)
        guard choices.contains(text) else {
            throw .usage("\(context.command): --\(option) must be one of \(choices.joined(separator: ", ")), not \"\(text)\"")
        }
        return text
    }

    static func centreKind(_ context: CommandContext) throws(LedgerError) -> String {
        let text = try required(context, "kind")
        guard CentreKind(name: text) != nil else {
            throw .usage("\(context.command): --kind must be one of \(CentreKind.names.joined(separator: ", ")), not \"\(text)\"")
        }
        return text
    }

    static func effective(_ context: CommandContext) throws(LedgerError) -> CalendarDate {
        let text = try required(context, "effective")
        guard let date = CalendarDate(parsing: text) else {
            throw .usage("\(context.command): --effective \"\(text)\" is not a real date in the form YYYY-MM-DD")
        }
        return date
    }

    // MARK: Submitting

    static func submit(_ context: CommandContext, kind: EventKind, defaultId: String?,
                       data: [(String, JSONValue)]) throws(LedgerError) -> ExitCode {
        let format = try context.format()
        guard format != .csv else { throw .usage("\(context.command): --format must be table or json") }
        let effective = try effective(context)
        // Still read, so that a time given here is refused (65) with the reason, like a draft's
        // `recorded` in `append`: the ledger's clock records every event (see `RecordedTime`).
        var recorded: Timestamp? = nil
        if let text = context.arguments.value("recorded") {
            guard let moment = Timestamp(parsing: text) else {
                throw .usage("\(context.command): --recorded \"\(text)\" is not a UTC time in the form YYYY-MM-DDTHH:MM:SSZ")
            }
            recorded = moment
        }
        let actor = context.arguments.value("actor") ?? context.environment["INCENTIVES_ACTOR"] ?? ""
        guard !actor.isEmpty else {
            throw .usage("\(context.command): say who records this with --actor NAME (or set INCENTIVES_ACTOR)")
        }
        if context.arguments.value("id") != nil { _ = try identifier(context, "id") }
        guard let id = context.arguments.value("id") ?? defaultId else {
            throw .usage("\(context.command): --id is required: each payment needs its own id, so that a retry is recognised and not paid twice")
        }
        let object: JSONObject
        if case .object(let built) = JSONValue.record(data) { object = built } else { preconditionFailure("a record is an object") }
        let draft = try EventDraft.make(id: id, kind: kind, effective: effective, recorded: recorded, actor: actor,
                                        source: try required(context, "source"), data: object,
                                        origin: "the \(context.command) command")
        return try DraftSubmission.submit([draft], context: context, format: format)
    }
}
