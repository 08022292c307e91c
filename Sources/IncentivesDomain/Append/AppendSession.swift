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
    /// Set when a written batch left the logs otherwise than the session's ledger says
    /// (`DraftValidator.recordHeads`): no more drafts are judged against that ledger.
    private(set) var ledgerDisagreement: String?
    /// Set while the session's ledger holds drafts the logs do not: from the moment a batch's
    /// drafts start joining it until that batch is written. A batch refused part way, prepared and
    /// never committed, or whose write failed leaves it set, and no more drafts are judged: they
    /// would be judged against events that are not in the logs.
    private var unwrittenDrafts: String?
    /// The cache in which an audit's findings are kept (`KeptAuditFindings`), when the session
    /// may use the reader's cache (`useSnapshot`): an audited batch reads the findings before it
    /// from there when they were kept for these very heads, and keeps the findings after it once
    /// written, so that a series of appends audits the ledger once a batch, not twice.
    private let findingsEnvironment: [String: String]?
    /// How the ledger was read: from a snapshot and the events after it, or in full, and why.
    public let openingNote: String
    public let usedSnapshot: Bool

    /// Opens the store for appending; `notify` hears of any repair before it is made. With
    /// `useSnapshot`, the ledger comes from the user's snapshot (in the cache `environment` names)
    /// and the events after it, when it may be trusted (see `Ledger.open`). With
    /// `recordedTimes: .drafts` (an import) the ledger must be empty when the session opens.
    /// With `preview`, the session reads and validates as for an append but can only `prepare`:
    /// it takes a shared lock, repairs nothing and writes nothing (a dry run).
    public init(store: EventStore, clock: any LedgerClock, useSnapshot: Bool = false,
                environment: [String: String] = [:], recordedTimes: RecordedTimeSource = .clock,
                preview: Bool = false, notify: (String) -> Void) throws(LedgerError) {
        self.store = store
        self.clock = clock
        self.recordedTimes = recordedTimes
        findingsEnvironment = useSnapshot ? environment : nil
        // Appends never make a ledger of a folder on their own: `incentives init` does.
        try IncentiveLogs.requireLedger(store)
        writer = preview ? try store.openPreviewWriter(clock: clock) : try store.openWriter(clock: clock, notify: notify)
        if recordedTimes == .drafts { try RecordedTime.checkEmpty(tails: writer.tails, logs: store.logs) }
        lastRecorded = writer.tails.map(\.lastRecorded)
        let opening = try Ledger.open(writer: writer, useSnapshot: useSnapshot, environment: environment)
        openingNote = opening.note
        usedSnapshot = opening.usedSnapshot
        validator = DraftValidator(ledger: opening.ledger, judgesTimelines: recordedTimes == .clock)
    }

    /// The ledger including everything appended in this session: each event with the seq its
    /// line has, and `logs` the files' heads after the last batch written (a batch prepared and
    /// not committed is in its events, not yet in its heads).
    public var ledger: Ledger {
        var ledger = validator.ledger
        ledger.buildReplayOrder()
        return ledger
    }

    /// Validates and appends one batch, all or nothing. On a refusal nothing is written and
    /// the session must not be used again (its in-memory ledger may hold part of the batch).
    public func append(_ drafts: [EventDraft]) throws(LedgerError) -> AppendOutcome {
        try commit(try prepare(drafts))
    }

    /// A batch validated and sealed, not yet written: the exact lines, where they would land,
    /// and (when asked) what the audit would find that it does not find now.
    /// Read-only outside the session: what `commit` writes is what `prepare` validated.
    public struct PreparedBatch {
        public let sealed: EventWriter.SealedBatch
        public let alreadyPresent: [EventID]
        /// Nil unless `prepare` was asked to audit.
        public let audit: AuditDifference?
        /// What `commit` checks against the session's `pendingTicket`.
        let ticket: Ticket
        /// The findings of the ledger with the batch (those of `AuditDifference.rules`), when
        /// audited: kept for the logs' new heads once the batch is written.
        let findingsAfter: [AuditFinding]?
    }

    /// A prepared batch's identity: an object of its own, so that no other batch, of this
    /// session or another, can be taken for it (and a batch kept does not keep its session alive).
    final class Ticket {}

    /// The ticket of the batch `prepare` last returned, until `commit` writes it.
    private var pendingTicket: Ticket?

    /// Validates one batch against the ledger and seals it, writing nothing. With `audit`, the
    /// audit runs once on the ledger before the batch and once after it (never per draft).
    /// After a refusal the session must not be used again; a prepared batch is committed (or the
    /// session dropped) before the next is prepared, since the session's ledger already holds it.
    /// Either misuse is refused (`unwrittenDrafts`), never judged against drafts the logs lack.
    public func prepare(_ drafts: [EventDraft], audit: Bool = false) throws(LedgerError) -> PreparedBatch {
        if let ledgerDisagreement {
            throw .badData("this session cannot judge more drafts: after its last batch was written, \(ledgerDisagreement); "
                           + "that batch is in the logs: verify them and open a new session")
        }
        if let unwrittenDrafts {
            throw .usage("this session cannot judge more drafts: \(unwrittenDrafts), so its ledger holds drafts the logs do not; "
                         + "open a new session (nothing was appended)")
        }
        // Made first, so that the second thread decodes the first drafts while this one checks ids
        // and clocks. A refusal anywhere below drops both (nothing is sealed or kept).
        let pipeline = sealingPipeline(for: drafts)
        let decoding = pipeline.map { _ in DraftDecoding(drafts: drafts) }
        defer { decoding?.cancel() }
        if let pipeline, let decoding {
            for piece in 0...DraftDecoding.lookahead where piece < decoding.pieceCount {
                pipeline.perform { decoding.decodeAhead(piece) }
            }
        }
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
        let repeated = validator.repeatedDrafts(drafts).map { drafts[$0] }
        var skip = Set<EventID>()
        var alreadyPresent: [EventID] = []
        if !repeated.isEmpty {
            var probe = RetryProbe(drafts: repeated, now: now)
            _ = try writer.read(consumer: &probe)
            for draft in repeated {
                guard probe.identical.contains(draft.id) else {
                    throw .badData("\(draft.origin): id \(draft.id) is already in the ledger with different content; an id names one event forever, so use a new id (nothing was appended)")
                }
                skip.insert(draft.id)
                alreadyPresent.append(draft.id)
            }
        }
        let auditing = audit && skip.count < drafts.count
        // Found before the drafts join, and the copy dropped, so the validator's ledger is not copied.
        let before = auditing ? findingsBefore() : []
        // From here the drafts join the ledger. A refusal after one joined leaves it there (and
        // the logs' last recorded times moved); a batch prepared stays there until written.
        let batchName = "a batch of \(drafts.count) draft\(drafts.count == 1 ? "" : "s")"
        let eventsBefore = validator.ledger.count
        var accepted = false
        defer {
            if !accepted, validator.ledger.count != eventsBefore {
                unwrittenDrafts = "\(batchName) was refused after some of its drafts had joined the session's ledger"
            }
        }
        var unsealed: [UnsealedEvent] = []
        unsealed.reserveCapacity(pipeline == nil ? drafts.count : AppendSession.sealingPiece)
        var decodedPiece: [DecodedDraft] = []
        for index in drafts.indices {
            if let pipeline, let decoding, index % DraftDecoding.pieceDrafts == 0 {
                let piece = DraftDecoding.piece(of: index)
                let ahead = piece + DraftDecoding.lookahead + 1
                if ahead < decoding.pieceCount { pipeline.perform { decoding.decodeAhead(ahead) } }
                decodedPiece = decoding.take(piece)
            }
            // One copy of the draft (a retain of each of its strings), not one for each call below.
            let draft = drafts[index]
            guard skip.isEmpty || !skip.contains(draft.id) else { continue }
            let recorded = draft.recorded ?? now
            try RecordedTime.checkHorizon(draft, recorded: recorded)
            let decoded: DecodedDraft
            if decoding == nil {
                decoded = DecodedDraft(draft)
            } else {
                let place = index % DraftDecoding.pieceDrafts
                decoded = decodedPiece[place]
                if place + AppendSession.prefetchDrafts < decodedPiece.count {
                    validator.anticipate(decodedPiece[place + AppendSession.prefetchDrafts])
                }
            }
            let log = try validator.accept(draft, decoded: decoded, recorded: recorded)
            let rank = IncentiveLogs.rank(of: log)
            try RecordedTime.checkOrder(draft, recorded: recorded, log: log, last: lastRecorded[rank])
            lastRecorded[rank] = recorded
            unsealed.append(UnsealedEvent(
                log: log, id: draft.id, type: draft.kind.typeName, version: EventKind.currentVersion,
                recorded: recorded, recordedWasGiven: draft.recorded != nil, effective: draft.effective,
                actor: draft.actor, source: draft.source, data: draft.data))
            if let pipeline, unsealed.count == AppendSession.sealingPiece {
                pipeline.add(unsealed)
                unsealed.removeAll(keepingCapacity: true)
            }
        }
        accepted = true
        // Cleared by `commit` once written.
        unwrittenDrafts = "\(batchName) was prepared and not written"
        // A refusal above drops the pipeline, which stops its thread: nothing sealed is kept.
        let sealed: EventWriter.SealedBatch
        if let pipeline {
            pipeline.add(unsealed)
            sealed = try pipeline.finish()
        } else {
            sealed = try writer.seal(unsealed)
        }
        let after = auditing ? AuditDifference.findings(of: ledger) : nil
        let ticket = Ticket()
        pendingTicket = ticket
        return PreparedBatch(sealed: sealed, alreadyPresent: alreadyPresent, audit: after.map { AuditDifference(before: before, after: $0) },
                             ticket: ticket, findingsAfter: after)
    }

    /// How a batch's lines are sealed: both ways give the same bytes, hashes and tails.
    public enum Sealing: Sendable {
        /// Pipelined for batches of at least `pipelineDrafts` drafts, else after validation.
        case automatic
        /// After every draft of the batch is validated, on the calling thread.
        case afterValidation
        /// On a second thread, `sealingPiece` events at a time, while the next drafts are validated.
        case pipelined
    }

    /// How this session seals its batches (`.automatic` unless a test says otherwise).
    public var sealing = Sealing.automatic

    /// Drafts handed to the sealing thread at a time: small enough that little sealing is left
    /// once the last draft is validated, large enough that handing over costs little.
    static let sealingPiece = 128
    /// How many drafts ahead the interner slots of a decoded draft's names are loaded.
    static let prefetchDrafts = 4
    /// Below this the second thread costs more than it saves.
    static let pipelineDrafts = 512

    /// A pipeline for a batch that is worth one (or that the session is told to pipeline), with
    /// room estimated from the drafts: a retraction's log is known only once its target is found,
    /// so its room is counted in every log. Made before the drafts already in the ledger (retries,
    /// skipped) are known, it counts them too: that costs room only, never a byte.
    private func sealingPipeline(for drafts: [EventDraft]) -> SealingPipeline? {
        let count = drafts.count
        switch sealing {
        case .afterValidation: return nil
        case .automatic where count < AppendSession.pipelineDrafts: return nil
        case .automatic, .pipelined: break
        }
        // `seal` refuses an oversized batch after validation; so does the sequential path here.
        guard count <= EventWriter.maximumBatchEvents else { return nil }
        var capacities = Array(repeating: 0, count: store.logs.count)
        for index in drafts.indices {
            let room = UnsealedEvent.lineCapacity(dataBytes: drafts[index].data.count, actor: drafts[index].actor,
                                                  source: drafts[index].source)
            if let log = drafts[index].kind.log, let rank = store.logs.firstIndex(of: log) {
                capacities[rank] += room
            } else {
                for rank in capacities.indices { capacities[rank] += room }
            }
        }
        return writer.sealingPipeline(capacities: capacities, events: count)
    }

    /// Writes a prepared batch, all or nothing, synced before it returns. Should the logs then end
    /// otherwise than the session's ledger says (a seq it did not give), the batch stands written
    /// and the session refuses to prepare another (`ledgerDisagreement`). Only the batch this
    /// session prepared last is written, once: another (written already, or another session's) is
    /// refused as a misuse, nothing written.
    public func commit(_ batch: PreparedBatch) throws(LedgerError) -> AppendOutcome {
        guard batch.ticket === pendingTicket else {
            throw .usage("this batch is not the one this session prepared last and has not written (written already, "
                         + "or prepared by another session); nothing was appended")
        }
        let appended = try writer.write(batch.sealed)
        pendingTicket = nil
        unwrittenDrafts = nil
        if let disagreement = validator.recordHeads(writer.tails) { ledgerDisagreement = disagreement }
        if let findings = batch.findingsAfter { keepFindings(findings) }
        return AppendOutcome(appended: appended, alreadyPresent: batch.alreadyPresent)
    }

    /// The findings of the ledger as it stands, for one side of an audited batch: those kept for
    /// these heads when there are (an earlier append's after its batch, or an audit's), else
    /// found by auditing the whole ledger.
    private func findingsBefore() -> [AuditFinding] {
        if let findingsEnvironment,
           let kept = KeptAuditFindings.read(store: store, environment: findingsEnvironment, heads: validator.ledger.logs),
           let report = kept.report(in: AuditDifference.window, options: AuditDifference.options) {
            return report.findings
        }
        return AuditDifference.findings(of: ledger)
    }

    /// Keeps the findings after the batch just written for the logs' new heads, without stamps:
    /// they are taken after the write, not before a read of what they describe, so they prove
    /// nothing to a query; the next append's session, which reads and verifies the logs itself
    /// under the lock, uses them by their heads. Failing to keep them changes nothing but time.
    private func keepFindings(_ findings: [AuditFinding]) {
        guard let findingsEnvironment, ledgerDisagreement == nil else { return }
        let report = AuditReport(window: AuditDifference.window, options: AuditDifference.options, findings: findings)
        var heads = validator.ledger.logs
        for rank in heads.indices { heads[rank].stamp = nil }
        _ = KeptAuditFindings.keep(report, logs: heads, stampsTakenAfter: 0, store: store, environment: findingsEnvironment)
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
