import LedgerLog

/// Shorthands for building query results as JSON with a fixed member order.
extension JSONValue {
    public static func record(_ members: [(String, JSONValue)]) -> JSONValue {
        .object(JSONObject(members: members.map { JSONMember(key: $0.0, value: $0.1) }))
    }

    public static func text(_ text: String) -> JSONValue { .string(text) }
    public static func integer(_ value: Int64) -> JSONValue { .number(JSONNumber(value)) }
    public static func integer(_ value: Int) -> JSONValue { .number(JSONNumber(value)) }
    public static func integer(_ value: Int32) -> JSONValue { .number(JSONNumber(Int64(value))) }
    public static func date(_ date: CalendarDate?) -> JSONValue { date.map { .string($0.description) } ?? .null }
}
