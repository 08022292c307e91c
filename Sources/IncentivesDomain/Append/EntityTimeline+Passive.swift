import LedgerLog

/// The incremental half of timeline validation. Most drafts are "passive" in a timeline they
/// join: an award, payment or evaluation in its enterprise's timeline, a payment or amendment in
/// its grant's. Such an event brings no other event into the timeline and changes no other
/// event's violations there (it is not a registration, deregistration, tier change, award,
/// revocation or recovery, the only events the walk in `EntityTimeline` carries forward), so the
/// violations the draft newly brings are exactly its own; and its own depend only on the
/// timeline's anchors (the first registration and deregistration, the first award and revocation).
/// An award brings its grant's payments into its enterprise's timeline: it is passive there only
/// when the grant has no live payment (a grant awarded again after a retraction may have some).
/// An award is passive in its grant's timeline only when that timeline holds no other live event
/// (a new grant): alone there, it breaks nothing. Those are found from the few anchor
/// events, without gathering and sorting the whole timeline: an enterprise with 100,000 awards
/// costs an award no more than one with ten.
///
/// `DraftValidator` in `.full` mode walks the whole timeline before and after instead; the two
/// must refuse exactly the same drafts with the same words (`IncrementalTimelineTests`).
extension EntityTimeline {
    /// Whether `event` (about to join, or just joined) is passive in `subject`'s timeline (see above).
    static func isPassive(_ event: DomainEvent, in subject: TimelineSubject, ledger: Ledger, index: ReferenceIndex) -> Bool {
        switch subject {
        case .enterprise:
            switch event.payload {
            case .grantDisbursed, .capabilityEvaluated: return true
            case .grantAwarded(let grant, _, _, _, _):
                for position in ReferenceIndex.events(index.byGrant, grant)
                where ledger.events.kind(at: position.offset) == .grantDisbursed && ledger.retractedAt[position] == .never {
                    return false
                }
                return true
            default: return false
            }
        case .grant(let grant):
            switch event.kind {
            case .grantDisbursed, .grantAmended: return true
            case .grantAwarded: return !hasLiveEvent(ReferenceIndex.events(index.byGrant, grant), other: nil, ledger: ledger)
            default: return false
            }
        case .programme, .centre: return false
        }
    }

    /// The violations the walk of `subject`'s whole timeline finds at `position`, a live passive
    /// event of that timeline, in the order the walk finds them.
    static func passiveViolations(at position: EventIndex, in subject: TimelineSubject, ledger: Ledger,
                                  index: ReferenceIndex) -> [TimelineViolation] {
        // Its type and date from their columns: unpacking the whole event is not needed.
        let kind = ledger.events.kind(at: position.offset), effective = ledger.events.effectiveDate(at: position.offset)
        precondition(ledger.retractedAt[position] == .never, "a draft is live")
        switch subject {
        case .enterprise(let enterprise):
            precondition(kind == .grantAwarded || kind == .grantDisbursed || kind == .capabilityEvaluated, "only a passive event is judged alone")
            // Registrations and deregistrations are in the enterprise's own list, never among its awards or payments.
            let registration = firstLive(.enterpriseRegistered, in: ReferenceIndex.events(index.byEnterprise, enterprise), ledger: ledger)
            let deregistration = firstLive(.enterpriseDeregistered, in: ReferenceIndex.events(index.byEnterprise, enterprise), ledger: ledger)
            var found: [TimelineViolation] = []
            if let registration {
                if effective < ledger.events.effectiveDate(at: registration.offset) {
                    found.append(TimelineViolation(rule: .afterRegistration, event: position, cause: registration))
                }
            } else {
                found.append(TimelineViolation(rule: .afterRegistration, event: position, cause: nil))
            }
            if let deregistration, effective > ledger.events.effectiveDate(at: deregistration.offset) {
                found.append(TimelineViolation(rule: .beforeDeregistration, event: position, cause: deregistration))
            }
            return found
        case .grant(let grant):
            let events = ReferenceIndex.events(index.byGrant, grant)
            if kind == .grantAwarded {
                precondition(!hasLiveEvent(events, other: position, ledger: ledger), "an award is passive only in a grant's empty timeline")
                return []
            }
            precondition(kind == .grantDisbursed || kind == .grantAmended, "only a passive event is judged alone")
            let award = firstLive(.grantAwarded, in: events, ledger: ledger)
            let place = replayPlace(position, ledger: ledger)
            var found: [TimelineViolation] = []
            // The walk marks the grant awarded at its first award: anything before it (or with none) breaks the rule.
            if award.map({ replayPlace($0, ledger: ledger) > place }) ?? true {
                found.append(TimelineViolation(rule: .afterAward, event: position, cause: award))
            }
            // The walk remembers the first revocation it passed before reaching this event.
            if let revocation = firstLive(.grantRevoked, in: events, ledger: ledger), replayPlace(revocation, ledger: ledger) < place {
                found.append(TimelineViolation(rule: .beforeRevocation, event: position, cause: revocation))
            }
            return found
        case .programme, .centre:
            preconditionFailure("no event is passive in a programme's or a centre's timeline")
        }
    }

    /// Whether `events` holds a live event other than `other`.
    private static func hasLiveEvent(_ events: EntityEventList, other: EventIndex?, ledger: Ledger) -> Bool {
        for position in events where position != other && ledger.retractedAt[position] == .never { return true }
        return false
    }

    /// The first live event of `kind` among `events`, in replay order.
    private static func firstLive(_ kind: EventKind, in events: EntityEventList, ledger: Ledger) -> EventIndex? {
        var first: (place: UInt128, event: EventIndex)? = nil
        for position in events where ledger.events.kind(at: position.offset) == kind && ledger.retractedAt[position] == .never {
            let place = replayPlace(position, ledger: ledger)
            if first.map({ place < $0.place }) ?? true { first = (place, position) }
        }
        return first?.event
    }

    /// An event's place in replay order, as `EntityTimeline` sorts its events: the index breaks ties.
    private static func replayPlace(_ position: EventIndex, ledger: Ledger) -> UInt128 {
        ledger.replaySortKey(position.offset)
    }
}
