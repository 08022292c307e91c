/// The unit amounts are shown in. Incentive notices in China quote large sums in 万元.
public enum MoneyUnit: Sendable {
    /// 元 with two decimals: exact to the fen.
    case yuan
    /// 万元 (10,000 yuan) with two decimals: rounded to the nearest 100 yuan.
    case wan
}

/// Formats integer fen for people, with thousands separators and exactly two decimals.
/// Works on the magnitude as `UInt128`, so every `Int128` (the width totals are summed in)
/// formats without overflow, and never goes through floating point.
public enum MoneyFormat {
    /// `"1,234,567.89"` for yuan; `"123.46"` for wan. Negative amounts start with `-`.
    ///
    /// Wan rounds half away from zero on the exact integer (四舍五入: 0.005 wan becomes 0.01 and
    /// -0.005 becomes -0.01), so a sum and its negation print alike. A negative amount that
    /// rounds to zero prints as `"0.00"`, not `"-0.00"`.
    public static func format(fen: Int64, unit: MoneyUnit) -> String {
        format(fen: Int128(fen), unit: unit)
    }

    public static func format(fen: Int128, unit: MoneyUnit) -> String {
        let magnitude = fen.magnitude
        let hundredths: UInt128
        switch unit {
        case .yuan:
            hundredths = magnitude
        case .wan:
            // One hundredth of a wan is 100 yuan, which is 10,000 fen.
            // Cannot overflow: Int128.min.magnitude + 5,000 is far below UInt128.max.
            hundredths = (magnitude + 5_000) / 10_000
        }
        let sign = fen < 0 && hundredths != 0 ? "-" : ""
        return sign + grouped(hundredths / 100) + "." + twoDigits(hundredths % 100)
    }

    /// `"¥1,234,567.89"` for running text; negative amounts as `"-¥1,234.50"`, the usual order
    /// in Chinese accounting.
    public static func formatYuanSymbol(fen: Int64) -> String { formatYuanSymbol(fen: Int128(fen)) }

    public static func formatYuanSymbol(fen: Int128) -> String {
        let digits = format(fen: fen, unit: .yuan)
        if fen < 0 {
            return "-¥" + digits.dropFirst()
        }
        return "¥" + digits
    }

    /// Decimal digits with a comma every three from the right.
    static func grouped(_ value: UInt128) -> String {
        let digits = Array(String(value))
        var result = ""
        result.reserveCapacity(digits.count + digits.count / 3)
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 {
                result.append(",")
            }
            result.append(digit)
        }
        return result
    }

    private static func twoDigits(_ value: UInt128) -> String {
        value < 10 ? "0" + String(value) : String(value)
    }
}
