import Foundation
import IncentivesCLI
import LedgerLog
import Testing

/// Given / when / then for the command line, in process:
///
///     let scenario = LedgerScenario()
///     scenario.given([Draft.register(...), Draft.award(...)])   // appended through `incentives append`
///     scenario.when(["summary", "--format", "json"])              // `--events DIR` is added
///         .then(exit: 0, json: #"{"grants": {...}}"#)
///
/// The clock is a `FixedClock` (`now`), so drafts without `recorded` and the default `--known-at`
/// never depend on the wall clock.
final class LedgerScenario: @unchecked Sendable {
    let directory = TemporaryEventsDirectory()
    var now: Timestamp
    private var inputCount = 0

    init(now: String = "2025-01-15T09:00:00Z") {
        self.now = Timestamp(parsing: now)!
    }

    var events: String { directory.events }

    /// Appends draft lines through `incentives append FILE`; they must be accepted.
    @discardableResult
    func given(_ lines: [String], sourceLocation: SourceLocation = #_sourceLocation) -> CommandOutcome {
        let outcome = append(lines)
        #expect(outcome.exitCode == 0, "given: the drafts were refused: \(outcome.errors)", sourceLocation: sourceLocation)
        return outcome
    }

    /// Appends draft lines and reports what happened, accepted or not.
    func append(_ lines: [String], extraArguments: [String] = []) -> CommandOutcome {
        appendBytes(Array(lines.map { $0 + "\n" }.joined().utf8), extraArguments: extraArguments)
    }

    func appendBytes(_ bytes: [UInt8], extraArguments: [String] = []) -> CommandOutcome {
        inputCount += 1
        let path = directory.writeInput("drafts-\(inputCount).jsonl", bytes)
        return when(["append", path] + extraArguments)
    }

    /// The path the next draft file will have (for asserting messages that name it).
    var nextInputPath: String { directory.inputs + "/drafts-\(inputCount + 1).jsonl" }

    /// Runs one command line against this scenario's events directory (`--events DIR` is added
    /// at the end unless `addingEvents` is false, for command lines that must be exactly as given).
    func when(_ arguments: [String], environment: [String: String] = [:], input: [UInt8] = [],
              addingEvents: Bool = true) -> CommandOutcome {
        let io = CapturedIO(input: input)
        let code = CLI.run(arguments + (addingEvents ? ["--events", events] : []), environment: environment, io: io,
                           clock: FixedClock(now))
        return CommandOutcome(arguments: arguments, exitCode: code, output: io.output, errors: io.errors)
    }
}

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
