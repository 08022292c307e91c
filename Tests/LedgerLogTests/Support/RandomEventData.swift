import IncentivesTestSupport
@testable import LedgerLog

/// Seeded random event content: strings that exercise every escaping rule, nested data,
/// integers up to the format's limits.
enum RandomEventData {
    /// Characters chosen for what canonical JSON does with them: escapes, multi-byte UTF-8,
    /// code points whose UTF-16 order differs from their UTF-8 order.
    static let scalarPool: [Unicode.Scalar] = [
        "a", "b", "z", "A", "Z", "0", "9", " ", "-", ".", "_", ":", "/", "\"", "\\", "<", "~", "\u{7F}",
        "\u{00}", "\u{08}", "\u{09}", "\u{0A}", "\u{0C}", "\u{0D}", "\u{1F}", "\u{10}",
        "é", "ß", "中", "泰", "州", "元", "\u{2028}", "\u{E000}", "\u{FF61}", "\u{FFFD}", "😀", "\u{10FFFF}",
    ]

    static let identifierBytes: [Character] = Array("abcxyzABCXYZ0189._:-")

    static func string(_ random: inout SplitMix64, length range: ClosedRange<Int>) -> String {
        var scalars = String.UnicodeScalarView()
        let length = range.lowerBound + random.below(range.count)
        for _ in 0..<length { scalars.append(random.pick(scalarPool)) }
        return String(scalars)
    }

    static func identifier(_ random: inout SplitMix64, length range: ClosedRange<Int> = 1...20) -> String {
        let length = range.lowerBound + random.below(range.count)
        return String((0..<length).map { _ in random.pick(identifierBytes) })
    }

    static let limit: Int64 = 9_007_199_254_740_991

    static func integer(_ random: inout SplitMix64) -> Int64 {
        switch random.below(6) {
        case 0: return random.pick([0, 1, -1, limit, -limit, limit - 1, 10, 100_000_000])
        case 1: return Int64(random.below(1000))
        default: return Int64.random(in: -limit...limit, using: &random)
        }
    }

    static func value(_ random: inout SplitMix64, depth: Int) -> JSONValue {
        let choice = depth >= 4 ? random.below(5) : random.below(7)
        switch choice {
        case 0: return .null
        case 1: return .bool(random.chance(1, in: 2))
        case 2, 3: return .number(JSONNumber(integer(&random)))
        case 4: return .string(string(&random, length: 0...10))
        case 5: return .array((0..<random.below(4)).map { _ in value(&random, depth: depth + 1) })
        default: return object(&random, depth: depth + 1)
        }
    }

    /// An object with distinct keys (an object with repeated keys has no canonical form).
    static func object(_ random: inout SplitMix64, depth: Int, maximumMembers: Int = 5) -> JSONValue {
        var members: [JSONMember] = []
        var keys: [String] = []
        for _ in 0..<random.below(maximumMembers + 1) {
            let key = string(&random, length: 0...6)
            guard !keys.contains(where: { $0.utf8.elementsEqual(key.utf8) }) else { continue }
            keys.append(key)
            members.append(JSONMember(key: key, value: value(&random, depth: depth)))
        }
        return .object(JSONObject(members: members))
    }

    /// A valid event with random content.
    static func event(_ random: inout SplitMix64, log: LogName, id: String, recorded: Timestamp) -> UnsealedEvent {
        let effective = CalendarDate(daysSinceEpoch: Int32(random.below(40_000)) - 20_000)
        return UnsealedEvent(
            log: log, id: EventID(rawValue: id)!, type: identifier(&random, length: 1...30),
            version: 1 + random.below(3), recorded: recorded, effective: effective,
            actor: string(&random, length: 1...20), source: string(&random, length: 1...40),
            data: LogFixtures.canonical(object(&random, depth: 1)))
    }
}
