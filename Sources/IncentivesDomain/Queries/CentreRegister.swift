import LedgerLog

/// The register of innovation centres: opened and closed dates, kind, city, partner.
public struct CentreRegister: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var centre: String
        public var name: String
        public var kind: CentreKind
        public var city: String
        public var partner: String?
        public var opened: CalendarDate
        public var closed: CalendarDate?
    }

    public var entries: [Entry]

    /// What the register of `window` reads of the ledger: the centres' models, ids and names,
    /// each read by index: no name is looked up.
    public static func scope(_ window: TimeWindow) -> LedgerScope {
        .readModels(window, names: [.centres, .entityTexts], parts: [.centres], lookups: [])
    }

    public init(ledger: Ledger, models: ReadModels) {
        entries = models.centres.enumerated().compactMap { index, centre in
            guard let centre else { return nil }
            return Entry(centre: ledger.centres.string(.init(offset: index)), name: ledger.texts.string(centre.name),
                         kind: centre.kind, city: ledger.texts.string(centre.city),
                         partner: centre.partner.map { ledger.texts.string($0) },
                         opened: centre.opened, closed: centre.closed)
        }.sorted { ($0.opened, $0.centre) < ($1.opened, $1.centre) }
    }

    public var json: JSONValue {
        .array(entries.map {
            .record([("centre", .text($0.centre)), ("name", .text($0.name)), ("kind", .text($0.kind.name)),
                     ("city", .text($0.city)), ("partner", $0.partner.map { .text($0) } ?? .null),
                     ("opened", .date($0.opened)), ("closed", .date($0.closed))])
        })
    }
}
