import IncentivesDomain
import LedgerLog

/// `incentives enterprise USCC`: one enterprise, its tiers and its grants.
enum EnterpriseCommand {
    static let spec = CommandSpec(
        name: "enterprise", summary: "an enterprise's registration, tier history, last score and every grant",
        usage: "incentives enterprise USCC " + QueryOptions.usage,
        valueOptions: QueryOptions.values, flags: QueryOptions.flags, positionals: 1...1)

    static func run(_ context: CommandContext) throws(LedgerError) -> ExitCode {
        let format = try context.format(), unit = try context.unit(), window = try context.window()
        let code = context.arguments.positionals[0]
        if let problem = EnterpriseCode.formatProblem(code) { throw .usage("enterprise: \(problem)") }
        let ledger = try context.loadLedger(EnterpriseProfile.scope(window))
        let models = ledger.models(in: window)
        guard let profile = EnterpriseProfile(ledger: ledger, models: models, code: code) else {
            throw .badData("enterprise \(code) is not registered in the ledger as of \(window.asOf?.description ?? "now"), known at \(window.knownAt); check the code, or try `incentives history \(code)`")
        }
        try profile.checkShown()
        let provenance = try context.provenance(ledger, window)
        switch format {
        case .json:
            context.printJSON(context.answerJSON(profile.json, provenance, key: "enterprise"))
        case .csv:
            let money = ["original", "awarded", "disbursed", "recovered", "owed"].map { MoneyColumn.title($0, unit: unit) }
            var csv = CSVWriter(header: ["enterprise", "grant", "programme", "project", "awarded on", "tierAtGrant"] + money + ["status"],
                                byteOrderMark: context.arguments.has("bom"), numberColumns: Set(money))
            for grant in profile.grants {
                csv.addRow([profile.code, grant.grant, grant.programme, grant.project, grant.awarded.description, grant.tierAtGrant.name]
                           + [Int128(grant.originalFen), Int128(grant.awardedFen), grant.disbursedFen, grant.recoveredFen, grant.owedFen]
                               .map { MoneyColumn.plain(fen: $0, unit: unit) }
                           + [grant.status])
            }
            context.printCSV(csv)
        case .table:
            var text = try context.windowHeader(provenance) + "\n"
            text += "\(profile.name) (\(profile.code))\n"
            text += "sector: \(profile.sector)\n"
            text += "registered: \(profile.registered)" + (profile.deregistered.map { ", deregistered \($0)" } ?? "") + "\n"
            text += "tier: \(profile.tier)\n"
            text += "last score: " + (profile.lastScore.map { "\($0) on \(profile.lastScoreDate!)" } ?? "none") + "\n"
            if !profile.checkDigitValid { text += "warning: the code's GB 32100-2015 check digit does not match\n" }
            context.io.write(text + "\ntier history\n")
            var history = TextTable(columns: [.init(title: "effective"), .init(title: "from"), .init(title: "to"), .init(title: "event")])
            for step in profile.history { history.addRow([step.effective.description, step.from.name, step.to.name, step.event]) }
            context.io.write(history.render() + "\ngrants\n")
            var grants = TextTable(columns: [
                .init(title: "grant"), .init(title: "programme"), .init(title: "awarded"), .init(title: "tier"),
                .init(title: MoneyColumn.title("amount", unit: unit), alignment: .right),
                .init(title: MoneyColumn.title("disbursed", unit: unit), alignment: .right),
                .init(title: MoneyColumn.title("recovered", unit: unit), alignment: .right),
                .init(title: MoneyColumn.title("owed", unit: unit), alignment: .right), .init(title: "status"), .init(title: "project"),
            ])
            for grant in profile.grants {
                // A revoked grant's amount counts 0 in the figures; here it shows what was awarded.
                let amountFen = grant.status == "revoked" ? grant.originalFen : grant.awardedFen
                grants.addRow([grant.grant, grant.programme, grant.awarded.description, grant.tierAtGrant.name,
                               MoneyFormat.format(fen: amountFen, unit: unit), MoneyFormat.format(fen: grant.disbursedFen, unit: unit),
                               MoneyFormat.format(fen: grant.recoveredFen, unit: unit), MoneyFormat.format(fen: grant.owedFen, unit: unit),
                               grant.status, grant.project])
            }
            context.io.write(grants.render())
        }
        return .success
    }
}
