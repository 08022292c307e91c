/// Explains why a line failed the fast scan, in words an auditor can act on. Runs only for
/// bad lines, so it may use the general parser.
enum EventLineDiagnosis {
    static let members = ["actor", "data", "effective", "hash", "id", "prev", "recorded", "seq", "source", "type", "v"]

    static func explain(_ line: UnsafeRawBufferPointer, failure: ScanFailure?) -> String {
        var options = JSONParser.Options()
        options.maximumBytes = ScannedEventLine.maximumLineBytes
        let value: JSONValue
        do {
            value = try JSONParser.parse(line, options: options)
        } catch {
            return "not a valid JSON line: \(error.message)"
        }
        guard case .object(let object) = value else { return "not a JSON object" }
        let keys = object.members.map(\.key)
        for member in members where !keys.contains(member) {
            return "missing member \(member)"
        }
        if let unknown = keys.first(where: { !members.contains($0) }) {
            return "unknown member \(unknown)"
        }
        if let problem = shapeProblem(object) { return problem }
        if let canonical = try? JSONCanonical.serialize(value), !canonical.elementsEqual(line) {
            return "not in RFC 8785 canonical form (re-serialise it; see Events/README.md)"
        }
        guard let failure else { return "invalid event line" }
        return "\(failure.reason.rawValue) at byte \(failure.offset + 1)"
    }

    private static func shapeProblem(_ object: JSONObject) -> String? {
        func integer(_ key: String) -> Int64? {
            if case .number(let number)? = object[key] { return number.integerValue }
            return nil
        }
        func string(_ key: String) -> String? {
            if case .string(let text)? = object[key] { return text }
            return nil
        }
        if let problem = numberProblem(.object(object)) { return problem }
        guard let seq = integer("seq"), seq >= 1 else { return "seq must be an integer from 1" }
        guard let id = string("id"), EventID(rawValue: id) != nil else {
            return "invalid id: 1–64 characters from A-Za-z0-9._:-"
        }
        guard let type = string("type"), EventID(rawValue: type) != nil else { return "invalid type" }
        guard let version = integer("v"), version >= 1 else { return "v must be an integer from 1" }
        guard let recorded = string("recorded"), Timestamp(parsing: recorded) != nil else {
            return "invalid recorded \(string("recorded").map { "\"\($0)\"" } ?? "value"): expected YYYY-MM-DDTHH:MM:SSZ, a real time in UTC"
        }
        guard let effective = string("effective"), CalendarDate(parsing: effective) != nil else {
            return "invalid effective \(string("effective").map { "\"\($0)\"" } ?? "value"): expected YYYY-MM-DD, a real date"
        }
        guard let actor = string("actor"), !actor.isEmpty,
              actor.unicodeScalars.count <= ScannedEventLine.maximumActorScalars else {
            return "actor must be a non-empty string of at most \(ScannedEventLine.maximumActorScalars) characters"
        }
        guard let source = string("source"), !source.isEmpty,
              source.unicodeScalars.count <= ScannedEventLine.maximumSourceScalars else {
            return "source must be a non-empty string of at most \(ScannedEventLine.maximumSourceScalars) characters"
        }
        guard case .object = object["data"] else { return "data is not an object" }
        for key in ["prev", "hash"] {
            guard let text = string(key), SHA256Digest(hex: text) != nil else {
                return "\(key) is not 64 lowercase hex digits"
            }
        }
        return nil
    }

    /// Event numbers are integers within ±(2^53−1): money in fen, never a float.
    static func numberProblem(_ value: JSONValue) -> String? {
        switch value {
        case .number(let number):
            guard number.isInteger else { return "non-integer number \(number.literal): amounts are integers (fen)" }
            guard let integer = number.integerValue, integer.magnitude <= CanonicalScanner.maximumSafeInteger else {
                return "integer \(number.literal) beyond ±(2^53−1)"
            }
            return nil
        case .array(let elements):
            for element in elements { if let problem = numberProblem(element) { return problem } }
            return nil
        case .object(let object):
            for member in object.members { if let problem = numberProblem(member.value) { return problem } }
            return nil
        default:
            return nil
        }
    }
}
