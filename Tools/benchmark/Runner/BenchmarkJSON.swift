/// A small JSON writer for the `--json` report (members in the order written).
struct BenchmarkJSON {
    private(set) var text = ""
    private var needsComma = false

    mutating func object(_ body: (inout BenchmarkJSON) -> Void) {
        open("{")
        body(&self)
        close("}")
    }

    mutating func member(_ key: String, _ body: (inout BenchmarkJSON) -> Void) {
        self.key(key)
        object(body)
    }

    mutating func array(_ key: String, _ body: (inout BenchmarkJSON) -> Void) {
        self.key(key)
        open("[")
        body(&self)
        close("]")
    }

    mutating func element(_ body: (inout BenchmarkJSON) -> Void) {
        comma()
        object(body)
    }

    mutating func member(_ key: String, _ value: String?) {
        self.key(key)
        raw(value.map(BenchmarkJSON.quoted) ?? "null")
    }

    mutating func member(_ key: String, _ value: Int?) {
        self.key(key)
        raw(value.map { String($0) } ?? "null")
    }

    mutating func member(_ key: String, _ value: Double?) {
        self.key(key)
        raw(value.map(BenchmarkJSON.number) ?? "null")
    }

    mutating func member(_ key: String, _ values: [Double]) {
        self.key(key)
        raw("[" + values.map(BenchmarkJSON.number).joined(separator: ",") + "]")
    }

    /// A complete value after its key: the next member needs a comma.
    private mutating func raw(_ value: String) {
        text += value
        needsComma = true
    }

    private mutating func key(_ key: String) {
        comma()
        text += BenchmarkJSON.quoted(key) + ":"
        needsComma = false
    }

    private mutating func comma() {
        if needsComma { text += "," }
        needsComma = true
    }

    private mutating func open(_ bracket: String) {
        text += bracket
        needsComma = false
    }

    private mutating func close(_ bracket: String) {
        text += bracket
        needsComma = true
    }

    /// Six decimals: microseconds, more than any figure here can claim.
    static func number(_ value: Double) -> String {
        value.isFinite ? BenchmarkFormat.decimal(value, digits: 6).replacingOccurrences(of: ",", with: "") : "null"
    }

    static func quoted(_ value: String) -> String {
        var result = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
