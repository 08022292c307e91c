/// Decoding of strings that already passed the canonical scan, so no error paths are needed.
public enum CanonicalString {
    /// Decodes a quoted canonical string (quotes included).
    public static func decode(_ quoted: UnsafeRawBufferPointer) -> String {
        precondition(quoted.count >= 2, "a quoted string has two quotes")
        let content = UnsafeRawBufferPointer(rebasing: quoted[1..<(quoted.count - 1)])
        if !content.contains(UInt8(ascii: "\\")) {
            return String(decoding: content, as: UTF8.self)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(content.count)
        var index = 0
        while index < content.count {
            let byte = content[index]
            guard byte == UInt8(ascii: "\\") else {
                bytes.append(byte)
                index += 1
                continue
            }
            let kind = content[index + 1]
            switch kind {
            case UInt8(ascii: "b"): bytes.append(0x08)
            case UInt8(ascii: "f"): bytes.append(0x0C)
            case UInt8(ascii: "n"): bytes.append(0x0A)
            case UInt8(ascii: "r"): bytes.append(0x0D)
            case UInt8(ascii: "t"): bytes.append(0x09)
            case UInt8(ascii: "u"):
                let high = lowercaseHexValue(content[index + 4]) ?? 0
                let low = lowercaseHexValue(content[index + 5]) ?? 0
                bytes.append(UInt8(high * 16 + low))
                index += 4
            default: bytes.append(kind)
            }
            index += 2
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension CanonicalString {
    /// Decodes a quoted canonical string (quotes included) read through a span: for the domain.
    public static func decode(_ quoted: Span<UInt8>) -> String {
        quoted.withUnsafeBytes { decode($0) }
    }
}
