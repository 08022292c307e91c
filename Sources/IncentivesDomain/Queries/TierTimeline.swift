import LedgerLog

/// Registered enterprises per tier at the end of each quarter, from the quarter of the first
/// registration to that of the window's last date: the tiers over time.
public struct TierTimeline: Sendable, Equatable {
    public struct Point: Sendable, Equatable {
        /// The last day of the quarter.
        public var date: CalendarDate
        /// `2022Q3`.
        public var label: String
        /// Indexed by `Tier.rawValue`.
        public var enterprises: [Int]
    }

    /// A bound on the points drawn: the latest ones are kept (a century of quarters).
    public static let maximumPoints = 400

    public var points: [Point]

    /// `lastDate` is the as-of date, or the latest effective date replayed when there is none
    /// (`Projection.latestEffectiveDate`).
    public init(models: ReadModels, lastDate: CalendarDate) {
        var first: CalendarDate? = nil
        for enterprise in models.enterprises {
            guard let registered = enterprise?.registered else { continue }
            first = min(first ?? registered, registered)
        }
        guard let first, first <= lastDate else {
            points = []
            return
        }
        var quarterEnds: [CalendarDate] = []
        var (year, month, _) = first.components
        month = (month - 1) / 3 * 3 + 3
        while true {
            guard let end = CalendarDate(year: year, month: month, day: CalendarDate.daysInMonth(year: year, month: month)) else { break }
            quarterEnds.append(end)
            if end >= lastDate { break }
            month += 3
            if month > 12 { month = 3; year += 1 }
        }
        if quarterEnds.count > TierTimeline.maximumPoints {
            quarterEnds.removeFirst(quarterEnds.count - TierTimeline.maximumPoints)
        }
        var counts = Array(repeating: Array(repeating: 0, count: Tier.allCases.count), count: quarterEnds.count)
        // Each enterprise's changes walked once over the quarters (not searched again for each).
        for enterprise in models.enterprises {
            guard let enterprise else { continue }
            enterprise.history.forEachTier(on: quarterEnds) { position, tier in
                let end = quarterEnds[position]
                guard enterprise.registered <= end, enterprise.deregistered.map({ $0 > end }) ?? true else { return }
                counts[position][Int(tier.rawValue)] += 1
            }
        }
        points = quarterEnds.enumerated().map { position, end in
            let (year, month, _) = end.components
            return Point(date: end, label: "\(year)Q\((month + 2) / 3)", enterprises: counts[position])
        }
    }
}

extension Projection {
    /// The effective date of the last event that counts in the window (replay order is effective
    /// order): where a timeline without an as-of date ends. Nil when none counts.
    public func latestEffectiveDate() -> CalendarDate? {
        for index in ledger.replayOrder.reversed() where counts(Int(index)) {
            return ledger.events[Int(index)].effective
        }
        return nil
    }
}
