/// Why a value has no RFC 8785 canonical form.
public enum JSONCanonicalError: Error, Sendable, Equatable, CustomStringConvertible {
    /// NaN or an infinity: JSON has no spelling for them (RFC 8785 section 3.2.2.3).
    case nonFiniteNumber(String)
    /// An object holds the same key twice, so its member order is undefined.
    case duplicateKey(String)
    /// The bytes given to `canonicalize` are not acceptable JSON.
    case invalidJSON(JSONParseError)

    public var description: String {
        switch self {
        case .nonFiniteNumber(let value):
            return "number \(value) has no JSON form: only finite numbers can be canonicalized"
        case .duplicateKey(let key):
            var quoted: [UInt8] = []
            JSONCanonical.appendString(key, to: &quoted)
            return "duplicate key \(String(decoding: quoted, as: UTF8.self)): an object with repeated keys cannot be canonicalized"
        case .invalidJSON(let error):
            return error.message
        }
    }
}

/// RFC 8785 JSON Canonicalization Scheme: one byte sequence per JSON value, so that a
/// hash of the bytes identifies the value.
///
/// - Objects: members sorted by the UTF-16 code units of their keys, no whitespace.
/// - Strings: only `"`, `\` and U+0000...U+001F are escaped; everything else is literal UTF-8.
/// - Numbers: the ECMAScript `Number.prototype.toString` spelling of the nearest double.
public enum JSONCanonical {
    /// The canonical bytes of `value`.
    public static func serialize(_ value: JSONValue) throws(JSONCanonicalError) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(128)
        try append(value, to: &output)
        return output
    }

    /// Parses `bytes` strictly and returns their canonical form.
    public static func canonicalize(_ bytes: [UInt8], options: JSONParser.Options = .init()) throws(JSONCanonicalError) -> [UInt8] {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes, options: options)
        } catch {
            throw .invalidJSON(error)
        }
        return try serialize(value)
    }

    /// Parses `text` strictly and returns its canonical form.
    public static func canonicalize(_ text: String, options: JSONParser.Options = .init()) throws(JSONCanonicalError) -> [UInt8] {
        let value: JSONValue
        do {
            value = try JSONParser.parse(text, options: options)
        } catch {
            throw .invalidJSON(error)
        }
        return try serialize(value)
    }

    /// Appends the canonical bytes of `value` to `output`. On error `output` may hold a
    /// partial value.
    ///
    /// Iterative (an explicit stack of open containers) so that depth costs heap, not
    /// call stack, even in unoptimized builds.
    public static func append(_ value: JSONValue, to output: inout [UInt8]) throws(JSONCanonicalError) {
        var stack: [OpenContainer] = []
        try appendOrOpen(value, to: &output, stack: &stack)
        while !stack.isEmpty {
            let top = stack.count - 1
            let next = stack[top].next
            if stack[top].isObject {
                guard next < stack[top].members.count else {
                    output.append(UInt8(ascii: "}"))
                    stack.removeLast()
                    continue
                }
                if next > 0 { output.append(UInt8(ascii: ",")) }
                stack[top].next = next + 1
                let member = stack[top].members[next]
                appendString(member.key, to: &output)
                output.append(UInt8(ascii: ":"))
                try appendOrOpen(member.value, to: &output, stack: &stack)
            } else {
                guard next < stack[top].elements.count else {
                    output.append(UInt8(ascii: "]"))
                    stack.removeLast()
                    continue
                }
                if next > 0 { output.append(UInt8(ascii: ",")) }
                stack[top].next = next + 1
                try appendOrOpen(stack[top].elements[next], to: &output, stack: &stack)
            }
        }
    }

    /// An array or object whose opening bracket is written and whose elements are not.
    private struct OpenContainer {
        var isObject: Bool
        var elements: [JSONValue] = []
        /// Already in canonical order.
        var members: [JSONMember] = []
        var next = 0
    }

    /// Writes a scalar or an empty container whole; opens any other container on `stack`.
    private static func appendOrOpen(
        _ value: JSONValue, to output: inout [UInt8], stack: inout [OpenContainer]
    ) throws(JSONCanonicalError) {
        switch value {
        case .null:
            output.append(contentsOf: "null".utf8)
        case .bool(let flag):
            output.append(contentsOf: flag ? "true".utf8 : "false".utf8)
        case .number(let number):
            try appendNumber(number, to: &output)
        case .string(let string):
            appendString(string, to: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            stack.append(OpenContainer(isObject: false, elements: elements))
        case .object(let object):
            output.append(UInt8(ascii: "{"))
            stack.append(OpenContainer(isObject: true, members: try sortedMembers(object)))
        }
    }

    /// The members in RFC 8785 order; throws on a repeated key.
    private static func sortedMembers(_ object: JSONObject) throws(JSONCanonicalError) -> [JSONMember] {
        var members = object.members
        // Events read back from the ledger are already canonical, so check before sorting.
        var isStrictlyAscending = true
        for index in members.indices.dropFirst() where !keyPrecedes(members[index - 1].key, members[index].key) {
            isStrictlyAscending = false
            break
        }
        if !isStrictlyAscending {
            members.sort { keyPrecedes($0.key, $1.key) }
            for index in members.indices.dropFirst()
            where members[index - 1].key.utf8.elementsEqual(members[index].key.utf8) {
                throw .duplicateKey(members[index].key)
            }
        }
        return members
    }

    /// RFC 8785 key order: lexicographic over UTF-16 code units.
    ///
    /// Equal to `left.utf16.lexicographicallyPrecedes(right.utf16)` but without transcoding:
    /// scalars are compared after moving U+E000...U+FFFF above the supplementary planes,
    /// because in UTF-16 those planes start with surrogates D800...DBFF, which sort below
    /// E000. Swift's `String <` and UTF-8 byte order both get this case wrong.
    public static func keyPrecedes(_ left: String, _ right: String) -> Bool {
        var leftScalars = left.unicodeScalars.makeIterator()
        var rightScalars = right.unicodeScalars.makeIterator()
        while true {
            guard let leftScalar = leftScalars.next() else { return rightScalars.next() != nil }
            guard let rightScalar = rightScalars.next() else { return false }
            if leftScalar != rightScalar {
                return utf16SortWeight(leftScalar.value) < utf16SortWeight(rightScalar.value)
            }
        }
    }

    /// Maps a scalar so that comparing weights orders by first UTF-16 code unit, and then
    /// by scalar within the supplementary planes (whose low surrogates follow scalar order).
    @inline(__always)
    private static func utf16SortWeight(_ scalar: UInt32) -> UInt32 {
        if scalar < 0xD800 { return scalar }
        if scalar >= 0x10000 { return scalar - 0x10000 + 0xD800 }
        return scalar + 0x10_0000
    }

    /// Appends `string` as an RFC 8785 string literal: quotes around, `\"` `\\` and the
    /// short forms `\b \t \n \f \r`, other C0 controls as lowercase `\u00xx`, everything
    /// else (including U+007F and U+2028) as literal UTF-8.
    public static func appendString(_ string: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { bytes in
            var runStart = 0
            for index in bytes.indices {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if index > runStart {
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                }
                runStart = index + 1
                output.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""): output.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): output.append(UInt8(ascii: "\\"))
                case 0x08: output.append(UInt8(ascii: "b"))
                case 0x09: output.append(UInt8(ascii: "t"))
                case 0x0A: output.append(UInt8(ascii: "n"))
                case 0x0C: output.append(UInt8(ascii: "f"))
                case 0x0D: output.append(UInt8(ascii: "r"))
                default:
                    let hexDigits: StaticString = "0123456789abcdef"
                    output.append(contentsOf: "u00".utf8)
                    output.append(hexDigits.utf8Start[Int(byte >> 4)])
                    output.append(hexDigits.utf8Start[Int(byte & 0x0F)])
                }
            }
            if bytes.count > runStart {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
