import LedgerLog

/// For each enterprise, grant, programme and centre, the events that concern it, so that
/// validating a draft looks at a handful of events instead of the whole ledger.
struct ReferenceIndex {
    var byEnterprise = EntityEvents()
    var byGrant = EntityEvents()
    var byProgramme = EntityEvents()
    var byCentre = EntityEvents()
    /// The awards to each enterprise and under each programme: the events that depend on its
    /// registration or establishment (`EntityTimeline`).
    var awardsByEnterprise = EntityEvents()
    var awardsByProgramme = EntityEvents()

    /// Every event of `ledger`, its entities read from the columns, each list in two passes over
    /// them (no event assembled, no array per entity: at ten million events both were most of
    /// opening a ledger to append to it, and of letting it go). What `add(_:payload:)` for each
    /// event in turn gives (`ReferenceIndexTests`).
    init(ledger: Ledger) {
        let events = ledger.events, count = events.count
        // The record codes of each list's events, as bits (`EventKind.codeBits`).
        func owner(_ codes: UInt32, _ index: Int) -> Int? { codes >> UInt32(events.code[index]) & 1 != 0 ? events.subject(at: index) : nil }
        let programmeCodes = EventKind.codeBits([.programmeEstablished, .programmeAmended, .budgetAppropriated])
        let grantCodes = Projection.Piece.grantCodes
        let enterpriseCodes = EventKind.codeBits([.enterpriseRegistered, .capabilityEvaluated, .tierPromoted, .tierDemoted,
                                                  .enterpriseDeregistered])
        let centreCodes = EventKind.codeBits([.centreOpened, .centreClosed])
        byProgramme = EntityEvents(entityCount: ledger.programmes.count, count: count) { owner(programmeCodes, $0) }
        byGrant = EntityEvents(entityCount: ledger.grants.count, count: count) { owner(grantCodes, $0) }
        byEnterprise = EntityEvents(entityCount: ledger.enterprises.count, count: count) { owner(enterpriseCodes, $0) }
        byCentre = EntityEvents(entityCount: ledger.centres.count, count: count) { owner(centreCodes, $0) }
        awardsByEnterprise = EntityEvents(entityCount: ledger.enterprises.count, count: count) { index in
            events.code[index] == GrantAwarded.recordCode ? events.award(at: index).enterprise.offset : nil
        }
        awardsByProgramme = EntityEvents(entityCount: ledger.programmes.count, count: count) { index in
            events.code[index] == GrantAwarded.recordCode ? events.award(at: index).programme.offset : nil
        }
    }

    /// The same by assembling each event (`add(_:payload:)`): what `init(ledger:)` must equal.
    init(eventByEventOf ledger: Ledger) {
        for index in ledger.events.indices { add(index, payload: ledger.events[index].payload) }
    }

    /// Adds event `index`, whose payload is `payload` (a draft just added: not read back from the ledger).
    mutating func add(_ index: Int, payload: DomainEvent.Payload) {
        func put<Entity: NameIndex>(_ lists: inout EntityEvents, _ entity: Entity) {
            lists.append(EventIndex(offset: index), of: entity.offset)
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

    static func events<Entity: NameIndex>(_ lists: EntityEvents, _ entity: Entity) -> EntityEventList {
        lists.events(of: entity.offset)
    }
}
