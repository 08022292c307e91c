import LedgerLog
import Testing

/// What one command did.
struct CommandOutcome {
    var arguments: [String]
    var exitCode: Int32
    var output: String
    var errors: String

    var json: JSONValue? { try? JSONParser.parse(output) }

    /// The exit code and the output as JSON, compared by value (member order and spacing aside).
    @discardableResult
    func then(exit expected: Int32, json expectedJSON: String, sourceLocation: SourceLocation = #_sourceLocation) -> Self {
        #expect(exitCode == expected, "\(arguments): exit \(exitCode), errors: \(errors)", sourceLocation: sourceLocation)
        guard var actualValue = json else {
            Issue.record("\(arguments): output is not JSON: \(output)\(errors)", sourceLocation: sourceLocation)
            return self
        }
        // Every query's answer (an object with `knownAt`) names the heads it came from. Unless the
        // expectation states them, they are checked for form here (each log once, a count, a
        // hash) and left out of the comparison; `AnswerProvenanceTests` checks their values.
        if !expectedJSON.contains("\"heads\""), case .object(let object) = actualValue, object["knownAt"] != nil {
            CommandOutcome.expectWellFormedHeads(object["heads"], arguments: arguments, sourceLocation: sourceLocation)
            actualValue = .object(JSONObject(members: object.members.filter { $0.key != "heads" }))
        }
        guard let actual = try? JSONCanonical.serialize(actualValue) else {
            Issue.record("\(arguments): output is not JSON: \(output)\(errors)", sourceLocation: sourceLocation)
            return self
        }
        guard let wanted = try? JSONCanonical.canonicalize(expectedJSON) else {
            Issue.record("the expected JSON in the test is not JSON: \(expectedJSON)", sourceLocation: sourceLocation)
            return self
        }
        #expect(String(decoding: actual, as: UTF8.self) == String(decoding: wanted, as: UTF8.self),
                "\(arguments): output differs", sourceLocation: sourceLocation)
        return self
    }

    /// The exit code, and phrases that must appear in standard output and in standard error.
    @discardableResult
    func then(exit expected: Int32, output phrases: [String] = [], errors errorPhrases: [String] = [],
              sourceLocation: SourceLocation = #_sourceLocation) -> Self {
        #expect(exitCode == expected, "\(arguments): exit \(exitCode), output: \(output) errors: \(errors)",
                sourceLocation: sourceLocation)
        for phrase in phrases {
            #expect(output.contains(phrase), "\(arguments): output lacks \"\(phrase)\":\n\(output)", sourceLocation: sourceLocation)
        }
        for phrase in errorPhrases {
            #expect(errors.contains(phrase), "\(arguments): errors lack \"\(phrase)\":\n\(errors)", sourceLocation: sourceLocation)
        }
        return self
    }

    /// A member of the JSON output by path, e.g. `value("grants", "awardedFen")`.
    func value(_ path: String...) -> JSONValue? {
        var current = json
        for key in path { current = current?[key] }
        return current
    }

    /// `heads`: one entry per log of the ledger in rank order, each with a count and a 64-digit hash.
    static func expectWellFormedHeads(_ heads: JSONValue?, arguments: [String], sourceLocation: SourceLocation) {
        guard case .array(let entries)? = heads else {
            Issue.record("\(arguments): the answer names no heads", sourceLocation: sourceLocation)
            return
        }
        let logs = entries.compactMap { entry -> String? in
            guard case .string(let log)? = entry["log"] else { return nil }
            return log
        }
        #expect(logs == ["tiers", "centres", "grants"], "\(arguments): heads \(logs)", sourceLocation: sourceLocation)
        for entry in entries {
            guard case .number(let count)? = entry["events"], let events = count.integerValue, events >= 0,
                  case .string(let head)? = entry["head"], head.utf8.count == 64,
                  head.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
                Issue.record("\(arguments): a heads entry lacks a count or a hash: \(entry)", sourceLocation: sourceLocation)
                continue
            }
        }
    }
}
