import LedgerColumns
import LedgerLog

/// The replay `run` does, straight from the columns: each event's fields are read where they lie
/// (`EventTable+Replay.swift`), no `DomainEvent` is assembled, and each model is changed in place
/// through the same state changes `apply` makes.
///
/// It is split in two, one piece per core. Every event but a retraction changes one entity only,
/// the one packed in its `a` field, and no model reads another while the events are replayed (a
/// grant's tier at grant is asked of its enterprise's tier history afterwards, by the queries).
/// So programmes and grants can be replayed apart from enterprises and centres: each piece walks
/// the replay order and applies only its own events, in the same order one walk would, and gives
/// the same states. Each piece allocates and fills its own arrays, so nothing is copied.
///
/// Evaluations, the most common event, are shared out by enterprise (even to the first piece, odd
/// to the second) to even out the pieces. An evaluation only sets the last score, and counts only
/// if it comes after the registration that made the enterprise's current state (an earlier one
/// was dropped with the state it changed, or found no state); so each piece keeps the last
/// evaluation of its enterprises, the second the replay position of each registration, and the
/// last score is set at the end where the evaluation came after the registration.
extension Projection {
    /// The pieces of the replay, each building some of the models.
    enum Piece: Int, CaseIterable {
        /// Programmes and grants (the events of the grants log), and even enterprises' evaluations.
        case programmesAndGrants
        /// Enterprises and centres (the events of the tiers and centres logs), and odd enterprises' evaluations.
        case enterprisesAndCentres

        /// The record codes of the events this piece applies, as bits (evaluations: of its parity).
        var codes: UInt32 {
            let kinds: [EventKind]
            switch self {
            case .programmesAndGrants:
                kinds = [.programmeEstablished, .programmeAmended, .budgetAppropriated, .grantAwarded, .grantAmended,
                         .grantDisbursed, .grantRevoked, .grantRecovered, .capabilityEvaluated]
            case .enterprisesAndCentres:
                kinds = [.enterpriseRegistered, .capabilityEvaluated, .tierPromoted, .tierDemoted, .enterpriseDeregistered,
                         .centreOpened, .centreClosed]
            }
            return EventKind.codeBits(kinds)
        }

        /// Codes of the events whose state is a grant's, and of those whose state is an enterprise's.
        static let grantCodes = EventKind.codeBits([.grantAwarded, .grantAmended, .grantDisbursed, .grantRevoked, .grantRecovered])
        static let enterpriseCodes = EventKind.codeBits([.enterpriseRegistered, .tierPromoted, .tierDemoted, .enterpriseDeregistered])
    }

    /// The last evaluation of an enterprise that counts in the window, by replay position.
    struct LastEvaluation: Sendable {
        /// -1: none.
        var position: Int32 = -1
        var score: Int32 = 0
        var effectiveDays: Int32 = 0
    }

    /// What one piece gives: its models, the last evaluation of each of its enterprises (by
    /// enterprise index / 2) and, for the enterprises' piece, where each registration came.
    struct PieceResult: Sendable {
        var models: ReadModels
        var evaluations: [LastEvaluation]
        /// Per enterprise, the replay position of the registration that made its state (-1: none).
        var registrations: [Int32]
    }

    /// How many events ahead the replay asks for states to be loaded: enough to hide a memory access.
    static let lookahead = 16

    /// The replay of the window's events into read models, one piece per core.
    func replayColumns() -> ReadModels {
        let end = replayEnd()
        var pieces = ParallelWork.map(count: Piece.allCases.count) { number in
            self.replay(Piece.allCases[number], through: end)
        }
        // Taken out of the list, so that each array has one owner and is changed in place.
        var enterprises = pieces.removeLast()
        let grants = pieces.removeLast()
        return Projection.joined(grants: grants, enterprises: &enterprises)
    }

    /// The models of the two pieces, each enterprise's last score set (in place: `enterprises`
    /// is the caller's only reference to its states, or they would be copied).
    static func joined(grants: PieceResult, enterprises: inout PieceResult) -> ReadModels {
        Projection.setLastScores(of: &enterprises.models.enterprises, evaluations: [grants.evaluations, enterprises.evaluations],
                                 registrations: enterprises.registrations)
        return ReadModels(programmes: grants.models.programmes, grants: grants.models.grants,
                          enterprises: enterprises.models.enterprises, centres: enterprises.models.centres,
                          appliedEvents: grants.models.appliedEvents + enterprises.models.appliedEvents)
    }

    /// The programmes and grants of the window alone (the enterprises and centres left empty):
    /// the first piece of `replayColumns`, for a question about grants only, which would
    /// otherwise hold every enterprise's state and tier history beside them.
    func replayProgrammesAndGrants() -> ReadModels {
        replay(.programmesAndGrants, through: replayEnd()).models
    }

    /// The grants of the window alone: the first piece of `replayColumns` applying the grants'
    /// events only (no programme, no evaluation), for a question that reads nothing else.
    func replayGrants() -> [GrantState?] {
        replay(.programmesAndGrants, through: replayEnd(), only: Piece.grantCodes).models.grants
    }

    /// Each enterprise's name in the window (nil: not registered in it): the second piece of
    /// `replayColumns` applying registrations only, which alone make an enterprise's state and
    /// set its name. The states it builds lack every other event, so only their names leave.
    func replayEnterpriseNames() -> [TextIndex?] {
        replay(.enterprisesAndCentres, through: replayEnd(), only: EventKind.codeBits([.enterpriseRegistered]))
            .models.enterprises.map { $0?.name }
    }

    /// Each enterprise's last score: its last evaluation (kept by the piece of its parity), if
    /// that came after the registration that made its state.
    static func setLastScores(of states: inout [EnterpriseState?], evaluations: [[LastEvaluation]], registrations: [Int32]) {
        let even = evaluations[0], odd = evaluations[1]
        for enterprise in states.indices {
            let evaluation = enterprise & 1 == 0 ? even[enterprise >> 1] : odd[enterprise >> 1]
            guard evaluation.position > registrations[enterprise] else { continue }
            states[enterprise]?.evaluated(score: evaluation.score, on: CalendarDate(daysSinceEpoch: evaluation.effectiveDays))
        }
    }

    /// How many positions of the replay order lie on or before the as-of date. The order is by
    /// effective date first (`Ledger.replayOrder`; a snapshot's is checked to be), so these are
    /// a prefix, found by bisection: an early `--as-of` walks only its own events.
    func replayEnd() -> Int {
        let order = ledger.replayOrder, effective = ledger.events.effective
        guard let asOf = window.asOf else { return order.count }
        var low = 0, high = order.count
        while low < high {
            let middle = low + (high - low) / 2
            if effective[Int(order[middle])] <= asOf.daysSinceEpoch { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// What `piece` builds (its models, the others left empty) from the first `end` positions of
    /// the replay order: the events of its codes that `counts` (their as-of date is the prefix's);
    /// of those, only the codes `only` when given (a question reading part of the piece's models).
    func replay(_ piece: Piece, through end: Int, only: UInt32? = nil) -> PieceResult {
        var nothing = NothingWatched()
        return replay(piece, through: end, only: only, watching: &nothing)
    }

    /// `replay(_:through:only:)`, telling `watcher` of each event the piece applies, in replay order.
    func replay<Watcher: ReplayWatcher>(_ piece: Piece, through end: Int, only: UInt32? = nil,
                                        watching watcher: inout Watcher) -> PieceResult {
        precondition(end <= Int(Int32.max), "replay positions fit in 31 bits")
        precondition(only.map { $0 & ~piece.codes == 0 } ?? true, "codes of the piece")
        var models = ReadModels(programmes: [], grants: [], enterprises: [], centres: [], appliedEvents: 0)
        let events = ledger.events, order = ledger.replayOrder, retractedAt = ledger.retractedAt
        let knownAt = window.knownAt.secondsSinceEpoch
        // Events a scoped read left without names are not replayed (`Ledger.unreplayedCodes`).
        let codes = (only ?? piece.codes) & ~ledger.unreplayedCodes, parity = piece.rawValue
        // A slot per name (the counts hold also when the names themselves were not read).
        let names = ledger.nameCounts
        // A piece replayed whole keeps a slot per enterprise for `setLastScores`, evaluations
        // replayed or not; a part that leaves them out keeps none.
        let evaluates = (only ?? piece.codes) >> UInt32(CapabilityEvaluated.recordCode) & 1 != 0
        var evaluations = [LastEvaluation](repeating: LastEvaluation(), count: evaluates ? (names.enterprises + 1) / 2 : 0)
        var registrations: [Int32] = []
        switch piece {
        case .programmesAndGrants:
            models.programmes = Array(repeating: nil, count: names.programmes)
            models.grants = Array(repeating: nil, count: names.grants)
        case .enterprisesAndCentres:
            models.enterprises = Array(repeating: nil, count: names.enterprises)
            models.centres = Array(repeating: nil, count: names.centres)
            registrations = Array(repeating: -1, count: names.enterprises)
        }
        var applied = 0
        var tierChanges = TierChangeLog()
        let grantCodes = Piece.grantCodes, enterpriseCodes = Piece.enterpriseCodes
        let evaluationCode = CapabilityEvaluated.recordCode, registrationCode = EnterpriseRegistered.recordCode
        for position in 0..<end {
            // The state of an event a few steps ahead is likely not in the cache: start loading it.
            if position + Projection.lookahead < end {
                let ahead = Int(order[position + Projection.lookahead])
                let code = UInt32(events.code[ahead])
                if codes >> code & 1 != 0 {
                    events.recorded.prefetch(ahead)
                    retractedAt.prefetch(ahead)
                    if grantCodes >> code & 1 != 0 {
                        models.grants.prefetch(events.subject(at: ahead))
                    } else if enterpriseCodes >> code & 1 != 0 {
                        models.enterprises.prefetch(events.subject(at: ahead))
                    } else if code == UInt32(evaluationCode), events.subject(at: ahead) & 1 == parity {
                        evaluations.prefetch(events.subject(at: ahead) >> 1)
                    }
                }
            }
            let index = Int(order[position])
            let code = events.code[index]
            guard codes >> UInt32(code) & 1 != 0,
                  code != evaluationCode || events.subject(at: index) & 1 == parity,
                  events.recorded[index] <= knownAt, retractedAt[index].secondsSinceEpoch > knownAt else { continue }
            applied += 1
            watcher.willApply(code: code, at: index, position: Int32(truncatingIfNeeded: position), models: models)
            if code == evaluationCode {
                evaluations[events.subject(at: index) >> 1] = LastEvaluation(
                    position: Int32(truncatingIfNeeded: position), score: events.score(at: index),
                    effectiveDays: events.effectiveDate(at: index).daysSinceEpoch)
                continue
            }
            if code == registrationCode { registrations[events.subject(at: index)] = Int32(truncatingIfNeeded: position) }
            Projection.apply(code: code, at: index, of: events, to: &models, tierChanges: &tierChanges)
            watcher.didApply(code: code, at: index, position: Int32(truncatingIfNeeded: position), models: models)
        }
        tierChanges.complete(&models.enterprises)
        models.appliedEvents = applied
        return PieceResult(models: models, evaluations: evaluations, registrations: registrations)
    }

    /// What `apply` does with the event at `index`, read from the columns.
    @inline(__always)
    static func apply(code: UInt8, at index: Int, of events: EventTable, to models: inout ReadModels,
                      tierChanges: inout TierChangeLog) {
        let subject = events.subject(at: index)
        switch code {
        case GrantDisbursed.recordCode:
            models.grants[subject]?.disburse(events.amountFen(at: index))
        case GrantAwarded.recordCode:
            let award = events.award(at: index)
            models.grants[subject] = GrantState(
                enterprise: award.enterprise, programme: award.programme, project: award.project,
                awarded: events.effectiveDate(at: index), awardEvent: EventIndex(offset: index),
                originalFen: award.amountFen, awardedFen: award.amountFen)
        case EnterpriseRegistered.recordCode:
            let registration = events.registration(at: index)
            if models.enterprises[subject] != nil { tierChanges.restart(subject) }
            models.enterprises[subject] = EnterpriseState(
                registered: events.effectiveDate(at: index), name: registration.name, sector: registration.sector)
        case TierPromoted.recordCode, TierDemoted.recordCode:
            let tier = events.tier(at: index)
            if let from = models.enterprises[subject]?.moveTier(to: tier) {
                tierChanges.add(TierChange(effective: events.effectiveDate(at: index), from: from, to: tier,
                                           event: EventIndex(offset: index)), of: subject)
            }
        case GrantAmended.recordCode:
            models.grants[subject]?.amend(to: events.amountFen(at: index))
        case GrantRecovered.recordCode:
            models.grants[subject]?.recover(events.amountFen(at: index))
        case GrantRevoked.recordCode:
            models.grants[subject]?.revoke(on: events.effectiveDate(at: index))
        case EnterpriseDeregistered.recordCode:
            models.enterprises[subject]?.deregister(on: events.effectiveDate(at: index))
        case CentreOpened.recordCode:
            let opening = events.opening(at: index)
            models.centres[subject] = CentreState(
                name: opening.name, kind: opening.kind, city: opening.city, partner: opening.partner,
                opened: events.effectiveDate(at: index))
        case CentreClosed.recordCode:
            models.centres[subject]?.close(on: events.effectiveDate(at: index))
        case ProgrammeEstablished.recordCode:
            let terms = events.programmeTerms(at: index)
            guard let name = terms.name else { return }
            models.programmes[subject] = ProgrammeState(
                established: events.effectiveDate(at: index), name: name, minTier: terms.minTier, capFen: terms.capFen,
                capYears: terms.capYears)
        case ProgrammeAmended.recordCode:
            let terms = events.programmeTerms(at: index)
            models.programmes[subject]?.amend(
                name: terms.name, minTier: terms.minTier, capFen: terms.capFen, capYears: terms.capYears,
                on: events.effectiveDate(at: index))
        case BudgetAppropriated.recordCode:
            let appropriation = events.appropriation(at: index)
            models.programmes[subject]?.appropriate(year: appropriation.year, amountFen: appropriation.amountFen)
        default:
            // Evaluations are kept apart (`replay`), retractions change no state.
            preconditionFailure("an evaluation, a retraction or an unknown type reached the state changes")
        }
    }
}

/// What a replay's caller collects beside the models (the audit's rules), told of each event a
/// piece applies, in replay order: the same walk, so that what it collects cannot drift from the
/// models the queries see.
protocol ReplayWatcher {
    /// The event at `index`, at replay `position`, counts in the window and is about to change
    /// `models` (an evaluation is kept aside for the end, and changes nothing then).
    mutating func willApply(code: UInt8, at index: Int, position: Int32, models: ReadModels)
    /// The event at `index` (not an evaluation) has changed `models`.
    mutating func didApply(code: UInt8, at index: Int, position: Int32, models: ReadModels)
}

/// The plain replay's watcher: it collects nothing.
struct NothingWatched: ReplayWatcher {
    @inline(__always) func willApply(code: UInt8, at index: Int, position: Int32, models: ReadModels) {}
    @inline(__always) func didApply(code: UInt8, at index: Int, position: Int32, models: ReadModels) {}
}

