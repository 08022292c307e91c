import LedgerColumns
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

    /// The figures each core makes from the audit's models.
    private enum Side: Sendable {
        case money(summary: Summary, budget: Result<ProgrammeBudget, LedgerError>, topRecipients: Result<TopRecipients, LedgerError>)
        case tiers(awards: Result<TierAwards, LedgerError>, timeline: TierTimeline)
    }

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
            // Two sides on the two cores, each figure a walk of the window's grants or enterprises;
            // a refusal is the first in the page's order (budget, tier awards, top recipients).
            let sides = ParallelWork.map(count: 2) { side -> Side in
                guard side == 0 else {
                    return .tiers(awards: Result { () throws(LedgerError) in try TierAwards(models: models) },
                                  timeline: TierTimeline(models: models, lastDate: lastDate))
                }
                return .money(summary: Summary(models: models, window: window),
                              budget: Result { () throws(LedgerError) in try ProgrammeBudget(ledger: ledger, models: models) },
                              topRecipients: Result { () throws(LedgerError) in
                                  try TopRecipients(ledger: ledger, models: models, period: period)
                              })
            }
            guard case .money(let summary, let budget, let topRecipients) = sides[0],
                  case .tiers(let tierAwards, let tierTimeline) = sides[1] else { preconditionFailure("each side makes its own figures") }
            return (summary: summary, budget: try budget.get(), tierAwards: try tierAwards.get(), tierTimeline: tierTimeline,
                    topRecipients: try topRecipients.get())
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
