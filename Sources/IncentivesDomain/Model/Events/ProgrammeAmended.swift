import LedgerLog

/// A programme's name or rules change from its effective date on; absent members stay as they were.
enum ProgrammeAmended: EventDefinition {
    static let kind = EventKind.programmeAmended
    static let typeName = "ProgrammeAmended"
    static let log: LogName? = IncentiveLogs.grants
    static let recordCode: UInt8 = 2
    static let members = ProgrammeTerms.members(establishing: false)

    static func decode<Names: NameSink>(_ data: inout PayloadDecoder, into names: inout Names) throws(LedgerError)
        -> DomainEvent.Payload {
        .programmeAmended(try ProgrammeTerms.decode(&data, into: &names))
    }

    static func pack(_ payload: DomainEvent.Payload, into fields: inout EventRecordFields) {
        guard case .programmeAmended(let terms) = payload else { mismatch(payload) }
        terms.pack(into: &fields)
    }

    static func unpack(_ fields: EventRecordFields, in bounds: EventRecordBounds) -> DomainEvent.Payload? {
        ProgrammeTerms(fields, in: bounds).map { .programmeAmended($0) }
    }

    static func mappingNames(_ payload: DomainEvent.Payload, _ transform: (Int32) -> Int32) -> DomainEvent.Payload {
        guard case .programmeAmended(let terms) = payload else { mismatch(payload) }
        return .programmeAmended(terms.mappingNames(transform))
    }
}
