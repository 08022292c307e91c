import LedgerLog
import Testing

@Suite("Strict JSON parser")
struct JSONParserTests {
    // MARK: Refusals

    @Test("refused input reports code and byte offset", arguments: JSONParserTests.refusedInputs)
    func refused(_ input: RefusedInput) {
        #expect {
            try JSONParser.parse(input.bytes, options: input.options)
        } throws: { error in
            guard let error = error as? JSONParseError else { return false }
            #expect(error.code == input.code, "\(error.message)")
            #expect(error.offset == input.offset, "\(error.message)")
            // A byte-order mark is always at the start and the message says so.
            if error.code != .byteOrderMark {
                #expect(error.message.contains("byte \(error.offset)"), "\(error.message)")
            }
            return true
        }
    }

    @Test("every error code is exercised by the refusal table")
    func everyCodeCovered() {
        let covered = Set(Self.refusedInputs.map(\.code))
        for code in JSONParseError.Code.allCases {
            #expect(covered.contains(code), "no test refuses with \(code)")
        }
    }

    @Test("the three entry points agree on errors")
    func entryPointsAgree() {
        let text = #"{"a":1,"a":2}"#
        let fromString = #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
        let fromArray = #expect(throws: JSONParseError.self) { try JSONParser.parse(Array(text.utf8)) }
        let fromBuffer = #expect(throws: JSONParseError.self) {
            try Array(text.utf8).withUnsafeBytes { buffer in try JSONParser.parse(buffer) }
        }
        #expect(fromString == fromArray)
        #expect(fromArray == fromBuffer)
    }

    @Test("messages name what and where")
    func messages() throws {
        func message(_ bytes: [UInt8], options: JSONParser.Options = .init()) -> String {
            do {
                _ = try JSONParser.parse(bytes, options: options)
                return "no error"
            } catch {
                return error.message
            }
        }
        func message(_ text: String) -> String { message(Array(text.utf8)) }

        #expect(message([0xEF, 0xBB, 0xBF, 0x31]) == "byte-order mark at start: save the file as UTF-8 without BOM")
        let event = #"{"centre":"SZ-01","kind":"incentive.granted","amountFen":10,"amountFen":20}"#
        #expect(message(event) == #"duplicate key "amountFen" at byte 60, first seen at byte 45"#)
        #expect(message("[1,]") == "trailing comma before ']' at byte 3")
        #expect(message(#"{"a":1,}"#) == "trailing comma before '}' at byte 7")
        #expect(message("[1 2]") == "unexpected '2' at byte 3: expected ',' or ']'")
        #expect(message("[\u{A0}1]") == "unexpected U+00A0 at byte 1: expected a value")
        #expect(message("\"a\tb\"") == "control character U+0009 at byte 2 inside a string: write it as \\t")
        #expect(message([0x22, 0xED, 0xA0, 0xBD, 0x22]) == "invalid UTF-8 at byte 1: UTF-16 surrogate encoded in UTF-8")
        #expect(message([0x22, 0xC0, 0x80, 0x22]) == "invalid UTF-8 at byte 1: overlong encoding (lead byte 0xC0)")
        #expect(message(#""\ud83d""#) == "high surrogate \\uD83D at byte 1 is not followed by a low surrogate escape")
        #expect(message("01") == "number at byte 0 has a leading zero")
        #expect(message("[1") == "end of text at byte 2 inside the array opened at byte 0")
        #expect(message(String(repeating: "[", count: 70)) == "nesting deeper than 64 levels at byte 64")
        #expect(message("1 x") == "unexpected 'x' at byte 2 after the end of the JSON value")
        #expect(message(#""\q""#) == #"invalid escape '\q' at byte 1: only \" \\ \/ \b \f \n \r \t \uXXXX are allowed"#)
        // Past 16 members duplicates are found through an index instead of a scan.
        let wide = "{" + (0..<20).map { "\"k\($0)\":0" }.joined(separator: ",") + ",\"k3\":1}"
        #expect(message(wide) == "duplicate key \"k3\" at byte \(wide.utf8.count - 7), first seen at byte 22")
        let longKey = String(repeating: "k", count: 100)
        #expect(message("{\"\(longKey)\":1,\"\(longKey)\":2}").hasPrefix("duplicate key \"\(String(repeating: "k", count: 64))…\" at byte 106"))
        let error = JSONParseError(code: .unexpectedEnd, offset: 3, message: "end")
        #expect(error.description == "end")
    }

    // MARK: Accepted input

    @Test("all value kinds parse, objects keep source order")
    func valueKinds() throws {
        let value = try JSONParser.parse(#" { "s": "text", "n": -12.5e+3, "t": true, "f": false, "z": null, "a": [1, [], {}], "o": {"k": "v"} } "#)
        let object = try #require(value.objectValue)
        #expect(object.keys == ["s", "n", "t", "f", "z", "a", "o"])
        #expect(value["s"] == "text")
        #expect(value["n"]?.numberValue?.literal == "-12.5e+3")
        #expect(value["n"]?.numberValue?.doubleValue == -12500)
        #expect(value["t"] == true)
        #expect(value["f"]?.boolValue == false)
        #expect(value["z"]?.isNull == true)
        #expect(value["a"] == [1, [], [:]])
        #expect(value["o"]?["k"]?.stringValue == "v")
        #expect(value["missing"] == nil)
        #expect(value == ["s": "text", "n": .number(JSONNumber(literal: "-12.5e+3")!), "t": true, "f": false, "z": nil, "a": [1, [], [:]], "o": ["k": "v"]])
    }

    @Test("scalars at top level")
    func topLevelScalars() throws {
        #expect(try JSONParser.parse("null") == .null)
        #expect(try JSONParser.parse("true") == true)
        #expect(try JSONParser.parse(" 0 ") == 0)
        #expect(try JSONParser.parse("-0").numberValue?.literal == "-0")
        #expect(try JSONParser.parse(#""""#) == "")
        #expect(try JSONParser.parse("1E+2").numberValue?.literal == "1E+2")
        #expect(try JSONParser.parse("1e-400").numberValue?.doubleValue == 0)
    }

    @Test("escapes decode, surrogate pairs combine")
    func escapes() throws {
        let value = try JSONParser.parse(#""\"\\\/\b\f\n\r\t\u0041\u00e9\u20AC\ud83d\ude02\uDBFF\uDFFF\u0000""#)
        #expect(value == .string("\"\\/\u{8}\u{C}\n\r\tAé€😂\u{10FFFF}\u{0}"))
        #expect(try JSONParser.parse(#""\ud83d\ude02""#).stringValue?.unicodeScalars.map(\.value) == [0x1F602])
    }

    @Test("raw UTF-8 passes through unchanged, including edge scalars")
    func rawUTF8() throws {
        let text = "\u{7F}\u{80}\u{7FF}\u{800}\u{D7FF}\u{E000}\u{FFFD}\u{FFFF}\u{10000}\u{10FFFF}\u{2028}"
        let value = try JSONParser.parse("\"\(text)\"")
        #expect(value.stringValue.map { Array($0.utf8) } == Array(text.utf8))
    }

    @Test("string equality is exact, not canonical equivalence")
    func exactStringEquality() throws {
        #expect("\u{C5}" == "A\u{30A}" as String)  // Swift's own String equality
        #expect(JSONValue.string("\u{C5}") != JSONValue.string("A\u{30A}"))
        #expect(try JSONParser.parse(#""\u00c5""#) != JSONParser.parse(#""A\u030a""#))
        #expect(JSONObject(dictionaryLiteral: ("\u{C5}", 1))["A\u{30A}"] == nil)
    }

    @Test("numbers keep their literal; integer helpers")
    func numbers() throws {
        let value = try JSONParser.parse("[0, -0, 1.50, 1e2, 9223372036854775807, 9223372036854775808, 123456789012345678901234567890]")
        let elements = try #require(value.arrayValue)
        let numbers = elements.compactMap(\.numberValue)
        #expect(numbers.map(\.literal) == ["0", "-0", "1.50", "1e2", "9223372036854775807", "9223372036854775808", "123456789012345678901234567890"])
        #expect(numbers.map(\.isInteger) == [true, true, false, false, true, true, true])
        #expect(numbers.map(\.integerValue) == [0, 0, nil, nil, Int64.max, nil, nil])
        #expect(numbers[2].doubleValue == 1.5)
        #expect(numbers[3].doubleValue == 100)
    }

    @Test("whitespace: only space, tab, CR and LF, anywhere between tokens")
    func whitespace() throws {
        let value = try JSONParser.parse(" \t\r\n{ \t\r\n\"a\" \t\r\n: \t\r\n[ \t\r\n1 \t\r\n, \t\r\n2 \t\r\n] \t\r\n} \t\r\n")
        #expect(value == ["a": [1, 2]])
    }

    @Test("duplicate keys are kept when allowed; last one wins on lookup")
    func allowDuplicates() throws {
        var options = JSONParser.Options()
        options.allowDuplicateKeys = true
        let value = try JSONParser.parse(#"{"a":1,"b":2,"a":3}"#, options: options)
        #expect(value.objectValue?.count == 3)
        #expect(value["a"] == 3)
    }

    @Test("depth limit is inclusive and the parser survives hostile nesting")
    func depth() throws {
        let atLimit = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { try JSONParser.parse(atLimit) }

        var options = JSONParser.Options()
        options.maximumDepth = JSONParser.Options.depthCeiling
        let deepest = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        var value = try JSONParser.parse(deepest, options: options)
        #expect(try JSONCanonical.serialize(value) == Array(deepest.utf8))
        var depth = 0
        while let inner = value.arrayValue?.first {
            value = inner
            depth += 1
        }
        #expect(depth == 511)

        // A larger limit is clamped to the ceiling, so 100k brackets still cannot build a
        // value too deep to destroy.
        options.maximumDepth = 1_000_000
        let hostile = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let error = #expect(throws: JSONParseError.self) { try JSONParser.parse(hostile, options: options) }
        #expect(error?.code == .depthLimitExceeded)
        #expect(error?.offset == 512)
        #expect(error?.message == "nesting deeper than 512 levels at byte 512")

        // Closing brackets without openers and a long flat array are not nesting.
        let flat = "[" + Array(repeating: "0", count: 50_000).joined(separator: ",") + "]"
        #expect(try JSONParser.parse(flat).arrayValue?.count == 50_000)
    }

    @Test("wide objects keep every distinct key, including equivalent spellings")
    func wideObject() throws {
        let keys = (0..<40).map { "key\($0)" } + ["\u{C5}", "A\u{30A}"]
        let text = "{" + keys.enumerated().map { "\"\($0.element)\":\($0.offset)" }.joined(separator: ",") + "}"
        let object = try #require(JSONParser.parse(text).objectValue)
        #expect(object.keys.count == keys.count)
        #expect(zip(object.keys, keys).allSatisfy { $0.utf8.elementsEqual($1.utf8) })
        #expect(object["key39"] == 39)
        #expect(object["A\u{30A}"] == 41)
    }

    @Test("size limit is inclusive")
    func sizeLimit() throws {
        var options = JSONParser.Options()
        options.maximumBytes = 5
        #expect(try JSONParser.parse("[1,2]", options: options) == [1, 2])
    }

    @Test("JSONObject subscript setter replaces, appends and removes")
    func objectEditing() {
        var object: JSONObject = ["a": 1, "b": 2]
        object["a"] = 10
        object["c"] = 3
        #expect(object.keys == ["a", "b", "c"])
        #expect(object["a"] == 10)
        object["b"] = nil
        #expect(object.keys == ["a", "c"])
        #expect(object.isEmpty == false)
        #expect(JSONObject().isEmpty)
    }

    // MARK: Table

    /// One refused input with the code and byte offset the parser must report.
    struct RefusedInput: Sendable, CustomTestStringConvertible {
        var bytes: [UInt8]
        var code: JSONParseError.Code
        var offset: Int
        var options = JSONParser.Options()

        init(_ text: String, _ code: JSONParseError.Code, at offset: Int, options: JSONParser.Options = .init()) {
            self.init(bytes: Array(text.utf8), code, at: offset, options: options)
        }

        init(bytes: [UInt8], _ code: JSONParseError.Code, at offset: Int, options: JSONParser.Options = .init()) {
            self.bytes = bytes
            self.code = code
            self.offset = offset
            self.options = options
        }

        var testDescription: String {
            let printable = bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
            let shown = printable
                ? String(decoding: bytes.prefix(40), as: UTF8.self)
                : bytes.prefix(16).map { String($0, radix: 16) }.joined(separator: " ")
            return "\(code) at \(offset): \(shown)"
        }
    }

    static func limited(depth: Int = 64, bytes: Int = 1 << 20) -> JSONParser.Options {
        var options = JSONParser.Options()
        options.maximumDepth = depth
        options.maximumBytes = bytes
        return options
    }

    static let refusedInputs: [RefusedInput] = [
        // invalidUTF8: every ill-formed shape, pointing at the first byte of the sequence.
        RefusedInput(bytes: [0x22, 0xC0, 0x80, 0x22], .invalidUTF8, at: 1),  // overlong NUL
        RefusedInput(bytes: [0x22, 0xC1, 0xBF, 0x22], .invalidUTF8, at: 1),  // overlong U+007F
        RefusedInput(bytes: [0x22, 0xE0, 0x80, 0xAF, 0x22], .invalidUTF8, at: 1),  // overlong '/'
        RefusedInput(bytes: [0x22, 0xF0, 0x80, 0x80, 0xAF, 0x22], .invalidUTF8, at: 1),  // overlong '/'
        RefusedInput(bytes: [0x22, 0x61, 0xED, 0xA0, 0xBD, 0x22], .invalidUTF8, at: 2),  // surrogate D83D in UTF-8
        RefusedInput(bytes: [0x22, 0xED, 0xBF, 0xBF, 0x22], .invalidUTF8, at: 1),  // surrogate DFFF in UTF-8
        RefusedInput(bytes: [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], .invalidUTF8, at: 1),  // U+110000
        RefusedInput(bytes: [0x22, 0xF5, 0x80, 0x80, 0x80, 0x22], .invalidUTF8, at: 1),
        RefusedInput(bytes: [0x22, 0xFF, 0x22], .invalidUTF8, at: 1),
        RefusedInput(bytes: [0x22, 0x80, 0x22], .invalidUTF8, at: 1),  // stray continuation
        RefusedInput(bytes: [0x22, 0xE2, 0x82, 0x22], .invalidUTF8, at: 1),  // truncated euro sign
        RefusedInput(bytes: [0x22, 0xE2, 0x82], .invalidUTF8, at: 1),  // truncated at end of text
        RefusedInput(bytes: [0x22, 0xF0, 0x9F, 0x98, 0x41, 0x22], .invalidUTF8, at: 1),
        RefusedInput(bytes: Array("[1,".utf8) + [0xFF] + Array("]".utf8), .invalidUTF8, at: 3),  // outside strings
        RefusedInput(bytes: Array("{\"a\":1}".utf8) + [0xC3], .invalidUTF8, at: 7),  // after the value
        RefusedInput(bytes: Array("\"\\".utf8) + [0xC3, 0x28, 0x22], .invalidUTF8, at: 2),  // escaped bad byte

        // byteOrderMark
        RefusedInput(bytes: [0xEF, 0xBB, 0xBF] + Array("{}".utf8), .byteOrderMark, at: 0),
        RefusedInput(bytes: [0xFF, 0xFE, 0x7B, 0x00, 0x7D, 0x00], .byteOrderMark, at: 0),
        RefusedInput(bytes: [0xFE, 0xFF, 0x00, 0x7B, 0x00, 0x7D], .byteOrderMark, at: 0),

        // unexpectedCharacter
        RefusedInput("[1 2]", .unexpectedCharacter, at: 3),
        RefusedInput("[1,]", .unexpectedCharacter, at: 3),
        RefusedInput("[1,\n]", .unexpectedCharacter, at: 4),
        RefusedInput("[,1]", .unexpectedCharacter, at: 1),
        RefusedInput("[1,,2]", .unexpectedCharacter, at: 3),
        RefusedInput(#"{"a":1,}"#, .unexpectedCharacter, at: 7),
        RefusedInput(#"{"a" 1}"#, .unexpectedCharacter, at: 5),
        RefusedInput(#"{"a":1 "b":2}"#, .unexpectedCharacter, at: 7),
        RefusedInput("{1:2}", .unexpectedCharacter, at: 1),
        RefusedInput("{'a':1}", .unexpectedCharacter, at: 1),
        RefusedInput("[1}", .unexpectedCharacter, at: 2),
        RefusedInput(#"{"a":1]"#, .unexpectedCharacter, at: 6),
        RefusedInput("]", .unexpectedCharacter, at: 0),
        RefusedInput("trux", .unexpectedCharacter, at: 3),
        RefusedInput("nul1", .unexpectedCharacter, at: 3),
        RefusedInput("True", .unexpectedCharacter, at: 0),
        RefusedInput("NaN", .unexpectedCharacter, at: 0),
        RefusedInput("[Infinity]", .unexpectedCharacter, at: 1),
        RefusedInput("+1", .unexpectedCharacter, at: 0),
        RefusedInput(".5", .unexpectedCharacter, at: 0),
        RefusedInput("// comment\n1", .unexpectedCharacter, at: 0),
        RefusedInput("[1 /* two */]", .unexpectedCharacter, at: 3),
        RefusedInput("\u{0C}1", .unexpectedCharacter, at: 0),  // form feed is not JSON whitespace
        RefusedInput("[\u{A0}1]", .unexpectedCharacter, at: 1),  // no-break space
        RefusedInput("\u{FEFF}{}", .byteOrderMark, at: 0),  // a U+FEFF read as text is the BOM bytes
        RefusedInput("[\u{FEFF}1]", .unexpectedCharacter, at: 1),

        // unexpectedEnd
        RefusedInput("", .unexpectedEnd, at: 0),
        RefusedInput(" \n\t\r", .unexpectedEnd, at: 4),
        RefusedInput("[", .unexpectedEnd, at: 1),
        RefusedInput("[1", .unexpectedEnd, at: 2),
        RefusedInput("[1,", .unexpectedEnd, at: 3),
        RefusedInput("{", .unexpectedEnd, at: 1),
        RefusedInput(#"{"a""#, .unexpectedEnd, at: 4),
        RefusedInput(#"{"a":"#, .unexpectedEnd, at: 5),
        RefusedInput(#"{"a":1"#, .unexpectedEnd, at: 6),
        RefusedInput(#""abc"#, .unexpectedEnd, at: 4),
        RefusedInput(#""abc\"#, .unexpectedEnd, at: 5),
        RefusedInput(#""\u12"#, .unexpectedEnd, at: 5),
        RefusedInput(#""\ud83d"#, .unexpectedEnd, at: 7),
        RefusedInput(#""\ud83d\"#, .unexpectedEnd, at: 8),
        RefusedInput("tr", .unexpectedEnd, at: 2),
        RefusedInput("[nul", .unexpectedEnd, at: 4),

        // invalidEscape: at the backslash
        RefusedInput(#""\x""#, .invalidEscape, at: 1),
        RefusedInput(#""ab\U0041""#, .invalidEscape, at: 3),
        RefusedInput(#""\u12G4""#, .invalidEscape, at: 1),
        RefusedInput(#""\u-123""#, .invalidEscape, at: 1),
        RefusedInput(#""\'""#, .invalidEscape, at: 1),
        RefusedInput(#""\0""#, .invalidEscape, at: 1),
        RefusedInput(#""\ud83d\uZZZZ""#, .invalidEscape, at: 7),

        // loneSurrogate: at the backslash of the unpaired half
        RefusedInput(#""\ud83d""#, .loneSurrogate, at: 1),
        RefusedInput(#""\ude02""#, .loneSurrogate, at: 1),
        RefusedInput(#""a\ud83d\u0041""#, .loneSurrogate, at: 2),
        RefusedInput(#""\ud83dx""#, .loneSurrogate, at: 1),
        RefusedInput(#""\ud83d\n""#, .loneSurrogate, at: 1),
        RefusedInput(#""\ud83d\ud83d""#, .loneSurrogate, at: 1),
        RefusedInput(#""\ude02\ud83d""#, .loneSurrogate, at: 1),
        RefusedInput(#"{"\udbff":1}"#, .loneSurrogate, at: 2),

        // controlCharacterInString
        RefusedInput("\"a\tb\"", .controlCharacterInString, at: 2),
        RefusedInput("\"\n\"", .controlCharacterInString, at: 1),
        RefusedInput(bytes: [0x22, 0x00, 0x22], .controlCharacterInString, at: 1),
        RefusedInput(bytes: [0x22, 0x1F, 0x22], .controlCharacterInString, at: 1),

        // invalidNumber
        RefusedInput("01", .invalidNumber, at: 0),
        RefusedInput("00", .invalidNumber, at: 0),
        RefusedInput("[-01]", .invalidNumber, at: 1),
        RefusedInput("-", .invalidNumber, at: 1),
        RefusedInput("-a", .invalidNumber, at: 1),
        RefusedInput("[- 1]", .invalidNumber, at: 2),
        RefusedInput("1.", .invalidNumber, at: 2),
        RefusedInput("1.e5", .invalidNumber, at: 2),
        RefusedInput("[1.]", .invalidNumber, at: 3),
        RefusedInput("1e", .invalidNumber, at: 2),
        RefusedInput("1e+", .invalidNumber, at: 3),
        RefusedInput("1E-x", .invalidNumber, at: 3),
        RefusedInput("-.5", .invalidNumber, at: 1),

        // numberOutOfRange
        RefusedInput("1e400", .numberOutOfRange, at: 0),
        RefusedInput("[0, -1e309]", .numberOutOfRange, at: 4),
        RefusedInput("1" + String(repeating: "0", count: 309), .numberOutOfRange, at: 0),

        // duplicateKey: at the opening quote of the repeat
        RefusedInput(#"{"a":1,"a":2}"#, .duplicateKey, at: 7),
        RefusedInput(#"{"a":1,"\u0061":2}"#, .duplicateKey, at: 7),
        RefusedInput(#"[{"a":{"b":1,"c":2,"b":3}}]"#, .duplicateKey, at: 19),

        // trailingContent
        RefusedInput("1 2", .trailingContent, at: 2),
        RefusedInput("{} x", .trailingContent, at: 3),
        RefusedInput("[]]", .trailingContent, at: 2),
        RefusedInput("nullnull", .trailingContent, at: 4),
        RefusedInput("0x10", .trailingContent, at: 1),
        RefusedInput("\"a\"\"b\"", .trailingContent, at: 3),
        RefusedInput("1\u{0}", .trailingContent, at: 1),

        // depthLimitExceeded: at the bracket that goes one level too deep
        RefusedInput(String(repeating: "[", count: 65) + String(repeating: "]", count: 65), .depthLimitExceeded, at: 64),
        RefusedInput(String(repeating: "[", count: 100_000), .depthLimitExceeded, at: 64),
        RefusedInput(String(repeating: "{\"a\":", count: 100_000), .depthLimitExceeded, at: 320),
        RefusedInput("[[[]]]", .depthLimitExceeded, at: 2, options: limited(depth: 2)),
        RefusedInput(#"{"a":[{}]}"#, .depthLimitExceeded, at: 6, options: limited(depth: 2)),
        RefusedInput("[]", .depthLimitExceeded, at: 0, options: limited(depth: 0)),

        // sizeLimitExceeded: at the first byte past the limit
        RefusedInput("[1,2]", .sizeLimitExceeded, at: 4, options: limited(bytes: 4)),
        RefusedInput(String(repeating: " ", count: (1 << 20) + 1), .sizeLimitExceeded, at: 1 << 20),
    ]
}
