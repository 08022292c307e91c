import IncentivesDomain
import LedgerLog

/// Daily commands for enterprises: registration, evaluations, tier moves, deregistration.
enum EnterpriseShortcuts {
    static let registerSpec = ShortcutCommands.spec(
        "register", "register an enterprise by its Unified Social Credit Code",
        options: "--enterprise USCC --name TEXT --sector TEXT", values: ["enterprise", "name", "sector"])
    static let evaluateSpec = ShortcutCommands.spec(
        "evaluate", "record an innovation-capability evaluation (score 0 to 100)",
        options: "--enterprise USCC --score N", values: ["enterprise", "score"])
    static let promoteSpec = ShortcutCommands.spec(
        "promote", "promote an enterprise to a higher Yanzhen tier",
        options: "--enterprise USCC --tier startup|sme|high-tech|influential", values: ["enterprise", "tier"])
    static let demoteSpec = ShortcutCommands.spec(
        "demote", "demote an enterprise to a lower Yanzhen tier",
        options: "--enterprise USCC --tier startup|sme|high-tech|influential", values: ["enterprise", "tier"])
    static let deregisterSpec = ShortcutCommands.spec(
        "deregister", "deregister an enterprise", options: "--enterprise USCC --reason TEXT", values: ["enterprise", "reason"])

    static func register(_ context: CommandContext) throws(LedgerError) -> ExitCode {
        let enterprise = try ShortcutCommands.enterpriseCode(context)
        return try ShortcutCommands.submit(context, kind: .enterpriseRegistered, defaultId: "register:" + enterprise, data: [
            ("enterprise", .text(enterprise)), ("name", .text(try ShortcutCommands.required(context, "name"))),
            ("sector", .text(try ShortcutCommands.required(context, "sector"))),
        ])
    }

    static func evaluate(_ context: CommandContext) throws(LedgerError) -> ExitCode {
        let enterprise = try ShortcutCommands.enterpriseCode(context)
        let score = try ShortcutCommands.integer(context, "score")!
        let effective = try ShortcutCommands.required(context, "effective")
        return try ShortcutCommands.submit(context, kind: .capabilityEvaluated, defaultId: "evaluate:\(enterprise):\(effective)",
                                           data: [("enterprise", .text(enterprise)), ("score", .integer(score))])
    }

    static func promote(_ context: CommandContext) throws(LedgerError) -> ExitCode {
        try move(context, kind: .tierPromoted, prefix: "promote")
    }

    static func demote(_ context: CommandContext) throws(LedgerError) -> ExitCode {
        try move(context, kind: .tierDemoted, prefix: "demote")
    }

    static func deregister(_ context: CommandContext) throws(LedgerError) -> ExitCode {
        let enterprise = try ShortcutCommands.enterpriseCode(context)
        return try ShortcutCommands.submit(context, kind: .enterpriseDeregistered, defaultId: "deregister:" + enterprise, data: [
            ("enterprise", .text(enterprise)), ("reason", .text(try ShortcutCommands.required(context, "reason"))),
        ])
    }

    private static func move(_ context: CommandContext, kind: EventKind, prefix: String) throws(LedgerError) -> ExitCode {
        let enterprise = try ShortcutCommands.enterpriseCode(context)
        let tier = try ShortcutCommands.tier(context)!
        let effective = try ShortcutCommands.required(context, "effective")
        return try ShortcutCommands.submit(context, kind: kind, defaultId: "\(prefix):\(enterprise):\(tier):\(effective)", data: [
            ("enterprise", .text(enterprise)), ("tier", .text(tier)),
        ])
    }
}
