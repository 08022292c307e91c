/// A JSON value built for output only. Objects keep their keys in the order given, because
/// scripts and golden files depend on stable, readable field order rather than sorted keys.
///
/// Integers are `Int64` and there is no floating point: money is written as integer fen, and
/// amounts accepted as input stay below 2^53 so readers that use doubles still get them exactly.
public indirect enum OutputJSON: Sendable, Equatable {
    case string(String)
    case integer(Int64)
    case bool(Bool)
    case null
    case array([OutputJSON])
    /// Keys are written as given, duplicates included; builders are expected not to repeat one.
    case object([(String, OutputJSON)])

    /// Compact output has no whitespace at all; pretty output indents by two spaces and puts a
    /// space after each colon. Neither ends with a newline: the caller decides.
    public func render(pretty: Bool) -> String {
        var output = ""
        write(to: &output, pretty: pretty, depth: 0)
        return output
    }

    public static func == (left: OutputJSON, right: OutputJSON) -> Bool {
        switch (left, right) {
        case let (.string(leftValue), .string(rightValue)):
            return leftValue == rightValue
        case let (.integer(leftValue), .integer(rightValue)):
            return leftValue == rightValue
        case let (.bool(leftValue), .bool(rightValue)):
            return leftValue == rightValue
        case (.null, .null):
            return true
        case let (.array(leftItems), .array(rightItems)):
            return leftItems == rightItems
        case let (.object(leftMembers), .object(rightMembers)):
            // Order is part of the value: it is what gets printed.
            return leftMembers.count == rightMembers.count
                && zip(leftMembers, rightMembers).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default:
            return false
        }
    }

    private func write(to output: inout String, pretty: Bool, depth: Int) {
        switch self {
        case .string(let value):
            OutputJSON.writeString(value, to: &output)
        case .integer(let value):
            output += String(value)
        case .bool(let value):
            output += value ? "true" : "false"
        case .null:
            output += "null"
        case .array(let items):
            guard !items.isEmpty else {
                output += "[]"
                return
            }
            output += "["
            for (index, item) in items.enumerated() {
                if index > 0 { output += "," }
                OutputJSON.newline(to: &output, pretty: pretty, depth: depth + 1)
                item.write(to: &output, pretty: pretty, depth: depth + 1)
            }
            OutputJSON.newline(to: &output, pretty: pretty, depth: depth)
            output += "]"
        case .object(let members):
            guard !members.isEmpty else {
                output += "{}"
                return
            }
            output += "{"
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { output += "," }
                OutputJSON.newline(to: &output, pretty: pretty, depth: depth + 1)
                OutputJSON.writeString(key, to: &output)
                output += pretty ? ": " : ":"
                value.write(to: &output, pretty: pretty, depth: depth + 1)
            }
            OutputJSON.newline(to: &output, pretty: pretty, depth: depth)
            output += "}"
        }
    }

    private static func newline(to output: inout String, pretty: Bool, depth: Int) {
        guard pretty else { return }
        output += "\n"
        output += String(repeating: "  ", count: depth)
    }

    /// Escapes only what JSON requires (quote, backslash, U+0000–U+001F); everything else,
    /// Chinese included, is written as UTF-8 so the output stays readable.
    private static let hexDigits: [Character] = Array("0123456789abcdef")

    private static func writeString(_ value: String, to output: inout String) {
        output += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            case "\u{00}"..."\u{1F}":
                output += "\\u00"
                output.append(hexDigits[Int(scalar.value >> 4)])
                output.append(hexDigits[Int(scalar.value & 0xF)])
            default:
                output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}
