import IncentivesDomain

/// Unified Social Credit Codes with correct GB 32100-2015 check digits, and the enterprises the
/// scenarios use (Jiangyan district, region code 321204).
enum Codes {
    /// The 17 characters given, plus their check character.
    static func code(_ first17: String) -> String {
        precondition(first17.utf8.count == 17, "a code has 17 characters before its check digit")
        let check = EnterpriseCode.checkCharacter(forFirst17: Array(first17.utf8))!
        return first17 + String(decoding: [check], as: UTF8.self)
    }

    static let precision = code("91321204MA1PREC00")
    static let pharma = code("91321204MA1PHARM0")
    static let boats = code("91321204MA1B0AT00")
    static let precisionName = "江苏泰州精密部件有限公司"
    static let pharmaName = "Jiangyan Pharma Ltd"
    static let boatsName = "姜堰船舶"
}
