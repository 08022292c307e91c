import LedgerLog

/// Decides whether drafts may join the ledger: references must exist at the draft's effective
/// date (by everything known now), creations must be new, and every timeline the draft joins must
/// keep its invariants (`TimelineRule`) with the draft in its place in replay order.
/// What really happened however wrong (over-payment, cap breach, award below the tier) is
/// recorded and left to the audit.
struct DraftValidator {
    private(set) var ledger: Ledger
    private(set) var index: ReferenceIndex

    /// False for an import: history from another system is taken as it happened (its form, bounds,
    /// references and ids still checked), and what its timelines break is left to the audit.
    let judgesTimelines: Bool
    let timelineWalk: TimelineWalk
    /// Per log (by rank), the seq the next event accepted into it gets: the one sealing gives it,
    /// so that the ledger's events carry their seqs as a read of the logs gives them.
    private var nextSeqs: [Int32]

    /// How the timelines a draft joins are judged; both refuse exactly the same drafts.
    enum TimelineWalk {
        /// A draft passive in a timeline (`EntityTimeline.isPassive`) is judged by its own
        /// violations, found from the timeline's anchors; any other walks the timeline.
        case incremental
        /// Every timeline is walked whole, before and after the draft: the reference.
        case full
    }

    init(ledger: Ledger, judgesTimelines: Bool = true, timelineWalk: TimelineWalk = .incremental) {
        self.ledger = ledger
        self.judgesTimelines = judgesTimelines
        self.timelineWalk = timelineWalk
        index = ReferenceIndex(ledger: ledger)
        if ledger.logs.count == IncentiveLogs.all.count {
            nextSeqs = ledger.logs.map { Int32(clamping: $0.events + 1) }
        } else {
            // A ledger made in memory, not read from logs: its events counted per log.
            nextSeqs = [Int32](repeating: 1, count: IncentiveLogs.all.count)
            for position in 0..<ledger.count { nextSeqs[Int(ledger.events[position].logRank)] += 1 }
        }
    }

    /// The logs' heads after a batch was written (`tails`, by rank, the writer's): the ledger's
    /// `logs` then describe the files its events are in. No stamp: the files changed since one was taken.
    /// Returns what disagrees when the writer's last seq of a log is not the one this ledger gave
    /// its last event there (its events would then not be the logs' own): the heads are left as
    /// they were, and the caller must not judge more drafts against this ledger.
    mutating func recordHeads(_ tails: [TailState]) -> String? {
        // A ledger made in memory names no logs: nothing to describe.
        guard tails.count == ledger.logs.count else { return nil }
        for (rank, tail) in tails.enumerated() where Int(nextSeqs[rank]) != tail.seq + 1 {
            return "\(ledger.logs[rank].log.fileName) ends at seq \(tail.seq), where the session's ledger gave its last event "
                + "seq \(Int(nextSeqs[rank]) - 1)"
        }
        for (rank, tail) in tails.enumerated() {
            ledger.logs[rank] = LogSummary(log: ledger.logs[rank].log, events: tail.seq, head: tail.head, bytes: tail.bytes,
                                           lastRecorded: tail.lastRecorded)
        }
        return nil
    }

    /// Checks `draft` and, if it passes, adds it so that later drafts of the batch see it.
    /// Returns the log it belongs to.
    mutating func accept(_ draft: EventDraft, recorded: Timestamp) throws(LedgerError) -> LogName {
        try accept(draft, decoded: DecodedDraft(draft), recorded: recorded)
    }

    /// The same, with the draft decoded beforehand (`DecodedDraft`, perhaps on another thread).
    mutating func accept(_ draft: borrowing EventDraft, decoded: borrowing DecodedDraft, recorded: Timestamp) throws(LedgerError) -> LogName {
        // Only what a refusal names is captured: capturing the draft would copy all of it for every draft.
        let origin = draft.origin, kind = draft.kind, draftId = draft.id
        func refuse(_ why: String) -> LedgerError {
            .badData("\(origin): \(kind) \(draftId) refused: \(why); nothing was appended")
        }
        // Interning before the checks is harmless if they refuse: an unused name changes no answer,
        // and a refused batch is not appended. Copying the ledger instead would cost its size per draft.
        let logRank: Int
        var retractionTarget: EventIndex? = nil
        if draft.kind == .eventRetracted {
            let object = CanonicalObject(bytes: draft.data)
            guard let targetId = object.withView({ $0.member("target")?.string }) else {
                throw refuse("it names no target")
            }
            guard let targetIndex = eventIndex(ofId: targetId) else {
                throw refuse("there is no event \(targetId) in the ledger to retract")
            }
            logRank = Int(ledger.events[targetIndex].logRank)
            retractionTarget = EventIndex(offset: targetIndex)
        } else {
            logRank = IncentiveLogs.rank(of: draft.kind.log!)
        }
        let found: DomainEvent.Payload
        switch decoded.payload {
        case .success(let payload): found = payload
        case .failure(let error): throw refuse(error.message)
        }
        let interned = decoded.intern(found, of: draft, into: &ledger)
        var payload = interned.payload
        if case .eventRetracted(_, let reason) = payload {
            payload = .eventRetracted(target: retractionTarget, reason: reason)
        }
        let event = DomainEvent(
            effective: draft.effective, recorded: recorded, seq: nextSeqs[logRank], logRank: UInt8(logRank),
            actor: interned.actor, source: interned.source, payload: payload)
        let judged = try judge(event, refuse: refuse)
        let id = draft.id.rawValue
        ledger.add(event, id: id.utf8.span)
        nextSeqs[logRank] += 1
        // Counted before the call: an argument read through `events` while `self` is lent to the
        // call had the whole validator (every array of its ledger) copied and released per draft.
        let added = ledger.count - 1
        index.add(added, payload: event.payload)
        try checkTimelines(judged.subjects, passive: judged.passive, before: judged.before, draft: EventIndex(offset: added),
                           refuse: refuse)
        return IncentiveLogs.all[logRank]
    }

    /// What is judged of a draft before it is added: the timelines it joins, which of them it is
    /// passive in, and their violations before it.
    struct Judgement {
        var subjects: [TimelineSubject]
        var passive: [Bool]
        var before: [TimelineViolation]
    }

    /// Checks `event`'s references and judges its timelines as they are before it. All of it in
    /// one call, not inlined: each call from `accept` (a mutating method) to a non-mutating one
    /// copied the whole validator (2 KB of columns and tables, no references counted) to the stack.
    @inline(never)
    private func judge(_ event: DomainEvent, refuse: (String) -> LedgerError) throws(LedgerError) -> Judgement {
        try check(event, in: ledger, refuse: refuse)
        // The timelines the draft joins, judged before and after it: only what it newly breaks refuses it.
        let subjects = judgesTimelines ? timelineSubjects(of: event) : []
        let passive = subjects.map { timelineWalk == .incremental && EntityTimeline.isPassive(event, in: $0, ledger: ledger, index: index) }
        return Judgement(subjects: subjects, passive: passive, before: violations(of: subjects, skipping: passive))
    }

    /// Starts loading the interner slots that `decoded`'s names will probe, a few drafts before
    /// its turn: most of the time spent interning a new name was waiting for its slot.
    /// Mutating only so that the validator is not copied to make the call (see `judge`).
    mutating func anticipate(_ decoded: DecodedDraft) {
        for ordinal in 0..<decoded.nameCount { ledger.prefetch(decoded.names[ordinal]) }
        ledger.prefetch(hash: decoded.actorHash, table: .texts, step: .slot)
        ledger.prefetch(hash: decoded.sourceHash, table: .texts, step: .slot)
        ledger.prefetchEventId(hash: decoded.idHash)
    }

    /// Ids looked up by a scan so far (`eventIndex(ofId:)`).
    private var idScans = 0

    /// A scan of the ids past which they are hashed: building the table costs about as much as
    /// this many scans (at ten million events, 1.5 s against about 0.06 s a scan). A single append
    /// on a large ledger looks up one or two ids and need not hash them all; a session appending
    /// batch after batch hashes them once it has looked up a few.
    static let scansBeforeHashing = 16

    /// The event with this id, found by a scan until `scansBeforeHashing` lookups were made, then
    /// through the ids' hash table (kept up to date as drafts are added).
    private mutating func eventIndex(ofId id: String) -> Int? {
        expectLookups(1)
        if !ledger.eventIds.hasLookup { idScans += 1 }
        return ledger.eventIndex(ofId: id)
    }

    /// Hashes the ids now if `count` more lookups would take the scans past `scansBeforeHashing`.
    private mutating func expectLookups(_ count: Int) {
        guard !ledger.eventIds.hasLookup, ledger.idsSetAside == nil,
              idScans + count > DraftValidator.scansBeforeHashing else { return }
        ledger.eventIds.enableLookup()
    }

    /// Whether the ledger already holds an event with this id.
    mutating func contains(_ id: EventID) -> Bool {
        eventIndex(ofId: id.rawValue) != nil
    }

    /// The indexes of the drafts whose id the ledger already holds, in one call: a caller that
    /// asks per draft through a class's property may copy the validator (every array of its ledger) each time.
    mutating func repeatedDrafts(_ drafts: [EventDraft]) -> [Int] {
        var found: [Int] = []
        // A batch of many drafts has its ids hashed before the first lookup.
        expectLookups(drafts.count)
        for index in drafts.indices {
            // Each lookup waits for its slot of a table larger than the cache: asked for a few drafts ahead.
            if index + DraftValidator.lookaheadIds < drafts.count {
                ledger.prefetchEventId(hash: DecodedDraft.hash(of: drafts[index + DraftValidator.lookaheadIds].id.rawValue))
            }
            if contains(drafts[index].id) { found.append(index) }
        }
        return found
    }

    /// How many drafts ahead `repeatedDrafts` asks for an id's slot.
    static let lookaheadIds = 8

    private func live(_ event: EventIndex, in ledger: Ledger) -> Bool {
        ledger.retractedAt[event] == .never
    }

    private func check(_ event: DomainEvent, in ledger: Ledger, refuse: (String) -> LedgerError) throws(LedgerError) {
        let date = event.effective
        // Plain loops: a lazy sequence's closures would copy the ledger (every array in it) per
        // draft, and an eager filter would allocate; this runs once or twice for every draft.
        // The type and date are read from their columns: unpacking whole events cost more than the rest of the check.
        func firstLive<Entity: NameIndex>(_ lists: EntityEvents, _ entity: Entity, _ kind: EventKind) -> CalendarDate? {
            for position in ReferenceIndex.events(lists, entity)
            where ledger.events.kind(at: position.offset) == kind && live(position, in: ledger) {
                return ledger.events.effectiveDate(at: position.offset)
            }
            return nil
        }
        func hasLive<Entity: NameIndex>(_ lists: EntityEvents, _ entity: Entity, _ kind: EventKind) -> Bool {
            firstLive(lists, entity, kind) != nil
        }
        // Names are looked up only for a refusal: most drafts pass.
        func programmeExists(_ programme: ProgrammeIndex) throws(LedgerError) {
            guard let first = firstLive(index.byProgramme, programme, .programmeEstablished) else {
                throw refuse("programme \(ledger.programmes.string(programme)) was never established")
            }
            guard first <= date else {
                throw refuse("programme \(ledger.programmes.string(programme)) is established only from \(first), after \(date)")
            }
        }
        func enterpriseRegistered(_ enterprise: EnterpriseIndex) throws(LedgerError) {
            guard let first = firstLive(index.byEnterprise, enterprise, .enterpriseRegistered) else {
                throw refuse("enterprise \(ledger.enterprises.string(enterprise)) is not registered")
            }
            guard first <= date else {
                throw refuse("enterprise \(ledger.enterprises.string(enterprise)) is registered only from \(first), after \(date)")
            }
        }
        func grantExists(_ grant: GrantIndex) throws(LedgerError) {
            guard hasLive(index.byGrant, grant, .grantAwarded) else {
                throw refuse("there is no grant \(ledger.grants.string(grant))")
            }
        }
        switch event.payload {
        case .programmeEstablished(let terms):
            if hasLive(index.byProgramme, terms.programme, .programmeEstablished) {
                throw refuse("programme \(ledger.programmes.string(terms.programme)) is already established; use ProgrammeAmended to change its rules")
            }
        case .programmeAmended(let terms):
            try programmeExists(terms.programme)
        case .budgetAppropriated(let programme, _, _):
            try programmeExists(programme)
        case .grantAwarded(let grant, let enterprise, let programme, _, _):
            if hasLive(index.byGrant, grant, .grantAwarded) {
                throw refuse("grant \(ledger.grants.string(grant)) is already awarded; use GrantAmended to change its amount")
            }
            try enterpriseRegistered(enterprise)
            try programmeExists(programme)
        case .grantAmended(let grant, _), .grantDisbursed(let grant, _), .grantRecovered(let grant, _),
             .grantRevoked(let grant, _):
            try grantExists(grant)
            if event.kind == .grantRevoked,
               hasLive(index.byGrant, grant, .grantRevoked) {
                throw refuse("grant \(ledger.grants.string(grant)) is already revoked")
            }
        case .enterpriseRegistered(let enterprise, _, _):
            if hasLive(index.byEnterprise, enterprise, .enterpriseRegistered) {
                throw refuse("enterprise \(ledger.enterprises.string(enterprise)) is already registered")
            }
        case .capabilityEvaluated(let enterprise, _):
            try enterpriseRegistered(enterprise)
        case .tierPromoted(let enterprise, _), .tierDemoted(let enterprise, _):
            // Whether it raises or lowers the tier is judged at its place in the timeline.
            try enterpriseRegistered(enterprise)
        case .enterpriseDeregistered(let enterprise, _):
            try enterpriseRegistered(enterprise)
            if hasLive(index.byEnterprise, enterprise, .enterpriseDeregistered) {
                throw refuse("enterprise \(ledger.enterprises.string(enterprise)) is already deregistered")
            }
        case .centreOpened(let centre, _, _, _, _):
            if hasLive(index.byCentre, centre, .centreOpened) {
                throw refuse("centre \(ledger.centres.string(centre)) is already open in the ledger")
            }
        case .centreClosed(let centre, _):
            let name = ledger.centres.string(centre)
            guard let opened = firstLive(index.byCentre, centre, .centreOpened), opened <= date else {
                throw refuse("centre \(name) is not open on \(date)")
            }
            if let closed = firstLive(index.byCentre, centre, .centreClosed) {
                throw refuse("centre \(name) is already closed on \(closed)")
            }
        case .eventRetracted(let target, _):
            guard let target else { throw refuse("the event to retract is not in the same log") }
            let targetId = ledger.eventId(of: target.offset)
            guard live(target, in: ledger) else { throw refuse("event \(targetId) is already retracted") }
            if case .eventRetracted = ledger.events[target].payload {
                throw refuse("event \(targetId) is itself a retraction; record the withdrawn event again under a new id instead")
            }
        }
    }
}
