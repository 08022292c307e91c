import LedgerLog

/// One enterprise's statement: its profile (registration, tiers, grants) with every movement on
/// each grant in the window (award, amendments, payments, recoveries, revocation), each with its
/// event id, and a test for the audit findings that concern it.
public struct EnterpriseStatement: Sendable, Equatable {
    public struct Movement: Sendable, Equatable {
        public var grant: String
        public var effective: CalendarDate
        /// `awarded`, `amended`, `disbursed`, `recovered` or `revoked`.
        public var kind: String
        /// The amount the event states; 0 for a revocation.
        public var amountFen: Int64
        public var event: String
    }

    public var profile: EnterpriseProfile
    /// In replay order.
    public var movements: [Movement]

    /// Nil when the enterprise is not registered in this window.
    public init?(ledger: Ledger, window: TimeWindow, models: ReadModels, code: String) {
        guard let profile = EnterpriseProfile(ledger: ledger, models: models, code: code),
              let enterprise = ledger.enterprises.find(code) else { return nil }
        self.profile = profile
        var movements: [Movement] = []
        let projection = Projection(ledger: ledger, window: window)
        // This enterprise's grants, marked in one pass over the states in order; then every event
        // in the order of the columns, decided from its type and subject alone (a grant's state
        // read for each grant event in replay order was a tenth of a second at ten million
        // events); the few picked are put in replay order (`Ledger.replaySortKey`) and only they
        // are assembled.
        let events = ledger.events, grants = models.grants
        var ours = [Bool](repeating: false, count: grants.count)
        for grant in grants.indices where grants[grant]?.enterprise == enterprise { ours[grant] = true }
        var picked: [(key: UInt128, index: Int, grant: GrantIndex)] = []
        if ours.contains(true) {
            for index in 0..<events.count {
                guard let grant = events.grant(at: index), ours[grant.offset], projection.counts(index) else { continue }
                picked.append((ledger.replaySortKey(index), index, grant))
            }
            picked.sort { $0.key < $1.key }
        }
        for (_, index, grant) in picked {
            let event = events[index]
            let (kind, amountFen): (String, Fen)
            switch event.payload {
            case .grantAwarded(_, _, _, let amount, _): (kind, amountFen) = ("awarded", amount)
            case .grantAmended(_, let amount): (kind, amountFen) = ("amended", amount)
            case .grantDisbursed(_, let amount): (kind, amountFen) = ("disbursed", amount)
            case .grantRecovered(_, let amount): (kind, amountFen) = ("recovered", amount)
            case .grantRevoked: (kind, amountFen) = ("revoked", 0)
            default: continue
            }
            movements.append(Movement(grant: ledger.grants.string(grant), effective: event.effective, kind: kind,
                                      amountFen: amountFen.rawValue, event: ledger.eventId(of: index)))
        }
        self.movements = movements
    }

    /// The movements on one grant.
    public func movements(of grant: String) -> [Movement] { movements.filter { $0.grant == grant } }

    /// Whether a finding is about this enterprise or one of its grants.
    public func concerns(_ finding: AuditFinding) -> Bool {
        finding.subject == profile.code || profile.grants.contains { $0.grant == finding.subject }
    }
}
