import LedgerLog

/// Registered enterprises per tier, and optionally the promotions and demotions in a period.
public struct TierReport: Sendable, Equatable {
    public struct Transition: Sendable, Equatable {
        public var effective: CalendarDate
        public var enterprise: String
        public var name: String
        public var from: Tier
        public var to: Tier
        public var kind: String { to > from ? "promotion" : "demotion" }
    }

    /// Registered enterprises per tier, indexed by `Tier.rawValue`.
    public var counts: [Int]
    public var transitions: [Transition]?

    /// What the report of `window` reads of the ledger: the enterprises' models, and their codes
    /// and names only to list transitions.
    public static func scope(_ window: TimeWindow, includeTransitions: Bool) -> LedgerScope {
        .readModels(window, names: includeTransitions ? [.enterprises, .texts] : [], parts: [.enterprises])
    }

    public init(ledger: Ledger, models: ReadModels, transitionsFrom: CalendarDate?, to: CalendarDate?, includeTransitions: Bool) {
        counts = Array(repeating: 0, count: Tier.allCases.count)
        var transitions: [Transition] = []
        for (index, enterprise) in models.enterprises.enumerated() {
            guard let enterprise else { continue }
            if enterprise.isRegistered { counts[Int(enterprise.tier.rawValue)] += 1 }
            guard includeTransitions else { continue }
            for change in enterprise.history {
                if let transitionsFrom, change.effective < transitionsFrom { continue }
                if let to, change.effective > to { continue }
                transitions.append(Transition(
                    effective: change.effective, enterprise: ledger.enterprises.string(.init(offset: index)),
                    name: ledger.texts.string(enterprise.name), from: change.from, to: change.to))
            }
        }
        self.transitions = includeTransitions
            ? transitions.sorted { ($0.effective, $0.enterprise) < ($1.effective, $1.enterprise) } : nil
    }

    public var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("byTier", .record(Tier.allCases.map { ($0.name, .integer(counts[Int($0.rawValue)])) })),
        ]
        if let transitions {
            members.append(("transitions", .array(transitions.map {
                .record([("effective", .date($0.effective)), ("enterprise", .text($0.enterprise)), ("name", .text($0.name)),
                         ("from", .text($0.from.name)), ("to", .text($0.to.name)), ("kind", .text($0.kind))])
            })))
        }
        return .record(members)
    }
}
