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
        guard let actual = try? JSONCanonical.canonicalize(output) else {
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
}
