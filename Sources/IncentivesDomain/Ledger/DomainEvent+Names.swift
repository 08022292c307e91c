extension DomainEvent.Payload {
    /// The payload with every interned name's raw index passed through `transform`; absent names
    /// and a retraction's target, which is an event index, stay as they are.
    func mappingNames(_ transform: (Int32) -> Int32) -> DomainEvent.Payload {
        func name<Index: NameIndex>(_ value: Index) -> Index { Index(rawValue: transform(value.rawValue)) }
        func name<Index: NameIndex>(_ value: Index?) -> Index? { value.map { Index(rawValue: transform($0.rawValue)) } }
        func terms(_ terms: ProgrammeTerms) -> ProgrammeTerms {
            var mapped = terms
            mapped.programme = name(terms.programme)
            mapped.name = name(terms.name)
            return mapped
        }
        switch self {
        case .programmeEstablished(let value): return .programmeEstablished(terms(value))
        case .programmeAmended(let value): return .programmeAmended(terms(value))
        case .budgetAppropriated(let programme, let year, let amountFen):
            return .budgetAppropriated(programme: name(programme), year: year, amountFen: amountFen)
        case .grantAwarded(let grant, let enterprise, let programme, let amountFen, let project):
            return .grantAwarded(grant: name(grant), enterprise: name(enterprise), programme: name(programme),
                                 amountFen: amountFen, project: name(project))
        case .grantAmended(let grant, let amountFen): return .grantAmended(grant: name(grant), amountFen: amountFen)
        case .grantDisbursed(let grant, let amountFen): return .grantDisbursed(grant: name(grant), amountFen: amountFen)
        case .grantRevoked(let grant, let reason): return .grantRevoked(grant: name(grant), reason: name(reason))
        case .grantRecovered(let grant, let amountFen): return .grantRecovered(grant: name(grant), amountFen: amountFen)
        case .enterpriseRegistered(let enterprise, let title, let sector):
            return .enterpriseRegistered(enterprise: name(enterprise), name: name(title), sector: name(sector))
        case .capabilityEvaluated(let enterprise, let score):
            return .capabilityEvaluated(enterprise: name(enterprise), score: score)
        case .tierPromoted(let enterprise, let tier): return .tierPromoted(enterprise: name(enterprise), tier: tier)
        case .tierDemoted(let enterprise, let tier): return .tierDemoted(enterprise: name(enterprise), tier: tier)
        case .enterpriseDeregistered(let enterprise, let reason):
            return .enterpriseDeregistered(enterprise: name(enterprise), reason: name(reason))
        case .centreOpened(let centre, let title, let kind, let city, let partner):
            return .centreOpened(centre: name(centre), name: name(title), kind: kind, city: name(city),
                                 partner: name(partner))
        case .centreClosed(let centre, let reason): return .centreClosed(centre: name(centre), reason: name(reason))
        case .eventRetracted(let target, let reason): return .eventRetracted(target: target, reason: name(reason))
        }
    }
}
