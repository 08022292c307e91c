import LedgerLog

/// A grant that is not revoked in the window, with what the award rules compare.
struct LiveAward {
    var grant: GrantIndex
    var programme: ProgrammeIndex
    var enterprise: EnterpriseIndex
    var awarded: CalendarDate
    /// The award's calendar year, worked out once: sorts compare it many times.
    var year: Int32
    var amountFen: Fen
    var project: TextIndex
    var awardEvent: EventIndex
    /// The award's place in replay order: orders same-day awards.
    var order: UInt128
}
