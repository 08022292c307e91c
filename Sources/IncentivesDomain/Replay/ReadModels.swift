import LedgerLog

/// The state of the ledger inside one time window: every read model the queries answer from.
/// Arrays are indexed by the ledger's interned indexes, so the replay does no hashing.
public struct ReadModels: Sendable, Equatable {
    public var programmes: [ProgrammeState?]
    public var grants: [GrantState?]
    public var enterprises: [EnterpriseState?]
    public var centres: [CentreState?]
    /// Events applied: inside the window, not retracted, retractions themselves excluded.
    public var appliedEvents = 0

    init(ledger: Ledger) {
        let counts = ledger.nameCounts
        programmes = Array(repeating: nil, count: counts.programmes)
        grants = Array(repeating: nil, count: counts.grants)
        enterprises = Array(repeating: nil, count: counts.enterprises)
        centres = Array(repeating: nil, count: counts.centres)
    }

    init(programmes: [ProgrammeState?], grants: [GrantState?], enterprises: [EnterpriseState?], centres: [CentreState?],
         appliedEvents: Int) {
        self.programmes = programmes
        self.grants = grants
        self.enterprises = enterprises
        self.centres = centres
        self.appliedEvents = appliedEvents
    }
}

public struct ProgrammeState: Sendable, Equatable {
    public var established: CalendarDate
    public var name: TextIndex
    /// The rules in force from each date on, in replay order: the audit applies the ones in
    /// force at an award's date, so a later change never reaches back.
    public var terms: [(from: CalendarDate, minTier: Tier?, capFen: Fen?, capYears: Int32)]
    /// Appropriations per year, as (year, amountFen) in first-appropriation order.
    public var budgets: [(year: Int32, amountFen: Fen)]

    public static let defaultCapYears: Int32 = 3

    /// A programme's establishment: its first terms, no appropriations yet.
    init(established: CalendarDate, name: TextIndex, minTier: Tier?, capFen: Fen?, capYears: Int32?) {
        self.init(established: established, name: name,
                  terms: [(established, minTier, capFen, capYears ?? ProgrammeState.defaultCapYears)], budgets: [])
    }

    init(established: CalendarDate, name: TextIndex, terms: [(from: CalendarDate, minTier: Tier?, capFen: Fen?, capYears: Int32)],
         budgets: [(year: Int32, amountFen: Fen)]) {
        self.established = established
        self.name = name
        self.terms = terms
        self.budgets = budgets
    }

    /// An amendment: the members it states replace the current ones from `date` on.
    mutating func amend(name newName: TextIndex?, minTier: Tier?, capFen: Fen?, capYears: Int32?, on date: CalendarDate) {
        let current = self.current
        if let newName { name = newName }
        terms.append((date, minTier ?? current.minTier, capFen ?? current.capFen, capYears ?? current.capYears))
    }

    mutating func appropriate(year: Int32, amountFen: Fen) {
        budgets.append((year, amountFen))
    }

    public var current: (minTier: Tier?, capFen: Fen?, capYears: Int32) {
        let last = terms.last!
        return (last.minTier, last.capFen, last.capYears)
    }

    /// The rules in force on `date` (the first ones if the date precedes them all).
    public func terms(on date: CalendarDate) -> (minTier: Tier?, capFen: Fen?, capYears: Int32) {
        var chosen = terms[0]
        for entry in terms where entry.from <= date { chosen = entry }
        return (chosen.minTier, chosen.capFen, chosen.capYears)
    }

    /// The year's appropriations; summed in 128 bits (see `FenTotal`).
    public func budget(year: Int32) -> Int128 {
        budgets.reduce(0) { $0 + ($1.year == year ? Int128($1.amountFen) : 0) }
    }

    public static func == (left: ProgrammeState, right: ProgrammeState) -> Bool {
        left.established == right.established && left.name == right.name
            && left.terms.elementsEqual(right.terms, by: { $0 == $1 })
            && left.budgets.elementsEqual(right.budgets, by: { $0 == $1 })
    }
}

public struct GrantState: Sendable, Equatable {
    // Stored widest first: a grant is a slot in a table of millions, and in the order of
    // meaning the 128-bit sums' alignment padded it by 16 bytes.
    /// Sums of payments and recoveries, in 128 bits so that no log can overflow them (`FenTotal`).
    public var disbursedFen: Int128
    public var recoveredFen: Int128
    public var originalFen: Fen
    /// What the enterprise has a right to now: the last amendment, 0 once revoked.
    public var awardedFen: Fen
    public var amendments: Int
    public var payments: Int
    public var enterprise: EnterpriseIndex
    public var programme: ProgrammeIndex
    public var project: TextIndex
    public var awarded: CalendarDate
    /// The award.
    public var awardEvent: EventIndex
    public var revoked: CalendarDate?

    public init(enterprise: EnterpriseIndex, programme: ProgrammeIndex, project: TextIndex, awarded: CalendarDate,
                awardEvent: EventIndex, originalFen: Fen, awardedFen: Fen, disbursedFen: Int128 = 0, recoveredFen: Int128 = 0,
                revoked: CalendarDate? = nil, amendments: Int = 0, payments: Int = 0) {
        self.disbursedFen = disbursedFen
        self.recoveredFen = recoveredFen
        self.originalFen = originalFen
        self.awardedFen = awardedFen
        self.amendments = amendments
        self.payments = payments
        self.enterprise = enterprise
        self.programme = programme
        self.project = project
        self.awarded = awarded
        self.awardEvent = awardEvent
        self.revoked = revoked
    }

    /// The replay's changes to a grant, one per event type: `Projection.apply` and the column
    /// replay both call these, so the two cannot differ in what an event does.
    mutating func amend(to amountFen: Fen) {
        amendments += 1
        // A revoked grant's right stays 0 whatever an amendment says.
        if revoked == nil { awardedFen = amountFen }
    }

    mutating func disburse(_ amountFen: Fen) {
        disbursedFen += Int128(amountFen)
        payments += 1
    }

    mutating func recover(_ amountFen: Fen) {
        recoveredFen += Int128(amountFen)
    }

    mutating func revoke(on date: CalendarDate) {
        revoked = date
        awardedFen = 0
    }

    public var status: String {
        if revoked != nil { return "revoked" }
        if disbursedFen - recoveredFen >= Int128(awardedFen) { return "paid" }
        if disbursedFen > 0 { return "partly paid" }
        return "awarded"
    }
}

public struct EnterpriseState: Sendable, Equatable {
    public var registered: CalendarDate
    public var name: TextIndex
    public var sector: TextIndex
    public var deregistered: CalendarDate? = nil
    public var tier: Tier = .none
    public var history = TierHistory()
    public var lastScore: Int32? = nil
    public var lastScoreDate: CalendarDate? = nil

    public var isRegistered: Bool { deregistered == nil }

    mutating func deregister(on date: CalendarDate) {
        deregistered = date
    }

    mutating func evaluated(score: Int32, on date: CalendarDate) {
        lastScore = score
        lastScoreDate = date
    }

    mutating func changeTier(to newTier: Tier, on date: CalendarDate, event: EventIndex) {
        history.append(TierChange(effective: date, from: tier, to: newTier, event: event))
        tier = newTier
    }

    /// The change of tier without its entry in `history`, which the column replay adds for
    /// every enterprise at the end (`TierChangeLog`); returns the tier before.
    mutating func moveTier(to newTier: Tier) -> Tier {
        defer { tier = newTier }
        return tier
    }

    /// The tier after every change effective on or before `date`, as replayed.
    public func tier(on date: CalendarDate) -> Tier { history.tier(on: date) }
}

public struct TierChange: Sendable, Equatable {
    public var effective: CalendarDate
    public var from: Tier
    public var to: Tier
    public var event: EventIndex
}

public struct CentreState: Sendable, Equatable {
    public var name: TextIndex
    public var kind: CentreKind
    public var city: TextIndex
    public var partner: TextIndex?
    public var opened: CalendarDate
    public var closed: CalendarDate? = nil

    mutating func close(on date: CalendarDate) {
        closed = date
    }
}
