import LedgerLog

/// Each read model as canonical JSON and its SHA-256: what a checkpoint publishes and a later
/// build must reproduce. Entities are keyed and sorted by their ids, never by interning order,
/// so a digest depends only on what the window contains.
public struct ReadModelDigests: Sendable, Equatable {
    public static let names = ["summary", "programmes", "grants", "enterprises", "centres"]

    public var documents: [(name: String, json: JSONValue)]
    public var digests: [(name: String, digest: SHA256Digest)]

    public init(ledger: Ledger, models: ReadModels, window: TimeWindow) {
        documents = [
            ("summary", Summary(models: models, window: window).json),
            ("programmes", ReadModelDigests.programmes(ledger, models)),
            ("grants", ReadModelDigests.grants(ledger, models)),
            ("enterprises", ReadModelDigests.enterprises(ledger, models)),
            ("centres", CentreRegister(ledger: ledger, models: models).json),
        ]
        digests = documents.map { document in
            // Every value here is built from integers of at most 128 bits (finite as doubles) and
            // strings, so serialisation cannot fail.
            let bytes = (try? JSONCanonical.serialize(document.json)) ?? []
            precondition(!bytes.isEmpty, "a read model serialises")
            return (document.name, SHA256.hash(bytes))
        }
    }

    public static func == (left: ReadModelDigests, right: ReadModelDigests) -> Bool {
        left.digests.elementsEqual(right.digests, by: { $0.name == $1.name && $0.digest == $1.digest })
    }

    static func programmes(_ ledger: Ledger, _ models: ReadModels) -> JSONValue {
        let entries = models.programmes.enumerated().compactMap { index, state -> (String, JSONValue)? in
            guard let state else { return nil }
            let id = ledger.programmes.string(Int32(index))
            return (id, .record([
                ("programme", .text(id)), ("name", .text(ledger.texts.string(state.name))),
                ("established", .date(state.established)),
                ("terms", .array(state.terms.map {
                    .record([("from", .date($0.from)), ("minTier", $0.minTier.map { .text($0.name) } ?? .null),
                             ("capFen", $0.capFen.map { .integer($0) } ?? .null), ("capYears", .integer($0.capYears))])
                })),
                ("budgets", .array(state.budgets.map { .record([("year", .integer($0.year)), ("amountFen", .integer($0.amountFen))]) })),
            ]))
        }
        return .array(entries.sorted { $0.0 < $1.0 }.map(\.1))
    }

    static func grants(_ ledger: Ledger, _ models: ReadModels) -> JSONValue {
        let entries = models.grants.enumerated().compactMap { index, grant -> (String, JSONValue)? in
            guard let grant else { return nil }
            let id = ledger.grants.string(Int32(index))
            return (id, .record([
                ("grant", .text(id)), ("enterprise", .text(ledger.enterprises.string(grant.enterprise))),
                ("programme", .text(ledger.programmes.string(grant.programme))),
                ("project", .text(ledger.texts.string(grant.project))), ("awarded", .date(grant.awarded)),
                ("tierAtGrant", .text(models.tierAtGrant(grant).name)),
                ("originalFen", .integer(grant.originalFen)), ("awardedFen", .integer(grant.awardedFen)),
                ("disbursedFen", .fen(grant.disbursedFen)), ("recoveredFen", .fen(grant.recoveredFen)),
                ("revoked", .date(grant.revoked)), ("status", .text(grant.status)),
            ]))
        }
        return .array(entries.sorted { $0.0 < $1.0 }.map(\.1))
    }

    static func enterprises(_ ledger: Ledger, _ models: ReadModels) -> JSONValue {
        let entries = models.enterprises.enumerated().compactMap { index, state -> (String, JSONValue)? in
            guard let state else { return nil }
            let code = ledger.enterprises.string(Int32(index))
            return (code, .record([
                ("enterprise", .text(code)), ("name", .text(ledger.texts.string(state.name))),
                ("sector", .text(ledger.texts.string(state.sector))), ("registered", .date(state.registered)),
                ("deregistered", .date(state.deregistered)), ("tier", .text(state.tier.name)),
                ("lastScore", state.lastScore.map { .integer($0) } ?? .null), ("lastScoreDate", .date(state.lastScoreDate)),
                ("tierHistory", .array(state.history.map {
                    .record([("effective", .date($0.effective)), ("from", .text($0.from.name)), ("to", .text($0.to.name))])
                })),
            ]))
        }
        return .array(entries.sorted { $0.0 < $1.0 }.map(\.1))
    }
}
