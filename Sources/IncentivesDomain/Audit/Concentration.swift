/// Concentration of one programme-year's awards, in exact integer arithmetic.
public struct Concentration: Sendable, Equatable {
    /// The recipients whose combined share is reported.
    public static let topCount = 10

    /// Sums in 128 bits (`FenTotal`).
    public var totalFen: Int128
    /// What the largest `topCount` recipients received together.
    public var topFen: Int128
    /// `topFen` as a share of `totalFen`, in hundredths of a percent, rounded half up.
    public var topShareBasisPoints: Int64
    /// Σ (100 · share)², rounded half up: 10,000 for a single recipient.
    public var herfindahlIndex: Int64

    /// Nil when nothing was awarded. Amounts are per recipient; a negative one (only a log written
    /// by hand can hold it: events carry positive amounts) counts as nothing received.
    public init?(amountsFen: [Int128], topCount: Int = Concentration.topCount) {
        precondition(topCount >= 0, "a count of recipients")
        // The largest `topCount` kept in ascending order as they pass (a group of a million
        // recipients is not sorted for its ten largest); the sums need no order.
        var largest: [Int128] = []
        largest.reserveCapacity(topCount + 1)
        var total: Int128 = 0
        for amount in amountsFen {
            let received = max(amount, 0)
            total += received
            guard topCount > 0, largest.count < topCount || received > largest[0] else { continue }
            var place = largest.count
            largest.append(received)
            while place > 0, largest[place - 1] > received {
                largest[place] = largest[place - 1]
                place -= 1
            }
            largest[place] = received
            if largest.count > topCount { largest.removeFirst() }
        }
        guard total > 0 else { return nil }
        totalFen = total
        topFen = largest.reduce(0, +)
        // topFen ≤ total < 2^117 (2^53 fen an event, fewer than 2^64 events), so ×10,000 fits.
        topShareBasisPoints = Int64((topFen * 10_000 + total / 2) / total)
        // Squares of amounts up to 2^53 stay within UInt128 with room for the factor 10,000;
        // larger totals are scaled down first, which moves the index by far less than one.
        let excessBits = max(0, (128 - total.leadingZeroBitCount) - 53)
        var scaledTotal: UInt128 = 0
        var squares: UInt128 = 0
        for amount in amountsFen {
            let scaled = UInt128(max(amount, 0) >> excessBits)
            scaledTotal += scaled
            squares += scaled * scaled
        }
        let denominator = scaledTotal * scaledTotal
        herfindahlIndex = denominator == 0 ? 0 : Int64((squares * 10_000 + denominator / 2) / denominator)
    }
}
