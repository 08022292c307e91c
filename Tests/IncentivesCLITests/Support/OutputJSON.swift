import IncentivesDomain
import LedgerLog

/// The tree renderer commands used before they wrote JSON as bytes (`JSONByteWriter`), kept
/// here as the reference its output is compared with. A JSON value built for output only. Objects keep their keys in the order given, because
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
    /// space after each colon. Neither ends with a newline: the caller decides. Written as
    /// bytes: a per-enterprise breakdown runs to megabytes, and appending to a String checks
    /// and grows it piece by piece.
    public func render(pretty: Bool) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(4096)
        write(to: &output, pretty: pretty, depth: 0)
        return String(decoding: output, as: UTF8.self)
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

    private func write(to output: inout [UInt8], pretty: Bool, depth: Int) {
        switch self {
        case .string(let value):
            OutputJSON.writeString(value, to: &output)
        case .integer(let value):
            output.append(contentsOf: String(value).utf8)
        case .bool(let value):
            output.append(contentsOf: (value ? "true" : "false").utf8)
        case .null:
            output.append(contentsOf: "null".utf8)
        case .array(let items):
            guard !items.isEmpty else {
                output.append(contentsOf: "[]".utf8)
                return
            }
            output.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                OutputJSON.newline(to: &output, pretty: pretty, depth: depth + 1)
                item.write(to: &output, pretty: pretty, depth: depth + 1)
            }
            OutputJSON.newline(to: &output, pretty: pretty, depth: depth)
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            guard !members.isEmpty else {
                output.append(contentsOf: "{}".utf8)
                return
            }
            output.append(UInt8(ascii: "{"))
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                OutputJSON.newline(to: &output, pretty: pretty, depth: depth + 1)
                OutputJSON.writeString(key, to: &output)
                output.append(UInt8(ascii: ":"))
                if pretty { output.append(UInt8(ascii: " ")) }
                value.write(to: &output, pretty: pretty, depth: depth + 1)
            }
            OutputJSON.newline(to: &output, pretty: pretty, depth: depth)
            output.append(UInt8(ascii: "}"))
        }
    }

    private static func newline(to output: inout [UInt8], pretty: Bool, depth: Int) {
        guard pretty else { return }
        output.append(UInt8(ascii: "\n"))
        output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth))
    }

    /// Escapes what JSON requires (quote, backslash, U+0000–U+001F), and also DEL, C1 and the
    /// bidirectional controls (`FreeText.isControl`) as `\uXXXX`, so that printing the output on a
    /// terminal cannot obey them; everything else, Chinese included, is written as UTF-8 so the
    /// output stays readable.
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    private static func writeString(_ value: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var copy = value
        copy.withUTF8 { bytes in
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""): output.append(contentsOf: "\\\"".utf8)
                case UInt8(ascii: "\\"): output.append(contentsOf: "\\\\".utf8)
                case 0x0A: output.append(contentsOf: "\\n".utf8)
                case 0x0D: output.append(contentsOf: "\\r".utf8)
                case 0x09: output.append(contentsOf: "\\t".utf8)
                case 0x08: output.append(contentsOf: "\\b".utf8)
                case 0x0C: output.append(contentsOf: "\\f".utf8)
                case 0x00...0x1F, 0x7F:
                    appendEscape(UInt32(byte), to: &output)
                case 0xC2 where index < bytes.count && (0x80...0x9F).contains(bytes[index]):
                    // U+0080–U+009F (C1).
                    appendEscape(UInt32(bytes[index]), to: &output)
                    index += 1
                case 0xE2 where index + 1 < bytes.count
                    && ((bytes[index] == 0x80 && (0xAA...0xAE).contains(bytes[index + 1]))
                        || (bytes[index] == 0x81 && (0xA6...0xA9).contains(bytes[index + 1]))):
                    // U+202A–U+202E and U+2066–U+2069 (bidirectional controls).
                    appendEscape(0x2000 | (UInt32(bytes[index] & 0x0F) << 6) | UInt32(bytes[index + 1] & 0x3F), to: &output)
                    index += 2
                default:
                    // Other bytes of multi-byte scalars are all 0x80 or above: copied as they are.
                    output.append(byte)
                }
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    private static func appendEscape(_ value: UInt32, to output: inout [UInt8]) {
        output.append(contentsOf: "\\u".utf8)
        for shift in [12, 8, 4, 0] { output.append(hexDigits[Int((value >> UInt32(shift)) & 0xF)]) }
    }
}

extension OutputJSON {
    /// Keeps member order: output keys are stable and documented, not canonically sorted.
    init(_ value: JSONValue) {
        switch value {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .number(let number): self = .integer(number.integerValue ?? 0)
        case .string(let text): self = .string(text)
        case .array(let elements): self = .array(elements.map(OutputJSON.init))
        case .object(let object): self = .object(object.members.map { ($0.key, OutputJSON($0.value)) })
        }
    }
}
