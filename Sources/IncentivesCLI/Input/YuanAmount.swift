/// Why a typed amount was refused, in words a clerk can act on.
public struct YuanAmountError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String

    public init(message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// Amounts typed by people in yuan, converted exactly to integer fen.
///
/// Accepts `1500000`, `1,500,000.50`, `1500000.5`, `0.01`, surrounding spaces, an optional `¥`
/// (or the full-width `￥` that Chinese input methods produce) and an optional `元`. Refuses
/// anything that could be misread: signs, more than two decimals, irregular grouping, exponents,
/// full-width digits. No floating point is involved at any step.
public enum YuanAmount {
    /// 2^53 − 1 fen: the largest amount that survives a trip through software that reads JSON
    /// numbers as doubles (JavaScript, spreadsheets), so every export stays exact.
    public static let largestFen: Int64 = 9_007_199_254_740_991

    /// Zero is accepted; whether zero makes sense is the caller's decision.
    public static func parseFen(_ text: String) -> Result<Int64, YuanAmountError> {
        var body = Substring(text)
        trimWhitespace(&body)
        guard !body.isEmpty else {
            return refuse("empty amount: type a number of yuan, such as 1500000 or 1,500,000.50")
        }
        if let first = body.first, isMinus(first) {
            return refuse(negativeMessage)
        }
        if body.first == "¥" || body.first == "￥" {
            body.removeFirst()
            trimWhitespace(&body)
        }
        if body.last == "元" {
            body.removeLast()
            trimWhitespace(&body)
        }
        if let first = body.first {
            if isMinus(first) { return refuse(negativeMessage) }
            if first == "+" {
                return refuse("a plus sign is not needed: type the amount without a sign")
            }
        }
        let scalars = Array(body.unicodeScalars)
        if let problem = unexpectedCharacter(in: scalars) {
            return refuse(problem)
        }
        return value(of: scalars)
    }

    private static let negativeMessage =
        "negative amounts are not accepted: type the amount without a minus sign"

    /// Finds the first scalar that is not a digit, comma or point, and says what to type instead.
    private static func unexpectedCharacter(in scalars: [Unicode.Scalar]) -> String? {
        for (index, scalar) in scalars.enumerated() {
            if isDigit(scalar) || scalar == "," || scalar == "." { continue }
            if scalar.properties.isWhitespace {
                return "space inside the amount: remove it, or group thousands with commas as in 1,500,000"
            }
            if (0xFF01...0xFF5E).contains(scalar.value) || scalar == "。" {
                return "full-width character \(describe(scalar)): type ASCII digits 0-9, comma and point"
                    + " (switch the input method to half-width)"
            }
            if scalar == "e" || scalar == "E", index > 0, isDigit(scalars[index - 1]) {
                return "scientific notation such as 1e6 is not accepted: type all the digits"
            }
            return "unexpected character \(describe(scalar)): an amount is digits, optional commas"
                + " between thousands and at most two decimal places, as in 1,500,000.50"
        }
        return nil
    }

    /// Checks the shape of digits, commas and one point, then accumulates with a bound check.
    private static func value(of scalars: [Unicode.Scalar]) -> Result<Int64, YuanAmountError> {
        let parts = scalars.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2 else {
            return refuse("more than one decimal point")
        }
        let integerPart = parts[0]
        let fractionPart = parts.count == 2 ? parts[1] : []
        guard scalars.contains(where: isDigit) else {
            return refuse("no digits in the amount")
        }
        guard !integerPart.isEmpty else {
            return refuse("a digit is needed before the decimal point: write 0.50 rather than .50")
        }
        if parts.count == 2 {
            guard !fractionPart.isEmpty else {
                return refuse("digits are needed after the decimal point, or leave the point out")
            }
            guard !fractionPart.contains(",") else {
                return refuse("comma after the decimal point: commas only group thousands of yuan")
            }
            guard fractionPart.count <= 2 else {
                return refuse("more than two decimal places: fen is the smallest unit")
            }
        }
        if integerPart.contains(",") {
            let groups = integerPart.split(separator: ",", omittingEmptySubsequences: false)
            let wellGrouped = (1...3).contains(groups[0].count)
                && groups.dropFirst().allSatisfy { $0.count == 3 }
            guard wellGrouped else {
                return refuse("misplaced comma: commas separate groups of three digits, as in 1,500,000")
            }
        }

        let largestYuan = UInt64(largestFen) / 100
        var yuan: UInt64 = 0
        for scalar in integerPart where scalar != "," {
            yuan = yuan * 10 + UInt64(scalar.value - 0x30)
            // Checked per digit, so even a thousand-digit entry cannot overflow.
            if yuan > largestYuan + 1 { break }
        }
        var fen: UInt64 = 0
        for (position, scalar) in fractionPart.enumerated() {
            fen += UInt64(scalar.value - 0x30) * (position == 0 ? 10 : 1)
        }
        let total = yuan > largestYuan + 1 ? UInt64.max : yuan * 100 + fen
        guard total <= UInt64(largestFen) else {
            return refuse("too large: the amount is larger than \(MoneyFormat.format(fen: largestFen, unit: .yuan))"
                + " yuan, the largest the ledger keeps exactly")
        }
        return .success(Int64(total))
    }

    private static func refuse(_ message: String) -> Result<Int64, YuanAmountError> {
        .failure(YuanAmountError(message: message))
    }

    private static func trimWhitespace(_ text: inout Substring) {
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
    }

    /// ASCII hyphen-minus, the minus sign, and the full-width hyphen-minus of Chinese keyboards.
    private static func isMinus(_ character: Character) -> Bool {
        character == "-" || character == "\u{2212}" || character == "\u{FF0D}"
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value >= 0x30 && scalar.value <= 0x39
    }

    /// Quotes printable characters and names the code point, so look-alikes such as `Ｏ` for `0`
    /// are recognisable; invisible ones are shown by code point only.
    private static func describe(_ scalar: Unicode.Scalar) -> String {
        var hex = String(scalar.value, radix: 16, uppercase: true)
        while hex.count < 4 { hex = "0" + hex }
        let codePoint = "U+" + hex
        if scalar.isASCII {
            return scalar.value >= 0x20 && scalar.value < 0x7F ? "\"\(scalar)\"" : codePoint
        }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .nonspacingMark, .enclosingMark,
             .lineSeparator, .paragraphSeparator, .spaceSeparator:
            return codePoint
        default:
            return "\"\(scalar)\" (\(codePoint))"
        }
    }
}
