/// The events of each entity of one kind (each grant, say), in the order they were added: those
/// of the ledger as it was opened in one flat list with each entity's start (two allocations,
/// however many entities), and those added since (a batch's drafts) beside them, per entity.
struct EntityEvents {
    /// `flat[starts[entity]..<starts[entity + 1]]` are the entity's events at opening.
    private var starts: [Int32] = [0]
    private var flat: [EventIndex] = []
    /// Events added since, by entity (an array only up to the highest entity added to: a batch
    /// adds to a few, or to the new ones at the end).
    private var added: [[EventIndex]] = []

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
        if entity >= added.count { added.append(contentsOf: repeatElement([], count: entity - added.count + 1)) }
        added[entity].append(event)
    }

    /// `entity`'s events: those at opening, then those added since (walked in place, not copied:
    /// an entity a session keeps adding to is looked at once per draft).
    func events(of entity: Int) -> EntityEventList {
        let opened = entity + 1 < starts.count ? flat[Int(starts[entity])..<Int(starts[entity + 1])] : []
        return EntityEventList(opened: opened, added: entity < added.count ? added[entity] : [])
    }
}

/// One entity's events as `EntityEvents` holds them: those at opening, then those added since.
struct EntityEventList: Sequence {
    let opened: ArraySlice<EventIndex>
    let added: [EventIndex]

    struct Iterator: IteratorProtocol {
        var opened: ArraySlice<EventIndex>.Iterator
        var added: IndexingIterator<[EventIndex]>
        mutating func next() -> EventIndex? { opened.next() ?? added.next() }
    }

    func makeIterator() -> Iterator { Iterator(opened: opened.makeIterator(), added: added.makeIterator()) }
    var underestimatedCount: Int { opened.count + added.count }
}
