/// A command the benchmark spawns and times, and what it stands for in the tables.
struct MeasuredCommand: Sendable {
    enum Question: String, Sendable, CaseIterable {
        case floor = "read the logs (floor)"
        case verify = "verify"
        case perEnterprise = "awarded per enterprise"
        case perYear = "awarded per year"
        case perTier = "grants by tier at grant"
        case summary = "summary"
        case summaryAsOf = "summary as of 2022-06-30"
        case summaryKnownAt = "summary known at 2022-12-31"
        case auditKnownAt = "audit known at 2022-12-31"
    }

    enum Tool: String, Sendable, CaseIterable {
        case cat = "cat > /dev/null"
        case sha256sum = "sha256sum"
        case incentivesCold = "incentives (cold)"
        case incentivesWarm = "incentives (warm, snapshot)"
        case duckdbGiven = "DuckDB read_json, columns given"
        case duckdbAuto = "DuckDB read_json, schema detected"
        case hledger = "hledger"
        case ledger = "ledger-cli"
    }

    var question: Question
    var tool: Tool
    /// Searched in PATH when it has no slash.
    var executable: String
    var arguments: [String]
    /// Why the command cannot run here ("not installed"), or nil when it can.
    var unavailable: String?
    /// Runs made before measuring and not counted (a warm query first writes its snapshot).
    var primingRuns = 0

    /// A file name for its output, unique within a dataset.
    var slug: String {
        var text = ""
        for character in "\(question.rawValue) \(tool.rawValue)".lowercased() {
            if character.isLetter || character.isNumber { text.append(character) } else if text.last != "-" { text.append("-") }
        }
        while text.last == "-" { text.removeLast() }
        return text
    }

    /// The command as a person would type it, for the report.
    /// The command line as the report shows it: the program by its name, not by where this
    /// machine keeps it, so that reports from different machines read alike.
    var displayLine: String {
        let name = executable.split(separator: "/").last.map(String.init) ?? executable
        return ([name] + arguments).joined(separator: " ")
    }
}
