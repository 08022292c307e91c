import LedgerLog

/// Writes JSON for output straight into a growing byte buffer, member by member, so that a
/// per-enterprise breakdown of tens of thousands of rows is never built as a tree of values
/// first. The bytes are exactly those `OutputJSON.render(pretty:)` gave: members in the order
/// written, no whitespace when compact, two-space indentation and a space after each colon when
/// pretty, `[]` and `{}` for empty containers, and the same escaping (see `appendString`).
///
/// Calls must nest properly (a key before each member value, every container closed); a
/// misuse is a programming error and stops on a precondition, never writes malformed JSON.
public struct JSONByteWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    public let pretty: Bool
    /// One entry per open container: whether it is an object, and whether it has a member yet.
    private var open: [(isObject: Bool, hasMember: Bool)] = []
    /// A key was written and its value is due.
    private var valueDue = false

    /// Deeper nesting than any answer has is a mistake, not data.
    public static let depthLimit = 256

    public init(pretty: Bool, capacity: Int = 4096) {
        self.pretty = pretty
        bytes.reserveCapacity(max(capacity, 0))
    }

    /// Whether every container opened has been closed and no key waits for its value.
    public var isComplete: Bool { open.isEmpty && !valueDue }

    // MARK: Containers

    public mutating func beginObject() {
        beforeValue()
        bytes.append(UInt8(ascii: "{"))
        push(isObject: true)
    }

    public mutating func endObject() { close(isObject: true, closing: UInt8(ascii: "}")) }

    public mutating func beginArray() {
        beforeValue()
        bytes.append(UInt8(ascii: "["))
        push(isObject: false)
    }

    public mutating func endArray() { close(isObject: false, closing: UInt8(ascii: "]")) }

    /// The key of the next member of the open object: a name from the program, plain ASCII
    /// that needs no escaping, copied as it is.
    public mutating func key(_ name: StaticString) {
        beforeKey()
        name.withUTF8Buffer { name in
            assert(name.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") },
                   "a static key is plain ASCII")
            bytes.append(UInt8(ascii: "\""))
            bytes.append(contentsOf: name)
            bytes.append(UInt8(ascii: "\""))
        }
        afterKey()
    }

    /// A key taken from data (a severity's name, a parsed member), escaped as strings are.
    public mutating func key(text name: String) {
        beforeKey()
        appendString(name)
        afterKey()
    }

    private mutating func beforeKey() {
        precondition(open.last?.isObject == true && !valueDue, "a key goes inside an object, before its value")
        separate()
    }

    private mutating func afterKey() {
        bytes.append(UInt8(ascii: ":"))
        if pretty { bytes.append(UInt8(ascii: " ")) }
        valueDue = true
    }

    // MARK: Scalars

    public mutating func string(_ value: String) {
        beforeValue()
        appendString(value)
    }

    /// A string given as its UTF-8 bytes (an interned name), written as `string(_:)` writes the
    /// String `String(decoding:as:)` makes of them, without making it.
    public mutating func string(utf8 value: [UInt8]) {
        beforeValue()
        value.withUnsafeBufferPointer { source in
            if JSONByteWriter.isValidUTF8(source) {
                appendString(utf8: source)
            } else {
                appendString(String(decoding: source, as: UTF8.self))
            }
        }
    }

    public mutating func integer(_ value: Int64) {
        beforeValue()
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        JSONByteWriter.appendDigits(UInt128(value.magnitude), to: &bytes)
    }

    public mutating func integer(_ value: Int) { integer(Int64(value)) }

    /// A 128-bit total. Queries check their figures fit 64 bits (`FenTotal`) before writing, and
    /// within that range the digits are those of the 64-bit value.
    public mutating func integer(_ value: Int128) {
        beforeValue()
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        JSONByteWriter.appendDigits(value.magnitude, to: &bytes)
    }

    /// A date as `CalendarDate.description` spells it, digits written straight in.
    public mutating func date(_ value: CalendarDate) {
        beforeValue()
        bytes.append(UInt8(ascii: "\""))
        JSONByteWriter.appendDate(value, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// A moment as `Timestamp.description` spells it (`2024-03-01T08:00:00Z`).
    public mutating func timestamp(_ value: Timestamp) {
        beforeValue()
        bytes.append(UInt8(ascii: "\""))
        JSONByteWriter.appendTimestamp(value, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    public mutating func bool(_ value: Bool) {
        beforeValue()
        bytes.append(contentsOf: value ? JSONByteWriter.trueBytes : JSONByteWriter.falseBytes)
    }

    public mutating func null() {
        beforeValue()
        bytes.append(contentsOf: JSONByteWriter.nullBytes)
    }

    /// `key` and a string value, or null when there is none.
    public mutating func member(_ name: StaticString, _ value: String?) {
        key(name)
        if let value { string(value) } else { null() }
    }

    /// `key` and a string given as its UTF-8 bytes (see `string(utf8:)`).
    public mutating func member(_ name: StaticString, utf8 value: [UInt8]) {
        key(name)
        string(utf8: value)
    }

    /// `key` and a string given as bytes the caller found well-formed UTF-8 (`isValidUTF8`):
    /// written without checking them again.
    public mutating func member(_ name: StaticString, validUTF8 value: [UInt8]) {
        key(name)
        beforeValue()
        value.withUnsafeBufferPointer { appendString(utf8: $0) }
    }

    public mutating func member(_ name: StaticString, _ value: Int64) {
        key(name)
        integer(value)
    }

    public mutating func member(_ name: StaticString, _ value: Int) {
        key(name)
        integer(Int64(value))
    }

    public mutating func member(_ name: StaticString, _ value: Bool) {
        key(name)
        bool(value)
    }

    // MARK: Parsed values

    /// A whole value, members in their order. Numbers are written as 64-bit integers, as
    /// output has always shown them: a number that is not one is written as 0 (no answer holds
    /// such a number; fen figures are checked to fit first).
    public mutating func value(_ value: JSONValue) {
        switch value {
        case .null: null()
        case .bool(let flag): bool(flag)
        case .number(let number): integer(number.integerValue ?? 0)
        case .string(let text): string(text)
        case .array(let elements):
            beginArray()
            for element in elements { self.value(element) }
            endArray()
        case .object(let object):
            beginObject()
            for member in object.members {
                key(text: member.key)
                self.value(member.value)
            }
            endObject()
        }
    }

    /// The bytes, with a line feed after them as commands print JSON.
    public consuming func finishedLine() -> [UInt8] {
        precondition(isComplete, "every container closed before the output is taken")
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    // MARK: Parts written apart

    /// A writer that goes on from where this one stands, inside the same open containers, into a
    /// buffer of its own: a long array is written in parts on several cores (`PartedRows`), the
    /// parts' bytes printed in order, and this writer then `resume(after:)` the last. With
    /// `afterElements`, the innermost container already has members (an earlier part's).
    public func continuation(afterElements: Bool, capacity: Int) -> JSONByteWriter {
        precondition(!open.isEmpty && !valueDue, "a part continues inside an open container, with no key waiting")
        var part = JSONByteWriter(pretty: pretty, capacity: capacity)
        part.open = open
        if afterElements { part.open[part.open.count - 1].hasMember = true }
        return part
    }

    /// Takes up the state a part made by `continuation` ends in (its bytes printed apart).
    public mutating func resume(after part: JSONByteWriter) {
        precondition(part.pretty == pretty && !part.valueDue && part.open.count == open.count
                     && zip(part.open, open).allSatisfy { $0.isObject == $1.isObject },
                     "a part ends in the containers it began in")
        open = part.open
    }

    /// The bytes written so far, taken out to be printed before parts written apart.
    public mutating func takeBytes() -> [UInt8] {
        var taken: [UInt8] = []
        swap(&taken, &bytes)
        return taken
    }

    /// Hands the bytes written so far to `output` once there are `minimumBytes` or more, and goes
    /// on writing into the same buffer: a long answer goes out in pieces as it is written.
    public mutating func writeOut(ifAtLeast minimumBytes: Int, to output: ([UInt8]) -> Void) {
        bytes.writeOut(ifAtLeast: minimumBytes, to: output)
    }

    // MARK: Layout

    private mutating func push(isObject: Bool) {
        precondition(open.count < JSONByteWriter.depthLimit, "JSON output nests at most \(JSONByteWriter.depthLimit) deep")
        open.append((isObject, false))
    }

    private mutating func close(isObject: Bool, closing: UInt8) {
        precondition(open.last?.isObject == isObject && !valueDue, "closing the container that is open, with no key waiting")
        let container = open.removeLast()
        if container.hasMember { newline() }
        bytes.append(closing)
    }

    /// Before a value: nothing after a key; a comma and a new line inside an array; at the top,
    /// only one value.
    private mutating func beforeValue() {
        if valueDue {
            valueDue = false
            return
        }
        guard let last = open.last else {
            precondition(bytes.isEmpty, "one value at the top")
            return
        }
        precondition(!last.isObject, "a member of an object needs its key first")
        separate()
    }

    /// The comma before every member but the first, and the line it starts when pretty.
    private mutating func separate() {
        let last = open.count - 1
        if open[last].hasMember { bytes.append(UInt8(ascii: ",")) } else { open[last].hasMember = true }
        newline()
    }

    /// A line feed and two spaces per open container, when pretty.
    private mutating func newline() {
        guard pretty else { return }
        // A line feed and the spaces, one copy from a static line (no array to retain) as deep as
        // any answer nests; deeper, the spaces one by one.
        let count = 1 + 2 * open.count
        JSONByteWriter.indentedLine.withUTF8Buffer { line in
            if count <= line.count {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: line[0..<count]))
            } else {
                bytes.append(contentsOf: line)
                bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: count - line.count))
            }
        }
    }

    /// A line feed and the spaces of 24 levels of nesting.
    private static let indentedLine: StaticString = "\n                                                "

    // MARK: Bytes

    private static let trueBytes: [UInt8] = Array("true".utf8)
    private static let falseBytes: [UInt8] = Array("false".utf8)
    private static let nullBytes: [UInt8] = Array("null".utf8)
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// `YYYY-MM-DD`, as `CalendarDate.description` spells it (the log layer's digits).
    static func appendDate(_ date: CalendarDate, to bytes: inout [UInt8]) { date.appendDigits(to: &bytes) }

    /// `YYYY-MM-DDTHH:MM:SSZ`, as `Timestamp.description` spells it.
    static func appendTimestamp(_ moment: Timestamp, to bytes: inout [UInt8]) { moment.appendDigits(to: &bytes) }

    /// Decimal digits of `value`, most significant first, with no separators.
    static func appendDigits(_ value: UInt128, to bytes: inout [UInt8]) {
        if value < 10 {
            bytes.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        let start = bytes.count
        var rest = value
        if rest <= UInt128(UInt64.max) {
            // 64-bit division is much cheaper than 128-bit, and every shown figure fits; the
            // digits go to a buffer on the stack, then into the output at once.
            var small = UInt64(rest)
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
                var first = 20
                while small > 0 {
                    first -= 1
                    digits[first] = UInt8(ascii: "0") + UInt8(small % 10)
                    small /= 10
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[first...]))
            }
            return
        } else {
            while rest > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(rest % 10))
                rest /= 10
            }
        }
        bytes[start...].reverse()
    }

    /// A quoted string. Escapes what JSON requires (quote, backslash, U+0000–U+001F), and also
    /// DEL, C1 and the bidirectional controls (`FreeText.isControl`) as `\uXXXX`, so printing the
    /// output on a terminal cannot obey them; everything else, Chinese included, is copied as
    /// UTF-8 so the output stays readable. Runs of plain bytes are copied at once.
    private mutating func appendString(_ value: String) {
        var copy = value
        copy.withUTF8 { appendString(utf8: $0) }
    }

    /// The same, from a String's bytes or bytes `isValidUTF8` accepted.
    private mutating func appendString(utf8 source: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        var index = 0, runStart = 0
        func flush(upTo end: Int) {
            if end > runStart { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[runStart..<end])) }
        }
        while index < source.count {
            // Eight bytes at a time past runs with nothing to escape (most of any name).
            while index + 8 <= source.count,
                  !JSONByteWriter.mayNeedEscape(UnsafeRawPointer(source.baseAddress! + index).loadUnaligned(as: UInt64.self)) {
                index += 8
            }
            guard index < source.count else { break }
            let byte = source[index]
            let escape: [UInt8]?
            var scalar: UInt32? = nil
            var length = 1
            switch byte {
            case UInt8(ascii: "\""): escape = JSONByteWriter.quoteEscape
            case UInt8(ascii: "\\"): escape = JSONByteWriter.backslashEscape
            case 0x0A: escape = JSONByteWriter.lineFeedEscape
            case 0x0D: escape = JSONByteWriter.returnEscape
            case 0x09: escape = JSONByteWriter.tabEscape
            case 0x08: escape = JSONByteWriter.backspaceEscape
            case 0x0C: escape = JSONByteWriter.formFeedEscape
            case 0x00...0x1F, 0x7F:
                escape = nil
                scalar = UInt32(byte)
            case 0xC2 where index + 1 < source.count && (0x80...0x9F).contains(source[index + 1]):
                // U+0080–U+009F (C1).
                escape = nil
                scalar = UInt32(source[index + 1])
                length = 2
            case 0xE2 where index + 2 < source.count
                && ((source[index + 1] == 0x80 && (0xAA...0xAE).contains(source[index + 2]))
                    || (source[index + 1] == 0x81 && (0xA6...0xA9).contains(source[index + 2]))):
                // U+202A–U+202E and U+2066–U+2069 (bidirectional controls).
                escape = nil
                scalar = 0x2000 | (UInt32(source[index + 1] & 0x0F) << 6) | UInt32(source[index + 2] & 0x3F)
                length = 3
            default:
                index += 1
                continue
            }
            flush(upTo: index)
            if let escape {
                bytes.append(contentsOf: escape)
            } else if let scalar {
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(UInt8(ascii: "u"))
                for shift in [12, 8, 4, 0] as [UInt32] { bytes.append(JSONByteWriter.hexDigits[Int((scalar >> shift) & 0xF)]) }
            }
            index += length
            runStart = index
        }
        flush(upTo: source.count)
        bytes.append(UInt8(ascii: "\""))
    }

    /// Whether any of eight bytes may start something `appendString` escapes: below U+0020, a
    /// quote, a backslash, DEL, or the lead bytes of C1 (0xC2) and the bidirectional controls
    /// (0xE2). Exact for "none" (`ByteLanes`); a "maybe" is settled byte by byte.
    @inline(__always)
    static func mayNeedEscape(_ word: UInt64) -> Bool {
        (ByteLanes.below(word, 0x20) | ByteLanes.equal(word, to: 0x22) | ByteLanes.equal(word, to: 0x5C)
            | ByteLanes.equal(word, to: 0x7F) | ByteLanes.equal(word, to: 0xC2) | ByteLanes.equal(word, to: 0xE2)) != 0
    }

    /// Whether `bytes` are well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, at most
    /// U+10FFFF), as a String's bytes always are; others take the String path, which repairs them.
    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool { UTF8Sequence.isValid(bytes) }

    private static let quoteEscape: [UInt8] = Array("\\\"".utf8)
    private static let backslashEscape: [UInt8] = Array("\\\\".utf8)
    private static let lineFeedEscape: [UInt8] = Array("\\n".utf8)
    private static let returnEscape: [UInt8] = Array("\\r".utf8)
    private static let tabEscape: [UInt8] = Array("\\t".utf8)
    private static let backspaceEscape: [UInt8] = Array("\\b".utf8)
    private static let formFeedEscape: [UInt8] = Array("\\f".utf8)
}
