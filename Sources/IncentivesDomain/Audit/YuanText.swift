/// Money in audit messages, `¥1,234,567.89`: the domain must not depend on the command line's
/// formatter, and a message must state its figures exactly, so this works on integer fen only.
public enum YuanText {
    /// `¥1,234,567.89`; negative amounts as `-¥1,234.50`. Exact for every `Int128`, the width
    /// totals are summed in.
    public static func format(fen: Int64) -> String { format(fen: Int128(fen)) }
    public static func format(fen: Fen) -> String { format(fen: Int128(fen.rawValue)) }

    public static func format(fen: Int128) -> String {
        let magnitude = fen.magnitude
        let cents = magnitude % 100
        return (fen < 0 ? "-¥" : "¥") + grouped(magnitude / 100) + "." + (cents < 10 ? "0" : "") + String(cents)
    }

    /// A difference with its sign always shown: `+¥5.00`, `-¥5.00`, `¥0.00`.
    public static func signed(fen: Int64) -> String { signed(fen: Int128(fen)) }

    public static func signed(fen: Int128) -> String {
        fen > 0 ? "+" + format(fen: fen) : format(fen: fen)
    }

    /// Basis points as a percentage with two decimals: 6523 is `65.23%`.
    public static func percent(basisPoints: Int64) -> String {
        let magnitude = basisPoints.magnitude
        let hundredths = magnitude % 100
        return (basisPoints < 0 ? "-" : "") + String(magnitude / 100) + "." + (hundredths < 10 ? "0" : "") + String(hundredths) + "%"
    }

    /// Decimal digits with a comma every three from the right.
    static func grouped(_ value: UInt128) -> String {
        let digits = Array(String(value))
        var result = ""
        result.reserveCapacity(digits.count + digits.count / 3)
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return result
    }
}
