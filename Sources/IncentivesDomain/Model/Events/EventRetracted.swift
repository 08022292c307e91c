import LedgerLog

/// An earlier event of the same log is withdrawn from the record as of when this is recorded.
enum EventRetracted: EventDefinition {
    static let kind = EventKind.eventRetracted
    static let typeName = "EventRetracted"
    static let log: LogName? = nil
    static let recordCode: UInt8 = 16
    static let members = [
        MemberSpec("reason", .text),
        MemberSpec("target", .identifier),
    ]

    static func decode<Names: NameSink>(_ data: inout PayloadDecoder, into names: inout Names) throws(LedgerError)
        -> DomainEvent.Payload {
        // The target is resolved by the caller: the loader after the read, the validator at once.
        _ = try data.identifierRange("target")
        return .eventRetracted(target: nil, reason: try data.text("reason", into: &names))
    }

    static func pack(_ payload: DomainEvent.Payload, into fields: inout EventRecordFields) {
        guard case .eventRetracted(let target, let reason) = payload else { mismatch(payload) }
        (fields.a, fields.b) = (target.storedRawValue, reason.rawValue)
    }

    static func unpack(_ fields: EventRecordFields, in bounds: EventRecordBounds) -> DomainEvent.Payload? {
        guard let target: EventIndex? = bounds.earlierEvent(fields.a), let reason: TextIndex = bounds.index(fields.b) else {
            return nil
        }
        return .eventRetracted(target: target, reason: reason)
    }

    static func mappingNames(_ payload: DomainEvent.Payload, _ transform: (Int32) -> Int32) -> DomainEvent.Payload {
        guard case .eventRetracted(let target, let reason) = payload else { mismatch(payload) }
        // The target is an event, not a name: it stays.
        return .eventRetracted(target: target, reason: reason.mapped(transform))
    }
}
