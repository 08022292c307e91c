/// The invariants an entity's timeline keeps once a batch is appended (README, "Events and
/// validation"). Checked only on append: logs written before, or imported, are read and audited as
/// they are.
enum TimelineRule: UInt8, CaseIterable, Sendable {
    /// Every live TierPromoted raises, and every TierDemoted lowers, the tier at its place in replay order.
    case tierDirection
    /// An enterprise's evaluations, tier changes, awards and deregistration are effective on or after its registration.
    case afterRegistration
    /// An enterprise's evaluations, tier changes, awards and payments are effective on or before its deregistration.
    case beforeDeregistration
    /// A grant's amendments, payments, revocation and recoveries come after its award in replay order.
    case afterAward
    /// No payment or amendment comes after the grant's revocation in replay order.
    case beforeRevocation
    /// At every recovery, the grant's recoveries so far do not exceed its payments so far.
    case recoveryWithinPaid
    /// A programme's amendments, appropriations and awards are effective on or after its establishment.
    case afterEstablishment
    /// A centre's closing is effective on or after its opening.
    case afterOpening
}
