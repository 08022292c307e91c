extension JSONCanonical {
    /// The ECMAScript `Number.prototype.toString` spelling of `value`, which RFC 8785
    /// section 3.2.2.3 makes the canonical form of a JSON number. `-0` prints as `0`.
    public static func formatNumber(_ value: Double) throws(JSONCanonicalError) -> String {
        var output: [UInt8] = []
        try appendNumber(value, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends the canonical spelling of `number`, which is that of its nearest double:
    /// `1.0`, `1e0` and `10E-1` all become `1`, and integers beyond 2^53 lose precision
    /// exactly as they would in ECMAScript.
    public static func appendNumber(_ number: JSONNumber, to output: inout [UInt8]) throws(JSONCanonicalError) {
        // A plain integer of at most 15 digits is exact in a double and ES6 prints it
        // unchanged, so skip the round trip through Double for the common case.
        let literal = number.literal.utf8
        let digitCount = literal.first == UInt8(ascii: "-") ? literal.count - 1 : literal.count
        if digitCount <= 15 && number.isInteger {
            if number.literal == "-0" {
                output.append(UInt8(ascii: "0"))
            } else {
                output.append(contentsOf: literal)
            }
            return
        }
        try appendNumber(number.doubleValue, to: &output)
    }

    /// Appends the ECMAScript spelling of `value`; see `formatNumber`.
    public static func appendNumber(_ value: Double, to output: inout [UInt8]) throws(JSONCanonicalError) {
        guard value.isFinite else { throw .nonFiniteNumber(value.description) }
        if value == 0 {
            output.append(UInt8(ascii: "0"))
            return
        }
        if value < 0 { output.append(UInt8(ascii: "-")) }
        let magnitude = value.magnitude
        // Integers below 2^53 are exact, so their shortest digits are their decimal digits.
        // (Converting through Int64 rather than `rounded()`, which needs libm's `trunc`
        // and so fails to link on Linux in a module that imports nothing.)
        if magnitude < 9_007_199_254_740_992 {
            let integer = Int64(magnitude)
            if Double(integer) == magnitude {
                output.append(contentsOf: String(integer).utf8)
                return
            }
        }
        let (digits, pointPosition) = shortestDigits(magnitude)
        appendECMAScriptLayout(digits: digits, pointPosition: pointPosition, to: &output)
    }

    /// The shortest decimal digits `s` (no leading or trailing zeros) and the position `n`
    /// of the decimal point such that `0.s × 10^n` is the shortest string that reads back
    /// as `magnitude`, choosing the closest when several are equally short.
    ///
    /// Swift's `description` already computes exactly these digits (shortest round trip,
    /// closest to the exact value); only its layout differs from ECMAScript's, so take the
    /// digits and exponent from it and lay them out again.
    static func shortestDigits(_ magnitude: Double) -> (digits: [UInt8], pointPosition: Int) {
        var digits: [UInt8] = []
        digits.reserveCapacity(17)
        var integerDigitCount: Int?
        var exponent = 0
        var exponentIsNegative = false
        var inExponent = false
        for byte in magnitude.description.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if inExponent {
                    exponent = exponent * 10 + Int(byte - UInt8(ascii: "0"))
                } else {
                    digits.append(byte)
                }
            case UInt8(ascii: "."):
                integerDigitCount = digits.count
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                inExponent = true
            case UInt8(ascii: "-"):
                exponentIsNegative = true
            default:
                break
            }
        }
        if exponentIsNegative { exponent = -exponent }
        let leadingZeros = digits.prefix { $0 == UInt8(ascii: "0") }.count
        let trailingZeros = digits.reversed().prefix { $0 == UInt8(ascii: "0") }.count
        let pointPosition = (integerDigitCount ?? digits.count) - leadingZeros + exponent
        return (Array(digits[leadingZeros..<(digits.count - trailingZeros)]), pointPosition)
    }

    /// ECMA-262 Number::toString step 5 onwards, with `k` = `digits.count` and
    /// `n` = `pointPosition`: plain integers up to 21 digits, plain decimals down to
    /// 1e-6, exponent notation (`1e+21`, `1.5e-7`) outside that range.
    static func appendECMAScriptLayout(digits: [UInt8], pointPosition n: Int, to output: inout [UInt8]) {
        let k = digits.count
        let zero = UInt8(ascii: "0")
        if k <= n && n <= 21 {
            output.append(contentsOf: digits)
            output.append(contentsOf: repeatElement(zero, count: n - k))
        } else if 0 < n && n <= 21 {
            output.append(contentsOf: digits[..<n])
            output.append(UInt8(ascii: "."))
            output.append(contentsOf: digits[n...])
        } else if -6 < n && n <= 0 {
            output.append(zero)
            output.append(UInt8(ascii: "."))
            output.append(contentsOf: repeatElement(zero, count: -n))
            output.append(contentsOf: digits)
        } else {
            output.append(digits[0])
            if k > 1 {
                output.append(UInt8(ascii: "."))
                output.append(contentsOf: digits[1...])
            }
            output.append(UInt8(ascii: "e"))
            let exponent = n - 1
            output.append(exponent >= 0 ? UInt8(ascii: "+") : UInt8(ascii: "-"))
            output.append(contentsOf: String(exponent.magnitude).utf8)
        }
    }
}
