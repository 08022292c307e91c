import IncentivesTestSupport
import Testing
@testable import LedgerLog

/// The fast scanner (`ScannedEventLine.scan`) must accept exactly the lines that the general
/// parser and canonicaliser accept as canonical events: for seeded random lines and thousands of
/// mutations of them, scan succeeds iff the line parses, `JSONCanonical.canonicalize(line) == line`,
/// and its members have the right shapes.
@Suite("Fast scanner agrees with the canonicaliser")
struct ScannerAgreementTests {
    static let members = ["actor", "data", "effective", "hash", "id", "prev", "recorded", "seq", "source", "type", "v"]
    static let limit: Int64 = 9_007_199_254_740_991

    // MARK: The reference decision, written apart from the scanner

    /// Whether `line` is a canonical event line, decided with the general parser and serialiser.
    static func isCanonicalEvent(_ line: [UInt8]) -> Bool {
        guard let value = try? JSONParser.parse(line),
              let canonical = try? JSONCanonical.serialize(value), canonical == line,
              case .object(let object) = value,
              object.keys == members else { return false }
        guard allNumbersAreSafeIntegers(value),
              let seq = object["seq"]?.numberValue?.integerValue, seq >= 1,
              let version = object["v"]?.numberValue?.integerValue, version >= 1,
              let id = object["id"]?.stringValue, isIdentifier(id),
              let type = object["type"]?.stringValue, isIdentifier(type),
              let recorded = object["recorded"]?.stringValue, isTimestamp(recorded),
              let effective = object["effective"]?.stringValue, isDate(effective),
              let actor = object["actor"]?.stringValue, (1...128).contains(actor.unicodeScalars.count),
              let source = object["source"]?.stringValue, (1...256).contains(source.unicodeScalars.count),
              let data = object["data"], case .object = data, depth(data) <= 32,
              let previous = object["prev"]?.stringValue, isHex64(previous),
              let hash = object["hash"]?.stringValue, isHex64(hash) else { return false }
        return true
    }

    static func allNumbersAreSafeIntegers(_ value: JSONValue) -> Bool {
        switch value {
        case .number(let number):
            guard number.literal.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: "-") }),
                  let integer = Int64(number.literal) else { return false }
            return integer >= -limit && integer <= limit
        case .array(let elements): return elements.allSatisfy(allNumbersAreSafeIntegers)
        case .object(let object): return object.members.allSatisfy { allNumbersAreSafeIntegers($0.value) }
        default: return true
        }
    }

    /// Nesting depth counting this container as 1.
    static func depth(_ value: JSONValue) -> Int {
        switch value {
        case .array(let elements): return 1 + (elements.map(depth).max() ?? 0)
        case .object(let object): return 1 + (object.members.map { depth($0.value) }.max() ?? 0)
        default: return 0
        }
    }

    static func isIdentifier(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return (1...64).contains(bytes.count) && bytes.allSatisfy {
            ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || "._:-".utf8.contains($0)
        }
    }

    static func isHex64(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.count == 64 && bytes.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }
    }

    static func number(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return bytes.reduce(0) { $0 * 10 + Int($1 - 48) }
    }

    static func isDate(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let year = number(bytes[0..<4]), let month = number(bytes[5..<7]), let day = number(bytes[8..<10]),
              (1900...9999).contains(year), (1...12).contains(month) else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return (1...days).contains(day)
    }

    static func isTimestamp(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 20, isDate(String(decoding: bytes[0..<10], as: UTF8.self)),
              bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              bytes[19] == UInt8(ascii: "Z"),
              let hour = number(bytes[11..<13]), let minute = number(bytes[14..<16]), let second = number(bytes[17..<19])
        else { return false }
        return hour <= 23 && minute <= 59 && second <= 59
    }

    // MARK: Lines and mutations

    static func scan(_ line: [UInt8]) -> ScannedEventLine? {
        line.withUnsafeBytes { bytes in
            if case .success(let scanned) = ScannedEventLine.scan(bytes) { return scanned }
            return nil
        }
    }

    static func validLine(_ random: inout SplitMix64, index: Int) -> [UInt8] {
        let recorded = Timestamp(secondsSinceEpoch: Int64(random.below(4_000_000_000)) - 2_000_000_000)
        let event = RandomEventData.event(&random, log: LogFixtures.alpha, id: RandomEventData.identifier(&random, length: 1...64),
                                          recorded: recorded)
        let previous = SHA256.hash(Array("line \(index)".utf8))
        return Array(event.seal(seq: 1 + random.below(1_000_000), previous: previous).line.dropLast())
    }

    static let interestingBytes: [UInt8] = Array(" \t\n\\\"/,:{}[]0123456789.eE-+aAfFuxtn".utf8) + [0x00, 0x1F, 0x7F, 0x80, 0xBF, 0xC0, 0xC3, 0xE4, 0xED, 0xF0, 0xF4, 0xF5, 0xFF]

    /// Replacement values for one member, valid and invalid, near every limit.
    static func memberVariant(_ key: String, _ random: inout SplitMix64) -> JSONValue {
        func string(_ text: String) -> JSONValue { .string(text) }
        func number(_ literal: String) -> JSONValue { .number(JSONNumber(literal: literal)!) }
        func nested(_ levels: Int) -> JSONValue {
            var value: JSONValue = ["leaf": 1]
            for level in 1..<levels { value = level % 2 == 0 ? .object(JSONObject(members: [JSONMember(key: "k", value: value)])) : [value] }
            return .object(JSONObject(members: [JSONMember(key: "deep", value: value)]))
        }
        let common: [JSONValue] = [nil, true, number("0"), number("1"), string(""), ["x"], [:]]
        let specific: [JSONValue]
        switch key {
        case "seq", "v":
            specific = [number("1"), number("2"), number("-1"), number("0"), number("9007199254740991"),
                        number("9007199254740992"), number("1.0"), number("1e3"), number("12345678901234567")]
        case "id", "type":
            specific = [string("a"), string(String(repeating: "x", count: 64)), string(String(repeating: "x", count: 65)),
                        string("has space"), string("é"), string("a/b"), string("A.b_c:d-9")]
        case "recorded":
            specific = [string("2024-02-29T23:59:59Z"), string("2023-02-29T00:00:00Z"), string("1900-01-01T00:00:00Z"),
                        string("1899-12-31T23:59:59Z"), string("2024-01-01T24:00:00Z"), string("2024-01-01T00:60:00Z"),
                        string("2024-01-01T00:00:60Z"), string("2024-01-01 00:00:00Z"), string("2024-01-01T00:00:00"),
                        string("9999-12-31T23:59:59Z"), string("2024-13-01T00:00:00Z")]
        case "effective":
            specific = [string("2024-02-29"), string("2023-02-29"), string("2023-02-30"), string("1900-01-01"),
                        string("1899-12-31"), string("2024-04-31"), string("2024-1-01"), string("20240101"), string("2000-02-29"),
                        string("1900-02-29")]
        case "actor", "source":
            let limit = key == "actor" ? 128 : 256
            specific = [string(""), string(String(repeating: "中", count: limit)), string(String(repeating: "中", count: limit + 1)),
                        string(String(repeating: "😀", count: limit)), string("\u{0}"), string("a\"b\\c")]
        case "data":
            specific = [[:], ["a": number("1.5")], ["a": number("1e+21")], ["a": number("-0")], ["n": number("-9007199254740991")],
                        ["n": number("-9007199254740992")], nested(31), nested(32), nested(33), ["😀": 1, "\u{FF61}": 2],
                        [1, 2], string("x")]
        default:
            specific = [string(String(repeating: "a", count: 64)), string(String(repeating: "A", count: 64)),
                        string(String(repeating: "0", count: 63)), string(String(repeating: "0", count: 65))]
        }
        return random.chance(3, in: 4) ? random.pick(specific) : random.pick(common)
    }

    static func mutate(_ line: [UInt8], _ random: inout SplitMix64) -> [UInt8] {
        var bytes = line
        switch random.below(9) {
        case 0:
            let offset = random.below(bytes.count)
            bytes[offset] = random.chance(1, in: 2) ? random.pick(interestingBytes) : UInt8(truncatingIfNeeded: random.next())
        case 1:
            bytes.remove(at: random.below(bytes.count))
        case 2:
            bytes.insert(random.pick(interestingBytes), at: random.below(bytes.count + 1))
        case 3:
            let start = random.below(bytes.count)
            let end = min(bytes.count, start + 1 + random.below(12))
            bytes.replaceSubrange(start..<end, with: (0..<random.below(6)).map { _ in random.pick(interestingBytes) })
        case 4:
            // An escape where a literal character is canonical, or a variant spelling of an escape.
            let swaps: [(String, String)] = [("/", "\\/"), ("\\u001f", "\\u001F"), ("\\u0010", "\\u0010"), ("a", "\\u0061"),
                                             ("\\n", "\\u000a"), ("\\\"", "\\u0022"), ("é", "\\u00e9"), ("\\t", "\t"),
                                             ("\\u007f", "\u{7F}"), ("\u{7F}", "\\u007f"), ("中", "\\u4e2d"), ("\\\\", "\\u005c")]
            let (from, to) = random.pick(swaps)
            if let changed = OrderedJSONText.replacingFirst(from, with: to, in: bytes) { bytes = changed }
        default:
            guard case .object(var object)? = try? JSONParser.parse(line) else { return bytes }
            switch random.below(5) {
            case 0:
                let index = random.below(object.members.count)
                object.members[index].value = memberVariant(object.members[index].key, &random)
            case 1:
                object.members.swapAt(random.below(object.members.count), random.below(object.members.count))
            case 2:
                object.members.remove(at: random.below(object.members.count))
            case 3:
                let extra = JSONMember(key: random.pick(members + ["zz", "", "Actor", "vv"]), value: 1)
                object.members.insert(extra, at: random.below(object.members.count + 1))
            default:
                // Several members at once, so lines valid in every member but one also occur.
                for _ in 0..<(1 + random.below(3)) {
                    let index = random.below(object.members.count)
                    object.members[index].value = memberVariant(object.members[index].key, &random)
                }
            }
            bytes = OrderedJSONText.write(.object(object))
        }
        return bytes
    }

    // MARK: Tests

    static func check(_ line: [UInt8], context: @autoclosure () -> String, accepted: inout Int, refused: inout Int) {
        let expected = isCanonicalEvent(line)
        let scanned = scan(line)
        let failure = line.withUnsafeBytes { bytes -> String in
            guard case .failure(let failure) = ScannedEventLine.scan(bytes) else { return "" }
            return " [\(failure.reason) at byte \(failure.offset)]"
        }
        #expect((scanned != nil) == expected,
                "\(context()): scan \(scanned != nil ? "accepted" : "refused") but the canonicaliser says \(expected)\(failure): \(String(decoding: line, as: UTF8.self))")
        if expected { accepted += 1 } else { refused += 1 }
        guard let scanned, expected, case .object(var object)? = try? JSONParser.parse(line) else { return }
        // What the scanner extracted is what the parser read.
        #expect(Int64(scanned.seq) == object["seq"]?.numberValue?.integerValue)
        #expect(Int64(scanned.version) == object["v"]?.numberValue?.integerValue)
        #expect(scanned.recorded.description == object["recorded"]?.stringValue)
        #expect(scanned.effective.description == object["effective"]?.stringValue)
        #expect(String(decoding: line[scanned.id], as: UTF8.self) == object["id"]?.stringValue)
        #expect(String(decoding: line[scanned.type], as: UTF8.self) == object["type"]?.stringValue)
        line.withUnsafeBytes { bytes in
            #expect(CanonicalString.decode(UnsafeRawBufferPointer(rebasing: bytes[scanned.actor])).utf8
                .elementsEqual(object["actor"]!.stringValue!.utf8))
            #expect(CanonicalString.decode(UnsafeRawBufferPointer(rebasing: bytes[scanned.source])).utf8
                .elementsEqual(object["source"]!.stringValue!.utf8))
        }
        #expect((try? JSONCanonical.serialize(object["data"]!)) == Array(line[scanned.data]))
        object.members.removeAll { $0.key == "hash" }
        let expectedHash = SHA256.hash(try! JSONCanonical.serialize(.object(object)))
        line.withUnsafeBytes { bytes in
            #expect(scanned.computeHash(of: bytes, implementation: SHA256.preferredImplementation) == expectedHash)
        }
    }

    @Test("sealed random lines are accepted, and their members read back", arguments: [UInt64(1), 2, 3])
    func validLinesAgree(seed: UInt64) {
        var random = SplitMix64(seed: 0xACCE_0000 + seed)
        var accepted = 0, refused = 0
        for index in 0..<700 {
            let line = Self.validLine(&random, index: index)
            Self.check(line, context: "seed \(seed) line \(index)", accepted: &accepted, refused: &refused)
        }
        #expect(accepted == 700 && refused == 0)
    }

    @Test("mutated lines: scan succeeds exactly when the canonicaliser accepts", arguments: [UInt64(1), 2, 3, 4])
    func mutatedLinesAgree(seed: UInt64) {
        var random = SplitMix64(seed: 0x0BAD_0000 + seed)
        var accepted = 0, refused = 0
        for index in 0..<600 {
            var line = Self.validLine(&random, index: index)
            for mutation in 0..<(1 + random.below(3)) {
                line = Self.mutate(line, &random)
                guard !line.isEmpty else { break }
                Self.check(line, context: "seed \(seed) line \(index) mutation \(mutation)", accepted: &accepted, refused: &refused)
            }
        }
        // Both outcomes must occur in quantity, or the comparison proves little.
        #expect(accepted > 60, "only \(accepted) mutated lines were still canonical events")
        #expect(refused > 500, "only \(refused) mutated lines were refused")
    }

    @Test("limits and edge cases agree", arguments: [
        "actor at 128 characters", "actor at 129", "source at 256", "source at 257", "data 32 deep", "data 33 deep",
        "seq 2^53-1", "seq 2^53", "seq 0", "v 0", "astral key order", "BMP-above-surrogates key order",
        "escaped key order", "key then the same key and a space", "empty key then a space", "key then key and !",
        "leap day", "not a leap day", "empty line", "control char escaped",
    ])
    func edgeCases(name: String) throws {
        var object: JSONObject = [
            "actor": "clerk", "data": ["a": 1], "effective": "2024-01-01", "hash": .string(String(repeating: "a", count: 64)),
            "id": "x", "prev": .string(String(repeating: "0", count: 64)), "recorded": "2024-01-01T00:00:00Z", "seq": 1,
            "source": "doc", "type": "T", "v": 1,
        ]
        func set(_ key: String, _ value: JSONValue) {
            object.members[object.members.firstIndex { $0.key == key }!].value = value
        }
        func nested(_ levels: Int) -> JSONValue {
            var value: JSONValue = [:]
            for _ in 1..<levels { value = .object(JSONObject(members: [JSONMember(key: "k", value: value)])) }
            return value
        }
        var expected = true
        var raw: [UInt8]? = nil
        switch name {
        case "actor at 128 characters": set("actor", .string(String(repeating: "州", count: 128)))
        case "actor at 129": set("actor", .string(String(repeating: "州", count: 129))); expected = false
        case "source at 256": set("source", .string(String(repeating: "😀", count: 256)))
        case "source at 257": set("source", .string(String(repeating: "😀", count: 257))); expected = false
        case "data 32 deep": set("data", nested(32))
        case "data 33 deep": set("data", nested(33)); expected = false
        case "seq 2^53-1": set("seq", 9_007_199_254_740_991)
        case "seq 2^53": set("seq", 9_007_199_254_740_992); expected = false
        case "seq 0": set("seq", 0); expected = false
        case "v 0": set("v", 0); expected = false
        case "astral key order":
            // UTF-16 puts U+1F600 (a surrogate pair, D83D…) before U+FF61, unlike UTF-8 and code points.
            raw = try line(object, data: "{\"😀\":1,\"\u{FF61}\":2}")
            #expect(try !isSorted(line(object, data: "{\"\u{FF61}\":2,\"😀\":1}")))
        case "BMP-above-surrogates key order":
            raw = try line(object, data: "{\"\u{D7FF}\":1,\"😀\":2,\"\u{E000}\":3}")
        case "escaped key order":
            // "\n" (U+000A) sorts before "!" (U+0021) although its escape starts with a backslash.
            raw = try line(object, data: "{\"\\n\":1,\"!\":2}")
        case "key then the same key and a space":
            // A shorter key sorts first; its closing quote must not be compared with the space.
            raw = try line(object, data: "{\"a\":1,\"a b\":2}")
            #expect(try !isSorted(line(object, data: "{\"a b\":2,\"a\":1}")))
        case "empty key then a space": raw = try line(object, data: "{\"\":1,\" \":2}")
        case "key then key and !": raw = try line(object, data: "{\"x\":1,\"x!\":2,\"x#\":3}")
        case "leap day": set("effective", "2000-02-29")
        case "not a leap day": set("effective", "1900-02-29"); expected = false
        case "empty line": raw = []; expected = false
        case "control char escaped": set("actor", "a\u{1}b\u{7F}")
        default: Issue.record("unknown case \(name)")
        }
        let bytes = try raw ?? JSONCanonical.serialize(.object(object))
        #expect(Self.isCanonicalEvent(bytes) == expected, "the reference itself decides \(name) as \(expected)")
        #expect((Self.scan(bytes) != nil) == expected, "\(name): \(String(decoding: bytes, as: UTF8.self))")
    }

    @Test("key order: every pair of keys, plain, escaped or at and above U+E000, is judged as the reference judges it")
    func keyPairsAgree() throws {
        let object: JSONObject = [
            "actor": "clerk", "data": ["a": 1], "effective": "2024-01-01", "hash": .string(String(repeating: "a", count: 64)),
            "id": "x", "prev": .string(String(repeating: "0", count: 64)), "recorded": "2024-01-01T00:00:00Z", "seq": 1,
            "source": "doc", "type": "T", "v": 1,
        ]
        // Keys as written in canonical form: plain ASCII, escapes (whose bytes sort unlike their
        // characters), and characters whose UTF-8 order is not their UTF-16 order.
        let keys = ["", " ", "!", "0", "a", "ab", "a b", "b", "\\t", "\\n", "\\u001f", "\\\"", "\\\\", "a\\n", "a!",
                    "é", "\u{D7FF}", "\u{E000}", "\u{FF61}", "😀", "a😀", "a\u{E000}", "中"]
        var judged = 0
        for first in keys {
            for second in keys {
                let bytes = try line(object, data: "{\"\(first)\":1,\"\(second)\":2}")
                #expect((Self.scan(bytes) != nil) == Self.isCanonicalEvent(bytes), "keys \(first) then \(second)")
                judged += 1
            }
        }
        #expect(judged == keys.count * keys.count)
    }

    /// A canonical line with `data` spliced in as written.
    func line(_ object: JSONObject, data: String) throws -> [UInt8] {
        var copy = object
        copy.members[copy.members.firstIndex { $0.key == "data" }!].value = "PLACEHOLDER"
        let text = String(decoding: try JSONCanonical.serialize(.object(copy)), as: UTF8.self)
        return Array(text.replacingFirstOccurrence(of: "\"PLACEHOLDER\"", with: data).utf8)
    }

    func isSorted(_ bytes: [UInt8]) -> Bool { Self.isCanonicalEvent(bytes) }
}

private extension String {
    func replacingFirstOccurrence(of target: String, with replacement: String) -> String {
        let bytes = OrderedJSONText.replacingFirst(target, with: replacement, in: Array(utf8))
        return bytes.map { String(decoding: $0, as: UTF8.self) } ?? self
    }
}
