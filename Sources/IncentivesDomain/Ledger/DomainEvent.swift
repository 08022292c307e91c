import LedgerLog

/// One event of the ledger in the compact form the replay works on: dates as day numbers,
/// every identifier and text interned. About 64 bytes, so ten million fit in well under a gigabyte.
public struct DomainEvent: Sendable {
    public var effective: CalendarDate
    public var recorded: Timestamp
    public var seq: Int32
    public var logRank: UInt8
    /// Interned texts (`Ledger.texts`): who recorded it and the document it rests on.
    public var actor: TextIndex
    public var source: TextIndex
    public var payload: Payload

    /// Indexes refer to the ledger's interners: programmes, grants, enterprises, centres, texts.
    public enum Payload: Sendable {
        case programmeEstablished(ProgrammeTerms)
        case programmeAmended(ProgrammeTerms)
        case budgetAppropriated(programme: ProgrammeIndex, year: Int32, amountFen: Fen)
        case grantAwarded(grant: GrantIndex, enterprise: EnterpriseIndex, programme: ProgrammeIndex, amountFen: Fen,
                          project: TextIndex)
        case grantAmended(grant: GrantIndex, amountFen: Fen)
        case grantDisbursed(grant: GrantIndex, amountFen: Fen)
        case grantRevoked(grant: GrantIndex, reason: TextIndex)
        case grantRecovered(grant: GrantIndex, amountFen: Fen)
        case enterpriseRegistered(enterprise: EnterpriseIndex, name: TextIndex, sector: TextIndex)
        case capabilityEvaluated(enterprise: EnterpriseIndex, score: Int32)
        case tierPromoted(enterprise: EnterpriseIndex, tier: Tier)
        case tierDemoted(enterprise: EnterpriseIndex, tier: Tier)
        case enterpriseDeregistered(enterprise: EnterpriseIndex, reason: TextIndex)
        case centreOpened(centre: CentreIndex, name: TextIndex, kind: CentreKind, city: TextIndex, partner: TextIndex?)
        case centreClosed(centre: CentreIndex, reason: TextIndex)
        /// `target` is the retracted event, or nil when it is not in the log.
        case eventRetracted(target: EventIndex?, reason: TextIndex)
    }

    public var kind: EventKind { payload.kind }
}

extension DomainEvent.Payload {
    public var kind: EventKind {
        switch self {
        case .programmeEstablished: return .programmeEstablished
        case .programmeAmended: return .programmeAmended
        case .budgetAppropriated: return .budgetAppropriated
        case .grantAwarded: return .grantAwarded
        case .grantAmended: return .grantAmended
        case .grantDisbursed: return .grantDisbursed
        case .grantRevoked: return .grantRevoked
        case .grantRecovered: return .grantRecovered
        case .enterpriseRegistered: return .enterpriseRegistered
        case .capabilityEvaluated: return .capabilityEvaluated
        case .tierPromoted: return .tierPromoted
        case .tierDemoted: return .tierDemoted
        case .enterpriseDeregistered: return .enterpriseDeregistered
        case .centreOpened: return .centreOpened
        case .centreClosed: return .centreClosed
        case .eventRetracted: return .eventRetracted
        }
    }
}


/// A programme's rules as one event states them; absent members are nil (unchanged or none).
public struct ProgrammeTerms: Sendable, Equatable {
    public var programme: ProgrammeIndex
    public var name: TextIndex?
    public var minTier: Tier?
    public var capFen: Fen?
    public var capYears: Int32?
}
