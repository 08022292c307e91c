import IncentivesTestSupport
@testable import LedgerLog
import Testing

/// `CanonicalObjectView` finds members by skipping strings eight bytes at a time: every quote,
/// backslash and escape must be found wherever it falls in a word, and every member must be
/// found whatever came before it.
@Suite("Members of a canonical object")
struct CanonicalObjectViewTests {
    /// The keys the objects use, in canonical order (the view asks for members by static key).
    static let keys: [StaticString] = ["a", "amountFen", "b", "data", "enterprise", "name", "nested", "z"]

    /// Characters a string is made of: plain ASCII, the two bytes that end or escape a string,
    /// characters written as escapes, and characters of two, three and four UTF-8 bytes.
    static let alphabet: [Character] = ["x", "7", " ", "\"", "\\", "\n", "\t", "\u{01}", "\u{1F}", "/", "é", "中", "〔", "€", "😀"]

    static func randomString(_ random: inout SplitMix64) -> String {
        let length = Int(random.next() % 40)
        return String((0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
    }

    static func randomValue(_ random: inout SplitMix64, depth: Int = 0) -> JSONValue {
        switch random.next() % (depth < 2 ? 6 : 4) {
        case 0: return .number(JSONNumber(Int64(bitPattern: random.next()) >> Int64(random.next() % 64)))
        case 1: return random.next() % 2 == 0 ? .bool(random.next() % 2 == 0) : .null
        case 2, 3: return .string(randomString(&random))
        case 4: return .array((0..<Int(random.next() % 4)).map { _ in randomValue(&random, depth: depth + 1) })
        default:
            var object = JSONObject()
            for _ in 0..<Int(random.next() % 4) { object[randomString(&random)] = randomValue(&random, depth: depth + 1) }
            return .object(object)
        }
    }

    static func key(_ key: StaticString) -> String { key.withUTF8Buffer { String(decoding: $0, as: UTF8.self) } }

    @Test("every member is found with its exact value bytes, in order, out of order and when absent")
    func membersOfRandomObjects() throws {
        var random = SplitMix64(seed: 0x0B1E_C7)
        for round in 0..<3000 {
            var object = JSONObject()
            var values: [String: JSONValue] = [:]
            for key in Self.keys where random.next() % 3 != 0 {
                let value = Self.randomValue(&random)
                object[Self.key(key)] = value
                values[Self.key(key)] = value
            }
            let bytes = try JSONCanonical.serialize(.object(object))
            var serialized: [String: [UInt8]] = [:]
            for (key, value) in values { serialized[key] = try JSONCanonical.serialize(value) }
            bytes.withUnsafeBytes { buffer in
                let view = CanonicalObjectView(buffer)
                #expect(view.memberCount == values.count, "round \(round)")
                var position = 0
                for key in Self.keys {
                    let expected = serialized[Self.key(key)]
                    // Asked for by key alone, and in canonical order from where the last one ended.
                    #expect(view.member(key).map { Array($0.value) } == expected, "round \(round), \(key)")
                    #expect(view.member(key, from: &position).map { Array($0.value) } == expected, "round \(round), \(key) in order")
                    if case .string(let string)? = values[Self.key(key)] {
                        #expect(view.member(key)?.string == string, "round \(round), \(key) decoded")
                    }
                }
                // Out of order: from the end back to the start, the search wraps around.
                for key in Self.keys.reversed() {
                    let expected = serialized[Self.key(key)]
                    #expect(view.member(key, from: &position).map { Array($0.value) } == expected, "round \(round), \(key) reversed")
                }
            }
            // The span form (the domain's) finds the same members and reads them the same way.
            let members = CanonicalObjectSpan(bytes.span)
            var position = 0
            for key in Self.keys {
                let expected = serialized[Self.key(key)]
                let found = members.memberRange(key, from: &position)
                #expect(found.map { Array(bytes[$0]) } == expected, "round \(round), \(key) as a span, in order")
                #expect(members.memberRange(key).map { Array(bytes[$0]) } == expected, "round \(round), \(key) as a span")
                guard let range = found, let value = expected else { continue }
                switch values[Self.key(key)] {
                case .string(let string)?:
                    #expect(members.kind(of: range) == .string && members.string(of: range) == string, "round \(round), \(key)")
                    let content = Array(value.dropFirst().dropLast())
                    #expect(members.plainStringRange(of: range).map { Array(bytes[$0]) }
                            == (content.contains(UInt8(ascii: "\\")) ? nil : content), "round \(round), \(key) plain")
                case .number?:
                    #expect(members.integer(of: range) == Int64(String(decoding: value, as: UTF8.self)), "round \(round), \(key)")
                default:
                    #expect(members.string(of: range) == nil && members.plainStringRange(of: range) == nil, "round \(round), \(key)")
                }
            }
        }
    }

    @Test("a quote or backslash at each place of an eight-byte word ends or escapes the string there")
    func stringEndsAtEveryOffset() throws {
        for padding in 0..<17 {
            for place in 0..<17 {
                for special in ["\"", "\\", "\n", "中"] {
                    let text = String(repeating: "p", count: place) + special + String(repeating: "q", count: padding)
                    let object: JSONObject = ["a": .string(String(repeating: "r", count: padding)), "b": .string(text), "z": 1]
                    let bytes = try JSONCanonical.serialize(.object(object))
                    let first = try JSONCanonical.serialize(object["a"]!)
                    bytes.withUnsafeBytes { buffer in
                        let view = CanonicalObjectView(buffer)
                        #expect(view.member("b")?.string == text, "padding \(padding), place \(place), \(special.debugDescription)")
                        #expect(view.member("z")?.integer == 1, "padding \(padding), place \(place), \(special.debugDescription)")
                        #expect(view.member("a").map { Array($0.value) } == first)
                    }
                }
            }
        }
    }

    @Test("the word scan marks the first quote or backslash exactly, whatever follows it")
    func wordScanIsExactAtItsLowestMark() {
        var random = SplitMix64(seed: 0x5EA7C4)
        let interesting: [UInt8] = [0x00, 0x01, 0x21, 0x22, 0x23, 0x5B, 0x5C, 0x5D, 0x7F, 0x80, 0xA2, 0xDC, 0xFF]
        for _ in 0..<200_000 {
            let bytes = (0..<8).map { _ in random.next() % 2 == 0 ? interesting[Int(random.next() % UInt64(interesting.count))] : UInt8(truncatingIfNeeded: random.next()) }
            let word = bytes.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
            let marks = CanonicalObjectView.quotesOrBackslashes(word)
            let first = bytes.firstIndex { $0 == 0x22 || $0 == 0x5C }
            #expect(marks == 0 ? first == nil : first == marks.trailingZeroBitCount / 8, "\(bytes)")
        }
    }

    @Test("a span equals a literal exactly when every byte does, at every length and place")
    func spanEqualsLiteral() {
        let literals: [StaticString] = ["", "a", "TierDemoted", "GrantAwarded", "EnterpriseRegistered", "ProgrammeEstablished",
                                        "12345678", "123456789", "CapabilityEvaluated", "abcdefghijklmnopqrstuvwxyz0123"]
        func equal(_ bytes: [UInt8], _ literal: StaticString) -> Bool {
            let asLiteral = bytes.span.equals(literal), asString = bytes.span.equals(utf8: Self.key(literal))
            #expect(asLiteral == asString, "both comparisons agree on \(literal)")
            return asLiteral
        }
        for literal in literals {
            let name = literal.withUTF8Buffer { Array($0) }
            #expect(equal(name, literal), "\(literal)")
            for offset in name.indices {
                var changed = name
                changed[offset] ^= 0x20
                #expect(!equal(changed, literal), "\(literal) at \(offset)")
            }
            #expect(!equal(name + [0x41], literal))
            if !name.isEmpty { #expect(!equal(Array(name.dropLast()), literal)) }
        }
    }
}
