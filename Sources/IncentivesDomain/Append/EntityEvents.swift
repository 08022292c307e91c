/// The events of each entity of one kind (each grant, say), in the order they were added: those
/// of the ledger as it was opened in one flat list with each entity's start (two allocations,
/// however many entities), and those added since (a batch's drafts) beside them, per entity.
struct EntityEvents {
    /// `flat[starts[entity]..<starts[entity + 1]]` are the entity's events at opening.
    private var starts: [Int32] = [0]
    private var flat: [EventIndex] = []
    /// Events added since, by entity: a few, looked up by entity (never walked in key order).
    private var added: [Int32: [EventIndex]] = [:]

    init() {}

    /// The lists of `entityCount` entities, from `count` events whose entity (an offset below
    /// `entityCount`, or nil for an event of none) `entity(event)` gives, in event order.
    init(entityCount: Int, count: Int, entity: (Int) -> Int?) {
        precondition(entityCount >= 0 && entityCount < Int(Int32.max) && count < Int(Int32.max), "counts in 31 bits")
        var starts = [Int32](repeating: 0, count: entityCount + 1)
        for event in 0..<count {
            guard let owner = entity(event) else { continue }
            starts[owner + 1] += 1
        }
        for owner in 0..<entityCount { starts[owner + 1] += starts[owner] }
        var next = starts
        var flat = [EventIndex](repeating: EventIndex(rawValue: 0), count: Int(starts[entityCount]))
        for event in 0..<count {
            guard let owner = entity(event) else { continue }
            flat[Int(next[owner])] = EventIndex(offset: event)
            next[owner] += 1
        }
        self.starts = starts
        self.flat = flat
    }

    /// Adds `event` at the end of `entity`'s list.
    mutating func append(_ event: EventIndex, of entity: Int) {
        added[Int32(truncatingIfNeeded: entity), default: []].append(event)
    }

    /// `entity`'s events: those at opening, then those added since.
    func events(of entity: Int) -> [EventIndex] {
        var events: [EventIndex] = entity + 1 < starts.count ? Array(flat[Int(starts[entity])..<Int(starts[entity + 1])]) : []
        if let since = added[Int32(truncatingIfNeeded: entity)] { events += since }
        return events
    }
}
