import LedgerLog

/// An enterprise leaves the plan.
enum EnterpriseDeregistered: EventDefinition {
    static let kind = EventKind.enterpriseDeregistered
    static let typeName = "EnterpriseDeregistered"
    static let log: LogName? = IncentiveLogs.tiers
    static let recordCode: UInt8 = 13
    static let members = [
        MemberSpec("enterprise", .enterpriseCode),
        MemberSpec("reason", .text),
    ]

    static func decode<Names: NameSink>(_ data: inout PayloadDecoder, into names: inout Names) throws(LedgerError)
        -> DomainEvent.Payload {
        let enterprise: EnterpriseIndex = try data.identifier("enterprise", into: &names)
        return .enterpriseDeregistered(enterprise: enterprise, reason: try data.text("reason", into: &names))
    }

    static func pack(_ payload: DomainEvent.Payload, into fields: inout EventRecordFields) {
        guard case .enterpriseDeregistered(let enterprise, let reason) = payload else { mismatch(payload) }
        (fields.a, fields.b) = (enterprise.rawValue, reason.rawValue)
    }

    static func unpack(_ fields: EventRecordFields, in bounds: EventRecordBounds) -> DomainEvent.Payload? {
        guard let enterprise: EnterpriseIndex = bounds.index(fields.a), let reason: TextIndex = bounds.index(fields.b) else {
            return nil
        }
        return .enterpriseDeregistered(enterprise: enterprise, reason: reason)
    }

    static func mappingNames(_ payload: DomainEvent.Payload, _ transform: (Int32) -> Int32) -> DomainEvent.Payload {
        guard case .enterpriseDeregistered(let enterprise, let reason) = payload else { mismatch(payload) }
        return .enterpriseDeregistered(enterprise: enterprise.mapped(transform), reason: reason.mapped(transform))
    }
}
