import LedgerLog

/// Replays, in the order the ledger learned them, the events recorded after K1 and by K2, and
/// measures what each did to the period's figures. Every such event touches at most one grant
/// (a retraction, its target's), so only that grant is refolded: the cost is the touched grants'
/// own events, not a replay per event.
struct RestatementAttribution {
    let ledger: Ledger
    let period: RestatementPeriod
    let reportedAt: Timestamp
    let knownAt: Timestamp
    private(set) var changes: [Restatement.ChangeRecord] = []
    /// The first share's difference of each change with two shares (`ChangeRecord.firstShare`).
    private(set) var firstShares: [PeriodFigures] = []
    private(set) var eventsWithoutEffect = 0

    /// A grant's place in the figures: nil when it is not awarded in the period.
    private struct Contribution: Equatable {
        var programme: ProgrammeIndex
        var enterprise: EnterpriseIndex
        var figures: PeriodFigures
    }

    /// Touched grants: the events that count for each right now, in replay order, and its
    /// contribution. Per grant, its slot (-1: untouched).
    private var slotOfGrant: [Int32]
    private var activeEvents: [[EventIndex]] = []
    private var contributions: [Contribution?] = []
    /// Events withdrawn by a retraction replayed so far (retractions by K1 are read from the ledger).
    private var withdrawn = Set<EventIndex>()

    init(ledger: Ledger, period: RestatementPeriod, reportedAt: Timestamp, knownAt: Timestamp) {
        self.ledger = ledger
        self.period = period
        self.reportedAt = reportedAt
        self.knownAt = knownAt
        slotOfGrant = Array(repeating: -1, count: ledger.grants.count)
    }

    /// The grant whose figures an event can change: a grant event effective by the end of the
    /// period, or a retraction of one. Read from the columns (type, subject, effective date, a
    /// retraction's target): most events are of the other logs, and none is assembled.
    private static func grantInScope(_ index: Int, events: borrowing EventTable, period: RestatementPeriod) -> GrantIndex? {
        if events.isRetraction(index) {
            guard let target = events.retractionTarget(at: index), !events.isRetraction(target.offset) else { return nil }
            return grantInScope(target.offset, events: events, period: period)
        }
        guard let grant = events.grant(at: index), events.effectiveDate(at: index) <= period.last else { return nil }
        return grant
    }

    mutating func run() {
        // Through a local, passed borrowed: a mutating method (or a closure) reading `self.ledger`
        // copies the ledger (its 3 KB and a retain of each of its columns) at every call, which
        // at a million events stepped was a fifth of the command's time.
        let ledger = ledger, period = period, events = ledger.events
        var stepping: [Int32] = []
        let recorded = events.recorded
        let reportedSeconds = reportedAt.secondsSinceEpoch, knownSeconds = knownAt.secondsSinceEpoch
        for index in 0..<events.count {
            guard recorded[index] > reportedSeconds, recorded[index] <= knownSeconds else { continue }
            stepping.append(Int32(index))
            if let grant = Self.grantInScope(index, events: events, period: period), slotOfGrant[grant] < 0 {
                precondition(activeEvents.count < Int(Int32.max), "touched grants are counted in 31 bits")
                slotOfGrant[grant] = Int32(activeEvents.count)
                activeEvents.append([])
            }
        }
        guard !stepping.isEmpty else { return }
        stepping.sort { ledger.recordedSortKey(Int($0)) < ledger.recordedSortKey(Int($1)) }
        // What counted for each touched grant at K1.
        for index in 0..<events.count {
            guard recorded[index] <= reportedSeconds, ledger.retractedAt[index] > reportedAt,
                  !events.isRetraction(index), let grant = Self.grantInScope(index, events: events, period: period) else { continue }
            if let slot = slot(of: grant) { activeEvents[slot].append(EventIndex(offset: index)) }
        }
        for slot in activeEvents.indices {
            activeEvents[slot] = RestatementAttribution.inReplayOrder(activeEvents[slot], ledger: ledger)
        }
        contributions = Array(repeating: nil, count: activeEvents.count)
        for grant in slotOfGrant.indices {
            guard let slot = slot(of: GrantIndex(offset: grant)) else { continue }
            contributions[slot] = Self.fold(activeEvents[slot], events: events, period: period)
        }
        for index in stepping { step(Int(index), ledger: ledger, events: events, period: period) }
    }

    private mutating func step(_ index: Int, ledger: borrowing Ledger, events: borrowing EventTable, period: RestatementPeriod) {
        guard let grant = Self.grantInScope(index, events: events, period: period) else {
            eventsWithoutEffect += 1
            return
        }
        guard let slot = slot(of: grant) else { preconditionFailure("every grant in scope has a slot") }
        var retracts: EventIndex? = nil
        if events.isRetraction(index), let target = events.retractionTarget(at: index) {
            retracts = target
            withdrawn.insert(target)
            guard let position = activeEvents[slot].firstIndex(of: target) else {
                eventsWithoutEffect += 1
                return
            }
            activeEvents[slot].remove(at: position)
        } else {
            // A retraction the ledger learned earlier withdrew this event before it could count.
            guard ledger.retractedAt[index] > reportedAt, !withdrawn.contains(EventIndex(offset: index)) else {
                eventsWithoutEffect += 1
                return
            }
            let event = EventIndex(offset: index)
            activeEvents[slot].insert(event, at: RestatementAttribution.replayPosition(of: event, in: activeEvents[slot], ledger: ledger))
        }
        let old = contributions[slot]
        let new = Self.fold(activeEvents[slot], events: events, period: period)
        contributions[slot] = new
        // One share where the grant stayed; where it moved, its old place loses what it had and
        // its new place gains what it has (a share of nothing is not listed).
        var places: [(place: Restatement.ChangeRecord.Place, difference: PeriodFigures)] = []
        func share(_ contribution: Contribution, _ difference: PeriodFigures) {
            guard !difference.isZero else { return }
            places.append((.init(programme: contribution.programme, enterprise: contribution.enterprise), difference))
        }
        if let old, let new, old.programme == new.programme, old.enterprise == new.enterprise {
            share(new, new.figures - old.figures)
        } else {
            if let old { share(old, -old.figures) }
            if let new { share(new, new.figures) }
        }
        guard let first = places.first else {
            eventsWithoutEffect += 1
            return
        }
        let difference = (new?.figures ?? .zero) - (old?.figures ?? .zero)
        var record = Restatement.ChangeRecord(event: EventIndex(offset: index), retracts: retracts, grant: grant,
                                              place: first.place, moved: nil, difference: difference)
        if places.count == 2 {
            precondition(firstShares.count < Int(Int32.max), "moved grants are counted in 31 bits")
            record.moved = .init(place: places[1].place, firstShare: Int32(firstShares.count))
            firstShares.append(first.difference)
        }
        // One share is the whole difference; two add up to it.
        assert(places.reduce(PeriodFigures.zero) { $0 + $1.difference } == difference, "the shares add up to the change")
        changes.append(record)
    }

    private func slot(of grant: GrantIndex) -> Int? {
        let slot = slotOfGrant[grant]
        return slot < 0 ? nil : Int(slot)
    }

    // The ledger is passed borrowed to the functions below, never captured by a closure: a
    // closure or a mutating method reading it copied it (a retain and release of each of its
    // columns) at every comparison of a sort, 40% of the time at a million changes.

    /// A grant's state from the events that count for it now, applied in replay order through
    /// the replay's own state changes (`Projection.apply(grantEvent:on:index:to:)`).
    private static func fold(_ counted: [EventIndex], events: borrowing EventTable, period: RestatementPeriod) -> Contribution? {
        var state: GrantState? = nil
        for index in counted {
            let event = events[index]
            Projection.apply(grantEvent: event.payload, on: event.effective, index: index, to: &state)
        }
        guard let state, period.contains(state.awarded) else { return nil }
        return Contribution(programme: state.programme, enterprise: state.enterprise, figures: PeriodFigures(grant: state))
    }

    /// `events` in replay order (their keys are distinct: each names its log and seq).
    private static func inReplayOrder(_ events: [EventIndex], ledger: borrowing Ledger) -> [EventIndex] {
        guard events.count > 1 else { return events }
        var keyed: [(key: UInt128, event: EventIndex)] = []
        keyed.reserveCapacity(events.count)
        for event in events { keyed.append((ledger.replaySortKey(event.offset), event)) }
        keyed.sort { $0.key < $1.key }
        return keyed.map(\.event)
    }

    /// Where `event` goes among `events` (in replay order) to keep them so.
    private static func replayPosition(of event: EventIndex, in events: [EventIndex], ledger: borrowing Ledger) -> Int {
        let key = ledger.replaySortKey(event.offset)
        var low = 0, high = events.count
        while low < high {
            let middle = low + (high - low) / 2
            if ledger.replaySortKey(events[middle].offset) < key { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
