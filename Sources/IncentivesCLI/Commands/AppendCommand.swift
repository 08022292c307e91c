import IncentivesDomain
import LedgerLog

/// `incentives append [FILE|-]`: drafts as JSON lines, validated and appended all or nothing.
enum AppendCommand {
    static let spec = CommandSpec(
        name: "append", summary: "append drafts (JSON lines: id, type, effective, actor, source, data), all or nothing, recorded at the ledger's clock",
        usage: "incentives append [FILE|-] [--format table|json] [--events DIR]",
        valueOptions: ["events", "format"], positionals: 0...1)

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
    /// or, for `import`, at the drafts' own.
    static func commit(_ drafts: [EventDraft], context: CommandContext, format: OutputFormat,
                       recordedTimes: RecordedTimeSource = .clock) throws(LedgerError) -> ExitCode {
        let session = try AppendSession(store: context.store, clock: context.clock, useSnapshot: context.usesSnapshot,
                                        environment: context.environment, recordedTimes: recordedTimes) { notice in
            context.io.writeError("incentives \(context.command): \(notice)\n")
        }
        if context.environment["INCENTIVES_SNAPSHOT_TRACE"] == "1" {
            context.io.writeError("incentives \(context.command): \(session.openingNote)\n")
        }
        let outcome = try session.append(drafts)
        if format == .json {
            context.printJSON(.record([
                ("appended", .array(outcome.appended.map {
                    .record([("id", .text($0.id.rawValue)), ("log", .text($0.log.rawValue)), ("seq", .integer($0.seq)),
                             ("recorded", .text($0.recorded.description)), ("hash", .text($0.hash.hex))])
                })),
                ("alreadyPresent", .array(outcome.alreadyPresent.map { .text($0.rawValue) })),
            ]))
        } else {
            for event in outcome.appended {
                context.io.write("appended \(event.id) as \(event.log.fileName) seq \(event.seq), hash \(event.hash.hex)\n")
            }
            for id in outcome.alreadyPresent {
                context.io.write("already present: \(id) (identical event in the ledger; nothing added)\n")
            }
            context.io.write("\(outcome.appended.count) appended, \(outcome.alreadyPresent.count) already present\n")
        }
        return .success
    }
}

/// Reads a whole input file, with errors that name it.
func readWholeFile(_ path: String) throws(LedgerError) -> [UInt8] {
    guard let bytes = readFileBytes(path) else {
        throw .inputOutput("cannot read \(path); check the path and its permissions")
    }
    return bytes
}
