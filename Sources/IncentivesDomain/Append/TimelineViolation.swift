/// One place where a timeline breaks a rule: the event where it breaks, and the event it
/// contradicts (nil when what it needs is missing, such as a grant without a live award).
struct TimelineViolation: Equatable, Sendable {
    var rule: TimelineRule
    var event: EventIndex
    var cause: EventIndex?
    /// For `tierDirection`, the tier before the event; for `recoveryWithinPaid`, recovered and paid so far.
    var tier: Tier = .none
    var recoveredFen: Int128 = 0
    var paidFen: Int128 = 0

    /// Whether `other` is this violation again: same rule, same event. A draft is refused only for
    /// violations that were not there before it, so a log's old faults do not block new events.
    func isSamePlace(as other: TimelineViolation) -> Bool {
        rule == other.rule && event == other.event
    }
}
