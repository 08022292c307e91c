/// Concentration of one programme-year's awards, in exact integer arithmetic.
public struct Concentration: Sendable, Equatable {
    /// The recipients whose combined share is reported.
    public static let topCount = 10

    public var totalFen: Int64
    /// What the largest `topCount` recipients received together.
    public var topFen: Int64
    /// `topFen` as a share of `totalFen`, in hundredths of a percent, rounded half up.
    public var topShareBasisPoints: Int64
    /// Σ (100 · share)², rounded half up: 10,000 for a single recipient.
    public var herfindahlIndex: Int64

    /// Nil when nothing was awarded. Amounts are per recipient and must not be negative.
    public init?(amountsFen: [Int64], topCount: Int = Concentration.topCount) {
        precondition(amountsFen.allSatisfy { $0 >= 0 }, "amounts per recipient are not negative")
        let total = amountsFen.reduce(Int64(0), +)
        guard total > 0 else { return nil }
        let descending = amountsFen.sorted(by: >)
        totalFen = total
        topFen = descending.prefix(topCount).reduce(0, +)
        topShareBasisPoints = Int64((Int128(topFen) * 10_000 + Int128(total) / 2) / Int128(total))
        // Squares of amounts up to 2^53 stay within UInt128 with room for the factor 10,000;
        // larger totals are scaled down first, which moves the index by far less than one.
        let excessBits = max(0, (64 - total.leadingZeroBitCount) - 53)
        var scaledTotal: UInt128 = 0
        var squares: UInt128 = 0
        for amount in descending {
            let scaled = UInt128(amount >> excessBits)
            scaledTotal += scaled
            squares += scaled * scaled
        }
        let denominator = scaledTotal * scaledTotal
        herfindahlIndex = denominator == 0 ? 0 : Int64((squares * 10_000 + denominator / 2) / denominator)
    }
}
