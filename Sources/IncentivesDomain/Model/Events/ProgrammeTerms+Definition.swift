import LedgerLog

/// What `ProgrammeEstablished` and `ProgrammeAmended` share: the same members (the name is
/// required only to establish), the same decoding and the same record layout.
extension ProgrammeTerms {
    static func members(establishing: Bool) -> [MemberSpec] {
        [
            MemberSpec("capFen", .amount, required: false),
            MemberSpec("capYears", .integer(ValueBounds.capYears), required: false),
            MemberSpec("minTier", .tier, required: false),
            MemberSpec("name", .text, required: establishing),
            MemberSpec("programme", .identifier),
        ]
    }

    static func decode<Names: NameSink>(_ data: inout PayloadDecoder, into names: inout Names) throws(LedgerError)
        -> ProgrammeTerms {
        ProgrammeTerms(
            programme: try data.identifier("programme", into: &names),
            name: try data.optionalText("name", into: &names),
            minTier: try data.optionalTier("minTier"),
            capFen: try data.optionalAmount("capFen"),
            capYears: try data.optionalInteger("capYears").map { Int32(clamping: $0) })
    }

    /// Which optional members are present, in a record's flags.
    static let hasMinTier: UInt8 = 1, hasCapFen: UInt8 = 2, hasCapYears: UInt8 = 4

    /// a: programme, b: name (-1 when absent), small: minimum tier, c: cap years, amount: cap.
    func pack(into fields: inout EventRecordFields) {
        fields.a = programme.rawValue
        fields.b = name.storedRawValue
        if let minTier { fields.small = UInt8(minTier.rawValue); fields.flags |= ProgrammeTerms.hasMinTier }
        if let capFen { fields.amount = capFen.rawValue; fields.flags |= ProgrammeTerms.hasCapFen }
        if let capYears { fields.c = capYears; fields.flags |= ProgrammeTerms.hasCapYears }
    }

    init?(_ fields: EventRecordFields, in bounds: EventRecordBounds) {
        let known = ProgrammeTerms.hasMinTier | ProgrammeTerms.hasCapFen | ProgrammeTerms.hasCapYears
        guard fields.flags & ~known == 0, let programme: ProgrammeIndex = bounds.index(fields.a),
              let name: TextIndex? = bounds.optionalIndex(fields.b) else { return nil }
        var minTier: Tier? = nil
        if fields.flags & ProgrammeTerms.hasMinTier != 0 {
            guard let tier = Tier(rawValue: Int8(truncatingIfNeeded: fields.small)) else { return nil }
            minTier = tier
        }
        self.init(programme: programme, name: name, minTier: minTier,
                  capFen: fields.flags & ProgrammeTerms.hasCapFen != 0 ? Fen(fields.amount) : nil,
                  capYears: fields.flags & ProgrammeTerms.hasCapYears != 0 ? fields.c : nil)
    }

    func mappingNames(_ transform: (Int32) -> Int32) -> ProgrammeTerms {
        var mapped = self
        mapped.programme = programme.mapped(transform)
        mapped.name = name.mapped(transform)
        return mapped
    }
}
