import LedgerLog

/// A research centre opens, of a kind, in a city, perhaps with a partner.
enum CentreOpened: EventDefinition {
    static let kind = EventKind.centreOpened
    static let typeName = "CentreOpened"
    static let log: LogName? = IncentiveLogs.centres
    static let recordCode: UInt8 = 14
    static let members = [
        MemberSpec("centre", .identifier),
        MemberSpec("city", .text),
        MemberSpec("kind", .centreKind),
        MemberSpec("name", .text),
        MemberSpec("partner", .text, required: false),
    ]

    static func decode<Names: NameSink>(_ data: inout PayloadDecoder, into names: inout Names) throws(LedgerError)
        -> DomainEvent.Payload {
        // Names are interned in this order (not the canonical one): it fixes their indexes.
        let centre: CentreIndex = try data.identifier("centre", into: &names)
        let name = try data.text("name", into: &names)
        let kind = try data.centreKind("kind")
        let city = try data.text("city", into: &names)
        let partner = try data.optionalText("partner", into: &names)
        return .centreOpened(centre: centre, name: name, kind: kind, city: city, partner: partner)
    }

    static func pack(_ payload: DomainEvent.Payload, into fields: inout EventRecordFields) {
        guard case .centreOpened(let centre, let name, let kind, let city, let partner) = payload else { mismatch(payload) }
        (fields.a, fields.b, fields.c, fields.d) = (centre.rawValue, name.rawValue, city.rawValue, partner.storedRawValue)
        fields.small = kind.rawValue
    }

    static func unpack(_ fields: EventRecordFields, in bounds: EventRecordBounds) -> DomainEvent.Payload? {
        guard let centre: CentreIndex = bounds.index(fields.a), let name: TextIndex = bounds.index(fields.b),
              let city: TextIndex = bounds.index(fields.c), let partner: TextIndex? = bounds.optionalIndex(fields.d),
              let kind = CentreKind(rawValue: fields.small) else { return nil }
        return .centreOpened(centre: centre, name: name, kind: kind, city: city, partner: partner)
    }

    static func mappingNames(_ payload: DomainEvent.Payload, _ transform: (Int32) -> Int32) -> DomainEvent.Payload {
        guard case .centreOpened(let centre, let name, let kind, let city, let partner) = payload else { mismatch(payload) }
        return .centreOpened(centre: centre.mapped(transform), name: name.mapped(transform), kind: kind,
                             city: city.mapped(transform), partner: partner.mapped(transform))
    }
}
