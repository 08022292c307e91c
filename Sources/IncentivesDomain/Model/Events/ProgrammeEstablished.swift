import LedgerLog

/// A programme is set up with its name and, optionally, its rules.
enum ProgrammeEstablished: EventDefinition {
    static let kind = EventKind.programmeEstablished
    static let typeName = "ProgrammeEstablished"
    static let log: LogName? = IncentiveLogs.grants
    static let recordCode: UInt8 = 1
    static let members = ProgrammeTerms.members(establishing: true)

    static func decode<Names: NameSink>(_ data: inout PayloadDecoder, into names: inout Names) throws(LedgerError)
        -> DomainEvent.Payload {
        .programmeEstablished(try ProgrammeTerms.decode(&data, into: &names))
    }

    static func pack(_ payload: DomainEvent.Payload, into fields: inout EventRecordFields) {
        guard case .programmeEstablished(let terms) = payload else { mismatch(payload) }
        terms.pack(into: &fields)
    }

    static func unpack(_ fields: EventRecordFields, in bounds: EventRecordBounds) -> DomainEvent.Payload? {
        // The schema requires an establishing event's name.
        guard let terms = ProgrammeTerms(fields, in: bounds), terms.name != nil else { return nil }
        return .programmeEstablished(terms)
    }

    static func mappingNames(_ payload: DomainEvent.Payload, _ transform: (Int32) -> Int32) -> DomainEvent.Payload {
        guard case .programmeEstablished(let terms) = payload else { mismatch(payload) }
        return .programmeEstablished(terms.mappingNames(transform))
    }
}
