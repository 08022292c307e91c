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
        var bytes: [UInt8] = []
        bytes.reserveCapacity(longestBytes)
        append(fen: fen, unit: unit, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends what `format(fen:unit:)` gives, as UTF-8, without making a String: a table of
    /// hundreds of thousands of rows writes three amounts a row.
    public static func append(fen: Int128, unit: MoneyUnit, to bytes: inout [UInt8]) {
        let magnitude = fen.magnitude
        // Every amount a query shows fits 64 bits, and 64-bit division is much cheaper than 128-bit.
        if magnitude <= UInt128(UInt64.max - 5_000) {
            let small = UInt64(magnitude)
            append(fen < 0, hundredths: unit == .yuan ? small : (small + 5_000) / 10_000, to: &bytes)
            return
        }
        // One hundredth of a wan is 100 yuan, which is 10,000 fen.
        // Cannot overflow: Int128.min.magnitude + 5,000 is far below UInt128.max.
        let hundredths = unit == .yuan ? magnitude : (magnitude + 5_000) / 10_000
        if hundredths <= UInt128(UInt64.max) {
            append(fen < 0, hundredths: UInt64(hundredths), to: &bytes)
        } else {
            append(fen < 0, hundredths: hundredths, to: &bytes)
        }
    }

    /// The most bytes an amount takes: a sign, grouped units (at most 37 digits and 12 commas), a
    /// point and two decimals.
    static let longestBytes = 53

    /// `hundredths` of a unit as grouped units, a point and two decimals, after a minus sign if
    /// `isNegative` and the amount does not round to zero.
    private static func append<Magnitude: FixedWidthInteger & UnsignedInteger>(
        _ isNegative: Bool, hundredths: Magnitude, to bytes: inout [UInt8]
    ) {
        if isNegative && hundredths != 0 { bytes.append(UInt8(ascii: "-")) }
        appendGrouped(hundredths / 100, to: &bytes)
        let cents = hundredths % 100
        bytes.append(UInt8(ascii: "."))
        bytes.append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: cents / 10))
        bytes.append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: cents % 10))
    }

    /// The most bytes grouped units take: the 39 digits of `UInt128.max` with 12 commas.
    private static let longestGroupedBytes = 51

    /// `units` in decimal digits with a comma every three from the right, written from the
    /// right into a buffer on the stack, then appended at once.
    private static func appendGrouped<Magnitude: FixedWidthInteger & UnsignedInteger>(_ units: Magnitude, to bytes: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: longestGroupedBytes) { buffer in
            var first = longestGroupedBytes, rest = units, digits = 0
            repeat {
                if digits > 0 && digits % 3 == 0 {
                    first -= 1
                    buffer[first] = UInt8(ascii: ",")
                }
                first -= 1
                buffer[first] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
                digits += 1
            } while rest > 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[first..<longestGroupedBytes]))
        }
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
        var bytes: [UInt8] = []
        if value <= UInt128(UInt64.max) { appendGrouped(UInt64(value), to: &bytes) } else { appendGrouped(value, to: &bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
