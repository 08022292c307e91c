import LedgerLog

/// Reads drafts from JSON lines (`append FILE`): one object per line with `id`, `type`,
/// `effective`, `actor`, `source`, `data` and optionally `recorded` (and `v`, which must be 1).
/// `recorded` is read here and judged by the session: `append` refuses it, `import` requires it.
/// Every line is checked and every problem reported with its line number; one bad line refuses the batch.
public enum DraftParser {
    public static let maximumLineBytes = 1 << 20
    public static let maximumDrafts = EventWriter.maximumBatchEvents
    public static let maximumProblems = 100
    static let members = ["actor", "data", "effective", "id", "recorded", "source", "type", "v"]

    public static func parse(_ input: [UInt8], inputName: String) throws(LedgerError) -> [EventDraft] {
        if input.starts(with: [0xEF, 0xBB, 0xBF]) {
            throw .badData("\(inputName):1: starts with a UTF-8 byte-order mark; save it as UTF-8 without BOM; nothing was appended")
        }
        var drafts: [EventDraft] = []
        var problems: [String] = []
        var lineNumber = 0
        var start = 0
        while start < input.count {
            lineNumber += 1
            let end = input[start...].firstIndex(of: UInt8(ascii: "\n")) ?? input.count
            let line = input[start..<end]
            start = end + 1
            let origin = "\(inputName):\(lineNumber)"
            if line.isEmpty { continue }
            if line.count > maximumLineBytes {
                problems.append("\(origin): line of \(line.count) bytes is longer than \(maximumLineBytes); no event is that large")
            } else if line.last == UInt8(ascii: "\r") {
                problems.append("\(origin): ends in CR LF; save the file with LF (Unix) line ends")
            } else {
                do throws(LedgerError) {
                    drafts.append(try parseLine(Array(line), origin: origin))
                } catch {
                    problems.append(error.message)
                }
            }
            if problems.count >= maximumProblems { break }
            if drafts.count > maximumDrafts {
                throw .badData("\(inputName): more than \(maximumDrafts) events; split the file into batches")
            }
        }
        if !problems.isEmpty {
            let more = problems.count >= maximumProblems ? "\n(stopped after \(maximumProblems) problems)" : ""
            throw .badData(problems.joined(separator: "\n") + more + "\nnothing was appended; correct the lines above and run the command again")
        }
        var seen: [EventID: String] = [:]
        for draft in drafts {
            if let first = seen[draft.id] {
                throw .badData("\(draft.origin): id \(draft.id) is already used by \(first) in the same input; nothing was appended")
            }
            seen[draft.id] = draft.origin
        }
        return drafts
    }

    public static func parseLine(_ bytes: [UInt8], origin: String) throws(LedgerError) -> EventDraft {
        var options = JSONParser.Options()
        options.maximumBytes = maximumLineBytes
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes, options: options)
        } catch {
            throw .badData("\(origin): not valid JSON: \(error.message)")
        }
        guard case .object(let object) = value else { throw .badData("\(origin): a draft is a JSON object") }
        if let unknown = object.members.first(where: { !members.contains($0.key) }) {
            throw .badData("\(origin): unknown member \"\(unknown.key)\"; a draft has id, type, effective, actor, source, data and optionally recorded")
        }
        func string(_ key: String) throws(LedgerError) -> String {
            guard let member = object[key] else { throw .badData("\(origin): missing member \"\(key)\"") }
            guard case .string(let text) = member else { throw .badData("\(origin): \"\(key)\" must be a string") }
            return text
        }
        let id = try string("id")
        let typeName = try string("type")
        guard let kind = EventKind(typeName: typeName) else {
            throw .badData("\(origin): unknown event type \"\(typeName)\"; the types are \(EventKind.allCases.map(\.typeName).joined(separator: ", "))")
        }
        if let version = object["v"] {
            guard case .number(let number) = version, number.integerValue == Int64(EventKind.currentVersion) else {
                throw .badData("\(origin): v must be \(EventKind.currentVersion), the payload version this build writes")
            }
        }
        let effectiveText = try string("effective")
        guard let effective = CalendarDate(parsing: effectiveText) else {
            throw .badData("\(origin): effective \"\(effectiveText)\" is not a real date in the form YYYY-MM-DD")
        }
        var recorded: Timestamp? = nil
        if object["recorded"] != nil {
            let text = try string("recorded")
            guard let moment = Timestamp(parsing: text) else {
                throw .badData("\(origin): recorded \"\(text)\" is not a real UTC time in the form YYYY-MM-DDTHH:MM:SSZ")
            }
            recorded = moment
        }
        guard case .object(let data)? = object["data"] else {
            throw .badData("\(origin): missing member \"data\" (an object)")
        }
        return try EventDraft.make(id: id, kind: kind, effective: effective, recorded: recorded,
                                   actor: try string("actor"), source: try string("source"), data: data, origin: origin)
    }
}
