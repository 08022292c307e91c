import LedgerLog

/// One event of the ledger in the compact form the replay works on: dates as day numbers,
/// every identifier and text interned. About 64 bytes, so ten million fit in well under a gigabyte.
public struct DomainEvent: Sendable {
    public var effective: CalendarDate
    public var recorded: Timestamp
    public var seq: Int32
    public var logRank: UInt8
    /// Interned texts (`Ledger.texts`): who recorded it and the document it rests on.
    public var actor: Int32
    public var source: Int32
    public var payload: Payload

    /// Indexes refer to the ledger's interners: programmes, grants, enterprises, centres, texts.
    public enum Payload: Sendable {
        case programmeEstablished(ProgrammeTerms)
        case programmeAmended(ProgrammeTerms)
        case budgetAppropriated(programme: Int32, year: Int32, amountFen: Int64)
        case grantAwarded(grant: Int32, enterprise: Int32, programme: Int32, amountFen: Int64, project: Int32)
        case grantAmended(grant: Int32, amountFen: Int64)
        case grantDisbursed(grant: Int32, amountFen: Int64)
        case grantRevoked(grant: Int32, reason: Int32)
        case grantRecovered(grant: Int32, amountFen: Int64)
        case enterpriseRegistered(enterprise: Int32, name: Int32, sector: Int32)
        case capabilityEvaluated(enterprise: Int32, score: Int32)
        case tierPromoted(enterprise: Int32, tier: Tier)
        case tierDemoted(enterprise: Int32, tier: Tier)
        case enterpriseDeregistered(enterprise: Int32, reason: Int32)
        case centreOpened(centre: Int32, name: Int32, kind: CentreKind, city: Int32, partner: Int32)
        case centreClosed(centre: Int32, reason: Int32)
        /// `target` is the index of the retracted event in `Ledger.events`, or -1 when it is not in the log.
        case eventRetracted(target: Int32, reason: Int32)
    }

    public var kind: EventKind {
        switch payload {
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

/// A programme's rules as one event states them; absent members are -1 (unchanged or none).
public struct ProgrammeTerms: Sendable, Equatable {
    public var programme: Int32
    public var name: Int32
    public var minTier: Tier?
    public var capFen: Int64?
    public var capYears: Int32?
}
