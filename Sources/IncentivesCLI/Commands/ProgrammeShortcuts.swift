import IncentivesDomain
import LedgerLog

/// Daily commands for programmes: establishing one, amending its terms, appropriating its budget.
enum ProgrammeShortcuts {
    static let establishSpec = ShortcutCommands.spec(
        "establish-programme", "establish an incentive programme (cap in yuan)",
        options: "--programme ID --name TEXT [--min-tier TIER] [--cap YUAN --cap-years N]",
        values: ["programme", "name", "min-tier", "cap", "cap-years"])
    static let amendSpec = ShortcutCommands.spec(
        "amend-programme", "amend a programme's terms from the effective date on (cap in yuan)",
        options: "--programme ID [--name TEXT] [--min-tier TIER] [--cap YUAN] [--cap-years N]",
        values: ["programme", "name", "min-tier", "cap", "cap-years"])
    static let appropriateSpec = ShortcutCommands.spec(
        "appropriate", "appropriate a programme's budget for a year (amount in yuan)",
        options: "--programme ID --year YYYY --amount YUAN", values: ["programme", "year", "amount"])

    static func establish(_ context: CommandContext) throws(LedgerError) -> ExitCode {
        let programme = try ShortcutCommands.identifier(context, "programme")
        var data = try terms(context)
        data.append(("name", .text(try ShortcutCommands.required(context, "name"))))
        data.append(("programme", .text(programme)))
        return try ShortcutCommands.submit(context, kind: .programmeEstablished, defaultId: "programme:" + programme,
                                           data: data)
    }

    static func amend(_ context: CommandContext) throws(LedgerError) -> ExitCode {
        let programme = try ShortcutCommands.identifier(context, "programme")
        var data = try terms(context)
        if let name = context.arguments.value("name") { data.append(("name", .text(name))) }
        guard !data.isEmpty else {
            throw .usage("amend-programme: say what changes: --name, --min-tier, --cap or --cap-years")
        }
        data.append(("programme", .text(programme)))
        let effective = try ShortcutCommands.required(context, "effective")
        return try ShortcutCommands.submit(context, kind: .programmeAmended,
                                           defaultId: "amend-programme:\(programme):\(effective)", data: data)
    }

    static func appropriate(_ context: CommandContext) throws(LedgerError) -> ExitCode {
        let programme = try ShortcutCommands.identifier(context, "programme")
        let year = try ShortcutCommands.integer(context, "year")!
        let effective = try ShortcutCommands.required(context, "effective")
        return try ShortcutCommands.submit(context, kind: .budgetAppropriated,
                                           defaultId: "appropriate:\(programme):\(year):\(effective)", data: [
            ("amountFen", .integer(try ShortcutCommands.amount(context))), ("programme", .text(programme)),
            ("year", .integer(year)),
        ])
    }

    /// The optional terms, in canonical member order (capFen, capYears, minTier).
    private static func terms(_ context: CommandContext) throws(LedgerError) -> [(String, JSONValue)] {
        var data: [(String, JSONValue)] = []
        if let cap = try ShortcutCommands.optionalAmount(context, "cap") { data.append(("capFen", .integer(cap))) }
        if let years = try ShortcutCommands.integer(context, "cap-years", required: false) { data.append(("capYears", .integer(years))) }
        if let tier = try ShortcutCommands.tier(context, "min-tier", required: false) { data.append(("minTier", .text(tier))) }
        return data
    }
}
