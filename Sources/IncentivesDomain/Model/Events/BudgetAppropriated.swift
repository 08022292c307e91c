import LedgerLog

/// Money is set aside for a programme for one year.
enum BudgetAppropriated: EventDefinition {
    static let kind = EventKind.budgetAppropriated
    static let typeName = "BudgetAppropriated"
    static let log: LogName? = IncentiveLogs.grants
    static let recordCode: UInt8 = 3
    static let members = [
        MemberSpec("amountFen", .amount),
        MemberSpec("programme", .identifier),
        MemberSpec("year", .integer(ValueBounds.year)),
    ]

    static func decode<Names: NameSink>(_ data: inout PayloadDecoder, into names: inout Names) throws(LedgerError)
        -> DomainEvent.Payload {
        let programme: ProgrammeIndex = try data.identifier("programme", into: &names)
        let year = Int32(clamping: try data.integer("year"))
        let amountFen = try data.amount("amountFen")
        return .budgetAppropriated(programme: programme, year: year, amountFen: amountFen)
    }

    static func pack(_ payload: DomainEvent.Payload, into fields: inout EventRecordFields) {
        guard case .budgetAppropriated(let programme, let year, let amountFen) = payload else { mismatch(payload) }
        (fields.a, fields.b, fields.amount) = (programme.rawValue, year, amountFen.rawValue)
    }

    static func unpack(_ fields: EventRecordFields, in bounds: EventRecordBounds) -> DomainEvent.Payload? {
        guard let programme: ProgrammeIndex = bounds.index(fields.a) else { return nil }
        return .budgetAppropriated(programme: programme, year: fields.b, amountFen: Fen(fields.amount))
    }

    static func mappingNames(_ payload: DomainEvent.Payload, _ transform: (Int32) -> Int32) -> DomainEvent.Payload {
        guard case .budgetAppropriated(let programme, let year, let amountFen) = payload else { mismatch(payload) }
        return .budgetAppropriated(programme: programme.mapped(transform), year: year, amountFen: amountFen)
    }
}
