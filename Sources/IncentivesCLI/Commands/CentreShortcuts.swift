import IncentivesDomain
import LedgerLog

/// Daily commands for innovation centres: opening and closing.
enum CentreShortcuts {
    static let openSpec = ShortcutCommands.spec(
        "open-centre", "open an innovation centre",
        options: "--centre ID --name TEXT --kind innovation|offshore|rnd --city TEXT [--partner TEXT]",
        values: ["centre", "name", "kind", "city", "partner"])
    static let closeSpec = ShortcutCommands.spec(
        "close-centre", "close an innovation centre", options: "--centre ID --reason TEXT", values: ["centre", "reason"])

    static func open(_ context: CommandContext) throws(LedgerError) -> ExitCode {
        let centre = try ShortcutCommands.identifier(context, "centre")
        var data: [(String, JSONValue)] = [
            ("centre", .text(centre)), ("city", .text(try ShortcutCommands.required(context, "city"))),
            ("kind", .text(try ShortcutCommands.centreKind(context))),
            ("name", .text(try ShortcutCommands.required(context, "name"))),
        ]
        if let partner = context.arguments.value("partner") { data.append(("partner", .text(partner))) }
        return try ShortcutCommands.submit(context, kind: .centreOpened, defaultId: "open:" + centre, data: data)
    }

    static func close(_ context: CommandContext) throws(LedgerError) -> ExitCode {
        let centre = try ShortcutCommands.identifier(context, "centre")
        return try ShortcutCommands.submit(context, kind: .centreClosed, defaultId: "close:" + centre, data: [
            ("centre", .text(centre)), ("reason", .text(try ShortcutCommands.required(context, "reason"))),
        ])
    }
}
