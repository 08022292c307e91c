/// An entity whose timeline a draft joins: an interned enterprise, grant, programme or centre.
enum TimelineSubject: Equatable, Sendable {
    case enterprise(EnterpriseIndex)
    case grant(GrantIndex)
    case programme(ProgrammeIndex)
    case centre(CentreIndex)

    /// The timelines an event of this payload belongs to. A programme's timeline is only joined by
    /// its establishment: its other events can break nothing but their own date, which the draft's
    /// own check covers, and scanning every award of a programme per award would be quadratic.
    /// A payment also joins its enterprise's timeline (`DraftValidator.timelineSubjects` adds it,
    /// since the payload names only the grant): nothing is paid after a deregistration.
    static func subjects(of payload: DomainEvent.Payload) -> [TimelineSubject] {
        switch payload {
        case .programmeEstablished(let terms): return [.programme(terms.programme)]
        case .programmeAmended, .budgetAppropriated: return []
        case .grantAwarded(let grant, let enterprise, _, _, _): return [.grant(grant), .enterprise(enterprise)]
        case .grantAmended(let grant, _), .grantDisbursed(let grant, _), .grantRevoked(let grant, _),
             .grantRecovered(let grant, _):
            return [.grant(grant)]
        case .enterpriseRegistered(let enterprise, _, _), .capabilityEvaluated(let enterprise, _),
             .tierPromoted(let enterprise, _), .tierDemoted(let enterprise, _), .enterpriseDeregistered(let enterprise, _):
            return [.enterprise(enterprise)]
        case .centreOpened(let centre, _, _, _, _), .centreClosed(let centre, _): return [.centre(centre)]
        case .eventRetracted: return []
        }
    }
}
