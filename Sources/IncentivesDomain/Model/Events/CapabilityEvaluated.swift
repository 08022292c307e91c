import LedgerLog

/// An enterprise's innovation capability is scored.
enum CapabilityEvaluated: EventDefinition {
    static let kind = EventKind.capabilityEvaluated
    static let typeName = "CapabilityEvaluated"
    static let log: LogName? = IncentiveLogs.tiers
    static let recordCode: UInt8 = 10
    static let members = [
        MemberSpec("enterprise", .enterpriseCode),
        MemberSpec("score", .integer(ValueBounds.score)),
    ]

    static func decode<Names: NameSink>(_ data: inout PayloadDecoder, into names: inout Names) throws(LedgerError)
        -> DomainEvent.Payload {
        let enterprise: EnterpriseIndex = try data.identifier("enterprise", into: &names)
        return .capabilityEvaluated(enterprise: enterprise, score: Int32(clamping: try data.integer("score")))
    }

    static func pack(_ payload: DomainEvent.Payload, into fields: inout EventRecordFields) {
        guard case .capabilityEvaluated(let enterprise, let score) = payload else { mismatch(payload) }
        (fields.a, fields.b) = (enterprise.rawValue, score)
    }

    static func unpack(_ fields: EventRecordFields, in bounds: EventRecordBounds) -> DomainEvent.Payload? {
        guard let enterprise: EnterpriseIndex = bounds.index(fields.a) else { return nil }
        return .capabilityEvaluated(enterprise: enterprise, score: fields.b)
    }

    static func mappingNames(_ payload: DomainEvent.Payload, _ transform: (Int32) -> Int32) -> DomainEvent.Payload {
        guard case .capabilityEvaluated(let enterprise, let score) = payload else { mismatch(payload) }
        return .capabilityEvaluated(enterprise: enterprise.mapped(transform), score: score)
    }
}
