import LedgerLog

/// Dispatch from an event type to its definition (Model/Events/). Each switch calls a concrete
/// type's static function, so that decoding and packing are specialised and nothing is boxed.
extension EventKind {
    /// For what is not on a hot path: names, logs, members.
    var definition: any EventDefinition.Type {
        switch self {
        case .programmeEstablished: return ProgrammeEstablished.self
        case .programmeAmended: return ProgrammeAmended.self
        case .budgetAppropriated: return BudgetAppropriated.self
        case .grantAwarded: return GrantAwarded.self
        case .grantAmended: return GrantAmended.self
        case .grantDisbursed: return GrantDisbursed.self
        case .grantRevoked: return GrantRevoked.self
        case .grantRecovered: return GrantRecovered.self
        case .enterpriseRegistered: return EnterpriseRegistered.self
        case .capabilityEvaluated: return CapabilityEvaluated.self
        case .tierPromoted: return TierPromoted.self
        case .tierDemoted: return TierDemoted.self
        case .enterpriseDeregistered: return EnterpriseDeregistered.self
        case .centreOpened: return CentreOpened.self
        case .centreClosed: return CentreClosed.self
        case .eventRetracted: return EventRetracted.self
        }
    }

    /// Decodes `data` into this type's payload (see `EventDefinition.decode`).
    @inline(__always)
    func decode<Names: NameSink>(_ data: inout PayloadDecoder, into names: inout Names) throws(LedgerError)
        -> DomainEvent.Payload {
        switch self {
        case .programmeEstablished: return try ProgrammeEstablished.decode(&data, into: &names)
        case .programmeAmended: return try ProgrammeAmended.decode(&data, into: &names)
        case .budgetAppropriated: return try BudgetAppropriated.decode(&data, into: &names)
        case .grantAwarded: return try GrantAwarded.decode(&data, into: &names)
        case .grantAmended: return try GrantAmended.decode(&data, into: &names)
        case .grantDisbursed: return try GrantDisbursed.decode(&data, into: &names)
        case .grantRevoked: return try GrantRevoked.decode(&data, into: &names)
        case .grantRecovered: return try GrantRecovered.decode(&data, into: &names)
        case .enterpriseRegistered: return try EnterpriseRegistered.decode(&data, into: &names)
        case .capabilityEvaluated: return try CapabilityEvaluated.decode(&data, into: &names)
        case .tierPromoted: return try TierPromoted.decode(&data, into: &names)
        case .tierDemoted: return try TierDemoted.decode(&data, into: &names)
        case .enterpriseDeregistered: return try EnterpriseDeregistered.decode(&data, into: &names)
        case .centreOpened: return try CentreOpened.decode(&data, into: &names)
        case .centreClosed: return try CentreClosed.decode(&data, into: &names)
        case .eventRetracted: return try EventRetracted.decode(&data, into: &names)
        }
    }

    @inline(__always)
    func pack(_ payload: DomainEvent.Payload, into fields: inout EventRecordFields) {
        switch self {
        case .programmeEstablished: ProgrammeEstablished.pack(payload, into: &fields)
        case .programmeAmended: ProgrammeAmended.pack(payload, into: &fields)
        case .budgetAppropriated: BudgetAppropriated.pack(payload, into: &fields)
        case .grantAwarded: GrantAwarded.pack(payload, into: &fields)
        case .grantAmended: GrantAmended.pack(payload, into: &fields)
        case .grantDisbursed: GrantDisbursed.pack(payload, into: &fields)
        case .grantRevoked: GrantRevoked.pack(payload, into: &fields)
        case .grantRecovered: GrantRecovered.pack(payload, into: &fields)
        case .enterpriseRegistered: EnterpriseRegistered.pack(payload, into: &fields)
        case .capabilityEvaluated: CapabilityEvaluated.pack(payload, into: &fields)
        case .tierPromoted: TierPromoted.pack(payload, into: &fields)
        case .tierDemoted: TierDemoted.pack(payload, into: &fields)
        case .enterpriseDeregistered: EnterpriseDeregistered.pack(payload, into: &fields)
        case .centreOpened: CentreOpened.pack(payload, into: &fields)
        case .centreClosed: CentreClosed.pack(payload, into: &fields)
        case .eventRetracted: EventRetracted.pack(payload, into: &fields)
        }
    }

    @inline(__always)
    func unpack(_ fields: EventRecordFields, in bounds: EventRecordBounds) -> DomainEvent.Payload? {
        switch self {
        case .programmeEstablished: return ProgrammeEstablished.unpack(fields, in: bounds)
        case .programmeAmended: return ProgrammeAmended.unpack(fields, in: bounds)
        case .budgetAppropriated: return BudgetAppropriated.unpack(fields, in: bounds)
        case .grantAwarded: return GrantAwarded.unpack(fields, in: bounds)
        case .grantAmended: return GrantAmended.unpack(fields, in: bounds)
        case .grantDisbursed: return GrantDisbursed.unpack(fields, in: bounds)
        case .grantRevoked: return GrantRevoked.unpack(fields, in: bounds)
        case .grantRecovered: return GrantRecovered.unpack(fields, in: bounds)
        case .enterpriseRegistered: return EnterpriseRegistered.unpack(fields, in: bounds)
        case .capabilityEvaluated: return CapabilityEvaluated.unpack(fields, in: bounds)
        case .tierPromoted: return TierPromoted.unpack(fields, in: bounds)
        case .tierDemoted: return TierDemoted.unpack(fields, in: bounds)
        case .enterpriseDeregistered: return EnterpriseDeregistered.unpack(fields, in: bounds)
        case .centreOpened: return CentreOpened.unpack(fields, in: bounds)
        case .centreClosed: return CentreClosed.unpack(fields, in: bounds)
        case .eventRetracted: return EventRetracted.unpack(fields, in: bounds)
        }
    }

    /// Whether `fields` are a record of this type within `bounds`: they unpack, and packing the
    /// payload they unpack to gives them back (`EventDefinition.isCanonical`).
    @inline(__always)
    func isCanonical(_ fields: EventRecordFields, in bounds: EventRecordBounds) -> Bool {
        switch self {
        case .programmeEstablished: return ProgrammeEstablished.isCanonical(fields, in: bounds)
        case .programmeAmended: return ProgrammeAmended.isCanonical(fields, in: bounds)
        case .budgetAppropriated: return BudgetAppropriated.isCanonical(fields, in: bounds)
        case .grantAwarded: return GrantAwarded.isCanonical(fields, in: bounds)
        case .grantAmended: return GrantAmended.isCanonical(fields, in: bounds)
        case .grantDisbursed: return GrantDisbursed.isCanonical(fields, in: bounds)
        case .grantRevoked: return GrantRevoked.isCanonical(fields, in: bounds)
        case .grantRecovered: return GrantRecovered.isCanonical(fields, in: bounds)
        case .enterpriseRegistered: return EnterpriseRegistered.isCanonical(fields, in: bounds)
        case .capabilityEvaluated: return CapabilityEvaluated.isCanonical(fields, in: bounds)
        case .tierPromoted: return TierPromoted.isCanonical(fields, in: bounds)
        case .tierDemoted: return TierDemoted.isCanonical(fields, in: bounds)
        case .enterpriseDeregistered: return EnterpriseDeregistered.isCanonical(fields, in: bounds)
        case .centreOpened: return CentreOpened.isCanonical(fields, in: bounds)
        case .centreClosed: return CentreClosed.isCanonical(fields, in: bounds)
        case .eventRetracted: return EventRetracted.isCanonical(fields, in: bounds)
        }
    }

    @inline(__always)
    func mappingNames(_ payload: DomainEvent.Payload, _ transform: (Int32) -> Int32) -> DomainEvent.Payload {
        switch self {
        case .programmeEstablished: return ProgrammeEstablished.mappingNames(payload, transform)
        case .programmeAmended: return ProgrammeAmended.mappingNames(payload, transform)
        case .budgetAppropriated: return BudgetAppropriated.mappingNames(payload, transform)
        case .grantAwarded: return GrantAwarded.mappingNames(payload, transform)
        case .grantAmended: return GrantAmended.mappingNames(payload, transform)
        case .grantDisbursed: return GrantDisbursed.mappingNames(payload, transform)
        case .grantRevoked: return GrantRevoked.mappingNames(payload, transform)
        case .grantRecovered: return GrantRecovered.mappingNames(payload, transform)
        case .enterpriseRegistered: return EnterpriseRegistered.mappingNames(payload, transform)
        case .capabilityEvaluated: return CapabilityEvaluated.mappingNames(payload, transform)
        case .tierPromoted: return TierPromoted.mappingNames(payload, transform)
        case .tierDemoted: return TierDemoted.mappingNames(payload, transform)
        case .enterpriseDeregistered: return EnterpriseDeregistered.mappingNames(payload, transform)
        case .centreOpened: return CentreOpened.mappingNames(payload, transform)
        case .centreClosed: return CentreClosed.mappingNames(payload, transform)
        case .eventRetracted: return EventRetracted.mappingNames(payload, transform)
        }
    }

    /// The type whose snapshot records carry `recordCode`. Read for every event a replay or a
    /// check visits, so a switch on constants rather than a lazily built table (whose once-check
    /// every call paid). `EventDefinitionTests` proves the codes distinct and this the inverse of
    /// `recordCode`.
    @inline(__always)
    init?(recordCode: UInt8) {
        switch recordCode {
        case ProgrammeEstablished.recordCode: self = .programmeEstablished
        case ProgrammeAmended.recordCode: self = .programmeAmended
        case BudgetAppropriated.recordCode: self = .budgetAppropriated
        case GrantAwarded.recordCode: self = .grantAwarded
        case GrantAmended.recordCode: self = .grantAmended
        case GrantDisbursed.recordCode: self = .grantDisbursed
        case GrantRevoked.recordCode: self = .grantRevoked
        case GrantRecovered.recordCode: self = .grantRecovered
        case EnterpriseRegistered.recordCode: self = .enterpriseRegistered
        case CapabilityEvaluated.recordCode: self = .capabilityEvaluated
        case TierPromoted.recordCode: self = .tierPromoted
        case TierDemoted.recordCode: self = .tierDemoted
        case EnterpriseDeregistered.recordCode: self = .enterpriseDeregistered
        case CentreOpened.recordCode: self = .centreOpened
        case CentreClosed.recordCode: self = .centreClosed
        case EventRetracted.recordCode: self = .eventRetracted
        default: return nil
        }
    }

    /// The record codes of `kinds` as bits of a word (bit `recordCode` set for each).
    static func codeBits(_ kinds: [EventKind]) -> UInt32 {
        kinds.reduce(0) { bits, kind in
            precondition(kind.recordCode < 32, "a record code is a bit of a 32-bit word")
            return bits | 1 << UInt32(kind.recordCode)
        }
    }

    /// Per snapshot record, so dispatched statically rather than through `definition`.
    var recordCode: UInt8 {
        switch self {
        case .programmeEstablished: return ProgrammeEstablished.recordCode
        case .programmeAmended: return ProgrammeAmended.recordCode
        case .budgetAppropriated: return BudgetAppropriated.recordCode
        case .grantAwarded: return GrantAwarded.recordCode
        case .grantAmended: return GrantAmended.recordCode
        case .grantDisbursed: return GrantDisbursed.recordCode
        case .grantRevoked: return GrantRevoked.recordCode
        case .grantRecovered: return GrantRecovered.recordCode
        case .enterpriseRegistered: return EnterpriseRegistered.recordCode
        case .capabilityEvaluated: return CapabilityEvaluated.recordCode
        case .tierPromoted: return TierPromoted.recordCode
        case .tierDemoted: return TierDemoted.recordCode
        case .enterpriseDeregistered: return EnterpriseDeregistered.recordCode
        case .centreOpened: return CentreOpened.recordCode
        case .centreClosed: return CentreClosed.recordCode
        case .eventRetracted: return EventRetracted.recordCode
        }
    }

    /// Per log line (the loader checks each event's log), so dispatched statically too.
    var definedLog: LogName? {
        switch self {
        case .programmeEstablished: return ProgrammeEstablished.log
        case .programmeAmended: return ProgrammeAmended.log
        case .budgetAppropriated: return BudgetAppropriated.log
        case .grantAwarded: return GrantAwarded.log
        case .grantAmended: return GrantAmended.log
        case .grantDisbursed: return GrantDisbursed.log
        case .grantRevoked: return GrantRevoked.log
        case .grantRecovered: return GrantRecovered.log
        case .enterpriseRegistered: return EnterpriseRegistered.log
        case .capabilityEvaluated: return CapabilityEvaluated.log
        case .tierPromoted: return TierPromoted.log
        case .tierDemoted: return TierDemoted.log
        case .enterpriseDeregistered: return EnterpriseDeregistered.log
        case .centreOpened: return CentreOpened.log
        case .centreClosed: return CentreClosed.log
        case .eventRetracted: return EventRetracted.log
        }
    }
}
