/// An HTML page (or an SVG inside one) built as UTF-8 bytes in one growing buffer.
///
/// Markup comes only from string literals (`StaticString`) and numbers this code formats; every
/// text that may come from the ledger (names, ids, messages) goes through `text` or an attribute
/// value, which escape it. So a name such as `<script>` or `A & B` prints as itself, never as markup.
struct HTMLDocument {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 1 << 16) {
        bytes.reserveCapacity(capacity)
    }

    /// Markup written by this code.
    mutating func markup(_ literal: StaticString) {
        literal.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Text from anywhere, escaped for element content and attribute values alike.
    mutating func text(_ value: String) {
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": markup("&amp;")
            case "<": markup("&lt;")
            case ">": markup("&gt;")
            case "\"": markup("&quot;")
            case "'": markup("&#39;")
            case "\t", "\n", "\r": bytes.append(UInt8(scalar.value))
            default:
                // XML allows no other control characters, not even as references: a stray one
                // in a name would make the SVG unreadable, so it is shown as a replacement mark.
                let value = scalar.value
                if value < 0x20 || (0x7F...0x9F).contains(value) || value == 0xFFFE || value == 0xFFFF {
                    markup("\u{FFFD}")
                } else {
                    bytes.append(contentsOf: String(scalar).utf8)
                }
            }
        }
    }

    mutating func number(_ value: Int) {
        bytes.append(contentsOf: String(value).utf8)
    }

    /// A coordinate with one decimal, written without floating-point formatting surprises.
    mutating func coordinate(_ value: Double) {
        let tenths = Int((value * 10).rounded())
        if tenths < 0 { bytes.append(UInt8(ascii: "-")) }
        number(abs(tenths) / 10)
        if abs(tenths) % 10 != 0 {
            bytes.append(UInt8(ascii: "."))
            number(abs(tenths) % 10)
        }
    }

    /// `<name a="v" …>` with every value escaped.
    mutating func open(_ name: StaticString, _ attributes: [(StaticString, String)] = []) {
        markup("<")
        markup(name)
        attributeList(attributes)
        markup(">")
    }

    /// `<name a="v" …/>`, as SVG wants empty elements.
    mutating func empty(_ name: StaticString, _ attributes: [(StaticString, String)] = []) {
        markup("<")
        markup(name)
        attributeList(attributes)
        markup("/>")
    }

    mutating func close(_ name: StaticString) {
        markup("</")
        markup(name)
        markup(">")
    }

    /// `<name …>text</name>`.
    mutating func element(_ name: StaticString, _ attributes: [(StaticString, String)] = [], text value: String) {
        open(name, attributes)
        text(value)
        close(name)
    }

    mutating func append(_ other: HTMLDocument) {
        bytes.append(contentsOf: other.bytes)
    }

    private mutating func attributeList(_ attributes: [(StaticString, String)]) {
        for (name, value) in attributes {
            markup(" ")
            markup(name)
            markup("=\"")
            text(value)
            markup("\"")
        }
    }
}

/// Numbers for coordinates given as attribute values.
extension Double {
    var coordinateText: String {
        var document = HTMLDocument(capacity: 16)
        document.coordinate(self)
        return String(decoding: document.bytes, as: UTF8.self)
    }
}
