@testable import LedgerLog

/// Writes JSON keeping members in the order given (duplicates too) and numbers as their literal:
/// the way to build lines that are valid JSON but not canonical.
enum OrderedJSONText {
    static func write(_ value: JSONValue) -> [UInt8] {
        var output: [UInt8] = []
        append(value, to: &output)
        return output
    }

    static func append(_ value: JSONValue, to output: inout [UInt8]) {
        switch value {
        case .null: output += Array("null".utf8)
        case .bool(let flag): output += Array((flag ? "true" : "false").utf8)
        case .number(let number): output += Array(number.literal.utf8)
        case .string(let text): JSONCanonical.appendString(text, to: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                append(element, to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            output.append(UInt8(ascii: "{"))
            for (index, member) in object.members.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                JSONCanonical.appendString(member.key, to: &output)
                output.append(UInt8(ascii: ":"))
                append(member.value, to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// `bytes` with the first occurrence of `target` replaced; nil when it does not occur.
    static func replacingFirst(_ target: String, with replacement: String, in bytes: [UInt8]) -> [UInt8]? {
        let needle = Array(target.utf8)
        guard !needle.isEmpty, bytes.count >= needle.count else { return nil }
        for start in 0...(bytes.count - needle.count) where bytes[start..<(start + needle.count)].elementsEqual(needle) {
            return Array(bytes[..<start]) + Array(replacement.utf8) + Array(bytes[(start + needle.count)...])
        }
        return nil
    }
}
