import LedgerLog

/// The ledger at a glance: grants, enterprises by tier, open centres.
public struct Summary: Sendable, Equatable {
    public var window: TimeWindow
    public var events: Int
    public var grantCount = 0
    public var revokedCount = 0
    /// Summed in 128 bits (`FenTotal`); the query refuses to show a total beyond 64 bits.
    public var awardedFen: Int128 = 0
    public var disbursedFen: Int128 = 0
    public var recoveredFen: Int128 = 0
    public var registeredEnterprises = 0
    /// Registered enterprises per tier, indexed by `Tier.rawValue`.
    public var enterprisesByTier = Array(repeating: 0, count: Tier.allCases.count)
    public var openCentres = 0
    /// Open centres per kind, indexed by `CentreKind.rawValue`.
    public var centresByKind = Array(repeating: 0, count: CentreKind.allCases.count)

    /// Every figure; never traps, whatever the log holds.
    public init(models: ReadModels, window: TimeWindow) {
        self.window = window
        events = models.appliedEvents
        for grant in models.grants {
            guard let grant else { continue }
            grantCount += 1
            if grant.revoked != nil { revokedCount += 1 }
            awardedFen += Int128(grant.awardedFen)
            disbursedFen += grant.disbursedFen
            recoveredFen += grant.recoveredFen
        }
        for enterprise in models.enterprises {
            guard let enterprise, enterprise.isRegistered else { continue }
            registeredEnterprises += 1
            enterprisesByTier[Int(enterprise.tier.rawValue)] += 1
        }
        for centre in models.centres {
            guard let centre, centre.closed == nil else { continue }
            openCentres += 1
            centresByKind[Int(centre.kind.rawValue)] += 1
        }
    }

    /// Exit 65 naming the first total that output (64-bit fen) cannot show.
    public func checkShown() throws(LedgerError) {
        try FenTotal.shown(awardedFen, "the summary's awarded total")
        try FenTotal.shown(disbursedFen, "the summary's disbursed total")
        try FenTotal.shown(recoveredFen, "the summary's recovered total")
    }

    public var json: JSONValue {
        .record([
            ("asOf", window.asOf.map { .text($0.description) } ?? .null),
            ("knownAt", .text(window.knownAt.description)),
            ("events", .integer(events)),
            ("grants", .record([
                ("count", .integer(grantCount)), ("revoked", .integer(revokedCount)),
                ("awardedFen", .fen(awardedFen)), ("disbursedFen", .fen(disbursedFen)),
                ("recoveredFen", .fen(recoveredFen)),
            ])),
            ("enterprises", .record([
                ("registered", .integer(registeredEnterprises)),
                ("byTier", .record(Tier.allCases.map { ($0.name, .integer(enterprisesByTier[Int($0.rawValue)])) })),
            ])),
            ("centres", .record([
                ("open", .integer(openCentres)),
                ("byKind", .record(CentreKind.allCases.map { ($0.name, .integer(centresByKind[Int($0.rawValue)])) })),
            ])),
        ])
    }
}
