/// `value` in decimal with leading zeros to `width` digits.
func zeroPadded(_ value: Int, width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}

/// Yuan with two decimals and thousands separators, for messages and the summary.
enum MoneyText {
    static func yuan(_ fen: Int64) -> String {
        let negative = fen < 0
        let magnitude = fen.magnitude
        let whole = String(magnitude / 100)
        var grouped = ""
        for (offset, character) in whole.enumerated() {
            if offset > 0 && (whole.count - offset) % 3 == 0 { grouped.append(",") }
            grouped.append(character)
        }
        return (negative ? "-" : "") + grouped + "." + zeroPadded(Int(magnitude % 100), width: 2) + " yuan"
    }
}
