/// A strict RFC 8259 parser that also enforces what RFC 8785 needs from its input
/// (I-JSON, RFC 7493): well-formed UTF-8 and Unicode, unique keys, numbers that fit a double.
///
/// It is iterative (an explicit stack of open containers), so hostile nesting hits
/// `depthLimitExceeded` instead of overflowing the call stack.
public struct JSONParser {
    public struct Options: Sendable {
        /// Keep repeated keys instead of refusing them. Such an object cannot be
        /// canonicalized; this exists only to read and diagnose foreign data.
        public var allowDuplicateKeys = false
        /// Deepest allowed nesting of arrays and objects; the top-level container is depth 1.
        /// Values above `depthCeiling` count as `depthCeiling`.
        public var maximumDepth = 64
        /// Longest accepted text, in bytes.
        public var maximumBytes = 1 << 20

        /// The hard limit on nesting, whatever `maximumDepth` says. Swift destroys nested
        /// values recursively (as does `==`), which overflows a 512 KiB thread stack at two
        /// to three thousand levels.
        public static let depthCeiling = 512

        /// `maximumDepth` clamped to `0...depthCeiling`.
        public var effectiveMaximumDepth: Int { min(max(maximumDepth, 0), Self.depthCeiling) }

        public init(allowDuplicateKeys: Bool = false, maximumDepth: Int = 64, maximumBytes: Int = 1 << 20) {
            self.allowDuplicateKeys = allowDuplicateKeys
            self.maximumDepth = maximumDepth
            self.maximumBytes = maximumBytes
        }
    }

    public static func parse(_ bytes: UnsafeRawBufferPointer, options: Options = .init()) throws(JSONParseError) -> JSONValue {
        var state = JSONParserState(bytes: bytes, options: options)
        return try state.parseDocument()
    }

    public static func parse(_ bytes: [UInt8], options: Options = .init()) throws(JSONParseError) -> JSONValue {
        // The closure returns a Result because withUnsafeBytes does not forward typed throws.
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(JSONParseError) in try parse(buffer, options: options) }
        }
        return try result.get()
    }

    public static func parse(_ bytes: ArraySlice<UInt8>, options: Options = .init()) throws(JSONParseError) -> JSONValue {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(JSONParseError) in try parse(buffer, options: options) }
        }
        return try result.get()
    }

    /// Offsets in errors count UTF-8 bytes of `text`.
    public static func parse(_ text: String, options: Options = .init()) throws(JSONParseError) -> JSONValue {
        var text = text
        let result = text.withUTF8 { buffer in
            Result { () throws(JSONParseError) in try parse(UnsafeRawBufferPointer(buffer), options: options) }
        }
        return try result.get()
    }

    /// Whether `literal` alone is a JSON number (RFC 8259 grammar) whose value is a finite double.
    static func isValidNumberLiteral(_ literal: String) -> Bool {
        var literal = literal
        return literal.withUTF8 { buffer in
            let bytes = UnsafeRawBufferPointer(buffer)
            guard !bytes.isEmpty, let end = try? JSONParserState.scanNumber(bytes, from: 0), end == bytes.count else {
                return false
            }
            return JSONParserState.numberIsFinite(bytes, from: 0, to: end)
        }
    }
}

/// One array or object that has been opened but not yet closed.
private struct JSONParserOpenContainer {
    var isObject: Bool
    var openingOffset: Int
    var elements: [JSONValue] = []
    var members: [JSONMember] = []
    /// The key read before the value now being parsed.
    var pendingKey = ""
    /// Where each member's key starts, for the duplicate-key message.
    var keyOffsets: [Int] = []
    /// Index of every key by its raw UTF-8 bytes (so canonically equivalent spellings stay
    /// distinct); built only once an object is big enough that scanning would be slow.
    var keyIndex: [[UInt8]: Int] = [:]

    static let linearScanLimit = 16

    /// The index of an earlier member whose key has exactly these bytes, recording the key
    /// as seen otherwise. Members hold every earlier key because a key is read after the
    /// previous member is complete.
    mutating func findOrRecordKey(_ keyBytes: [UInt8], offset: Int) -> Int? {
        defer { keyOffsets.append(offset) }
        if members.count < Self.linearScanLimit {
            return members.firstIndex { $0.key.utf8.count == keyBytes.count && $0.key.utf8.elementsEqual(keyBytes) }
        }
        if keyIndex.isEmpty {
            for (index, member) in members.enumerated() { keyIndex[Array(member.key.utf8)] = index }
        }
        if let index = keyIndex[keyBytes] { return index }
        keyIndex[keyBytes] = members.count
        return nil
    }
}

private enum JSONGrammarByte {
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let slash = UInt8(ascii: "/")
    static let comma = UInt8(ascii: ",")
    static let colon = UInt8(ascii: ":")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let minus = UInt8(ascii: "-")
    static let plus = UInt8(ascii: "+")
    static let dot = UInt8(ascii: ".")
    static let zero = UInt8(ascii: "0")
    static let nine = UInt8(ascii: "9")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let lineFeed = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")

    static func isDigit(_ byte: UInt8) -> Bool { byte >= zero && byte <= nine }
}

private struct JSONParserState {
    let bytes: UnsafeRawBufferPointer
    let options: JSONParser.Options
    var position = 0
    /// Reused for every string so decoding does not allocate per string piece.
    var scratch: [UInt8] = []

    init(bytes: UnsafeRawBufferPointer, options: JSONParser.Options) {
        self.bytes = bytes
        self.options = options
        scratch.reserveCapacity(64)
    }

    var count: Int { bytes.count }

    // MARK: Document and containers

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        guard count <= options.maximumBytes else {
            throw JSONParseError(
                code: .sizeLimitExceeded, offset: options.maximumBytes,
                message: "text of \(count) bytes exceeds the limit of \(options.maximumBytes) bytes at byte \(options.maximumBytes)")
        }
        try rejectByteOrderMark()
        skipWhitespace()
        if position == count {
            throw JSONParseError(
                code: .unexpectedEnd, offset: position,
                message: count == 0 ? "empty text at byte 0: expected a JSON value" : "only whitespace up to byte \(position): expected a JSON value")
        }

        var stack: [JSONParserOpenContainer] = []
        parseValue: while true {
            var value: JSONValue
            guard position < count else { throw unexpected(expecting: "a value") }
            switch bytes[position] {
            case JSONGrammarByte.openBrace:
                try checkDepth(stack.count + 1)
                var container = JSONParserOpenContainer(isObject: true, openingOffset: position)
                position += 1
                skipWhitespace()
                if position < count && bytes[position] == JSONGrammarByte.closeBrace {
                    position += 1
                    value = .object(JSONObject())
                } else {
                    try readKey(into: &container)
                    stack.append(container)
                    continue parseValue
                }
            case JSONGrammarByte.openBracket:
                try checkDepth(stack.count + 1)
                let container = JSONParserOpenContainer(isObject: false, openingOffset: position)
                position += 1
                skipWhitespace()
                if position < count && bytes[position] == JSONGrammarByte.closeBracket {
                    position += 1
                    value = .array([])
                } else {
                    stack.append(container)
                    continue parseValue
                }
            case JSONGrammarByte.quote:
                try readString()
                value = .string(String(decoding: scratch, as: UTF8.self))
            case UInt8(ascii: "t"):
                try readLiteral("true")
                value = .bool(true)
            case UInt8(ascii: "f"):
                try readLiteral("false")
                value = .bool(false)
            case UInt8(ascii: "n"):
                try readLiteral("null")
                value = .null
            case JSONGrammarByte.minus, JSONGrammarByte.zero...JSONGrammarByte.nine:
                value = .number(try readNumber())
            default:
                throw unexpected(expecting: "a value")
            }

            // A value is complete: attach it to its container, then close as many
            // containers as the following brackets say.
            while true {
                guard !stack.isEmpty else {
                    skipWhitespace()
                    if position < count {
                        if case .failure(let error) = decodeScalar(at: position) { throw error }
                        throw JSONParseError(
                            code: .trailingContent, offset: position,
                            message: "unexpected \(describeCharacter(at: position)) at byte \(position) after the end of the JSON value")
                    }
                    return value
                }
                let top = stack.count - 1
                if stack[top].isObject {
                    stack[top].members.append(JSONMember(key: stack[top].pendingKey, value: value))
                } else {
                    stack[top].elements.append(value)
                }
                skipWhitespace()
                let isObject = stack[top].isObject
                let closing = isObject ? JSONGrammarByte.closeBrace : JSONGrammarByte.closeBracket
                guard position < count else {
                    throw JSONParseError(
                        code: .unexpectedEnd, offset: position,
                        message: "end of text at byte \(position) inside the \(isObject ? "object" : "array") opened at byte \(stack[top].openingOffset)")
                }
                let byte = bytes[position]
                if byte == JSONGrammarByte.comma {
                    position += 1
                    skipWhitespace()
                    if isObject {
                        try readKey(into: &stack[top])
                    } else if position < count && bytes[position] == JSONGrammarByte.closeBracket {
                        throw JSONParseError(
                            code: .unexpectedCharacter, offset: position,
                            message: "trailing comma before ']' at byte \(position)")
                    }
                    continue parseValue
                }
                if byte == closing {
                    position += 1
                    let container = stack.removeLast()
                    value = isObject ? .object(JSONObject(members: container.members)) : .array(container.elements)
                    continue
                }
                throw unexpected(expecting: isObject ? "',' or '}'" : "',' or ']'")
            }
        }
    }

    /// Reads `"key"` and the colon after it, leaving `position` at the value.
    mutating func readKey(into container: inout JSONParserOpenContainer) throws(JSONParseError) {
        guard position < count, bytes[position] == JSONGrammarByte.quote else {
            if position < count && bytes[position] == JSONGrammarByte.closeBrace {
                throw JSONParseError(
                    code: .unexpectedCharacter, offset: position,
                    message: "trailing comma before '}' at byte \(position)")
            }
            throw unexpected(expecting: "a string key")
        }
        let keyOffset = position
        try readString()
        if !options.allowDuplicateKeys, let first = container.findOrRecordKey(scratch, offset: keyOffset) {
            throw JSONParseError(
                code: .duplicateKey, offset: keyOffset,
                message: "duplicate key \(Self.quoteForMessage(scratch)) at byte \(keyOffset), first seen at byte \(container.keyOffsets[first])")
        }
        container.pendingKey = String(decoding: scratch, as: UTF8.self)
        skipWhitespace()
        guard position < count, bytes[position] == JSONGrammarByte.colon else {
            throw unexpected(expecting: "':' after the key")
        }
        position += 1
        skipWhitespace()
    }

    func checkDepth(_ depth: Int) throws(JSONParseError) {
        let limit = options.effectiveMaximumDepth
        guard depth <= limit else {
            throw JSONParseError(
                code: .depthLimitExceeded, offset: position,
                message: "nesting deeper than \(limit) levels at byte \(position)")
        }
    }

    mutating func skipWhitespace() {
        while position < count {
            switch bytes[position] {
            case JSONGrammarByte.space, JSONGrammarByte.tab, JSONGrammarByte.lineFeed, JSONGrammarByte.carriageReturn: position += 1
            default: return
            }
        }
    }

    func rejectByteOrderMark() throws(JSONParseError) {
        if count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
            throw JSONParseError(
                code: .byteOrderMark, offset: 0,
                message: "byte-order mark at start: save the file as UTF-8 without BOM")
        }
        if count >= 2 && ((bytes[0] == 0xFE && bytes[1] == 0xFF) || (bytes[0] == 0xFF && bytes[1] == 0xFE)) {
            throw JSONParseError(
                code: .byteOrderMark, offset: 0,
                message: "UTF-16 byte-order mark at start: save the file as UTF-8 without BOM")
        }
    }

    // MARK: Scalars

    mutating func readLiteral(_ word: StaticString) throws(JSONParseError) {
        let start = position
        let length = word.utf8CodeUnitCount
        for index in 0..<length {
            let offset = start + index
            guard offset < count else {
                throw JSONParseError(
                    code: .unexpectedEnd, offset: offset,
                    message: "end of text at byte \(offset) inside the literal starting at byte \(start): expected '\(word)'")
            }
            guard bytes[offset] == word.utf8Start[index] else {
                if case .failure(let error) = decodeScalar(at: offset) { throw error }
                throw JSONParseError(
                    code: .unexpectedCharacter, offset: offset,
                    message: "\(describeCharacter(at: offset)) at byte \(offset) in the literal starting at byte \(start): expected '\(word)'")
            }
        }
        position = start + length
    }

    mutating func readNumber() throws(JSONParseError) -> JSONNumber {
        let start = position
        let end = try Self.scanNumber(bytes, from: start)
        guard Self.numberIsFinite(bytes, from: start, to: end) else {
            throw JSONParseError(
                code: .numberOutOfRange, offset: start,
                message: "number at byte \(start) is too large for a double (beyond ±1.7976931348623157e308)")
        }
        position = end
        return JSONNumber(validatedLiteral: String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
    }

    /// Returns the offset just past the number that starts at `start`, per RFC 8259:
    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    static func scanNumber(_ bytes: UnsafeRawBufferPointer, from start: Int) throws(JSONParseError) -> Int {
        let count = bytes.count
        var index = start
        func expectDigit(_ what: String) throws(JSONParseError) {
            guard index < count, JSONGrammarByte.isDigit(bytes[index]) else {
                throw JSONParseError(
                    code: .invalidNumber, offset: index,
                    message: "number at byte \(start) needs a digit \(what) at byte \(index)")
            }
        }
        if bytes[index] == JSONGrammarByte.minus { index += 1 }
        try expectDigit("after '-'")
        if bytes[index] == JSONGrammarByte.zero {
            index += 1
            if index < count && JSONGrammarByte.isDigit(bytes[index]) {
                throw JSONParseError(
                    code: .invalidNumber, offset: start,
                    message: "number at byte \(start) has a leading zero")
            }
        } else {
            while index < count && JSONGrammarByte.isDigit(bytes[index]) { index += 1 }
        }
        if index < count && bytes[index] == JSONGrammarByte.dot {
            index += 1
            try expectDigit("after the decimal point")
            while index < count && JSONGrammarByte.isDigit(bytes[index]) { index += 1 }
        }
        if index < count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
            index += 1
            if index < count && (bytes[index] == JSONGrammarByte.plus || bytes[index] == JSONGrammarByte.minus) { index += 1 }
            try expectDigit("in the exponent")
            while index < count && JSONGrammarByte.isDigit(bytes[index]) { index += 1 }
        }
        return index
    }

    /// Whether a grammatical number literal rounds to a finite double. Only literals with an
    /// exponent or hundreds of digits can overflow, so most skip the conversion.
    static func numberIsFinite(_ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Bool {
        let literal = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
        let hasExponent = literal.contains { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
        guard hasExponent || literal.count > 300 else { return true }
        guard let value = Double(String(decoding: literal, as: UTF8.self)) else { return false }
        return value.isFinite
    }

    // MARK: Strings

    /// Reads the string starting at the quote under `position` and leaves its UTF-8 bytes,
    /// escapes resolved, in `scratch`.
    mutating func readString() throws(JSONParseError) {
        let start = position
        position += 1
        scratch.removeAll(keepingCapacity: true)
        while true {
            let runStart = position
            while position < count {
                let byte = bytes[position]
                if byte == JSONGrammarByte.quote || byte == JSONGrammarByte.backslash || byte < 0x20 || byte >= 0x80 { break }
                position += 1
            }
            if position > runStart {
                scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<position]))
            }
            guard position < count else {
                throw JSONParseError(
                    code: .unexpectedEnd, offset: position,
                    message: "end of text at byte \(position) inside the string starting at byte \(start)")
            }
            let byte = bytes[position]
            if byte == JSONGrammarByte.quote {
                position += 1
                return
            } else if byte == JSONGrammarByte.backslash {
                try readEscape(stringStart: start)
            } else if byte < 0x20 {
                throw JSONParseError(
                    code: .controlCharacterInString, offset: position,
                    message: "control character \(Self.scalarName(UInt32(byte))) at byte \(position) inside a string: write it as \(Self.escapeSuggestion(byte))")
            } else {
                switch decodeScalar(at: position) {
                case .failure(let error):
                    throw error
                case .success(let decoded):
                    scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[position..<(position + decoded.length)]))
                    position += decoded.length
                }
            }
        }
    }

    mutating func readEscape(stringStart: Int) throws(JSONParseError) {
        let escapeStart = position
        guard position + 1 < count else {
            throw JSONParseError(
                code: .unexpectedEnd, offset: count,
                message: "end of text at byte \(count) inside the string starting at byte \(stringStart)")
        }
        let letter = bytes[position + 1]
        let simple: UInt8? = switch letter {
        case JSONGrammarByte.quote: JSONGrammarByte.quote
        case JSONGrammarByte.backslash: JSONGrammarByte.backslash
        case JSONGrammarByte.slash: JSONGrammarByte.slash
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "t"): 0x09
        default: nil
        }
        if let simple {
            scratch.append(simple)
            position += 2
            return
        }
        guard letter == UInt8(ascii: "u") else {
            if case .failure(let error) = decodeScalar(at: position + 1) { throw error }
            throw JSONParseError(
                code: .invalidEscape, offset: escapeStart,
                message: "invalid escape '\\\(describeCharacter(at: position + 1, quoted: false))' at byte \(escapeStart): only \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX are allowed")
        }
        let unit = try readHexEscape(at: escapeStart, stringStart: stringStart)
        position += 6
        var scalar = UInt32(unit)
        switch unit {
        case 0xD800...0xDBFF:
            guard position < count, position + 1 < count || bytes[position] != JSONGrammarByte.backslash else {
                throw JSONParseError(
                    code: .unexpectedEnd, offset: count,
                    message: "end of text at byte \(count) inside the string starting at byte \(stringStart)")
            }
            guard bytes[position] == JSONGrammarByte.backslash, bytes[position + 1] == UInt8(ascii: "u") else {
                throw JSONParseError(
                    code: .loneSurrogate, offset: escapeStart,
                    message: "high surrogate \\u\(Self.hex4(unit)) at byte \(escapeStart) is not followed by a low surrogate escape")
            }
            let low = try readHexEscape(at: position, stringStart: stringStart)
            guard (0xDC00...0xDFFF).contains(low) else {
                throw JSONParseError(
                    code: .loneSurrogate, offset: escapeStart,
                    message: "high surrogate \\u\(Self.hex4(unit)) at byte \(escapeStart) is followed by \\u\(Self.hex4(low)), not by a low surrogate")
            }
            position += 6
            scalar = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
        case 0xDC00...0xDFFF:
            throw JSONParseError(
                code: .loneSurrogate, offset: escapeStart,
                message: "low surrogate \\u\(Self.hex4(unit)) at byte \(escapeStart) without a high surrogate before it")
        default:
            break
        }
        // Every value left is a valid scalar: surrogates were handled above.
        if let decoded = Unicode.Scalar(scalar) {
            scratch.append(contentsOf: UTF8.encode(decoded)!)
        }
    }

    /// Reads the four hex digits of the `\uXXXX` escape whose backslash is at `escapeStart`.
    func readHexEscape(at escapeStart: Int, stringStart: Int) throws(JSONParseError) -> UInt16 {
        var unit: UInt16 = 0
        for offset in (escapeStart + 2)..<(escapeStart + 6) {
            guard offset < count else {
                throw JSONParseError(
                    code: .unexpectedEnd, offset: count,
                    message: "end of text at byte \(count) inside the string starting at byte \(stringStart)")
            }
            let byte = bytes[offset]
            let digit: UInt8
            switch byte {
            case JSONGrammarByte.zero...JSONGrammarByte.nine: digit = byte - JSONGrammarByte.zero
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default:
                throw JSONParseError(
                    code: .invalidEscape, offset: escapeStart,
                    message: "\\u escape at byte \(escapeStart) needs four hex digits, found \(describeCharacter(at: offset)) at byte \(offset)")
            }
            unit = unit << 4 | UInt16(digit)
        }
        return unit
    }

    // MARK: UTF-8

    /// Decodes one scalar at `offset`, refusing every ill-formed sequence of Unicode
    /// Table 3-7: stray continuation bytes, overlongs, UTF-16 surrogates, values above
    /// U+10FFFF and truncated sequences. Errors point at the first byte of the sequence.
    func decodeScalar(at offset: Int) -> Result<(scalar: UInt32, length: Int), JSONParseError> {
        let lead = bytes[offset]
        func failure(_ reason: String) -> Result<(scalar: UInt32, length: Int), JSONParseError> {
            .failure(JSONParseError(
                code: .invalidUTF8, offset: offset,
                message: "invalid UTF-8 at byte \(offset): \(reason)"))
        }
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0x00...0x7F:
            return .success((UInt32(lead), 1))
        case 0x80...0xBF:
            return failure("continuation byte 0x\(Self.hex2(lead)) without a lead byte")
        case 0xC0, 0xC1:
            return failure("overlong encoding (lead byte 0x\(Self.hex2(lead)))")
        case 0xC2...0xDF:
            length = 2
        case 0xE0:
            length = 3
            secondRange = 0xA0...0xBF
        case 0xED:
            length = 3
            secondRange = 0x80...0x9F
        case 0xE1...0xEF:
            length = 3
        case 0xF0:
            length = 4
            secondRange = 0x90...0xBF
        case 0xF4:
            length = 4
            secondRange = 0x80...0x8F
        case 0xF1...0xF3:
            length = 4
        case 0xF5...0xF7:
            return failure("code point above U+10FFFF (lead byte 0x\(Self.hex2(lead)))")
        default:
            return failure("byte 0x\(Self.hex2(lead)) never appears in UTF-8")
        }
        guard offset + 1 < count, (0x80...0xBF).contains(bytes[offset + 1]) else {
            return failure("lead byte 0x\(Self.hex2(lead)) is not followed by enough continuation bytes")
        }
        let second = bytes[offset + 1]
        guard secondRange.contains(second) else {
            switch lead {
            case 0xE0, 0xF0: return failure("overlong encoding")
            case 0xED: return failure("UTF-16 surrogate encoded in UTF-8")
            default: return failure("code point above U+10FFFF")
            }
        }
        var scalar = UInt32(lead) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        scalar = scalar << 6 | UInt32(second & 0x3F)
        for index in 2..<length {
            guard offset + index < count, (0x80...0xBF).contains(bytes[offset + index]) else {
                return failure("lead byte 0x\(Self.hex2(lead)) is not followed by enough continuation bytes")
            }
            scalar = scalar << 6 | UInt32(bytes[offset + index] & 0x3F)
        }
        return .success((scalar, length))
    }

    // MARK: Messages

    /// The error for a byte that does not fit: end of text, invalid UTF-8, or a character
    /// named so that invisible ones (NBSP, form feed) are recognisable.
    func unexpected(expecting expected: String) -> JSONParseError {
        guard position < count else {
            return JSONParseError(
                code: .unexpectedEnd, offset: position,
                message: "end of text at byte \(position): expected \(expected)")
        }
        if case .failure(let error) = decodeScalar(at: position) { return error }
        return JSONParseError(
            code: .unexpectedCharacter, offset: position,
            message: "unexpected \(describeCharacter(at: position)) at byte \(position): expected \(expected)")
    }

    /// `'x'` for printable ASCII, `U+00A0` otherwise. Assumes the bytes decode.
    func describeCharacter(at offset: Int, quoted: Bool = true) -> String {
        let byte = bytes[offset]
        if byte >= 0x21 && byte < 0x7F {
            let character = String(Character(Unicode.Scalar(byte)))
            return quoted ? "'\(character)'" : character
        }
        if case .success(let decoded) = decodeScalar(at: offset) {
            return Self.scalarName(decoded.scalar)
        }
        return "byte 0x\(Self.hex2(byte))"
    }

    static func scalarName(_ scalar: UInt32) -> String {
        let digits = String(scalar, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    static func hex2(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return digits.count == 1 ? "0" + digits : digits
    }

    static func hex4(_ unit: UInt16) -> String {
        let digits = String(unit, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }

    static func escapeSuggestion(_ byte: UInt8) -> String {
        switch byte {
        case 0x08: "\\b"
        case 0x09: "\\t"
        case 0x0A: "\\n"
        case 0x0C: "\\f"
        case 0x0D: "\\r"
        default: "\\u00" + hex2(byte)
        }
    }

    /// A key as a JSON string literal for messages, shortened so a huge key cannot flood a terminal.
    static func quoteForMessage(_ keyBytes: [UInt8]) -> String {
        var key = String(decoding: keyBytes, as: UTF8.self)
        if key.unicodeScalars.count > 64 {
            key = String(String.UnicodeScalarView(key.unicodeScalars.prefix(64))) + "…"
        }
        var output: [UInt8] = []
        JSONCanonical.appendString(key, to: &output)
        return String(decoding: output, as: UTF8.self)
    }
}
