import IncentivesDomain
import LedgerLog

/// `incentives audit`: checks the ledger in a window against the programme rules and the books.
enum AuditCommand {
    static let spec = CommandSpec(
        name: "audit", summary: "check grants against programme caps, tiers, budgets, payments and recording rules",
        usage: "incentives audit [--as-of D] [--known-at K] [--rule RULE]... [--late-days N] [--fail-on warning|error] [--format table|json|csv] [--bom] [--no-verify] [--no-snapshot] [--events DIR]; rules: " + AuditRule.names.joined(separator: ", "),
        valueOptions: ["events", "as-of", "known-at", "format", "late-days", "fail-on"], repeatableOptions: ["rule"],
        flags: QueryOptions.flags)

    static func run(_ context: CommandContext) throws(LedgerError) -> ExitCode {
        let format = try context.format(), window = try context.window()
        let options = Auditor.Options(rules: try rules(context), lateDays: try lateDays(context))
        let failOn = try failOn(context)
        let (report, provenance) = try audit(context, window: window, options: options)
        let header = ["rule", "severity", "subject", "event", "effective", "message"]
        func cells(_ finding: AuditFinding) -> [String] {
            [finding.rule.name, finding.severity.name, finding.subject, finding.event ?? "", finding.effective.description, finding.message]
        }
        switch format {
        case .json:
            // Written finding by finding, members as `AuditReport.json` orders them after the
            // answer's own window and heads.
            var writer = context.beginAnswer(provenance, capacity: 1024 + report.findings.count * 320)
            writer.key("rules")
            writer.beginArray()
            for rule in report.options.rules { writer.string(rule.name) }
            writer.endArray()
            writer.member("lateDays", report.options.lateDays)
            writer.key("counts")
            writer.beginObject()
            for severity in AuditSeverity.allCases.reversed() {
                writer.key(text: severity.name)
                writer.integer(report.count(severity))
            }
            writer.endObject()
            writer.key("findings")
            writer.beginArray()
            for finding in report.findings {
                writer.beginObject()
                writer.member("rule", finding.rule.name)
                writer.member("severity", finding.severity.name)
                writer.member("subject", finding.subject)
                writer.member("event", finding.event)
                writer.key("effective")
                writer.date(finding.effective)
                writer.member("message", finding.message)
                writer.endObject()
            }
            writer.endArray()
            writer.endObject()
            context.printJSON(writer)
        case .csv:
            var csv = CSVWriter(header: header, byteOrderMark: context.arguments.has("bom"))
            for finding in report.findings {
                csv.text(finding.rule.name)
                csv.text(finding.severity.name)
                csv.text(finding.subject)
                csv.text(finding.event ?? "")
                csv.date(finding.effective)
                csv.text(finding.message)
                csv.endRow()
            }
            context.printCSV(csv)
        case .table:
            let rules = options.rules.count == AuditRule.allCases.count ? "all" : options.rules.map(\.name).joined(separator: ", ")
            context.io.write(try context.windowHeader(provenance, prefix: "audit as of", suffix: "; rules: \(rules)") + "\n")
            if report.findings.isEmpty {
                context.io.write("no findings\n")
            } else {
                var table = TextTable(columns: header.map { .init(title: $0) })
                for finding in report.findings { table.addRow(cells(finding)) }
                context.io.write(table.renderBytes())
            }
            let counts = AuditSeverity.allCases.reversed().map { "\(report.count($0)) \($0.name)\(report.count($0) == 1 || $0 == .info ? "" : "s")" }
            context.io.write("\n\(report.findings.count) finding\(report.findings.count == 1 ? "" : "s"): \(counts.joined(separator: ", "))\n")
        }
        if let failOn, report.hasFinding(atLeast: failOn) {
            context.io.writeError("audit: findings at or above \(failOn.name) (--fail-on \(failOn.name))\n")
            return .findings
        }
        return .success
    }

    /// The report and where it came from: the findings an earlier audit kept at the heads when
    /// the logs are proven to stand as it read them (`KeptAuditFindings`), else an audit of the
    /// ledger, whose findings are then kept when its window is the heads'. Neither with
    /// `--no-snapshot` or `--no-verify`: the cache is the snapshot's, and trusts what it trusts.
    static func audit(_ context: CommandContext, window: TimeWindow,
                      options: Auditor.Options) throws(LedgerError) -> (AuditReport, AnswerProvenance) {
        let caches = context.usesSnapshot && !context.arguments.has("no-verify")
        let trace = context.environment["INCENTIVES_SNAPSHOT_TRACE"] == "1"
        if caches, let kept = KeptAuditFindings.read(store: context.store, environment: context.environment),
           let report = kept.report(in: window, options: options) {
            if trace { context.io.writeError("incentives audit: the findings kept at the heads, the logs unchanged since\n") }
            context.warnAboutInterruptions(kept.logs)
            let heads = kept.logs.map { AnswerProvenance.Head(log: $0.log, events: $0.events, head: $0.head) }
            return (report, AnswerProvenance(window: window, heads: heads))
        }
        // Before any stamp of this read is taken: what the kept findings' stamps are judged by.
        let startedAt = LogStamp.nowNanoseconds()
        let ledger = try context.loadLedger(.everyEvent(actorsAndSources: false, lookups: []))
        let report = Auditor(ledger: ledger, window: window, options: options).run()
        let provenance = try context.provenance(ledger, window)
        if caches {
            let failure = KeptAuditFindings.keep(report, logs: ledger.logs, stampsTakenAfter: startedAt, store: context.store,
                                                 environment: context.environment)
            if trace { context.io.writeError("incentives audit: findings \(failure.map { "not kept: \($0)" } ?? "kept at the heads")\n") }
        }
        return (report, provenance)
    }

    /// `--rule` may repeat and may list several rules separated by commas; none means all.
    static func rules(_ context: CommandContext) throws(LedgerError) -> [AuditRule] {
        let given = context.arguments.all("rule").flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }
        guard !given.isEmpty else { return AuditRule.allCases }
        var rules: [AuditRule] = []
        for name in given {
            guard let rule = AuditRule(name: String(name)) else {
                throw .usage("audit: unknown rule \"\(name)\"; the rules are \(AuditRule.names.joined(separator: ", "))")
            }
            rules.append(rule)
        }
        return rules
    }

    static func lateDays(_ context: CommandContext) throws(LedgerError) -> Int {
        guard let text = context.arguments.value("late-days") else { return Auditor.Options.defaultLateDays }
        let range = Auditor.Options.lateDaysRange
        guard let days = Int(text), range.contains(days) else {
            throw .usage("audit: --late-days must be a whole number of days from \(range.lowerBound) to \(range.upperBound), not \"\(text)\"")
        }
        return days
    }

    static func failOn(_ context: CommandContext) throws(LedgerError) -> AuditSeverity? {
        guard let text = context.arguments.value("fail-on") else { return nil }
        guard let severity = AuditSeverity(name: text), severity != .info else {
            throw .usage("audit: --fail-on must be warning or error, not \"\(text)\"")
        }
        return severity
    }
}
