import LedgerLog

/// Version 1 of every read model's document, as published from 2026 on. Frozen: these functions
/// must keep producing the same bytes for the same window, whatever the queries come to print,
/// or checkpoints published with version 1 stop checking. A change is a new version beside them.
extension ReadModelDigests {
    static func summaryVersion1(_ models: ReadModels, _ window: TimeWindow) -> JSONValue {
        var grantCount = 0, revokedCount = 0
        var awardedFen: Int128 = 0, disbursedFen: Int128 = 0, recoveredFen: Int128 = 0
        for grant in models.grants {
            guard let grant else { continue }
            grantCount += 1
            if grant.revoked != nil { revokedCount += 1 }
            awardedFen += Int128(grant.awardedFen)
            disbursedFen += grant.disbursedFen
            recoveredFen += grant.recoveredFen
        }
        var registered = 0
        var byTier = Array(repeating: 0, count: Tier.allCases.count)
        for enterprise in models.enterprises {
            guard let enterprise, enterprise.isRegistered else { continue }
            registered += 1
            byTier[Int(enterprise.tier.rawValue)] += 1
        }
        var open = 0
        var byKind = Array(repeating: 0, count: CentreKind.allCases.count)
        for centre in models.centres {
            guard let centre, centre.closed == nil else { continue }
            open += 1
            byKind[Int(centre.kind.rawValue)] += 1
        }
        return .record([
            ("asOf", window.asOf.map { .text($0.description) } ?? .null),
            ("knownAt", .text(window.knownAt.description)),
            ("events", .integer(models.appliedEvents)),
            ("grants", .record([
                ("count", .integer(grantCount)), ("revoked", .integer(revokedCount)),
                ("awardedFen", JSONValue.fen(awardedFen)), ("disbursedFen", JSONValue.fen(disbursedFen)),
                ("recoveredFen", JSONValue.fen(recoveredFen)),
            ])),
            ("enterprises", .record([
                ("registered", .integer(registered)),
                ("byTier", .record(Tier.allCases.map { ($0.name, .integer(byTier[Int($0.rawValue)])) })),
            ])),
            ("centres", .record([
                ("open", .integer(open)),
                ("byKind", .record(CentreKind.allCases.map { ($0.name, .integer(byKind[Int($0.rawValue)])) })),
            ])),
        ])
    }

    static func centresVersion1(_ ledger: Ledger, _ models: ReadModels) -> Document {
        let keys = models.centres.enumerated().compactMap { index, centre -> (CalendarDate, String, Int)? in
            guard let centre else { return nil }
            return (centre.opened, ledger.centres.string(.init(offset: index)), index)
        }
        return .entries(order: keys.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2)) { index in
            guard let centre = models.centres[index] else { preconditionFailure("an entry is a centre the models hold") }
            let id = ledger.centres.string(.init(offset: index))
            return .record([
                ("centre", .text(id)), ("name", .text(ledger.texts.string(centre.name))), ("kind", .text(centre.kind.name)),
                ("city", .text(ledger.texts.string(centre.city))),
                ("partner", centre.partner.map { .text(ledger.texts.string($0)) } ?? .null),
                ("opened", .date(centre.opened)), ("closed", .date(centre.closed)),
            ])
        }
    }

    static func programmesVersion1(_ ledger: Ledger, _ models: ReadModels) -> Document {
        .entries(order: order(of: models.programmes, by: { ledger.programmes.string(.init(offset: $0)) })) { index in
            guard let state = models.programmes[index] else { preconditionFailure("an entry is a programme the models hold") }
            return .record([
                ("programme", .text(ledger.programmes.string(.init(offset: index)))), ("name", .text(ledger.texts.string(state.name))),
                ("established", .date(state.established)),
                ("terms", .array(state.terms.map {
                    .record([("from", .date($0.from)), ("minTier", $0.minTier.map { .text($0.name) } ?? .null),
                             ("capFen", $0.capFen.map { .integer($0.rawValue) } ?? .null), ("capYears", .integer($0.capYears))])
                })),
                ("budgets", .array(state.budgets.map { .record([("year", .integer($0.year)), ("amountFen", .integer($0.amountFen.rawValue))]) })),
            ])
        }
    }

    static func grantsVersion1(_ ledger: Ledger, _ models: ReadModels) -> Document {
        .entries(order: order(of: models.grants, by: { ledger.grants.string(.init(offset: $0)) })) { index in
            guard let grant = models.grants[index] else { preconditionFailure("an entry is a grant the models hold") }
            return .record([
                ("grant", .text(ledger.grants.string(.init(offset: index)))), ("enterprise", .text(ledger.enterprises.string(grant.enterprise))),
                ("programme", .text(ledger.programmes.string(grant.programme))),
                ("project", .text(ledger.texts.string(grant.project))), ("awarded", .date(grant.awarded)),
                ("tierAtGrant", .text(models.tierAtGrant(grant).name)),
                ("originalFen", .integer(grant.originalFen.rawValue)), ("awardedFen", .integer(grant.awardedFen.rawValue)),
                ("disbursedFen", .fen(grant.disbursedFen)), ("recoveredFen", .fen(grant.recoveredFen)),
                ("revoked", .date(grant.revoked)), ("status", .text(grant.status)),
            ])
        }
    }

    static func enterprisesVersion1(_ ledger: Ledger, _ models: ReadModels) -> Document {
        .entries(order: order(of: models.enterprises, by: { ledger.enterprises.string(.init(offset: $0)) })) { index in
            guard let state = models.enterprises[index] else { preconditionFailure("an entry is an enterprise the models hold") }
            return .record([
                ("enterprise", .text(ledger.enterprises.string(.init(offset: index)))), ("name", .text(ledger.texts.string(state.name))),
                ("sector", .text(ledger.texts.string(state.sector))), ("registered", .date(state.registered)),
                ("deregistered", .date(state.deregistered)), ("tier", .text(state.tier.name)),
                ("lastScore", state.lastScore.map { .integer($0) } ?? .null), ("lastScoreDate", .date(state.lastScoreDate)),
                ("tierHistory", .array(state.history.map {
                    .record([("effective", .date($0.effective)), ("from", .text($0.from.name)), ("to", .text($0.to.name))])
                })),
            ])
        }
    }

    /// The indexes of the entities `models` holds, in the order of their ids as Strings.
    private static func order<Model>(of models: [Model?], by id: (Int) -> String) -> [Int] {
        let keys = models.indices.compactMap { index -> (String, Int)? in models[index] == nil ? nil : (id(index), index) }
        return keys.sorted { $0.0 < $1.0 }.map(\.1)
    }
}
