import LedgerLog

/// For each enterprise, grant, programme and centre, the events that concern it, so that
/// validating a draft looks at a handful of events instead of the whole ledger.
struct ReferenceIndex {
    var byEnterprise: [[EventIndex]] = []
    var byGrant: [[EventIndex]] = []
    var byProgramme: [[EventIndex]] = []
    var byCentre: [[EventIndex]] = []
    /// The awards to each enterprise and under each programme: the events that depend on its
    /// registration or establishment (`EntityTimeline`).
    var awardsByEnterprise: [[EventIndex]] = []
    var awardsByProgramme: [[EventIndex]] = []

    init(ledger: Ledger) {
        for index in ledger.events.indices { add(index, ledger: ledger) }
    }

    mutating func add(_ index: Int, ledger: Ledger) {
        add(index, payload: ledger.events[index].payload)
    }

    /// Adds event `index`, whose payload is `payload` (a draft just added: not read back from the ledger).
    mutating func add(_ index: Int, payload: DomainEvent.Payload) {
        func put<Entity: NameIndex>(_ lists: inout [[EventIndex]], _ entity: Entity) {
            let slot = entity.offset
            if slot >= lists.count { lists.append(contentsOf: repeatElement([], count: slot - lists.count + 1)) }
            lists[slot].append(EventIndex(offset: index))
        }
        switch payload {
        case .programmeEstablished(let terms), .programmeAmended(let terms): put(&byProgramme, terms.programme)
        case .budgetAppropriated(let programme, _, _): put(&byProgramme, programme)
        case .grantAwarded(let grant, let enterprise, let programme, _, _):
            put(&byGrant, grant)
            put(&awardsByEnterprise, enterprise)
            put(&awardsByProgramme, programme)
        case .grantAmended(let grant, _), .grantDisbursed(let grant, _),
             .grantRevoked(let grant, _), .grantRecovered(let grant, _):
            put(&byGrant, grant)
        case .enterpriseRegistered(let enterprise, _, _), .capabilityEvaluated(let enterprise, _),
             .tierPromoted(let enterprise, _), .tierDemoted(let enterprise, _), .enterpriseDeregistered(let enterprise, _):
            put(&byEnterprise, enterprise)
        case .centreOpened(let centre, _, _, _, _), .centreClosed(let centre, _): put(&byCentre, centre)
        case .eventRetracted: break
        }
    }

    static func events<Entity: NameIndex>(_ lists: [[EventIndex]], _ entity: Entity) -> [EventIndex] {
        entity.offset < lists.count ? lists[entity.offset] : []
    }
}
