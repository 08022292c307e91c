import Foundation
import IncentivesCLI
import LedgerLog
import Testing

/// The README's command examples that show whole outputs are the commands' real outputs on the
/// bundled Events/, so that they cannot drift from what the tool prints.
@Suite("README examples")
struct ReadmeExampleTests {
    static let readme = GoldenReplayTests.repository + "/README.md"

    /// Commands whose whole output the README shows (the audit session's first block is cut on purpose).
    static let examples = [
        "incentives restatements --period 2022 --reported-at 2023-01-15 --known-at 2023-12-31",
        "incentives audit --known-at 2023-01-15 --rule after-deregistration,unrecovered-revocation",
    ]

    /// The lines after `$ COMMAND` up to the next prompt or the end of the code block.
    static func shownOutput(of command: String, in text: String) -> String? {
        guard let start = text.range(of: "$ " + command + "\n") else { return nil }
        var lines: [Substring] = []
        for line in text[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("$ ") || line.hasPrefix("```") { break }
            lines.append(line)
        }
        return lines.map { $0 + "\n" }.joined()
    }

    @Test("each example's output is the command's output", arguments: examples)
    func example(command: String) throws {
        let text = try String(contentsOfFile: Self.readme, encoding: .utf8)
        let shown = try #require(Self.shownOutput(of: command, in: text), "the README shows `\(command)`")
        let io = CapturedIO()
        let arguments = command.split(separator: " ").dropFirst().map(String.init)
        _ = CLI.run(arguments + ["--events", GoldenReplayTests.events], environment: [:], io: io, clock: GoldenReplayTests.clock)
        #expect(io.errors.isEmpty, "\(io.errors)")
        // The README block holds the output and a blank line before the next prompt, if any.
        let printed = io.output
        #expect(shown == printed || shown == printed + "\n", "README.md shows for `\(command)`:\n\(shown)\nbut it prints:\n\(printed)")
    }

    @Test("the environment variables the commands read are documented")
    func environment() throws {
        let text = try String(contentsOfFile: Self.readme, encoding: .utf8)
        for name in ["INCENTIVES_EVENTS", "INCENTIVES_NO_SNAPSHOT", "INCENTIVES_ACTOR"] {
            #expect(text.contains("$" + name) || text.contains(name + "="), "README.md documents \(name)")
        }
    }
}
