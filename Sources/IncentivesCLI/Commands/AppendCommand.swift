import IncentivesDomain
import LedgerLog

/// `incentives append [FILE|-]`: drafts as JSON lines, validated and appended all or nothing.
enum AppendCommand {
    static let spec = CommandSpec(
        name: "append", summary: "append drafts (JSON lines: id, type, effective, actor, source, data), all or nothing, recorded at the ledger's clock",
        usage: "incentives append [FILE|-] [--dry-run] [--strict] [--verbose] [--format table|json] [--events DIR]",
        valueOptions: ["events", "format"], flags: ["dry-run", "strict", "verbose"], positionals: 0...1)

    static func run(_ context: CommandContext) throws(LedgerError) -> ExitCode {
        let format = try context.format()
        let drafts = try readDrafts(context, nothing: "nothing was appended")
        return try commit(drafts, context: context, format: format)
    }

    /// The drafts of the file named by the positional argument, or of standard input.
    static func readDrafts(_ context: CommandContext, nothing: String) throws(LedgerError) -> [EventDraft] {
        let path = context.arguments.positionals.first ?? "-"
        let input: [UInt8]
        let inputName: String
        if path == "-" {
            input = context.io.readStandardInput()
            inputName = "standard input"
        } else {
            input = try readWholeFile(path)
            inputName = path
        }
        let drafts = try DraftParser.parse(input, inputName: inputName)
        guard !drafts.isEmpty else { throw .badData("\(inputName) holds no events; \(nothing)") }
        return drafts
    }

    /// The one way events enter the ledger from the command line: recorded at the clock's time,
    /// or, for `import`, at the drafts' own (see `DraftSubmission`).
    static func commit(_ drafts: [EventDraft], context: CommandContext, format: OutputFormat,
                       recordedTimes: RecordedTimeSource = .clock) throws(LedgerError) -> ExitCode {
        try DraftSubmission.submit(drafts, context: context, format: format, recordedTimes: recordedTimes)
    }
}

/// Reads a whole input file, with errors that name it.
func readWholeFile(_ path: String) throws(LedgerError) -> [UInt8] {
    guard let bytes = readFileBytes(path) else {
        throw .inputOutput("cannot read \(path); check the path and its permissions")
    }
    return bytes
}
