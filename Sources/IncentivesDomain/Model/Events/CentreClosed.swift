import LedgerLog

/// A research centre closes.
enum CentreClosed: EventDefinition {
    static let kind = EventKind.centreClosed
    static let typeName = "CentreClosed"
    static let log: LogName? = IncentiveLogs.centres
    static let recordCode: UInt8 = 15
    static let members = [
        MemberSpec("centre", .identifier),
        MemberSpec("reason", .text),
    ]

    static func decode<Names: NameSink>(_ data: inout PayloadDecoder, into names: inout Names) throws(LedgerError)
        -> DomainEvent.Payload {
        let centre: CentreIndex = try data.identifier("centre", into: &names)
        return .centreClosed(centre: centre, reason: try data.text("reason", into: &names))
    }

    static func pack(_ payload: DomainEvent.Payload, into fields: inout EventRecordFields) {
        guard case .centreClosed(let centre, let reason) = payload else { mismatch(payload) }
        (fields.a, fields.b) = (centre.rawValue, reason.rawValue)
    }

    static func unpack(_ fields: EventRecordFields, in bounds: EventRecordBounds) -> DomainEvent.Payload? {
        guard let centre: CentreIndex = bounds.index(fields.a), let reason: TextIndex = bounds.index(fields.b) else { return nil }
        return .centreClosed(centre: centre, reason: reason)
    }

    static func mappingNames(_ payload: DomainEvent.Payload, _ transform: (Int32) -> Int32) -> DomainEvent.Payload {
        guard case .centreClosed(let centre, let reason) = payload else { mismatch(payload) }
        return .centreClosed(centre: centre.mapped(transform), reason: reason.mapped(transform))
    }
}
