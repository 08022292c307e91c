/// The 18-character Unified Social Credit Code of GB 32100-2015 that identifies an enterprise.
public struct EnterpriseCode: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: String

    /// The code's alphabet: digits and capitals without I, O, Z, S, V.
    static let alphabet: [UInt8] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY".utf8)
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    public static let length = 18

    /// Accepts any code of the right length and alphabet; the check digit is an audit matter.
    public init?(rawValue: String) {
        guard EnterpriseCode.formatProblem(rawValue) == nil else { return nil }
        self.rawValue = rawValue
    }

    public var description: String { rawValue }
    public static func < (left: EnterpriseCode, right: EnterpriseCode) -> Bool { left.rawValue < right.rawValue }

    /// Why `text` is not a code of the right shape, or nil.
    public static func formatProblem(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        guard bytes.count == length else {
            return "a Unified Social Credit Code has 18 characters, \"\(text)\" has \(text.count)"
        }
        if let bad = bytes.first(where: { !alphabet.contains($0) }) {
            return "a Unified Social Credit Code uses only 0-9 and A-Y without I, O, Z, S, V; \"\(text)\" contains \"\(String(decoding: [bad], as: UTF8.self))\""
        }
        return nil
    }

    /// Each byte's place in `alphabet`, or -1: one load per character instead of a search.
    private static let alphabetValues: [Int8] = (0...255).map { byte in
        alphabet.firstIndex(of: UInt8(byte)).map { Int8($0) } ?? -1
    }

    /// The check digit GB 32100-2015 prescribes for the first 17 characters.
    public static func checkCharacter(forFirst17 bytes: some Collection<UInt8>) -> UInt8? {
        CheckDigits().checkCharacter(forFirst17: bytes)
    }

    /// Whether `bytes` are a code of the right shape whose check digit holds: what
    /// `EnterpriseCode(rawValue:)` accepts and `hasValidCheckDigit` passes, from the bytes alone.
    static func isValid(_ bytes: [UInt8]) -> Bool { CheckDigits().isValid(bytes) }

    /// The tables of the check digit read once, for a caller that checks many codes (the audit
    /// checks every enterprise's): a static table is looked up through its one-time
    /// initialisation check at every use.
    struct CheckDigits {
        private let values = EnterpriseCode.alphabetValues
        private let weights = EnterpriseCode.weights
        private let alphabet = EnterpriseCode.alphabet

        /// `EnterpriseCode.checkCharacter(forFirst17:)`: nil unless 17 bytes of the alphabet.
        func checkCharacter(forFirst17 bytes: some Collection<UInt8>) -> UInt8? {
            guard bytes.count == EnterpriseCode.length - 1 else { return nil }
            var sum = 0
            for (index, byte) in bytes.enumerated() {
                let value = Int(values[Int(byte)])
                guard value >= 0 else { return nil }
                sum += value * weights[index]
            }
            return alphabet[(31 - sum % 31) % 31]
        }

        /// `EnterpriseCode.isValid`: `checkCharacter` refuses any of the first 17 outside the
        /// alphabet and gives a character of it, so a last byte outside it never matches.
        func isValid(_ bytes: [UInt8]) -> Bool {
            guard bytes.count == EnterpriseCode.length else { return false }
            return checkCharacter(forFirst17: bytes[0..<EnterpriseCode.length - 1]) == bytes[EnterpriseCode.length - 1]
        }
    }

    public var hasValidCheckDigit: Bool {
        let bytes = Array(rawValue.utf8)
        return EnterpriseCode.checkCharacter(forFirst17: bytes[0..<17]) == bytes[17]
    }

    /// The administrative division code (positions 3–8), e.g. 321204 for Jiangyan district.
    public var regionCode: String {
        String(rawValue.dropFirst(2).prefix(6))
    }
}
