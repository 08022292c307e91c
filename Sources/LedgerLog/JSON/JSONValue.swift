/// A JSON number kept exactly as written, so that reading a draft loses nothing before
/// canonicalization decides what the number means (RFC 8785 reads it as an IEEE 754 double).
///
/// Equality and hashing compare the literal: `1.0` and `1` are different `JSONNumber`s
/// even though both canonicalize to `1`.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The number as written in the source, guaranteed to match the RFC 8259 grammar.
    public let literal: String

    /// Creates a number from a literal that must match the RFC 8259 number grammar and
    /// fit in a double; returns nil otherwise.
    public init?(literal: String) {
        guard JSONParser.isValidNumberLiteral(literal) else { return nil }
        self.literal = literal
    }

    public init(_ value: Int64) {
        self.literal = String(value)
    }

    public init(_ value: Int) {
        self.literal = String(value)
    }

    /// Creates a number from a double, written in its canonical (ES6) form.
    /// Throws for NaN and infinities, which JSON cannot express.
    public init(_ value: Double) throws(JSONCanonicalError) {
        self.literal = try JSONCanonical.formatNumber(value)
    }

    /// For the parser, which has already checked the grammar.
    init(validatedLiteral: String) {
        self.literal = validatedLiteral
    }

    /// True when the literal has neither a fraction nor an exponent (`12`, `-0`; not `12.0`, `1e2`).
    public var isInteger: Bool {
        !literal.utf8.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
    }

    /// The value as Int64 when `isInteger` and it fits; nil otherwise (never rounded).
    public var integerValue: Int64? {
        guard isInteger else { return nil }
        return Int64(literal)
    }

    /// The nearest double (round half to even), the value RFC 8785 serializes.
    public var doubleValue: Double {
        // The grammar was checked on construction and is a subset of what Double parses.
        Double(literal) ?? .nan
    }

    public var description: String { literal }
}

/// One `"key": value` pair of an object.
public struct JSONMember: Sendable, Equatable {
    public var key: String
    public var value: JSONValue

    public init(key: String, value: JSONValue) {
        self.key = key
        self.value = value
    }

    /// Keys compare by their UTF-8 bytes, not by Swift's canonical equivalence, because
    /// `"Å"` and `"A\u{30A}"` are different keys with different canonical bytes.
    public static func == (left: JSONMember, right: JSONMember) -> Bool {
        left.key.utf8.elementsEqual(right.key.utf8) && left.value == right.value
    }
}

/// A JSON object with its members in source order.
///
/// Order is kept so that error messages and round trips can follow the source; RFC 8785
/// sorting happens only in `JSONCanonical`. Equality is order-sensitive; compare canonical
/// bytes for semantic equality.
public struct JSONObject: Sendable, Equatable, ExpressibleByDictionaryLiteral {
    public var members: [JSONMember]

    public init(members: [JSONMember] = []) {
        self.members = members
    }

    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.members = elements.map { JSONMember(key: $0.0, value: $0.1) }
    }

    /// The value of the member with this key (compared byte by byte), or nil.
    /// With duplicates (only possible with `allowDuplicateKeys`), the last one wins as in
    /// ECMAScript `JSON.parse`.
    /// Setting replaces the value of an existing member in place, appends a new member, or
    /// with nil removes every member with that key.
    public subscript(key: String) -> JSONValue? {
        get {
            members.last { $0.key.utf8.elementsEqual(key.utf8) }?.value
        }
        set {
            let matches = { (member: JSONMember) in member.key.utf8.elementsEqual(key.utf8) }
            guard let newValue else {
                members.removeAll(where: matches)
                return
            }
            if let index = members.lastIndex(where: matches) {
                members[index].value = newValue
            } else {
                members.append(JSONMember(key: key, value: newValue))
            }
        }
    }

    public var keys: [String] { members.map(\.key) }
    public var count: Int { members.count }
    public var isEmpty: Bool { members.isEmpty }
}

/// A parsed JSON value.
///
/// Equality is structural and exact as written: strings compare scalar by scalar (no
/// Unicode normalization, unlike Swift's `String ==`), numbers by literal, objects by
/// members in order.
///
/// Not `indirect`: arrays and objects already keep their contents on the heap, and boxing
/// every scalar as well nearly halved parsing speed.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    public static func == (left: JSONValue, right: JSONValue) -> Bool {
        switch (left, right) {
        case (.null, .null): true
        case let (.bool(left), .bool(right)): left == right
        case let (.number(left), .number(right)): left == right
        case let (.string(left), .string(right)): left.utf8.elementsEqual(right.utf8)
        case let (.array(left), .array(right)): left == right
        case let (.object(left), .object(right)): left == right
        default: false
        }
    }
}

extension JSONValue {
    public var isNull: Bool {
        if case .null = self { true } else { false }
    }

    public var boolValue: Bool? {
        if case .bool(let value) = self { value } else { nil }
    }

    public var numberValue: JSONNumber? {
        if case .number(let value) = self { value } else { nil }
    }

    public var stringValue: String? {
        if case .string(let value) = self { value } else { nil }
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { value } else { nil }
    }

    public var objectValue: JSONObject? {
        if case .object(let value) = self { value } else { nil }
    }

    /// The member value when this is an object holding `key`; nil otherwise.
    public subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }
}

// Literals keep tests and hand-built events readable.

extension JSONValue: ExpressibleByNilLiteral {
    public init(nilLiteral: ()) { self = .null }
}

extension JSONValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension JSONValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int64) { self = .number(JSONNumber(value)) }
}

extension JSONValue: ExpressibleByFloatLiteral {
    /// A float literal is always finite, so formatting cannot fail.
    public init(floatLiteral value: Double) {
        guard let number = try? JSONNumber(value) else {
            preconditionFailure("a JSON number must be finite, got \(value)")
        }
        self = .number(number)
    }
}

extension JSONValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}

extension JSONValue: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
}

extension JSONValue: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(members: elements.map { JSONMember(key: $0.0, value: $0.1) }))
    }
}
