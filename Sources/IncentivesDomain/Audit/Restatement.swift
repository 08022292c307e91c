import LedgerLog

/// How the figures for a period changed between what was reported at one moment (K1) and what
/// the ledger knows at a later one (K2), and which events recorded in between made each change.
///
/// The figures for period P are those of the grants whose award is effective in P, replayed as
/// of the last day of P: their count and their awarded, disbursed and recovered amounts, in total,
/// per programme and per enterprise. Measuring as of the end of P means that only what the ledger
/// learned about P itself restates it: a back-dated award, amendment or payment effective in P,
/// or a retraction; a payment made after P is new business, not a restatement.
///
/// The changes are kept as indexes and figures (`ChangeRecord`): a year reported at its start has,
/// at ten million events, over a million of them, each made from the ledger when it is written
/// (`change(at:)`), so the answer never sits whole in memory.
public struct Restatement: Sendable {
    /// Reported and current figures of one programme or enterprise whose figures changed.
    public struct Row: Sendable, Equatable {
        public var key: String
        public var reported: PeriodFigures
        public var now: PeriodFigures
        public var difference: PeriodFigures { now - reported }
    }

    /// The part of an event's difference that falls on one programme and enterprise.
    public struct Share: Sendable, Equatable {
        public var programme: String
        public var enterprise: String
        public var difference: PeriodFigures
    }

    /// An event recorded after K1 (and by K2) that changed the figures, with the difference it made.
    public struct Change: Sendable, Equatable {
        public var event: String
        public var type: String
        public var log: String
        public var seq: Int
        public var recorded: Timestamp
        public var effective: CalendarDate
        public var grant: String
        /// For a retraction, the event it withdrew.
        public var retracts: String?
        public var details: String
        public var difference: PeriodFigures
        /// One share, or two when the event moved a grant between programmes or enterprises.
        public var shares: [Share]
    }

    /// A change as kept: the ledger's indexes and the figures, no text.
    struct ChangeRecord: Sendable {
        /// Where a grant's figures count.
        struct Place: Sendable, Equatable {
            var programme: ProgrammeIndex
            var enterprise: EnterpriseIndex
        }

        /// The second share of a grant that moved between programmes or enterprises.
        struct Moved: Sendable {
            var place: Place
            /// The first share's difference, in `Restatement.firstShares`.
            var firstShare: Int32
        }

        var event: EventIndex
        /// For a retraction, the event it withdrew.
        var retracts: EventIndex?
        var grant: GrantIndex
        /// Where the first share falls: the only one, the whole difference, unless `moved`.
        var place: Place
        var moved: Moved?
        var difference: PeriodFigures
    }

    public var period: RestatementPeriod
    public var reportedAt: Timestamp
    public var knownAt: Timestamp
    public var reported: PeriodFigures
    public var now: PeriodFigures
    /// Only programmes and enterprises whose figures differ, sorted by id.
    public var programmes: [Row]
    public var enterprises: [Row]
    /// The changes, in the order the ledger learned them: recorded, log rank, seq.
    let changeRecords: [ChangeRecord]
    /// The first share's difference of each change with two shares.
    let firstShares: [PeriodFigures]
    /// Where the changes are made from.
    let ledger: Ledger
    /// Events recorded after K1 and by K2 that left the figures as they were.
    public var eventsWithoutEffect: Int

    public var difference: PeriodFigures { now - reported }

    /// Whether the figures for the period differ at all, in total or for any programme or enterprise.
    public var isRestated: Bool { reported != now || !programmes.isEmpty || !enterprises.isEmpty }

    public init(ledger: Ledger, period: RestatementPeriod, reportedAt: Timestamp, knownAt: Timestamp) {
        precondition(reportedAt <= knownAt, "the report precedes what is known now")
        self.period = period
        self.reportedAt = reportedAt
        self.knownAt = knownAt
        let before = PeriodTotals(ledger: ledger, period: period, knownAt: reportedAt)
        let after = PeriodTotals(ledger: ledger, period: period, knownAt: knownAt)
        reported = before.total
        now = after.total
        programmes = PeriodTotals.changedRows(before.byProgramme, after.byProgramme) { ledger.programmes.string(.init(offset: $0)) }
        enterprises = PeriodTotals.changedRows(before.byEnterprise, after.byEnterprise) { ledger.enterprises.string(.init(offset: $0)) }
        var attribution = RestatementAttribution(ledger: ledger, period: period, reportedAt: reportedAt, knownAt: knownAt)
        attribution.run()
        self.ledger = ledger
        changeRecords = attribution.changes
        firstShares = attribution.firstShares
        eventsWithoutEffect = attribution.eventsWithoutEffect
        // Replaying event by event must land where a replay at K2 does.
        let attributed = changeRecords.reduce(PeriodFigures.zero) { $0 + $1.difference }
        precondition(reported + attributed == now, "the listed differences add up to the restatement")
    }

    /// How many events changed the figures.
    public var changeCount: Int { changeRecords.count }

    /// The change at `position` (in `0..<changeCount`), made from the ledger.
    public func change(at position: Int) -> Change {
        precondition(position >= 0 && position < changeRecords.count, "a change the restatement lists")
        let record = changeRecords[position]
        let event = ledger.events[record.event]
        return Change(
            event: ledger.eventId(of: record.event.offset), type: event.kind.typeName,
            log: IncentiveLogs.all[Int(event.logRank)].rawValue, seq: Int(event.seq), recorded: event.recorded,
            effective: event.effective, grant: ledger.grants.string(record.grant),
            retracts: record.retracts.map { ledger.eventId(of: $0.offset) }, details: ledger.describe(event),
            difference: record.difference,
            shares: shares(of: record).map {
                Share(programme: ledger.programmes.string($0.place.programme),
                      enterprise: ledger.enterprises.string($0.place.enterprise), difference: $0.difference)
            })
    }

    /// Every change, in order (tests and small answers; commands write them one at a time).
    public var changes: [Change] { (0..<changeCount).map(change(at:)) }

    /// A change's shares: one, the whole difference; or two, when the grant moved.
    private func shares(of record: ChangeRecord) -> [(place: ChangeRecord.Place, difference: PeriodFigures)] {
        guard let moved = record.moved else { return [(record.place, record.difference)] }
        let first = firstShares[Int(moved.firstShare)]
        return [(record.place, first), (moved.place, record.difference - first)]
    }

    /// Exit 65 naming the first figure (reported, now, a difference, a row's or an event's) that
    /// output (64-bit fen) cannot show.
    public func checkShown() throws(LedgerError) {
        // The name is made only for the figure refused: there may be a million changes.
        func check(_ value: PeriodFigures, _ name: @autoclosure () -> String) throws(LedgerError) {
            try FenTotal.shown(value.awardedFen, "the awarded amount of \(name())")
            try FenTotal.shown(value.disbursedFen, "the disbursed amount of \(name())")
            try FenTotal.shown(value.recoveredFen, "the recovered amount of \(name())")
        }
        try check(reported, "the \(period) figures reported")
        try check(now, "the \(period) figures now")
        try check(difference, "the \(period) difference")
        for (rows, kind) in [(programmes, "programme"), (enterprises, "enterprise")] {
            for row in rows {
                try check(row.reported, "\(kind) \(row.key) as reported")
                try check(row.now, "\(kind) \(row.key) now")
                try check(row.difference, "\(kind) \(row.key)'s difference")
            }
        }
        for record in changeRecords {
            try check(record.difference, "event \(ledger.eventId(of: record.event.offset))'s difference")
            for share in shares(of: record) { try check(share.difference, "event \(ledger.eventId(of: record.event.offset))'s share") }
        }
    }

    public var json: JSONValue {
        .record(jsonMembersBeforeRows
                + [("programmes", .array(programmes.map { Restatement.json(of: $0, key: "programme") })),
                   ("enterprises", .array(enterprises.map { Restatement.json(of: $0, key: "enterprise") })),
                   ("events", .array(changes.map(Restatement.json(of:))))]
                + jsonMembersAfterEvents)
    }

    /// The members of `json` before its rows, in order: a long answer writes them, then the rows
    /// by programme and by enterprise and the events one at a time (`json(of:key:)`,
    /// `json(of:)`), then `jsonMembersAfterEvents`.
    public var jsonMembersBeforeRows: [(String, JSONValue)] {
        [
            ("period", .text(period.description)), ("from", .date(period.first)), ("to", .date(period.last)),
            ("asOf", .date(period.last)), ("reportedAt", .text(reportedAt.description)), ("knownAt", .text(knownAt.description)),
            ("restated", .bool(isRestated)),
            ("reported", Restatement.json(of: reported)), ("now", Restatement.json(of: now)),
            ("difference", Restatement.json(of: difference)),
        ]
    }

    /// One row of `json`'s programmes or enterprises, its id under `key`.
    public static func json(of row: Row, key: String) -> JSONValue {
        .record([(key, .text(row.key)), ("reported", json(of: row.reported)), ("now", json(of: row.now)),
                 ("difference", json(of: row.difference))])
    }

    /// The members of `json` after the events.
    public var jsonMembersAfterEvents: [(String, JSONValue)] {
        [("eventsWithoutEffect", .integer(eventsWithoutEffect))]
    }

    /// One event of `json`'s events.
    public static func json(of change: Change) -> JSONValue {
        .record([
            ("event", .text(change.event)), ("type", .text(change.type)), ("log", .text(change.log)),
            ("seq", .integer(change.seq)), ("recorded", .text(change.recorded.description)),
            ("effective", .date(change.effective)), ("grant", .text(change.grant)),
            ("retracts", change.retracts.map { .text($0) } ?? .null), ("details", .text(change.details)),
            ("difference", json(of: change.difference)),
            ("shares", .array(change.shares.map {
                .record([("programme", .text($0.programme)), ("enterprise", .text($0.enterprise)),
                         ("difference", json(of: $0.difference))])
            })),
        ])
    }

    static func json(of value: PeriodFigures) -> JSONValue {
        .record([("count", .integer(value.count)), ("awardedFen", .fen(value.awardedFen)),
                 ("disbursedFen", .fen(value.disbursedFen)), ("recoveredFen", .fen(value.recoveredFen))])
    }
}

extension Restatement: Equatable {
    /// The same period, times, figures, rows and changes (two ledgers may number their events and
    /// names apart).
    public static func == (left: Restatement, right: Restatement) -> Bool {
        left.period == right.period && left.reportedAt == right.reportedAt && left.knownAt == right.knownAt
            && left.reported == right.reported && left.now == right.now && left.programmes == right.programmes
            && left.enterprises == right.enterprises && left.eventsWithoutEffect == right.eventsWithoutEffect
            && left.changes == right.changes
    }
}
