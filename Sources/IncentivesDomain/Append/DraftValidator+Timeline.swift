import LedgerLog

/// The timeline half of validation: a draft is judged against the whole timeline of each entity
/// it touches as it will be with the draft in its place in replay order, not only on its own date.
extension DraftValidator {
    /// The timelines `event` joins; a retraction joins those of its target.
    func timelineSubjects(of event: DomainEvent) -> [TimelineSubject] {
        if case .eventRetracted(let target, _) = event.payload {
            return target.map { TimelineSubject.subjects(of: ledger.events[$0].payload) } ?? []
        }
        var subjects = TimelineSubject.subjects(of: event.payload)
        if case .grantDisbursed(let grant, _) = event.payload,
           let award = ReferenceIndex.events(index.byGrant, grant).first(where: { ledger.events[$0].kind == .grantAwarded }),
           case .grantAwarded(_, let enterprise, _, _, _) = ledger.events[award].payload {
            subjects.append(.enterprise(enterprise))
        }
        return subjects
    }

    /// The violations of the timelines of `subjects`, but for those marked passive: a passive
    /// draft changes nothing there but its own place, so they have nothing to compare.
    func violations(of subjects: [TimelineSubject], skipping passive: [Bool]) -> [TimelineViolation] {
        precondition(subjects.count == passive.count, "one mark per subject")
        var found: [TimelineViolation] = []
        for (subject, skipped) in zip(subjects, passive) where !skipped {
            found += EntityTimeline(subject, ledger: ledger, index: index).violations(in: ledger)
        }
        return found
    }

    /// Refuses the draft at `draft` (already added) if the timelines now break a rule at a place
    /// where they did not before it. A passive subject's new violations are the draft's own (none
    /// of them can be in `before`, which predates the draft); the others' are those after it not
    /// in `before`. Each rule belongs to one kind of subject and a draft joins at most one subject
    /// of each kind, so comparing with `before` of the walked subjects alone changes nothing.
    /// Not inlined: inlined into `accept` (a mutating method), it had the whole validator, every
    /// array of its ledger, copied and released for each draft.
    @inline(never)
    func checkTimelines(_ subjects: [TimelineSubject], passive: [Bool], before: [TimelineViolation], draft: EventIndex,
                        refuse: (String) -> LedgerError) throws(LedgerError) {
        precondition(subjects.count == passive.count, "one mark per subject")
        for (subject, isPassive) in zip(subjects, passive) {
            let after = isPassive
                ? EntityTimeline.passiveViolations(at: draft, in: subject, ledger: ledger, index: index)
                : EntityTimeline(subject, ledger: ledger, index: index).violations(in: ledger)
            guard let broken = after.first(where: { found in !before.contains { $0.isSamePlace(as: found) } }) else { continue }
            throw refuse(explanation(of: broken, draft: draft))
        }
    }

    /// "TierPromoted t-000005, effective 2023-09-30": what a refusal names.
    private func name(_ event: EventIndex) -> String {
        let found = ledger.events[event]
        return "\(found.kind) \(ledger.eventId(of: event.offset)), effective \(found.effective)"
    }

    private func explanation(of violation: TimelineViolation, draft: EventIndex) -> String {
        let drafted = ledger.events[draft]
        if case .eventRetracted(let target?, _) = drafted.payload {
            let needs = violation.cause == nil && [.afterRegistration, .afterAward, .afterEstablishment, .afterOpening].contains(violation.rule)
            if needs {
                return "event \(name(target)) cannot be retracted while \(name(violation.event)) depends on it (\(clause(violation))); retract that event first, earlier in this batch or before"
            }
            return "retracting \(name(target)) would leave \(name(violation.event)) breaking the timeline: \(clause(violation))"
        }
        if violation.event == draft { return ownProblem(violation, event: drafted) }
        return "it would contradict \(name(violation.event)): \(clause(violation))"
    }

    /// What is wrong with the draft itself, in the words the single-date checks use.
    private func ownProblem(_ violation: TimelineViolation, event: DomainEvent) -> String {
        let cause = violation.cause.map { name($0) } ?? ""
        switch violation.rule {
        case .tierDirection:
            let setBy = violation.cause != nil ? " (set by \(cause))" : ""
            switch event.payload {
            case .tierPromoted(let enterprise, let to):
                return "a promotion must raise the tier; \(ledger.enterprises.string(enterprise)) is \(violation.tier) on \(event.effective)\(setBy), not below \(to)"
            case .tierDemoted(let enterprise, let to):
                return "a demotion must lower the tier; \(ledger.enterprises.string(enterprise)) is \(violation.tier) on \(event.effective)\(setBy), not above \(to)"
            default:
                return "the tier does not move the way it says"
            }
        case .afterRegistration:
            return violation.cause != nil ? "the enterprise is registered only from \(cause), after \(event.effective)" : "the enterprise is not registered"
        case .beforeDeregistration:
            return "the enterprise left the plan by \(cause), before \(event.effective); nothing happens to an enterprise after its deregistration"
        case .afterAward:
            return violation.cause != nil
                ? "its grant is awarded only by \(cause), which comes after it in replay order; nothing happens to a grant before its award"
                : "its grant has no award"
        case .beforeRevocation:
            return "grant \(grantName(of: violation.cause)) is revoked by \(cause), which comes before it in replay order; no payment or amendment follows a revocation (retract the revocation instead)"
        case .recoveryWithinPaid:
            return "recoveries would reach \(YuanText.format(fen: violation.recoveredFen)) on \(event.effective), more than the \(YuanText.format(fen: violation.paidFen)) paid by then"
        case .afterEstablishment:
            return violation.cause != nil ? "the programme is established only from \(cause)" : "the programme was never established"
        case .afterOpening:
            return violation.cause != nil ? "the centre is opened only by \(cause)" : "the centre was never opened"
        }
    }

    /// What would be wrong with another event of the timeline (an existing one, or an earlier draft of the batch).
    private func clause(_ violation: TimelineViolation) -> String {
        let cause = violation.cause.map { name($0) } ?? ""
        let event = ledger.events[violation.event]
        switch violation.rule {
        case .tierDirection:
            let after = violation.cause != nil ? " (after \(cause))" : ""
            switch event.payload {
            case .tierPromoted(_, let to):
                return "that promotion to \(to) would no longer raise the tier, which would be \(violation.tier) there\(after)"
            case .tierDemoted(_, let to):
                return "that demotion to \(to) would no longer lower the tier, which would be \(violation.tier) there\(after)"
            default:
                return "the tier would not move the way it says"
            }
        case .afterRegistration:
            return violation.cause != nil ? "it would fall before the enterprise's registration (\(cause))" : "its enterprise would not be registered"
        case .beforeDeregistration:
            return "it would fall after the enterprise's deregistration (\(cause))"
        case .afterAward:
            return violation.cause != nil ? "it would come before its grant's award (\(cause)) in replay order" : "its grant would have no award"
        case .beforeRevocation:
            return "it would come after the grant's revocation (\(cause)) in replay order"
        case .recoveryWithinPaid:
            return "recoveries would reach \(YuanText.format(fen: violation.recoveredFen)) there, more than the \(YuanText.format(fen: violation.paidFen)) paid by then"
        case .afterEstablishment:
            return violation.cause != nil ? "it would fall before its programme's establishment (\(cause))" : "its programme would not be established"
        case .afterOpening:
            return violation.cause != nil ? "it would fall before its centre's opening (\(cause))" : "its centre would not be open"
        }
    }

    private func grantName(of event: EventIndex?) -> String {
        guard let event, case .grantRevoked(let grant, _) = ledger.events[event].payload else { return "?" }
        return ledger.grants.string(grant)
    }
}
