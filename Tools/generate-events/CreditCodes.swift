import IncentivesDomain

/// Makes Unified Social Credit Codes (GB 32100-2015) for fictional enterprises of Jiangyan
/// district: `9` (registered by market regulation), `1` (enterprise), `321204` (the district),
/// a nine-character organisation code with its GB 11714 check character, and the GB 32100 check
/// character. Codes are unique because the organisation code is a bijection of the enterprise's number.
struct CreditCodes {
    static let prefix = "91321204"
    /// Older enterprises: eight digits; newer ones: `MA1` and five characters.
    static let digitSpace = 100_000_000
    static let newStyleSpace = 28_629_151  // 31^5
    static let alphabet: [UInt8] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY".utf8)

    private let digitStep: Int
    private let digitOffset: Int
    private let newStyleStep: Int
    private let newStyleOffset: Int

    init(generator: inout SeededGenerator) {
        // Steps coprime with the space make `number * step + offset` visit every value once.
        digitStep = CreditCodes.coprime(to: CreditCodes.digitSpace, near: generator.integer(in: 10_000_000...90_000_000))
        digitOffset = generator.integer(in: 0...(CreditCodes.digitSpace - 1))
        newStyleStep = CreditCodes.coprime(to: CreditCodes.newStyleSpace, near: generator.integer(in: 5_000_000...20_000_000))
        newStyleOffset = generator.integer(in: 0...(CreditCodes.newStyleSpace - 1))
    }

    /// The `number`-th code of the old (all-digit) or the new (`MA1…`) style.
    func code(number: Int, newStyle: Bool) -> String {
        var body: [UInt8]
        if newStyle {
            precondition(number < CreditCodes.newStyleSpace, "new-style codes within their space")
            var value = (number * newStyleStep + newStyleOffset) % CreditCodes.newStyleSpace
            var tail: [UInt8] = []
            for _ in 0..<5 {
                tail.append(CreditCodes.alphabet[value % 31])
                value /= 31
            }
            body = Array("MA1".utf8) + tail.reversed()
        } else {
            precondition(number < CreditCodes.digitSpace, "old-style codes within their space")
            let value = (number * digitStep + digitOffset) % CreditCodes.digitSpace
            body = Array(String(value).utf8)
            body.insert(contentsOf: repeatElement(UInt8(ascii: "0"), count: 8 - body.count), at: 0)
        }
        body.append(CreditCodes.organisationCheck(body))
        let first17 = Array(CreditCodes.prefix.utf8) + body
        let check = EnterpriseCode.checkCharacter(forFirst17: first17)!
        return String(decoding: first17 + [check], as: UTF8.self)
    }

    /// The same code with a wrong last character: the audit's failing check digit.
    static func withWrongCheckCharacter(_ code: String) -> String {
        var bytes = Array(code.utf8)
        let index = alphabet.firstIndex(of: bytes[17])!
        bytes[17] = alphabet[(index + 7) % alphabet.count]
        return String(decoding: bytes, as: UTF8.self)
    }

    /// GB 11714-1997: weights 3 7 9 10 5 8 4 2 over digit or letter values (A = 10 … Z = 35).
    static func organisationCheck(_ body: [UInt8]) -> UInt8 {
        precondition(body.count == 8, "an organisation code body has eight characters")
        let weights = [3, 7, 9, 10, 5, 8, 4, 2]
        var sum = 0
        for (index, byte) in body.enumerated() {
            let value = byte <= UInt8(ascii: "9") ? Int(byte) - 48 : Int(byte) - 65 + 10
            sum += value * weights[index]
        }
        let check = 11 - sum % 11
        switch check {
        case 10: return UInt8(ascii: "X")
        case 11: return UInt8(ascii: "0")
        default: return UInt8(48 + check)
        }
    }

    static func coprime(to modulus: Int, near start: Int) -> Int {
        var candidate = start
        while greatestCommonDivisor(candidate, modulus) != 1 { candidate += 1 }
        return candidate
    }

    static func greatestCommonDivisor(_ first: Int, _ second: Int) -> Int {
        var (larger, smaller) = (first, second)
        while smaller != 0 { (larger, smaller) = (smaller, larger % smaller) }
        return larger
    }
}
