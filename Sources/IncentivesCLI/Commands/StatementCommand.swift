import IncentivesDomain
import LedgerLog

/// `incentives statement USCC --html FILE`: one enterprise's statement as a printable HTML page.
enum StatementCommand {
    static let spec = CommandSpec(
        name: "statement", summary: "write one enterprise's statement (tiers, grants, payments, findings) as one HTML file",
        usage: "incentives statement USCC --html FILE|- [--as-of D] [--known-at K] [--no-verify] [--no-snapshot] [--events DIR]",
        valueOptions: ["events", "as-of", "known-at", "html"], flags: ["no-verify", "no-snapshot"], positionals: 1...1)

    static func run(_ context: CommandContext) throws(LedgerError) -> ExitCode {
        let output = try ReportCommand.htmlPath(context)
        let window = try context.window()
        let code = context.arguments.positionals[0]
        if let problem = EnterpriseCode.formatProblem(code) { throw .usage("statement: \(problem)") }
        let ledgerId = try LedgerManifest.read(directory: context.eventsDirectory)?.ledgerId
        let ledger = try context.loadLedger(.everyEvent(actorsAndSources: false, lookups: [.enterprises]))
        let notRegistered = LedgerError.badData("statement: enterprise \(code) is not registered in the ledger as of \(window.asOf?.description ?? "now"), known at \(window.knownAt); check the code, or try `incentives history \(code)`")
        // A code the ledger never saw is refused before any replay.
        guard ledger.enterprises.find(code) != nil else { throw notRegistered }
        // The statement is made from the audit's own replay of the window: one replay, not two.
        let (audit, found) = Auditor(ledger: ledger, window: window).run { models in
            EnterpriseStatement(ledger: ledger, window: window, models: models, code: code)
        }
        guard let statement = found else { throw notRegistered }
        let findings = audit.findings.filter(statement.concerns)
        var command = "incentives statement \(code) --html \(output) --known-at \(window.knownAt)"
        if let asOf = window.asOf { command += " --as-of \(asOf)" }
        if context.eventsDirectory != "Events" { command += " --events \(context.eventsDirectory)" }
        let bytes = StatementPage(statement: statement, window: window, logs: ledger.logs, findings: findings,
                                  ledgerId: ledgerId, command: command).render()
        try ReportCommand.deliver(bytes, to: output, context: context)
        return .success
    }
}
