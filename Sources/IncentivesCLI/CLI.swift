import IncentivesDomain
import LedgerLog

/// The command line, callable in-process: `main.swift` only passes the process's arguments here.
public enum CLI {
    public static let version = "1.0.0"

    /// A command: its spec and what it does.
    struct Command: Sendable {
        let spec: CommandSpec
        let run: @Sendable (CommandContext) throws(LedgerError) -> ExitCode
    }

    static let commands: [Command] = [
        Command(spec: InitCommand.spec, run: InitCommand.run),
        Command(spec: VerifyCommand.spec, run: VerifyCommand.run),
        Command(spec: SummaryCommand.spec, run: SummaryCommand.run),
        Command(spec: GrantsCommand.spec, run: GrantsCommand.run),
        Command(spec: EnterpriseCommand.spec, run: EnterpriseCommand.run),
        Command(spec: TiersCommand.spec, run: TiersCommand.run),
        Command(spec: CentresCommand.spec, run: CentresCommand.run),
        Command(spec: HistoryCommand.spec, run: HistoryCommand.run),
        Command(spec: AppendCommand.spec, run: AppendCommand.run),
        Command(spec: ImportCommand.spec, run: ImportCommand.run),
        Command(spec: ProgrammeShortcuts.establishSpec, run: ProgrammeShortcuts.establish),
        Command(spec: ProgrammeShortcuts.amendSpec, run: ProgrammeShortcuts.amend),
        Command(spec: ProgrammeShortcuts.appropriateSpec, run: ProgrammeShortcuts.appropriate),
        Command(spec: GrantShortcuts.awardSpec, run: GrantShortcuts.award),
        Command(spec: GrantShortcuts.disburseSpec, run: GrantShortcuts.disburse),
        Command(spec: GrantShortcuts.amendSpec, run: GrantShortcuts.amend),
        Command(spec: GrantShortcuts.revokeSpec, run: GrantShortcuts.revoke),
        Command(spec: GrantShortcuts.recoverSpec, run: GrantShortcuts.recover),
        Command(spec: EnterpriseShortcuts.registerSpec, run: EnterpriseShortcuts.register),
        Command(spec: EnterpriseShortcuts.evaluateSpec, run: EnterpriseShortcuts.evaluate),
        Command(spec: EnterpriseShortcuts.promoteSpec, run: EnterpriseShortcuts.promote),
        Command(spec: EnterpriseShortcuts.demoteSpec, run: EnterpriseShortcuts.demote),
        Command(spec: EnterpriseShortcuts.deregisterSpec, run: EnterpriseShortcuts.deregister),
        Command(spec: CentreShortcuts.openSpec, run: CentreShortcuts.open),
        Command(spec: CentreShortcuts.closeSpec, run: CentreShortcuts.close),
        Command(spec: ShortcutCommands.retractSpec, run: ShortcutCommands.retract),
        Command(spec: ReplayCommand.spec, run: ReplayCommand.run),
        Command(spec: CheckpointCommand.spec, run: CheckpointCommand.run),
        Command(spec: AuditCommand.spec, run: AuditCommand.run),
        Command(spec: RestatementsCommand.spec, run: RestatementsCommand.run),
        Command(spec: ProgrammesCommand.spec, run: ProgrammesCommand.run),
        Command(spec: ReportCommand.spec, run: ReportCommand.run),
        Command(spec: StatementCommand.spec, run: StatementCommand.run),
        Command(spec: RepairCommand.spec, run: RepairCommand.run),
    ]

    /// The process entry point: real arguments, environment, streams and clock.
    public static func main() -> Int32 {
        ignoreSignalsThatWouldInterruptWrites()
        let io = StandardIO()
        let code = run(Array(CommandLine.arguments.dropFirst()), environment: processEnvironment(), io: io)
        guard io.finish() else {
            io.writeError("incentives: could not write the output (full disk or a write error)\n")
            return code == ExitCode.success.rawValue ? ExitCode.inputOutputError.rawValue : code
        }
        return code
    }

    /// Runs one command line (without the program name) and returns the exit code.
    public static func run(_ arguments: [String], environment: [String: String], io rawIO: CommandIO,
                           clock: any LedgerClock = SystemClock(), ledgerIds: LedgerIdSource = .system) -> Int32 {
        let io = TerminalSafeIO(rawIO)
        guard let name = arguments.first else {
            io.writeError(usageText())
            return ExitCode.usage.rawValue
        }
        switch name {
        case "help", "--help", "-h":
            // `help --events DIR` and the like: help's own options change nothing.
            guard arguments.count > 1, !arguments[1].hasPrefix("-") else {
                io.write(usageText())
                return ExitCode.success.rawValue
            }
            guard let command = commands.first(where: { $0.spec.name == arguments[1] }) else {
                io.writeError("incentives help: unknown command \"\(arguments[1])\"\(suggestion(for: arguments[1])); run `incentives help` for the list\n")
                return ExitCode.usage.rawValue
            }
            io.write(help(command.spec))
            return ExitCode.success.rawValue
        case "--version", "version":
            io.write("incentives \(version)\n")
            return ExitCode.success.rawValue
        default:
            break
        }
        guard let command = commands.first(where: { $0.spec.name == name }) else {
            io.writeError("incentives: unknown command \"\(name)\"\(suggestion(for: name)); run `incentives help` for the list\n")
            return ExitCode.usage.rawValue
        }
        let rest = Array(arguments.dropFirst())
        if rest.contains("--help") || rest.contains("-h") {
            io.write(help(command.spec))
            return ExitCode.success.rawValue
        }
        do throws(LedgerError) {
            let parsed = try ParsedArguments.parse(rest, spec: command.spec)
            io.escapesOutput = (parsed.value("format") ?? OutputFormat.table.rawValue) == OutputFormat.table.rawValue
            let context = CommandContext(io: io, environment: environment, clock: clock, arguments: parsed,
                                         command: command.spec.name, ledgerIds: ledgerIds)
            // Every command but `init` works on a ledger; a folder that is none is refused up front.
            if command.spec.name != InitCommand.spec.name { try context.requireLedger() }
            return try command.run(context).rawValue
        } catch {
            // Messages built inside a command may already start with its name; say it once.
            let message = error.message.hasPrefix(name + ": ") ? String(error.message.dropFirst(name.count + 2)) : error.message
            io.writeError("incentives \(name): \(message)\n")
            return ExitCode(error.code).rawValue
        }
    }

    static func suggestion(for name: String) -> String {
        commands.map(\.spec.name).min { distance($0, name) < distance($1, name) }.map { " (did you mean \($0)?)" } ?? ""
    }

    static func usageText() -> String {
        var text = "incentives: a tamper-evident ledger of innovation incentives\n\nusage: incentives COMMAND [options]\n\ncommands:\n"
        let width = commands.map(\.spec.name.count).max() ?? 0
        for command in commands {
            text += "  " + command.spec.name + String(repeating: " ", count: width - command.spec.name.count + 2)
                + command.spec.summary + "\n"
        }
        text += "\nevery command takes --events DIR (default: $INCENTIVES_EVENTS, else Events)\n"
        text += "exit codes: 0 success, 1 problems found, 64 usage, 65 bad data, 66 no ledger, 74 I/O error\n"
        text += "run `incentives help COMMAND` for a command's options\n"
        return text
    }

    static func help(_ spec: CommandSpec) -> String {
        "usage: \(spec.usage)\n\n\(spec.summary)\n"
    }

    /// Edit distance, for suggesting the command meant.
    static func distance(_ left: String, _ right: String) -> Int {
        let a = Array(left), b = Array(right)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return row[b.count]
    }
}
