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
/// The clock is a `FixedClock` (`now`), so the recorded time of appended events and the default
/// `--known-at` never depend on the wall clock. `given(at:)` appends as if the clock said an
/// earlier moment: the history a scenario starts from, built the way the ledger builds it.
/// Snapshots go to the scenario's own cache (`INCENTIVES_CACHE_DIR`).
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

    /// Appends draft lines through `incentives append FILE` with the clock at `moment` (they must
    /// be accepted); `now` is unchanged for every later command.
    @discardableResult
    func given(at moment: String, _ lines: [String], sourceLocation: SourceLocation = #_sourceLocation) -> CommandOutcome {
        let outcome = append(at: moment, lines)
        #expect(outcome.exitCode == 0, "given at \(moment): the drafts were refused: \(outcome.errors)",
                sourceLocation: sourceLocation)
        return outcome
    }

    /// Appends draft lines with the clock at `moment` and reports what happened, accepted or not.
    func append(at moment: String, _ lines: [String], extraArguments: [String] = []) -> CommandOutcome {
        let saved = now
        now = Timestamp(parsing: moment)!
        defer { now = saved }
        return append(lines, extraArguments: extraArguments)
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
        // The reading user's snapshot cache, private to this scenario (unless a test names its own).
        let environment = ["INCENTIVES_CACHE_DIR": directory.cache].merging(environment) { $1 }
        let code = CLI.run(arguments + (addingEvents ? ["--events", events] : []), environment: environment, io: io,
                           clock: FixedClock(now))
        return CommandOutcome(arguments: arguments, exitCode: code, output: io.output, errors: io.errors)
    }
}
