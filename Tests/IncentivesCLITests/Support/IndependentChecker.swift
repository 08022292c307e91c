import Foundation
import LedgerLog

/// The independent Python checker, `verify-chain.py`, kept beside the repository in
/// `<repository>/../shared/tools/`. In a git worktree the repository's main checkout is tried
/// too; `INCENTIVES_VERIFY_CHAIN` may name the script directly.
enum IndependentChecker {
    static let script: String? = locateScript()
    static let python: String? = locatePython()
    static var isAvailable: Bool { script != nil && python != nil }

    /// The package root: this file is `<root>/Tests/IncentivesCLITests/Support/IndependentChecker.swift`.
    static func packageRoot(filePath: String = #filePath) -> String {
        var path = filePath
        for _ in 0..<4 { path = (path as NSString).deletingLastPathComponent }
        return path
    }

    /// python3 on PATH, resolved once to the interpreter itself (version-manager shims cost a
    /// large part of a second per start).
    static func locatePython() -> String? {
        guard let found = ChildProcess.which("python3") else { return nil }
        let scratch = NSTemporaryDirectory()
        let resolved = ChildProcess.run(found, ["-c", "import sys; print(sys.executable)"], scratch: scratch)
        let path = resolved.output.trimmingCharacters(in: .whitespacesAndNewlines)
        return resolved.status == 0 && FileManager.default.isExecutableFile(atPath: path) ? path : found
    }

    static func locateScript() -> String? {
        let manager = FileManager.default
        if let named = ProcessInfo.processInfo.environment["INCENTIVES_VERIFY_CHAIN"], manager.fileExists(atPath: named) {
            return named
        }
        let root = packageRoot()
        var candidates = [root + "/../shared/tools/verify-chain.py"]
        // A worktree's `.git` is a file: "gitdir: <main>/.git/worktrees/<name>".
        if let text = try? String(contentsOfFile: root + "/.git", encoding: .utf8), text.hasPrefix("gitdir: ") {
            var main = text.dropFirst("gitdir: ".count).trimmingCharacters(in: .whitespacesAndNewlines)
            for _ in 0..<3 { main = (main as NSString).deletingLastPathComponent }
            candidates.append(main + "/../shared/tools/verify-chain.py")
        }
        return candidates.first { manager.fileExists(atPath: $0) }.map { ($0 as NSString).standardizingPath }
    }

    /// What the checker said about an events directory.
    struct Verdict {
        var ok: Bool
        /// Events and head per log name.
        var logs: [String: (events: Int, head: String)]
        var problems: [(log: String, line: Int, problem: String)]
        var raw: String
    }

    static func check(_ directory: String, scratch: String) -> Verdict? {
        guard let script, let python else { return nil }
        let outcome = ChildProcess.run(python, [script, directory, "--json"], scratch: scratch)
        guard let value = try? JSONParser.parse(outcome.output), let ok = value["ok"]?.boolValue else { return nil }
        var logs: [String: (events: Int, head: String)] = [:]
        for log in value["logs"]?.arrayValue ?? [] {
            guard let name = log["log"]?.stringValue, let events = log["events"]?.numberValue?.integerValue,
                  let head = log["head"]?.stringValue else { continue }
            logs[name] = (Int(events), head)
        }
        let problems = (value["problems"]?.arrayValue ?? []).compactMap { problem -> (String, Int, String)? in
            guard let log = problem["log"]?.stringValue, let line = problem["line"]?.numberValue?.integerValue,
                  let text = problem["problem"]?.stringValue else { return nil }
            return (log, Int(line), text)
        }
        return Verdict(ok: ok, logs: logs, problems: problems, raw: outcome.output + outcome.errors)
    }
}
