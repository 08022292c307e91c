import LedgerLog

/// One enterprise: registration, tier and its history, last evaluation, and every grant.
public struct EnterpriseProfile: Sendable, Equatable {
    public struct TierStep: Sendable, Equatable {
        public var effective: CalendarDate
        public var from: Tier
        public var to: Tier
        public var event: String
    }

    public struct GrantLine: Sendable, Equatable {
        public var grant: String
        public var programme: String
        public var project: String
        public var awarded: CalendarDate
        public var tierAtGrant: Tier
        public var originalFen: Int64
        public var awardedFen: Int64
        /// Sums, in 128 bits (`FenTotal`).
        public var disbursedFen: Int128
        public var recoveredFen: Int128
        /// Money to be paid back: all that was paid net of recoveries on a revoked grant, what
        /// was paid beyond the award on any other.
        public var owedFen: Int128
        /// The grant's status, with `over-paid` where the books say `paid` but more went out
        /// than was awarded (the read model's own status, which its digest covers, is unchanged).
        public var status: String
    }

    public var code: String
    public var name: String
    public var sector: String
    public var registered: CalendarDate
    public var deregistered: CalendarDate?
    public var tier: Tier
    public var lastScore: Int32?
    public var lastScoreDate: CalendarDate?
    public var checkDigitValid: Bool
    public var history: [TierStep]
    public var grants: [GrantLine]

    /// Nil when the enterprise is not registered in this window.
    /// What an enterprise's profile in `window` reads of the ledger: the enterprises' and grants'
    /// models, the codes, grant and programme ids and names, and the events' ids (a tier change
    /// names its event).
    public static func scope(_ window: TimeWindow) -> LedgerScope {
        .readModels(window, names: [.enterprises, .grants, .programmes, .texts, .eventIds], parts: [.enterprises, .grants],
                    lookups: [.enterprises])
    }

    public init?(ledger: Ledger, models: ReadModels, code: String) {
        guard let index = ledger.enterprises.find(code), let state = models.enterprises[index] else { return nil }
        self.code = code
        name = ledger.texts.string(state.name)
        sector = ledger.texts.string(state.sector)
        registered = state.registered
        deregistered = state.deregistered
        tier = state.tier
        lastScore = state.lastScore
        lastScoreDate = state.lastScoreDate
        checkDigitValid = EnterpriseCode(rawValue: code)?.hasValidCheckDigit ?? false
        history = state.history.map {
            TierStep(effective: $0.effective, from: $0.from, to: $0.to, event: ledger.eventId(of: $0.event.offset))
        }
        var lines: [GrantLine] = []
        for (grantIndex, grant) in models.grants.enumerated() {
            guard let grant, grant.enterprise == index else { continue }
            lines.append(GrantLine(
                grant: ledger.grants.string(.init(offset: grantIndex)), programme: ledger.programmes.string(grant.programme),
                project: ledger.texts.string(grant.project), awarded: grant.awarded, tierAtGrant: models.tierAtGrant(grant),
                originalFen: grant.originalFen.rawValue, awardedFen: grant.awardedFen.rawValue, disbursedFen: grant.disbursedFen,
                recoveredFen: grant.recoveredFen, owedFen: Self.owed(grant), status: Self.status(grant)))
        }
        grants = lines.sorted { ($0.awarded, $0.grant) < ($1.awarded, $1.grant) }
    }

    static func owed(_ grant: GrantState) -> Int128 {
        let netFen = grant.disbursedFen - grant.recoveredFen
        return max(0, grant.revoked != nil ? netFen : netFen - Int128(grant.awardedFen))
    }

    static func status(_ grant: GrantState) -> String {
        grant.revoked == nil && grant.disbursedFen - grant.recoveredFen > Int128(grant.awardedFen) ? "over-paid" : grant.status
    }

    /// Exit 65 naming the first grant figure that output (64-bit fen) cannot show.
    public func checkShown() throws(LedgerError) {
        for line in grants {
            try FenTotal.shown(line.disbursedFen, "grant \(line.grant)'s disbursed total")
            try FenTotal.shown(line.recoveredFen, "grant \(line.grant)'s recovered total")
            try FenTotal.shown(line.owedFen, "grant \(line.grant)'s amount owed")
        }
    }

    public var json: JSONValue {
        .record([
            ("enterprise", .text(code)), ("name", .text(name)), ("sector", .text(sector)),
            ("registered", .date(registered)), ("deregistered", .date(deregistered)),
            ("tier", .text(tier.name)), ("lastScore", lastScore.map { .integer($0) } ?? .null),
            ("lastScoreDate", .date(lastScoreDate)), ("checkDigitValid", .bool(checkDigitValid)),
            ("tierHistory", .array(history.map {
                .record([("effective", .date($0.effective)), ("from", .text($0.from.name)), ("to", .text($0.to.name)),
                         ("event", .text($0.event))])
            })),
            ("grants", .array(grants.map {
                .record([("grant", .text($0.grant)), ("programme", .text($0.programme)), ("project", .text($0.project)),
                         ("awarded", .date($0.awarded)), ("tierAtGrant", .text($0.tierAtGrant.name)),
                         ("originalFen", .integer($0.originalFen)), ("awardedFen", .integer($0.awardedFen)),
                         ("disbursedFen", .fen($0.disbursedFen)), ("recoveredFen", .fen($0.recoveredFen)),
                         ("owedFen", .fen($0.owedFen)), ("status", .text($0.status))])
            })),
        ])
    }
}
