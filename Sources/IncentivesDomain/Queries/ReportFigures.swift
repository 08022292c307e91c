import LedgerLog

/// Everything the published report states, computed once from one replay of one window, so that
/// every number on the page is a domain figure the queries also answer.
public struct ReportFigures: Sendable {
    public var window: TimeWindow
    /// The period the top recipients and the restatements cover; nil for every year.
    public var period: RestatementPeriod?
    public var logs: [LogSummary]
    public var summary: Summary
    public var budget: ProgrammeBudget
    public var tierAwards: TierAwards
    public var tierTimeline: TierTimeline
    public var topRecipients: TopRecipients
    public var audit: AuditReport
    /// With a checkpoint: what it reported and, per period, what changed since.
    public var checkpoint: Checkpoint?
    public var restatements: [Restatement]

    /// Refuses (exit 65) a figure that does not fit the 64-bit fen output shows.
    public init(ledger: Ledger, window: TimeWindow, period: RestatementPeriod? = nil, checkpoint: Checkpoint? = nil) throws(LedgerError) {
        precondition(checkpoint.map { $0.window.knownAt <= window.knownAt } ?? true, "a checkpoint precedes what is known now")
        self.window = window
        self.period = period
        logs = ledger.logs
        let lastDate = window.asOf ?? Projection(ledger: ledger, window: window).latestEffectiveDate() ?? CalendarDate(daysSinceEpoch: 0)
        // The figures are made from the audit's own replay of the window: one replay, not two
        // (at ten million events two replays' models beside the ledger neared the gigabyte).
        let (audit, figures) = try Auditor(ledger: ledger, window: window).run { models throws(LedgerError) in
            (summary: Summary(models: models, window: window),
             budget: try ProgrammeBudget(ledger: ledger, models: models),
             tierAwards: try TierAwards(models: models),
             tierTimeline: TierTimeline(models: models, lastDate: lastDate),
             topRecipients: try TopRecipients(ledger: ledger, models: models, period: period))
        }
        self.audit = audit
        summary = figures.summary
        budget = figures.budget
        tierAwards = figures.tierAwards
        tierTimeline = figures.tierTimeline
        topRecipients = figures.topRecipients
        self.checkpoint = checkpoint
        restatements = []
        if let checkpoint {
            // Without a period, each year whose awards the checkpoint's window reported.
            let periods: [RestatementPeriod]
            if let period {
                periods = [period]
            } else {
                let then = Projection(ledger: ledger, window: checkpoint.window).run()
                let years = Set(then.grants.compactMap { $0?.awarded.year })
                periods = years.sorted().compactMap { RestatementPeriod(parsing: String($0)) }
            }
            restatements = periods.map {
                Restatement(ledger: ledger, period: $0, reportedAt: checkpoint.window.knownAt, knownAt: window.knownAt)
            }
        }
    }
}
