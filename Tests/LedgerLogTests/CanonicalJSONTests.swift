import IncentivesTestSupport
import LedgerLog
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("RFC 8785 canonical JSON")
struct CanonicalJSONTests {
    // MARK: Published vectors

    @Test("published vector matches output byte for byte", arguments: CanonicalJSONTests.vectorNames)
    func publishedVector(name: String) throws {
        let input = try Self.readFixture("input/\(name).json")
        let expected = try Self.readFixture("output/\(name).json")
        let canonical = try JSONCanonical.canonicalize(input)
        #expect(canonical == expected, "\(name): \(String(decoding: canonical, as: UTF8.self))")
    }

    @Test("published vector matches outhex byte for byte", arguments: CanonicalJSONTests.vectorNames)
    func publishedVectorHex(name: String) throws {
        let input = try Self.readFixture("input/\(name).json")
        let expected = try Self.hexBytes(Self.readFixture("outhex/\(name).txt"))
        #expect(try JSONCanonical.canonicalize(input) == expected)
    }

    @Test("canonical output is a fixed point", arguments: CanonicalJSONTests.vectorNames)
    func canonicalIsIdempotent(name: String) throws {
        let expected = try Self.readFixture("output/\(name).json")
        #expect(try JSONCanonical.canonicalize(expected) == expected)
    }

    // MARK: Numbers

    @Test("ES6 number formatting", arguments: [
        ("0.0", "0"),
        ("-0.0", "0"),
        ("1e21", "1e+21"),
        ("1e20", "100000000000000000000"),
        ("1e-7", "1e-7"),
        ("1e-6", "0.000001"),
        ("5e-324", "5e-324"),
        ("-5e-324", "-5e-324"),
        ("1.7976931348623157e308", "1.7976931348623157e+308"),
        ("-1.7976931348623157e308", "-1.7976931348623157e+308"),
        ("9007199254740991", "9007199254740991"),
        ("9007199254740992", "9007199254740992"),
        ("-9007199254740992", "-9007199254740992"),
        ("0.1", "0.1"),
        ("123456789012345680000", "123456789012345680000"),
        ("4.35", "4.35"),
        ("1.0000000000000002", "1.0000000000000002"),
        ("1.5e-7", "1.5e-7"),
        ("0.002", "0.002"),
        ("4.5", "4.5"),
        ("1e30", "1e+30"),
        ("1e-27", "1e-27"),
        ("1e23", "1e+23"),
        ("100", "100"),
        ("-42", "-42"),
        ("0.5", "0.5"),
        ("123.456", "123.456"),
        ("1e16", "10000000000000000"),
        ("1.5e300", "1.5e+300"),
    ])
    func formatNumber(source: String, expected: String) throws {
        // Given as text so the compiler does not warn about inexact literals.
        let value = try #require(Double(source))
        #expect(try JSONCanonical.formatNumber(value) == expected)
    }

    /// RFC 8785 Appendix B, given as IEEE 754 bit patterns.
    @Test("RFC 8785 appendix B bit patterns", arguments: [
        (0x0000_0000_0000_0000, "0"),
        (0x8000_0000_0000_0000, "0"),
        (0x0000_0000_0000_0001, "5e-324"),
        (0x8000_0000_0000_0001, "-5e-324"),
        (0x7FEF_FFFF_FFFF_FFFF, "1.7976931348623157e+308"),
        (0xFFEF_FFFF_FFFF_FFFF, "-1.7976931348623157e+308"),
        (0x4340_0000_0000_0000, "9007199254740992"),
        (0xC340_0000_0000_0000, "-9007199254740992"),
        (0x4430_0000_0000_0000, "295147905179352830000"),
        (0x44B5_2D02_C7E1_4AF5, "9.999999999999997e+22"),
        (0x44B5_2D02_C7E1_4AF6, "1e+23"),
        (0x44B5_2D02_C7E1_4AF7, "1.0000000000000001e+23"),
        (0x444B_1AE4_D6E2_EF4E, "999999999999999700000"),
        (0x444B_1AE4_D6E2_EF4F, "999999999999999900000"),
        (0x444B_1AE4_D6E2_EF50, "1e+21"),
        (0x3EB0_C6F7_A0B5_ED8C, "9.999999999999997e-7"),
        (0x3EB0_C6F7_A0B5_ED8D, "0.000001"),
        (0x41B3_DE43_5555_5553, "333333333.3333332"),
        (0x41B3_DE43_5555_5554, "333333333.33333325"),
        (0x41B3_DE43_5555_5555, "333333333.3333333"),
        (0x41B3_DE43_5555_5556, "333333333.3333334"),
        (0x41B3_DE43_5555_5557, "333333333.33333343"),
        (0xBECB_F647_612F_3696, "-0.0000033333333333333333"),
        (0x4314_3FF3_C1CB_0959, "1424953923781206.2"),
    ] as [(UInt64, String)])
    func appendixB(bits: UInt64, expected: String) throws {
        #expect(try JSONCanonical.formatNumber(Double(bitPattern: bits)) == expected)
    }

    @Test("NaN and infinities have no JSON form", arguments: [Double.nan, .infinity, -.infinity, Double(bitPattern: 0x7FFF_FFFF_FFFF_FFFF)])
    func nonFinite(value: Double) {
        #expect(throws: JSONCanonicalError.nonFiniteNumber(value.description)) {
            try JSONCanonical.formatNumber(value)
        }
        #expect(throws: JSONCanonicalError.self) { try JSONNumber(value) }
    }

    @Test("number literals canonicalize through their nearest double", arguments: [
        ("1.0", "1"),
        ("1E30", "1e+30"),
        ("-0", "0"),
        ("-0.0", "0"),
        ("0", "0"),
        ("4.50", "4.5"),
        ("2e-3", "0.002"),
        ("333333333.33333329", "333333333.3333333"),
        ("0.000000000000000000000000001", "1e-27"),
        ("999999999999999", "999999999999999"),
        ("-999999999999999", "-999999999999999"),
        ("1000000000000000", "1000000000000000"),
        ("12345678901234567890", "12345678901234567000"),
        // Beyond 2^53 integers are rounded, as RFC 8785 (I-JSON) prescribes.
        ("9007199254740993", "9007199254740992"),
        ("1e-400", "0"),
        ("10E-1", "1"),
    ])
    func numberLiteral(literal: String, expected: String) throws {
        #expect(try Self.canonicalText(of: literal) == expected)
        #expect(try Self.canonicalText(of: "[\(literal)]") == "[\(expected)]")
    }

    @Test("JSONNumber keeps the literal and exposes its values")
    func numberProperties() throws {
        let number = try #require(JSONNumber(literal: "1.50"))
        #expect(number.literal == "1.50")
        #expect(!number.isInteger)
        #expect(number.integerValue == nil)
        #expect(number.doubleValue == 1.5)

        let big = try #require(JSONNumber(literal: "-9223372036854775808"))
        #expect(big.isInteger)
        #expect(big.integerValue == Int64.min)
        #expect(JSONNumber(literal: "9223372036854775808")?.integerValue == nil)
        #expect(JSONNumber(literal: "1e2")?.isInteger == false)
        #expect(JSONNumber(literal: "1e2")?.integerValue == nil)
        #expect(JSONNumber(literal: "-0")?.integerValue == 0)

        for invalid in ["", "01", "+1", " 1", "1 ", "1.", ".5", "0x10", "NaN", "Infinity", "1e400", "--1"] {
            #expect(JSONNumber(literal: invalid) == nil, "\(invalid)")
        }
        #expect(JSONNumber(42).literal == "42")
        #expect(JSONNumber(Int64(-7)).literal == "-7")
        #expect(try JSONNumber(0.1).literal == "0.1")
        #expect(try JSONNumber(-0.0).literal == "0")
    }

    /// Cross-checks the layout against values whose ES6 spelling follows from the
    /// definition: every power of ten and its neighbours must round-trip, and use the
    /// exponent form exactly outside [1e-7, 1e21).
    @Test("every power of ten round-trips and switches notation at 1e-7 and 1e21")
    func powersOfTen() throws {
        for exponent in -323...308 {
            let value = try #require(Double("1e\(exponent)"))
            for candidate in [value, value.nextUp, value.nextDown] {
                let text = try JSONCanonical.formatNumber(candidate)
                #expect(Double(text) == candidate, "\(text)")
                let usesExponent = text.contains("e")
                #expect(usesExponent == (candidate < 1e-6 || candidate >= 1e21), "\(text)")
            }
        }
    }

    @Test("random doubles round-trip through the canonical spelling")
    func randomRoundTrip() throws {
        var generator = SplitMix64(seed: 0x1ED6_E12)
        for _ in 0..<20_000 {
            let value = Double(bitPattern: generator.next())
            guard value.isFinite else { continue }
            let text = try JSONCanonical.formatNumber(value)
            #expect(Double(text) == value || (value == 0 && text == "0"), "\(value) → \(text)")
            // Canonical text is a fixed point of parse and serialize.
            #expect(try Self.canonicalText(of: text) == text)
        }
    }

    // MARK: Strings

    @Test("control characters use short escapes or lowercase \\u00xx")
    func controlCharacterEscapes() throws {
        let expected = [
            "\\u0000", "\\u0001", "\\u0002", "\\u0003", "\\u0004", "\\u0005", "\\u0006", "\\u0007",
            "\\b", "\\t", "\\n", "\\u000b", "\\f", "\\r", "\\u000e", "\\u000f",
            "\\u0010", "\\u0011", "\\u0012", "\\u0013", "\\u0014", "\\u0015", "\\u0016", "\\u0017",
            "\\u0018", "\\u0019", "\\u001a", "\\u001b", "\\u001c", "\\u001d", "\\u001e", "\\u001f",
        ]
        for scalar in UInt8(0)..<0x20 {
            var output: [UInt8] = []
            JSONCanonical.appendString(String(Character(Unicode.Scalar(scalar))), to: &output)
            #expect(String(decoding: output, as: UTF8.self) == "\"" + expected[Int(scalar)] + "\"")
        }
    }

    @Test("only quote, backslash and C0 controls are escaped")
    func minimalEscaping() throws {
        let text = "a\"b\\c/d\u{7F}e\u{2028}f\u{2029}g\u{80}h</script>é😂\u{FEFF}"
        var output: [UInt8] = []
        JSONCanonical.appendString(text, to: &output)
        #expect(String(decoding: output, as: UTF8.self) == "\"a\\\"b\\\\c/d\u{7F}e\u{2028}f\u{2029}g\u{80}h</script>é😂\u{FEFF}\"")
        #expect(try Self.canonicalText(.string("")) == "\"\"")
    }

    @Test("no Unicode normalization: decomposed and precomposed stay distinct")
    func noNormalization() throws {
        #expect(try Self.canonicalText(of: "\"A\\u030a\"") == "\"A\u{30A}\"")
        #expect(try JSONCanonical.canonicalize("\"A\\u030a\"") == Array("\"A\u{30A}\"".utf8))
        #expect(try JSONCanonical.canonicalize("\"\\u00c5\"") == [0x22, 0xC3, 0x85, 0x22])
    }

    // MARK: Key order

    @Test("keys sort by UTF-16 code units, not by scalars or UTF-8 bytes")
    func astralKeysSortBeforeHighBMP() throws {
        // U+1F602 is D83D DE02 in UTF-16; D83D < FB33, so the emoji sorts first even
        // though its scalar value (and UTF-8 lead byte F0 > EF) is larger.
        let object: JSONValue = ["\u{FB33}": 1, "😂": 2, "\u{FFFF}": 3, "\u{D7FF}": 4, "\u{10FFFF}": 5, "\u{E000}": 6]
        #expect(try Self.canonicalText(object) == "{\"\u{D7FF}\":4,\"😂\":2,\"\u{10FFFF}\":5,\"\u{E000}\":6,\"\u{FB33}\":1,\"\u{FFFF}\":3}")
        // Swift's String ordering disagrees, which is why it must not be used.
        #expect("\u{FB33}" < "😂")
        #expect(JSONCanonical.keyPrecedes("😂", "\u{FB33}"))
        #expect(!JSONCanonical.keyPrecedes("\u{FB33}", "😂"))
    }

    @Test("key order basics: prefix first, case-sensitive, digits as text")
    func keyOrderBasics() throws {
        #expect(try Self.canonicalText(of: #"{"b":1,"a":2,"ab":3,"":4,"B":5,"10":6,"9":7}"#)
            == #"{"":4,"10":6,"9":7,"B":5,"a":2,"ab":3,"b":1}"#)
        #expect(!JSONCanonical.keyPrecedes("a", "a"))
        #expect(JSONCanonical.keyPrecedes("", "a"))
        #expect(!JSONCanonical.keyPrecedes("a", ""))
    }

    @Test("canonically equivalent keys are different keys")
    func equivalentKeysAreDistinct() throws {
        let text = "{\"\\u00c5\":1,\"A\\u030a\":2}"
        let value = try JSONParser.parse(text)
        #expect(value.objectValue?.count == 2)
        #expect(value["\u{C5}"] == 1)
        #expect(value["A\u{30A}"] == 2)
        #expect(try Self.canonicalText(value) == "{\"A\u{30A}\":2,\"\u{C5}\":1}")
    }

    @Test("keyPrecedes agrees with UTF-16 lexicographic order on random keys")
    func keyOrderProperty() {
        let alphabet: [Unicode.Scalar] = ["\u{0}", "a", "b", "\u{7F}", "\u{80}", "é", "\u{D7FF}", "\u{E000}", "\u{FB33}", "\u{FFFF}", "\u{10000}", "😂", "😃", "\u{10FFFF}"]
        var generator = SplitMix64(seed: 8785)
        var keys: [String] = []
        for _ in 0..<300 {
            var scalars = String.UnicodeScalarView()
            for _ in 0..<Int(generator.next() % 4) {
                scalars.append(alphabet[Int(generator.next() % UInt64(alphabet.count))])
            }
            keys.append(String(scalars))
        }
        for left in keys.prefix(120) {
            for right in keys {
                #expect(JSONCanonical.keyPrecedes(left, right) == left.utf16.lexicographicallyPrecedes(right.utf16))
            }
        }
    }

    @Test("nested objects and arrays are sorted at every level, arrays keep order")
    func nestedSorting() throws {
        let text = #"{ "z": [ {"y":1,"x":2}, 3, [ ] ], "a": { "c": { }, "b": null } }"#
        #expect(try Self.canonicalText(of: text) == #"{"a":{"b":null,"c":{}},"z":[{"x":2,"y":1},3,[]]}"#)
    }

    @Test("literals, empty containers and whitespace removal")
    func simpleValues() throws {
        #expect(try Self.canonicalText(of: " null ") == "null")
        #expect(try Self.canonicalText(of: "\ttrue\r\n") == "true")
        #expect(try Self.canonicalText(of: "false") == "false")
        #expect(try Self.canonicalText(of: "[ ]") == "[]")
        #expect(try Self.canonicalText(of: "{ }") == "{}")
        #expect(try Self.canonicalText(of: "[1, \"two\", [null]]") == "[1,\"two\",[null]]")
    }

    @Test("an event line: sorted keys, exact amounts")
    func eventLine() throws {
        let event: JSONValue = [
            "type": "incentive.granted",
            "amountFen": 1_250_000,
            "centre": "Shenzhen-南山",
            "rate": 0.075,
            "tags": ["q3", "bonus"],
            "approved": true,
            "note": nil,
        ]
        #expect(try Self.canonicalText(event)
            == #"{"amountFen":1250000,"approved":true,"centre":"Shenzhen-南山","note":null,"rate":0.075,"tags":["q3","bonus"],"type":"incentive.granted"}"#)
    }

    // MARK: Errors

    @Test("duplicate keys cannot be canonicalized")
    func duplicateKeys() throws {
        let handBuilt = JSONValue.object(JSONObject(members: [
            JSONMember(key: "b", value: 1), JSONMember(key: "a", value: 2), JSONMember(key: "b", value: 3),
        ]))
        #expect(throws: JSONCanonicalError.duplicateKey("b")) { try JSONCanonical.serialize(handBuilt) }

        // Already in order apart from the repeat: the sorted fast path must not miss it.
        let adjacent = JSONValue.object(JSONObject(members: [JSONMember(key: "a", value: 1), JSONMember(key: "a", value: 1)]))
        #expect(throws: JSONCanonicalError.duplicateKey("a")) { try JSONCanonical.serialize(adjacent) }

        var lenient = JSONParser.Options()
        lenient.allowDuplicateKeys = true
        #expect(throws: JSONCanonicalError.duplicateKey("a")) {
            try JSONCanonical.canonicalize(#"{"a":1,"a":2}"#, options: lenient)
        }
        let error = JSONCanonicalError.duplicateKey("a\n")
        #expect(error.description == #"duplicate key "a\n": an object with repeated keys cannot be canonicalized"#)
    }

    @Test("invalid input is reported with the parse error")
    func invalidInput() throws {
        do {
            _ = try JSONCanonical.canonicalize(Array("[1,]".utf8))
            Issue.record("expected an error")
        } catch {
            guard case .invalidJSON(let parseError) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(parseError.code == .unexpectedCharacter)
            #expect(parseError.offset == 3)
            #expect(error.description == parseError.message)
        }
    }

    // MARK: Helpers

    /// The published RFC 8785 vectors (cyberphone/json-canonicalization, Apache-2.0), beside
    /// this file in Fixtures/rfc8785.
    static let vectorNames = ["arrays", "french", "structures", "unicode", "values", "weird"]

    struct FixtureError: Error, CustomStringConvertible {
        var description: String
    }

    /// Reads a fixture found relative to this source file, so tests need no bundle resources.
    static func readFixture(_ relativePath: String, filePath: String = #filePath) throws -> [UInt8] {
        let directory = filePath.utf8.lastIndex(of: UInt8(ascii: "/")).map { String(filePath[..<$0]) } ?? "."
        let path = directory + "/Fixtures/rfc8785/" + relativePath
        guard let file = fopen(path, "rb") else { throw FixtureError(description: "cannot open fixture \(relativePath)") }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let readCount = fread(&buffer, 1, buffer.count, file)
            if readCount == 0 { break }
            bytes.append(contentsOf: buffer[..<readCount])
        }
        return bytes
    }

    static func hexBytes(_ text: [UInt8]) throws -> [UInt8] {
        func nibble(_ byte: UInt8) throws -> UInt8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
            default: throw FixtureError(description: "not a hex digit: \(byte)")
            }
        }
        let digits = text.filter { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: "\r") }
        guard digits.count % 2 == 0 else { throw FixtureError(description: "odd number of hex digits") }
        return try stride(from: 0, to: digits.count, by: 2).map { try nibble(digits[$0]) << 4 | nibble(digits[$0 + 1]) }
    }

    static func canonicalText(_ value: JSONValue) throws -> String {
        String(decoding: try JSONCanonical.serialize(value), as: UTF8.self)
    }

    static func canonicalText(of json: String) throws -> String {
        String(decoding: try JSONCanonical.canonicalize(json), as: UTF8.self)
    }
}
