import IncentivesDomain
import LedgerLog

/// Daily commands for grants: award, pay, amend, revoke, recover. Amounts are typed in yuan and
/// converted exactly to fen. Money movements need their own `--id`, so a retry is never paid twice.
enum GrantShortcuts {
    static let awardSpec = ShortcutCommands.spec(
        "award", "award a grant (amount in yuan)",
        options: "--grant ID --enterprise USCC --programme ID --amount YUAN --project TEXT",
        values: ["grant", "enterprise", "programme", "amount", "project"])
    static let disburseSpec = ShortcutCommands.spec(
        "disburse", "record a payment on a grant (amount in yuan; --id required, one per payment)",
        options: "--grant ID --amount YUAN", values: ["grant", "amount"], idRequired: true)
    static let amendSpec = ShortcutCommands.spec(
        "amend", "amend a grant's awarded amount (the new amount in yuan)",
        options: "--grant ID --amount YUAN", values: ["grant", "amount"])
    static let revokeSpec = ShortcutCommands.spec(
        "revoke", "revoke a grant", options: "--grant ID --reason TEXT", values: ["grant", "reason"])
    static let recoverSpec = ShortcutCommands.spec(
        "recover", "record money recovered on a grant (amount in yuan; --id required, one per recovery)",
        options: "--grant ID --amount YUAN", values: ["grant", "amount"], idRequired: true)

    static func award(_ context: CommandContext) throws(LedgerError) -> ExitCode {
        let grant = try ShortcutCommands.identifier(context, "grant")
        return try ShortcutCommands.submit(context, kind: .grantAwarded, defaultId: "award:" + grant, data: [
            ("amountFen", .integer(try ShortcutCommands.amount(context))),
            ("enterprise", .text(try ShortcutCommands.enterpriseCode(context))),
            ("grant", .text(grant)), ("programme", .text(try ShortcutCommands.identifier(context, "programme"))),
            ("project", .text(try ShortcutCommands.required(context, "project"))),
        ])
    }

    static func disburse(_ context: CommandContext) throws(LedgerError) -> ExitCode {
        try money(context, kind: .grantDisbursed, what: "payment")
    }

    static func recover(_ context: CommandContext) throws(LedgerError) -> ExitCode {
        try money(context, kind: .grantRecovered, what: "recovery")
    }

    static func amend(_ context: CommandContext) throws(LedgerError) -> ExitCode {
        let grant = try ShortcutCommands.identifier(context, "grant")
        let effective = try ShortcutCommands.required(context, "effective")
        return try ShortcutCommands.submit(context, kind: .grantAmended, defaultId: "amend:\(grant):\(effective)", data: [
            ("amountFen", .integer(try ShortcutCommands.amount(context))), ("grant", .text(grant)),
        ])
    }

    static func revoke(_ context: CommandContext) throws(LedgerError) -> ExitCode {
        let grant = try ShortcutCommands.identifier(context, "grant")
        return try ShortcutCommands.submit(context, kind: .grantRevoked, defaultId: "revoke:" + grant, data: [
            ("grant", .text(grant)), ("reason", .text(try ShortcutCommands.required(context, "reason"))),
        ])
    }

    private static func money(_ context: CommandContext, kind: EventKind, what: String) throws(LedgerError) -> ExitCode {
        guard context.arguments.value("id") != nil else {
            throw .usage("\(context.command): --id is required: each \(what) needs its own id, so that a retry is recognised and not paid twice")
        }
        return try ShortcutCommands.submit(context, kind: kind, defaultId: nil, data: [
            ("amountFen", .integer(try ShortcutCommands.amount(context))),
            ("grant", .text(try ShortcutCommands.identifier(context, "grant"))),
        ])
    }
}
