import IncentivesDomain
import LedgerLog

/// Drafts built the way the command line builds them.
enum Drafts {
    static let precision = code("91321204MA1PREC00")
    static let pharma = code("91321204MA1PHARM0")

    static func code(_ first17: String) -> String {
        first17 + String(decoding: [EnterpriseCode.checkCharacter(forFirst17: Array(first17.utf8))!], as: UTF8.self)
    }

    /// A draft as `append` takes it: the ledger's clock decides when it is recorded.
    static func make(_ id: String, _ kind: EventKind, _ effective: String,
                     _ data: [(String, JSONValue)]) throws -> EventDraft {
        try EventDraft.make(id: id, kind: kind, effective: CalendarDate(parsing: effective)!,
                            actor: "clerk", source: "doc",
                            data: JSONObject(members: data.map { JSONMember(key: $0.0, value: $0.1) }), origin: "test draft \(id)")
    }

    static func base() throws -> [EventDraft] {
        [
            try make("p-yz", .programmeEstablished, "2022-01-01", [("programme", "yz"), ("name", "雁阵计划")]),
            try make("e-1", .enterpriseRegistered, "2022-01-01",
                     [("enterprise", .string(precision)), ("name", "精密"), ("sector", "machinery")]),
            try make("e-2", .enterpriseRegistered, "2022-01-01",
                     [("enterprise", .string(pharma)), ("name", "Pharma"), ("sector", "pharma")]),
        ]
    }

    static func award(_ id: String, grant: String, enterprise: String = precision, amountFen: Int64, _ effective: String) throws -> EventDraft {
        try make(id, .grantAwarded, effective, [
            ("amountFen", .number(JSONNumber(amountFen))), ("enterprise", .string(enterprise)), ("grant", .string(grant)),
            ("programme", "yz"), ("project", "p"),
        ])
    }

    static func tier(_ id: String, to tier: String, on effective: String, kind: EventKind = .tierPromoted,
                     enterprise: String = precision) throws -> EventDraft {
        try make(id, kind, effective, [("enterprise", .string(enterprise)), ("tier", .string(tier))])
    }

    static func retract(_ id: String, target: String, _ effective: String) throws -> EventDraft {
        try make(id, .eventRetracted, effective, [("reason", "error"), ("target", .string(target))])
    }
}
