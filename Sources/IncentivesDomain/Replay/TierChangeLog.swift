/// The tier changes a column replay applies, in replay order, turned into every enterprise's
/// `history` once the walk is done: one shared list instead of an array grown per enterprise
/// (`TierHistory`), filled in two passes over the changes.
struct TierChangeLog {
    private struct Entry {
        var enterprise: Int32
        /// nil: the enterprise was registered again, and what came before no longer counts.
        var change: TierChange?
    }

    private var entries: [Entry] = []

    mutating func add(_ change: TierChange, of enterprise: Int) {
        entries.append(Entry(enterprise: Int32(truncatingIfNeeded: enterprise), change: change))
    }

    /// A registration over an existing state starts that enterprise's history afresh.
    mutating func restart(_ enterprise: Int) {
        entries.append(Entry(enterprise: Int32(truncatingIfNeeded: enterprise), change: nil))
    }

    /// Sets the history of each enterprise in `states` to its changes since its last registration.
    func complete(_ states: inout [EnterpriseState?]) {
        guard !entries.isEmpty else { return }
        // How many changes each enterprise keeps: those after its last restart.
        var starts = [Int32](repeating: 0, count: states.count + 1)
        for entry in entries {
            starts[Int(entry.enterprise) + 1] = entry.change == nil ? 0 : starts[Int(entry.enterprise) + 1] + 1
        }
        for enterprise in 0..<states.count { starts[enterprise + 1] += starts[enterprise] }
        // Backwards, each enterprise's first changes met are its last ones: placed from its end down.
        var ends = starts
        ends.removeFirst()
        var storage = [TierChange](repeating: TierChange(effective: .distantFuture, from: .none, to: .none,
                                                         event: EventIndex(rawValue: 0)),
                                   count: Int(starts[states.count]))
        for entry in entries.reversed() {
            guard let change = entry.change else { continue }
            let enterprise = Int(entry.enterprise)
            guard ends[enterprise] > starts[enterprise] else { continue }
            ends[enterprise] -= 1
            storage[Int(ends[enterprise])] = change
        }
        for enterprise in states.indices where starts[enterprise + 1] > starts[enterprise] {
            precondition(states[enterprise] != nil, "only a registered enterprise changes tier")
            states[enterprise]?.history = TierHistory(sharing: storage, Int(starts[enterprise])..<Int(starts[enterprise + 1]))
        }
    }
}
