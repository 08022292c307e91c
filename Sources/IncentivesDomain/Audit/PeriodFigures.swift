/// The figures a period reports for a set of grants: how many were awarded, and what they were
/// awarded, paid and recovered in fen. Also used for differences, which may be negative. Sums
/// in 128 bits (`FenTotal`), so no log can overflow them.
public struct PeriodFigures: Sendable, Equatable {
    public var count: Int
    public var awardedFen: Int128
    public var disbursedFen: Int128
    public var recoveredFen: Int128

    public init(count: Int = 0, awardedFen: Int128 = 0, disbursedFen: Int128 = 0, recoveredFen: Int128 = 0) {
        self.count = count
        self.awardedFen = awardedFen
        self.disbursedFen = disbursedFen
        self.recoveredFen = recoveredFen
    }

    public static let zero = PeriodFigures()

    public var isZero: Bool { self == .zero }

    public static func + (left: PeriodFigures, right: PeriodFigures) -> PeriodFigures {
        PeriodFigures(count: left.count + right.count, awardedFen: left.awardedFen + right.awardedFen,
                      disbursedFen: left.disbursedFen + right.disbursedFen, recoveredFen: left.recoveredFen + right.recoveredFen)
    }

    public static prefix func - (figures: PeriodFigures) -> PeriodFigures {
        PeriodFigures(count: -figures.count, awardedFen: -figures.awardedFen,
                      disbursedFen: -figures.disbursedFen, recoveredFen: -figures.recoveredFen)
    }

    public static func - (left: PeriodFigures, right: PeriodFigures) -> PeriodFigures { left + -right }

    public static func += (left: inout PeriodFigures, right: PeriodFigures) { left = left + right }

    /// One grant's figures: it counts once, with its amounts as replayed.
    init(grant: GrantState) {
        self.init(count: 1, awardedFen: Int128(grant.awardedFen), disbursedFen: grant.disbursedFen, recoveredFen: grant.recoveredFen)
    }
}
