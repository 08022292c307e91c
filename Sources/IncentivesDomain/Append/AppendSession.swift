import LedgerLog

/// What an append did.
public struct AppendOutcome: Sendable, Equatable {
    public var appended: [AppendedEvent] = []
    /// Drafts whose id was already in the ledger with identical content: skipped, not an error.
    public var alreadyPresent: [EventID] = []
}

/// The append path of the incentives ledger: holds the events directory's lock, the ledger as
/// read under it, and validates each batch before it is written all or nothing.
public final class AppendSession {
    public let store: EventStore
    private let writer: EventWriter
    private var validator: DraftValidator
    private let clock: any LedgerClock
    /// Whether events are recorded at the clock's time (`append`) or at the drafts' own (`import`).
    public let recordedTimes: RecordedTimeSource
    /// Each log's last recorded time, with what this session has accepted so far.
    private var lastRecorded: [Timestamp?]
    /// How the ledger was read: from a snapshot and the events after it, or in full, and why.
    public let openingNote: String
    public let usedSnapshot: Bool

    /// Opens the store for appending; `notify` hears of any repair before it is made. With
    /// `useSnapshot`, the ledger comes from the user's snapshot (in the cache `environment` names)
    /// and the events after it, when it may be trusted (see `Ledger.open`). With
    /// `recordedTimes: .drafts` (an import) the ledger must be empty when the session opens.
    public init(store: EventStore, clock: any LedgerClock, useSnapshot: Bool = false,
                environment: [String: String] = [:], recordedTimes: RecordedTimeSource = .clock,
                notify: (String) -> Void) throws(LedgerError) {
        self.store = store
        self.clock = clock
        self.recordedTimes = recordedTimes
        // Appends never make a ledger of a folder on their own: `incentives init` does.
        try IncentiveLogs.requireLedger(store)
        writer = try store.openWriter(clock: clock, notify: notify)
        if recordedTimes == .drafts { try RecordedTime.checkEmpty(tails: writer.tails, logs: store.logs) }
        lastRecorded = writer.tails.map(\.lastRecorded)
        let opening = try Ledger.open(writer: writer, useSnapshot: useSnapshot, environment: environment)
        openingNote = opening.note
        usedSnapshot = opening.usedSnapshot
        validator = DraftValidator(ledger: opening.ledger, judgesTimelines: recordedTimes == .clock)
    }

    /// The ledger including everything appended in this session.
    public var ledger: Ledger {
        var ledger = validator.ledger
        ledger.buildReplayOrder()
        return ledger
    }

    /// Validates and appends one batch, all or nothing. On a refusal nothing is written and
    /// the session must not be used again (its in-memory ledger may hold part of the batch).
    public func append(_ drafts: [EventDraft]) throws(LedgerError) -> AppendOutcome {
        var outcome = AppendOutcome()
        // Indexes rather than `for draft in drafts`: copying a draft retains each of its strings.
        var seen = Set<EventID>(minimumCapacity: drafts.count)
        for index in drafts.indices {
            guard seen.insert(drafts[index].id).inserted else {
                throw .badData("\(drafts[index].origin): id \(drafts[index].id) appears twice in the batch; nothing was appended")
            }
        }
        let now = clock.now()
        switch recordedTimes {
        case .clock:
            try RecordedTime.refuseGiven(drafts)
            try RecordedTime.checkClock(now, tails: writer.tails, logs: store.logs)
        case .drafts:
            try RecordedTime.checkImported(drafts, now: now)
        }
        // Drafts whose id the ledger already has: a retry if identical, a conflict if not.
        let repeated = drafts.filter { validator.contains($0.id) }
        var skip = Set<EventID>()
        if !repeated.isEmpty {
            var probe = RetryProbe(drafts: repeated, now: now)
            _ = try writer.read(consumer: &probe)
            for draft in repeated {
                guard probe.identical.contains(draft.id) else {
                    throw .badData("\(draft.origin): id \(draft.id) is already in the ledger with different content; an id names one event forever, so use a new id (nothing was appended)")
                }
                skip.insert(draft.id)
                outcome.alreadyPresent.append(draft.id)
            }
        }
        var unsealed: [UnsealedEvent] = []
        unsealed.reserveCapacity(drafts.count)
        for index in drafts.indices where skip.isEmpty || !skip.contains(drafts[index].id) {
            let recorded = drafts[index].recorded ?? now
            try RecordedTime.checkHorizon(drafts[index], recorded: recorded)
            let log = try validator.accept(drafts[index], recorded: recorded)
            let rank = IncentiveLogs.rank(of: log)
            try RecordedTime.checkOrder(drafts[index], recorded: recorded, log: log, last: lastRecorded[rank])
            lastRecorded[rank] = recorded
            unsealed.append(UnsealedEvent(
                log: log, id: drafts[index].id, type: drafts[index].kind.typeName, version: EventKind.currentVersion,
                recorded: recorded, recordedWasGiven: drafts[index].recorded != nil, effective: drafts[index].effective,
                actor: drafts[index].actor, source: drafts[index].source, data: drafts[index].data))
        }
        outcome.appended = try writer.append(unsealed)
        return outcome
    }
}

/// Finds which repeated drafts are byte-for-byte the events already written.
private struct RetryProbe: LogLineConsumer {
    var byId: [String: UnsealedEvent] = [:]
    var identical = Set<EventID>()

    init(drafts: [EventDraft], now: Timestamp) {
        for draft in drafts {
            byId[draft.id.rawValue] = UnsealedEvent(
                log: draft.kind.log ?? IncentiveLogs.grants, id: draft.id, type: draft.kind.typeName,
                recorded: draft.recorded ?? now, recordedWasGiven: draft.recorded != nil, effective: draft.effective,
                actor: draft.actor, source: draft.source, data: draft.data)
        }
    }

    mutating func consume(_ line: LogLine) throws(LedgerError) {
        guard let draft = byId[line.id], draft.isSameEvent(as: line) else { return }
        identical.insert(draft.id)
    }
}
