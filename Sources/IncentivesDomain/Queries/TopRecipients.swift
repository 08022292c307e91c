import LedgerLog

/// The enterprises awarded the most, and how concentrated the awards are over all recipients:
/// the top-10 share and the Herfindahl-Hirschman index (exact integer arithmetic, as the audit's).
public struct TopRecipients: Sendable, Equatable {
    public struct Recipient: Sendable, Equatable {
        public var code: String
        public var name: String
        public var grants: Int
        public var awardedFen: Int64
        /// Of all awards counted, in hundredths of a percent, rounded half up.
        public var shareBasisPoints: Int64
    }

    /// Largest first, ties by code; at most `limit`.
    public var recipients: [Recipient]
    /// Enterprises awarded more than nothing.
    public var recipientCount: Int
    /// Nil when nothing was awarded.
    public var concentration: Concentration?

    /// Over the grants awarded inside `period` (every grant when nil).
    /// Refuses (exit 65) an enterprise's total that does not fit the 64-bit fen output shows.
    public init(ledger: Ledger, models: ReadModels, period: RestatementPeriod? = nil, limit: Int = Concentration.topCount) throws(LedgerError) {
        precondition(limit >= 0, "a limit is not negative")
        var amountFen = Array(repeating: Int64(0), count: models.enterprises.count)
        var grants = Array(repeating: 0, count: models.enterprises.count)
        for grant in models.grants {
            guard let grant, period.map({ $0.contains(grant.awarded) }) ?? true else { continue }
            try FenTotal.add(Int128(max(.zero, grant.awardedFen)), to: &amountFen[grant.enterprise],
                             "the awards to \(ledger.enterprises.string(grant.enterprise))")
            grants[grant.enterprise] += 1
        }
        let awarded = amountFen.indices.filter { amountFen[$0] > 0 }
        recipientCount = awarded.count
        concentration = Concentration(amountsFen: awarded.map { Int128(amountFen[$0]) })
        let total = concentration?.totalFen ?? 0
        // Only the recipients awarded at least the `limit`-th largest amount can be among the first
        // `limit` (those tied with it too, as codes break ties): only theirs are made and sorted,
        // in the order they come, so the ranking is the one a sort of every recipient would give.
        let candidates: [Int]
        if limit == 0 {
            candidates = []
        } else if awarded.count <= limit {
            candidates = awarded
        } else {
            let threshold = TopRecipients.largest(limit, of: awarded.lazy.map { amountFen[$0] })
            candidates = awarded.filter { amountFen[$0] >= threshold }
        }
        let ranked = candidates.map { (index: $0, code: ledger.enterprises.string(.init(offset: $0))) }
            .sorted { amountFen[$0.index] != amountFen[$1.index] ? amountFen[$0.index] > amountFen[$1.index] : $0.code < $1.code }
        recipients = ranked.prefix(limit).map { entry in
            Recipient(code: entry.code, name: models.enterprises[entry.index].map { ledger.texts.string($0.name) } ?? "",
                      grants: grants[entry.index], awardedFen: amountFen[entry.index],
                      shareBasisPoints: Int64((Int128(amountFen[entry.index]) * 10_000 + total / 2) / max(total, 1)))
        }
    }

    /// The `rank`-th largest of `amounts` (1 the largest), which hold at least `rank`.
    static func largest(_ rank: Int, of amounts: some Sequence<Int64>) -> Int64 {
        precondition(rank >= 1, "a rank counts from 1")
        guard rank <= 64 else {
            let sorted = amounts.sorted(by: >)
            precondition(rank <= sorted.count, "as many amounts as the rank")
            return sorted[rank - 1]
        }
        // The `rank` largest seen so far, smallest first.
        var largest: [Int64] = []
        largest.reserveCapacity(rank + 1)
        for amount in amounts where largest.count < rank || amount > largest[0] {
            largest.insert(amount, at: largest.firstIndex { $0 > amount } ?? largest.count)
            if largest.count > rank { largest.removeFirst() }
        }
        precondition(largest.count == rank, "as many amounts as the rank")
        return largest[0]
    }
}
