import IncentivesDomain
import LedgerLog

/// One event of the plan in compact form (about 40 bytes): what the emitter turns into a draft.
/// Identifiers, names and sources are rendered only when the event is written.
struct PlannedEvent {
    /// Seconds since the epoch: the event's transaction time.
    var recorded: Int64
    /// Order of planning: breaks ties between equal recorded times (dependencies are planned first).
    var sequence: Int32
    var effective: CalendarDate
    var kind: EventKind
    /// The enterprise, grant, programme or centre index; for a retraction, the target's sequence.
    var subject: Int32
    /// Fen, a score, or a tier's raw value.
    var amount: Int64 = 0
    /// A year (budgets) or an index into `StoryPlan.texts` (reasons).
    var detail: Int32 = 0
    /// Index into `StoryPlan.documents`, or -1 when the source follows from the kind and date.
    var document: Int32 = -1
}
