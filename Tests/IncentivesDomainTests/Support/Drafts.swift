import IncentivesDomain
import LedgerLog

/// Drafts built the way the command line builds them.
enum Drafts {
    static let precision = code("91321204MA1PREC00")
    static let pharma = code("91321204MA1PHARM0")

    static func code(_ first17: String) -> String {
        first17 + String(decoding: [EnterpriseCode.checkCharacter(forFirst17: Array(first17.utf8))!], as: UTF8.self)
    }

    static func make(_ id: String, _ kind: EventKind, _ effective: String, recorded: String? = nil,
                     _ data: [(String, JSONValue)]) throws -> EventDraft {
        try EventDraft.make(id: id, kind: kind, effective: CalendarDate(parsing: effective)!,
                            recorded: recorded.map { Timestamp(parsing: $0)! }, actor: "clerk", source: "doc",
                            data: JSONObject(members: data.map { JSONMember(key: $0.0, value: $0.1) }), origin: "test draft \(id)")
    }

    static func base(recorded: String = "2022-01-02T08:00:00Z") throws -> [EventDraft] {
        [
            try make("p-yz", .programmeEstablished, "2022-01-01", recorded: recorded, [("programme", "yz"), ("name", "雁阵计划")]),
            try make("e-1", .enterpriseRegistered, "2022-01-01", recorded: recorded,
                     [("enterprise", .string(precision)), ("name", "精密"), ("sector", "machinery")]),
            try make("e-2", .enterpriseRegistered, "2022-01-01", recorded: recorded,
                     [("enterprise", .string(pharma)), ("name", "Pharma"), ("sector", "pharma")]),
        ]
    }

    static func award(_ id: String, grant: String, enterprise: String = precision, amountFen: Int64, _ effective: String,
                      recorded: String? = nil) throws -> EventDraft {
        try make(id, .grantAwarded, effective, recorded: recorded, [
            ("amountFen", .number(JSONNumber(amountFen))), ("enterprise", .string(enterprise)), ("grant", .string(grant)),
            ("programme", "yz"), ("project", "p"),
        ])
    }

    static func tier(_ id: String, to tier: String, on effective: String, kind: EventKind = .tierPromoted,
                     enterprise: String = precision, recorded: String? = nil) throws -> EventDraft {
        try make(id, kind, effective, recorded: recorded, [("enterprise", .string(enterprise)), ("tier", .string(tier))])
    }

    static func retract(_ id: String, target: String, _ effective: String, recorded: String? = nil) throws -> EventDraft {
        try make(id, .eventRetracted, effective, recorded: recorded, [("reason", "error"), ("target", .string(target))])
    }
}
