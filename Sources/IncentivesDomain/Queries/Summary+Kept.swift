import LedgerColumns
import LedgerLog

/// The summary at the heads, kept with the snapshot's read models (one small column), so that
/// the commonest question reads a few hundred bytes instead of every read model.
extension Summary {
    /// Every figure as 64-bit integers, in a fixed order: events, grants, revoked, the three
    /// totals (low and high halves), registered enterprises, one count per tier, open centres,
    /// one count per centre kind.
    var keptValues: [Int64] {
        func halves(_ value: Int128) -> [Int64] {
            [Int64(bitPattern: UInt64(truncatingIfNeeded: value)), Int64(truncatingIfNeeded: value >> 64)]
        }
        return [Int64(events), Int64(grantCount), Int64(revokedCount)] + halves(awardedFen) + halves(disbursedFen)
            + halves(recoveredFen) + [Int64(registeredEnterprises)] + enterprisesByTier.map(Int64.init)
            + [Int64(openCentres)] + centresByKind.map(Int64.init)
    }

    static var keptCount: Int { 10 + Tier.allCases.count + 1 + CentreKind.allCases.count }

    /// The summary kept in `values` for `window`, refused unless every figure is one a replay of a
    /// ledger of `events` events and of these name counts can give: counts within their tables,
    /// parts adding up to their wholes, totals within what a verified read can sum.
    init(kept values: Column<Int64>, window: TimeWindow, events limit: Int, grants: Int, enterprises: Int,
         centres: Int) throws(ColumnFileError) {
        guard values.count == Summary.keptCount else { throw .malformed("its kept summary has \(values.count) figures") }
        func count(_ position: Int, atMost bound: Int) throws(ColumnFileError) -> Int {
            guard values[position] >= 0, values[position] <= Int64(bound) else {
                throw .malformed("its kept summary has a count out of range")
            }
            return Int(values[position])
        }
        func total(_ position: Int) throws(ColumnFileError) -> Int128 {
            let value = Int128(values[position + 1]) << 64 | Int128(UInt64(bitPattern: values[position]))
            guard value.magnitude <= ReadModels.largestTotal.magnitude else { throw .malformed("its kept summary has a total out of range") }
            return value
        }
        self.window = window
        events = try count(0, atMost: limit)
        grantCount = try count(1, atMost: grants)
        revokedCount = try count(2, atMost: grantCount)
        awardedFen = try total(3)
        disbursedFen = try total(5)
        recoveredFen = try total(7)
        registeredEnterprises = try count(9, atMost: enterprises)
        var position = 10
        for tier in Tier.allCases {
            enterprisesByTier[Int(tier.rawValue)] = try count(position, atMost: registeredEnterprises)
            position += 1
        }
        openCentres = try count(position, atMost: centres)
        position += 1
        for kind in CentreKind.allCases {
            centresByKind[Int(kind.rawValue)] = try count(position, atMost: openCentres)
            position += 1
        }
        guard enterprisesByTier.reduce(0, +) == registeredEnterprises, centresByKind.reduce(0, +) == openCentres else {
            throw .malformed("its kept summary's parts do not add up to their wholes")
        }
    }
}
