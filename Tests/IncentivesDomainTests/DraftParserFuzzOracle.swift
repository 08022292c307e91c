import IncentivesDomain
import LedgerLog

/// What the draft-parser fuzz target checks for each input, shared with the regression test that
/// replays its corpus and crash inputs (Tools/fuzz compiles this file into the fuzzer).
enum DraftParserFuzzOracle {
    static let inputName = "fuzz-input"

    /// `DraftParser.parse` either refuses with bad data naming the input (and a line, when a line
    /// is at fault), or returns drafts whose ids are distinct, whose data is canonical, and which
    /// read back identically when written out again as draft lines.
    static func check(_ bytes: [UInt8]) -> String? {
        let drafts: [EventDraft]
        do {
            drafts = try DraftParser.parse(bytes, inputName: inputName)
        } catch {
            guard error.code == .badData else { return "refused with \(error.code), not bad data: \(error.message)" }
            guard error.message.hasPrefix(inputName) else { return "the refusal does not name the input: \(error.message)" }
            return nil
        }
        var seen = Set<EventID>()
        for draft in drafts {
            guard seen.insert(draft.id).inserted else { return "id \(draft.id) returned twice" }
            guard draft.origin.hasPrefix(inputName + ":") else { return "draft origin \(draft.origin) names no line" }
            guard let canonical = try? JSONCanonical.canonicalize(draft.data), canonical == draft.data else {
                return "the data of \(draft.id) is not canonical"
            }
            guard let line = line(for: draft) else { return "draft \(draft.id) cannot be written out again" }
            do {
                let again = try DraftParser.parseLine(line, origin: draft.origin)
                guard again == draft else { return "draft \(draft.id) reads back differently" }
            } catch {
                return "draft \(draft.id), written out again, is refused: \(error.message)"
            }
        }
        return nil
    }

    /// A draft as the canonical JSON line that would produce it.
    static func line(for draft: EventDraft) -> [UInt8]? {
        guard let data = try? JSONParser.parse(draft.data) else { return nil }
        var members: [JSONMember] = [
            JSONMember(key: "actor", value: .string(draft.actor)),
            JSONMember(key: "data", value: data),
            JSONMember(key: "effective", value: .string(draft.effective.description)),
            JSONMember(key: "id", value: .string(draft.id.rawValue)),
            JSONMember(key: "source", value: .string(draft.source)),
            JSONMember(key: "type", value: .string(draft.kind.typeName)),
        ]
        if let recorded = draft.recorded {
            members.append(JSONMember(key: "recorded", value: .string(recorded.description)))
        }
        return try? JSONCanonical.serialize(.object(JSONObject(members: members)))
    }
}
