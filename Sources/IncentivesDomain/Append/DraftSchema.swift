import LedgerLog

/// Checks a draft's `data` against its type's members and returns its canonical bytes.
public enum DraftSchema {
    public static func check(_ data: JSONObject, kind: EventKind, origin: String) throws(LedgerError) -> [UInt8] {
        let specs = kind.members
        func refuse(_ why: String) -> LedgerError { .badData("\(origin): \(kind) \(why)") }
        for member in data.members where !specs.contains(where: { $0.name == member.key }) {
            throw refuse("has an unknown member \"\(member.key)\"; its members are \(specs.map(\.name).joined(separator: ", "))")
        }
        for spec in specs {
            guard let value = data[spec.name] else {
                if spec.required { throw refuse("lacks the member \"\(spec.name)\"") }
                continue
            }
            if let problem = problem(value, spec: spec) { throw refuse("member \"\(spec.name)\" \(problem)") }
        }
        do {
            return try JSONCanonical.serialize(.object(data))
        } catch {
            throw refuse("data cannot be put in canonical form: \(error)")
        }
    }

    static func checkEnvelope(actor: String, source: String, origin: String) throws(LedgerError) {
        guard !actor.isEmpty, actor.unicodeScalars.count <= ScannedEventLine.maximumActorScalars else {
            throw .badData("\(origin): actor must be a non-empty string of at most \(ScannedEventLine.maximumActorScalars) characters (who records the event)")
        }
        if let problem = FreeText.controlProblem(actor) { throw .badData("\(origin): actor \(problem)") }
        guard !source.isEmpty, source.unicodeScalars.count <= ScannedEventLine.maximumSourceScalars else {
            throw .badData("\(origin): source must be a non-empty string of at most \(ScannedEventLine.maximumSourceScalars) characters (the document it rests on)")
        }
        if let problem = FreeText.controlProblem(source) { throw .badData("\(origin): source \(problem)") }
    }

    /// Why `value` does not fit `spec`, or nil.
    static func problem(_ value: JSONValue, spec: MemberSpec) -> String? {
        switch spec.shape {
        case .identifier:
            guard case .string(let text) = value, EventID(rawValue: text) != nil else {
                return "must be an identifier of 1–64 characters from A-Za-z0-9._:- (no spaces), got \(show(value))"
            }
        case .text:
            guard case .string(let text) = value, !text.isEmpty,
                  text.unicodeScalars.count <= MemberSpec.maximumTextCharacters else {
                return "must be a non-empty string of at most \(MemberSpec.maximumTextCharacters) characters"
            }
            if let problem = FreeText.controlProblem(text) { return problem }
        case .amount:
            guard let amount = integer(value) else { return integerProblem(value) }
            guard amount > 0 else { return "must be a positive amount in fen, got \(amount)" }
            guard amount <= ValueBounds.amountFen.upperBound else {
                return "must be at most \(ValueBounds.amountFen.upperBound) fen (10 billion yuan) in one event, got \(amount)"
            }
        case .integer(let range):
            guard let number = integer(value) else { return integerProblem(value) }
            guard range.contains(number) else { return "must be from \(range.lowerBound) to \(range.upperBound), got \(number)" }
        case .tier:
            guard case .string(let text) = value, Tier(name: text) != nil else {
                return "must be one of \(Tier.names.joined(separator: ", ")), got \(show(value))"
            }
        case .centreKind:
            guard case .string(let text) = value, CentreKind(name: text) != nil else {
                return "must be one of \(CentreKind.names.joined(separator: ", ")), got \(show(value))"
            }
        case .enterpriseCode:
            guard case .string(let text) = value else { return "must be a Unified Social Credit Code string, got \(show(value))" }
            if let problem = EnterpriseCode.formatProblem(text) { return "is invalid: \(problem)" }
        }
        return nil
    }

    static func integer(_ value: JSONValue) -> Int64? {
        guard case .number(let number) = value, number.isInteger, let integer = number.integerValue,
              integer.magnitude <= 9_007_199_254_740_991 else { return nil }
        return integer
    }

    static func integerProblem(_ value: JSONValue) -> String {
        guard case .number(let number) = value else { return "must be an integer, got \(show(value))" }
        if !number.isInteger { return "must be an integer (amounts are whole fen), got \(number.literal)" }
        return "must be within ±(2^53−1), got \(number.literal)"
    }

    static func show(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return "\"\(text)\""
        case .number(let number): return number.literal
        case .bool(let flag): return String(flag)
        case .null: return "null"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
