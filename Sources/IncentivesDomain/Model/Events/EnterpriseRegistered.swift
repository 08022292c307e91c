import LedgerLog

/// An enterprise joins the plan.
enum EnterpriseRegistered: EventDefinition {
    static let kind = EventKind.enterpriseRegistered
    static let typeName = "EnterpriseRegistered"
    static let log: LogName? = IncentiveLogs.tiers
    static let recordCode: UInt8 = 9
    static let members = [
        MemberSpec("enterprise", .enterpriseCode),
        MemberSpec("name", .text),
        MemberSpec("sector", .text),
    ]

    static func decode<Names: NameSink>(_ data: inout PayloadDecoder, into names: inout Names) throws(LedgerError)
        -> DomainEvent.Payload {
        let enterprise: EnterpriseIndex = try data.identifier("enterprise", into: &names)
        let name = try data.text("name", into: &names)
        return .enterpriseRegistered(enterprise: enterprise, name: name, sector: try data.text("sector", into: &names))
    }

    static func pack(_ payload: DomainEvent.Payload, into fields: inout EventRecordFields) {
        guard case .enterpriseRegistered(let enterprise, let name, let sector) = payload else { mismatch(payload) }
        (fields.a, fields.b, fields.c) = (enterprise.rawValue, name.rawValue, sector.rawValue)
    }

    static func unpack(_ fields: EventRecordFields, in bounds: EventRecordBounds) -> DomainEvent.Payload? {
        guard let enterprise: EnterpriseIndex = bounds.index(fields.a), let name: TextIndex = bounds.index(fields.b),
              let sector: TextIndex = bounds.index(fields.c) else { return nil }
        return .enterpriseRegistered(enterprise: enterprise, name: name, sector: sector)
    }

    static func mappingNames(_ payload: DomainEvent.Payload, _ transform: (Int32) -> Int32) -> DomainEvent.Payload {
        guard case .enterpriseRegistered(let enterprise, let name, let sector) = payload else { mismatch(payload) }
        return .enterpriseRegistered(enterprise: enterprise.mapped(transform), name: name.mapped(transform),
                                     sector: sector.mapped(transform))
    }
}
