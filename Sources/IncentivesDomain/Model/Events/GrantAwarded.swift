import LedgerLog

/// A grant of an amount is awarded to an enterprise under a programme, for a project.
enum GrantAwarded: EventDefinition {
    static let kind = EventKind.grantAwarded
    static let typeName = "GrantAwarded"
    static let log: LogName? = IncentiveLogs.grants
    static let recordCode: UInt8 = 4
    static let members = [
        MemberSpec("amountFen", .amount),
        MemberSpec("enterprise", .enterpriseCode),
        MemberSpec("grant", .identifier),
        MemberSpec("programme", .identifier),
        MemberSpec("project", .text),
    ]

    static func decode<Names: NameSink>(_ data: inout PayloadDecoder, into names: inout Names) throws(LedgerError)
        -> DomainEvent.Payload {
        let amountFen = try data.amount("amountFen")
        let enterprise: EnterpriseIndex = try data.identifier("enterprise", into: &names)
        let grant: GrantIndex = try data.identifier("grant", into: &names)
        let programme: ProgrammeIndex = try data.identifier("programme", into: &names)
        let project = try data.text("project", into: &names)
        return .grantAwarded(grant: grant, enterprise: enterprise, programme: programme, amountFen: amountFen, project: project)
    }

    static func pack(_ payload: DomainEvent.Payload, into fields: inout EventRecordFields) {
        guard case .grantAwarded(let grant, let enterprise, let programme, let amountFen, let project) = payload else {
            mismatch(payload)
        }
        (fields.a, fields.b, fields.c, fields.d) = (grant.rawValue, enterprise.rawValue, programme.rawValue, project.rawValue)
        fields.amount = amountFen.rawValue
    }

    static func unpack(_ fields: EventRecordFields, in bounds: EventRecordBounds) -> DomainEvent.Payload? {
        guard let grant: GrantIndex = bounds.index(fields.a), let enterprise: EnterpriseIndex = bounds.index(fields.b),
              let programme: ProgrammeIndex = bounds.index(fields.c), let project: TextIndex = bounds.index(fields.d) else {
            return nil
        }
        return .grantAwarded(grant: grant, enterprise: enterprise, programme: programme, amountFen: Fen(fields.amount),
                             project: project)
    }

    static func mappingNames(_ payload: DomainEvent.Payload, _ transform: (Int32) -> Int32) -> DomainEvent.Payload {
        guard case .grantAwarded(let grant, let enterprise, let programme, let amountFen, let project) = payload else {
            mismatch(payload)
        }
        return .grantAwarded(grant: grant.mapped(transform), enterprise: enterprise.mapped(transform),
                             programme: programme.mapped(transform), amountFen: amountFen, project: project.mapped(transform))
    }
}
