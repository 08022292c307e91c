import LedgerLog

/// A grant that is not revoked in the window, with what the award rules sort and compare.
/// 32 bytes: ten million events hold over a million awards, sorted twice at the audit's peak of
/// memory; what only a finding needs (the project, the award event) is read from the grant's state.
struct LiveAward: Sendable {
    var grant: GrantIndex
    var programme: ProgrammeIndex
    var enterprise: EnterpriseIndex
    var awarded: CalendarDate
    /// The award's calendar year, worked out once: sorts compare it many times.
    var year: Int32
    /// The award's place among the window's live awards in replay order: orders same-day awards.
    var order: Int32
    var amountFen: Fen
}
