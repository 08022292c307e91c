import IncentivesDomain
import LedgerLog

/// The daily work as commands: each builds one draft and appends it through `append`'s path.
/// Amounts are typed in yuan and converted exactly to fen.
enum ShortcutCommands {
    static let common = ["events", "format", "id", "effective", "recorded", "actor", "source"]
    static let commonUsage = "--effective YYYY-MM-DD --actor WHO --source DOCUMENT [--id EVENT-ID] [--events DIR]"

    static let awardSpec = CommandSpec(
        name: "award", summary: "award a grant (amount in yuan)",
        usage: "incentives award --grant ID --enterprise USCC --programme ID --amount YUAN --project TEXT " + commonUsage,
        valueOptions: common + ["grant", "enterprise", "programme", "amount", "project"])
    static let disburseSpec = CommandSpec(
        name: "disburse", summary: "record a payment on a grant (amount in yuan; --id required, one per payment)",
        usage: "incentives disburse --id EVENT-ID --grant ID --amount YUAN " + commonUsage,
        valueOptions: common + ["grant", "amount"])
    static let promoteSpec = CommandSpec(
        name: "promote", summary: "promote an enterprise to a higher Yanzhen tier",
        usage: "incentives promote --enterprise USCC --tier startup|sme|high-tech|influential " + commonUsage,
        valueOptions: common + ["enterprise", "tier"])
    static let openCentreSpec = CommandSpec(
        name: "open-centre", summary: "open an innovation centre",
        usage: "incentives open-centre --centre ID --name TEXT --kind innovation|offshore|rnd --city TEXT [--partner TEXT] " + commonUsage,
        valueOptions: common + ["centre", "name", "kind", "city", "partner"])
    static let retractSpec = CommandSpec(
        name: "retract", summary: "retract an event recorded in error (nothing is deleted)",
        usage: "incentives retract --target EVENT-ID --reason TEXT " + commonUsage,
        valueOptions: common + ["target", "reason"])

    static func award(_ context: CommandContext) throws(LedgerError) -> ExitCode {
        let grant = try required(context, "grant")
        return try submit(context, kind: .grantAwarded, defaultId: "award:" + grant, data: [
            ("amountFen", .integer(try amount(context))), ("enterprise", .text(try required(context, "enterprise"))),
            ("grant", .text(grant)), ("programme", .text(try required(context, "programme"))),
            ("project", .text(try required(context, "project"))),
        ])
    }

    static func disburse(_ context: CommandContext) throws(LedgerError) -> ExitCode {
        guard context.arguments.value("id") != nil else {
            throw .usage("disburse: --id is required: each payment needs its own id, so that a retry is recognised and not paid twice")
        }
        return try submit(context, kind: .grantDisbursed, defaultId: nil, data: [
            ("amountFen", .integer(try amount(context))), ("grant", .text(try required(context, "grant"))),
        ])
    }

    static func promote(_ context: CommandContext) throws(LedgerError) -> ExitCode {
        let enterprise = try required(context, "enterprise"), tier = try required(context, "tier")
        let effective = try required(context, "effective")
        return try submit(context, kind: .tierPromoted, defaultId: "promote:\(enterprise):\(tier):\(effective)", data: [
            ("enterprise", .text(enterprise)), ("tier", .text(tier)),
        ])
    }

    static func openCentre(_ context: CommandContext) throws(LedgerError) -> ExitCode {
        let centre = try required(context, "centre")
        var data: [(String, JSONValue)] = [
            ("centre", .text(centre)), ("city", .text(try required(context, "city"))),
            ("kind", .text(try required(context, "kind"))), ("name", .text(try required(context, "name"))),
        ]
        if let partner = context.arguments.value("partner") { data.append(("partner", .text(partner))) }
        return try submit(context, kind: .centreOpened, defaultId: "open:" + centre, data: data)
    }

    static func retract(_ context: CommandContext) throws(LedgerError) -> ExitCode {
        let target = try required(context, "target")
        return try submit(context, kind: .eventRetracted, defaultId: "retract:" + target, data: [
            ("reason", .text(try required(context, "reason"))), ("target", .text(target)),
        ])
    }

    static func required(_ context: CommandContext, _ option: String) throws(LedgerError) -> String {
        guard let value = context.arguments.value(option), !value.isEmpty else {
            throw .usage("\(context.command): --\(option) is required; usage: \(CLI.commands.first { $0.spec.name == context.command }!.spec.usage)")
        }
        return value
    }

    static func amount(_ context: CommandContext) throws(LedgerError) -> Int64 {
        let text = try required(context, "amount")
        switch YuanAmount.parseFen(text) {
        case .success(let fen):
            guard fen > 0 else { throw .badData("\(context.command): --amount must be positive, got \(text)") }
            return fen
        case .failure(let error):
            throw .badData("\(context.command): --amount \"\(text)\": \(error.message)")
        }
    }

    static func submit(_ context: CommandContext, kind: EventKind, defaultId: String?,
                       data: [(String, JSONValue)]) throws(LedgerError) -> ExitCode {
        let format = try context.format()
        guard format != .csv else { throw .usage("\(context.command): --format must be table or json") }
        let effectiveText = try required(context, "effective")
        guard let effective = CalendarDate(parsing: effectiveText) else {
            throw .badData("\(context.command): --effective \"\(effectiveText)\" is not a real date in the form YYYY-MM-DD")
        }
        var recorded: Timestamp? = nil
        if let text = context.arguments.value("recorded") {
            guard let moment = Timestamp(parsing: text) else {
                throw .badData("\(context.command): --recorded \"\(text)\" is not a UTC time in the form YYYY-MM-DDTHH:MM:SSZ")
            }
            recorded = moment
        }
        let actor = context.arguments.value("actor") ?? context.environment["INCENTIVES_ACTOR"] ?? ""
        guard !actor.isEmpty else {
            throw .usage("\(context.command): say who records this with --actor NAME (or set INCENTIVES_ACTOR)")
        }
        let id = context.arguments.value("id") ?? defaultId!
        let object: JSONObject
        if case .object(let built) = JSONValue.record(data) { object = built } else { preconditionFailure("a record is an object") }
        let draft = try EventDraft.make(id: id, kind: kind, effective: effective, recorded: recorded, actor: actor,
                                        source: try required(context, "source"), data: object,
                                        origin: "the \(context.command) command")
        return try AppendCommand.commit([draft], context: context, format: format)
    }
}
