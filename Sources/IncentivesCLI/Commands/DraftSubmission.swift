import IncentivesDomain
import LedgerLog

/// How drafts enter the ledger from the command line, for `append` and every daily command:
/// validated and sealed; the audit run once on the ledger as it would be, each finding it would
/// add said on stderr (and, under `--strict`, an added error refuses the batch); then written,
/// or with `--dry-run` only shown, exactly as it would be written.
enum DraftSubmission {
    /// An import (`recordedTimes: .drafts`) is history kept elsewhere: it is not audited here
    /// (`incentives audit` reads it whole), so it is written without warnings.
    static func submit(_ drafts: [EventDraft], context: CommandContext, format: OutputFormat,
                       recordedTimes: RecordedTimeSource = .clock) throws(LedgerError) -> ExitCode {
        let dryRun = context.arguments.has("dry-run")
        let strict = context.arguments.has("strict")
        let session = try AppendSession(store: context.store, clock: context.clock, useSnapshot: context.usesSnapshot,
                                        environment: context.environment, recordedTimes: recordedTimes,
                                        preview: dryRun) { notice in
            context.io.writeError("incentives \(context.command): \(notice)\n")
        }
        if context.environment["INCENTIVES_SNAPSHOT_TRACE"] == "1" {
            context.io.writeError("incentives \(context.command): \(session.openingNote)\n")
        }
        let prepared = try session.prepare(drafts, audit: recordedTimes == .clock)
        let added = prepared.audit?.added ?? []
        for finding in added {
            context.io.writeError("warning: \(finding.rule.name) (\(finding.severity.name)): \(finding.message)\n")
        }
        let errors = prepared.audit?.errors ?? []
        if strict, !errors.isEmpty {
            let rules = Array(Set(errors.map(\.rule.name))).sorted().joined(separator: ", ")
            throw .badData("refused under --strict: \(errors.count == 1 ? "this would add an error finding" : "these would add \(errors.count) error findings") (\(rules)); nothing was appended")
        }
        if dryRun {
            show(prepared, findings: added, context: context, format: format)
            return .success
        }
        let outcome = try session.commit(prepared)
        report(outcome, findings: added, context: context, format: format)
        return .success
    }

    /// A dry run: the lines exactly as they would be written, on stdout; what happened, on stderr.
    private static func show(_ prepared: AppendSession.PreparedBatch, findings: [AuditFinding], context: CommandContext,
                             format: OutputFormat) {
        let sealed = prepared.sealed
        if format == .json {
            context.printJSON(.record([
                ("dryRun", .bool(true)),
                ("wouldAppend", .array(sealed.appended.indices.map { index in
                    let event = sealed.appended[index]
                    return .record([("id", .text(event.id.rawValue)), ("log", .text(event.log.rawValue)), ("seq", .integer(event.seq)),
                                    ("recorded", .text(event.recorded.description)), ("hash", .text(event.hash.hex)),
                                    ("line", .text(lineText(sealed.line(index))))])
                })),
                ("alreadyPresent", .array(prepared.alreadyPresent.map { .text($0.rawValue) })),
                ("findings", .array(findings.map(\.json))),
            ]))
        } else {
            var text = ""
            for index in sealed.appended.indices { text += lineText(sealed.line(index)) + "\n" }
            context.io.write(text)
        }
        for id in prepared.alreadyPresent {
            context.io.writeError("already present: \(id) (identical event in the ledger; it would not be added)\n")
        }
        context.io.writeError("dry run: \(sealed.appended.count) would be appended, \(prepared.alreadyPresent.count) already present, \(findings.count) new finding\(findings.count == 1 ? "" : "s"); nothing was written\n")
    }

    private static func lineText(_ line: ArraySlice<UInt8>) -> String {
        String(decoding: line.last == UInt8(ascii: "\n") ? line.dropLast() : line, as: UTF8.self)
    }

    private static func report(_ outcome: AppendOutcome, findings: [AuditFinding], context: CommandContext, format: OutputFormat) {
        if format == .json {
            context.printJSON(.record([
                ("appended", .array(outcome.appended.map {
                    .record([("id", .text($0.id.rawValue)), ("log", .text($0.log.rawValue)), ("seq", .integer($0.seq)),
                             ("recorded", .text($0.recorded.description)), ("hash", .text($0.hash.hex))])
                })),
                ("alreadyPresent", .array(outcome.alreadyPresent.map { .text($0.rawValue) })),
                ("findings", .array(findings.map(\.json))),
            ]))
            return
        }
        // One event is worth its line; a batch gets a summary, each line only with --verbose.
        let total = outcome.appended.count + outcome.alreadyPresent.count
        let listEach = total <= 1 || context.arguments.has("verbose")
        var text = ""
        if listEach {
            for event in outcome.appended {
                text += "appended \(event.id) as \(event.log.fileName) seq \(event.seq), hash \(event.hash.hex)\n"
            }
            for id in outcome.alreadyPresent {
                text += "already present: \(id) (identical event in the ledger; nothing added)\n"
            }
        }
        text += "\(outcome.appended.count) appended, \(outcome.alreadyPresent.count) already present"
        text += listEach ? "\n" : " (--verbose lists each event)\n"
        if !listEach {
            // Where each log now ends: the checkpoint a clerk may note.
            var last: [LogName: AppendedEvent] = [:]
            var first: [LogName: Int] = [:]
            for event in outcome.appended {
                if first[event.log] == nil { first[event.log] = event.seq }
                last[event.log] = event
            }
            for log in IncentiveLogs.all {
                guard let end = last[log], let start = first[log] else { continue }
                text += "\(log.fileName): seq \(start) to \(end.seq), head \(end.hash.hex)\n"
            }
        }
        context.io.write(text)
    }
}
