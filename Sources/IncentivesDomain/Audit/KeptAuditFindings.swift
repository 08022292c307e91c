import LedgerColumns
import LedgerLog

/// An audit's findings at the logs' heads, kept in the reader's cache by the audit that found
/// them, so that the same question asked again while the logs stand as they were is answered
/// with no read of the events and no replay (at ten million events, 2.5 s and 0.8 GB).
///
/// The file is the snapshot's kind (`SnapshotCache`): in the user's private cache directory,
/// named after the ledger's identity, authenticated by the same MAC under the same key, its
/// header the snapshot's (the ledger's identity, each log's head, length and stamp, and when the
/// stamps were taken). It is used only when every log's stamp is the one remembered and was
/// settled when taken (`LogStamp.isSettled`) and a read under the lock finds nothing after the
/// remembered heads: the logs are then exactly those the audit read. Any other state, any
/// damage, another build's rules (`formatVersion`), other audit options, or a window other than
/// the heads' leaves it unused, and the audit runs as before. `verify` never reads it.
public struct KeptAuditFindings: Sendable {
    /// Bumped with any change to what a rule finds, what it says, or the findings' order: the
    /// findings a build keeps are what its own rules find, and another build never reads them.
    static let formatVersion: UInt32 = 1
    /// The file's name is this and the hex SHA-256 of its ledger's identity.
    public static let filePrefix = "audit-"
    /// At most this many findings are kept; an audit with more is answered, not kept.
    static let maximumFindings = 1 << 20
    /// A finding's subject, event id and message are each at most this many bytes.
    static let maximumTextBytes = 1 << 16

    /// The file's columns, by id. Fixed once given, never reused.
    enum KeptColumn: UInt32 {
        /// `lateDays`, the rules kept (a bit per rule, `AuditRule.allCases` order), the count, and
        /// the known-at of the audit (seconds since the epoch, as the bits of an `Int64`).
        case parameters = 1
        /// Each finding's rule (its place in `AuditRule.allCases`), effective day, and whether it names an event.
        case rule, effective, hasEvent
        case subjectBytes, subjectEnds, eventBytes, eventEnds, messageBytes, messageEnds
    }

    /// The logs as the audit read them: what the file's header remembers.
    public let logs: [LogSummary]
    /// The rules the findings are of, and the `lateDays` they were found with.
    public let options: Auditor.Options
    /// The known-at of the audit that found them, which a message may name (`AuditRule.messageNamesTheWindow`).
    public let knownAt: Timestamp
    /// Every finding of those rules, in report order.
    public let findings: [AuditFinding]

    /// The report of `options` in `window`, when these findings answer it: `window` is the heads'
    /// (nothing but what the logs held), the late-recording threshold is the kept one, the rules
    /// asked for are among those kept (each rule finds its own findings alone, so those of fewer
    /// rules are these filtered), and, where a finding asked for names the window in its message,
    /// the known-at is the kept one. Nil otherwise.
    public func report(in window: TimeWindow, options asked: Auditor.Options) -> AuditReport? {
        guard Ledger.isAtHeads(window, logs: logs), asked.lateDays == options.lateDays,
              asked.rules.allSatisfy(options.rules.contains) else { return nil }
        let wanted = Set(asked.rules)
        let answer = findings.filter { wanted.contains($0.rule) }
        guard window.knownAt == knownAt || !answer.contains(where: { $0.rule.messageNamesTheWindow }) else { return nil }
        return AuditReport(window: window, options: asked, findings: answer)
    }
}

extension KeptAuditFindings {
    /// Where the findings of `store`'s ledger are kept for the user whose cache `environment`
    /// names, with that cache's key and the ledger's identity; nil without a private cache.
    static func place(of store: EventStore, environment: [String: String]) -> (path: String, key: [UInt8], identity: SHA256Digest)? {
        guard case .success(let place) = Ledger.snapshotPlace(of: store, environment: environment) else { return nil }
        return (place.cache.directory + "/" + filePrefix + place.identity.hex, place.cache.key, place.identity)
    }

    /// Keeps `report`'s findings for the logs `logs` (a verified read's), whose stamps were taken
    /// after `stampsTakenAfter` (nanoseconds since the epoch), replacing any kept before; nil when
    /// kept, else why not (a cache is only ever a cache: the caller answers all the same). Only
    /// the heads' window is kept. Logs without stamps are kept for `read(store:environment:heads:)`
    /// alone: `read(store:environment:)` proves the logs by their stamps.
    public static func keep(_ report: AuditReport, logs: [LogSummary], stampsTakenAfter: Int64, store: EventStore,
                            environment: [String: String]) -> String? {
        guard Ledger.isAtHeads(report.window, logs: logs) else { return "not the window at the heads" }
        guard logs.map(\.log) == store.logs else { return "not this ledger's logs" }
        guard report.findings.count <= maximumFindings else { return "more than \(maximumFindings) findings" }
        guard let place = place(of: store, environment: environment) else { return "no private cache" }
        guard let file = columnFile(of: report, logs: logs, identity: place.identity, stampsTakenAfter: stampsTakenAfter) else {
            return "a finding too long to keep"
        }
        return file.write(to: place.path, key: place.key)
    }

    /// The file of `report`'s findings for `logs`, ready to be written; nil when a finding's text
    /// is longer than a kept one may be.
    static func columnFile(of report: AuditReport, logs: [LogSummary], identity: SHA256Digest,
                           stampsTakenAfter: Int64) -> ColumnFileWriter? {
        let header = SnapshotHeader(identity: identity, stampsTakenAfterNanoseconds: max(0, stampsTakenAfter), logs: logs)
        var file = ColumnFileWriter(schemaVersion: formatVersion, metadata: header.encoded)
        var rules: [UInt8] = [], effective: [Int32] = [], hasEvent: [UInt8] = []
        var subjects = StringColumn(), events = StringColumn(), messages = StringColumn()
        for finding in report.findings {
            guard let code = AuditRule.allCases.firstIndex(of: finding.rule),
                  finding.subject.utf8.count <= maximumTextBytes, (finding.event?.utf8.count ?? 0) <= maximumTextBytes,
                  finding.message.utf8.count <= maximumTextBytes else { return nil }
            rules.append(UInt8(code))
            effective.append(finding.effective.daysSinceEpoch)
            hasEvent.append(finding.event == nil ? 0 : 1)
            subjects.append(finding.subject)
            events.append(finding.event ?? "")
            messages.append(finding.message)
        }
        file.add(KeptColumn.parameters.rawValue, [UInt64(report.options.lateDays), ruleBits(report.options.rules),
                                                  UInt64(report.findings.count),
                                                  UInt64(bitPattern: report.window.knownAt.secondsSinceEpoch)])
        file.add(KeptColumn.rule.rawValue, rules)
        file.add(KeptColumn.effective.rawValue, effective)
        file.add(KeptColumn.hasEvent.rawValue, hasEvent)
        file.add(KeptColumn.subjectBytes.rawValue, subjects.arena)
        file.add(KeptColumn.subjectEnds.rawValue, subjects.ends)
        file.add(KeptColumn.eventBytes.rawValue, events.arena)
        file.add(KeptColumn.eventEnds.rawValue, events.ends)
        file.add(KeptColumn.messageBytes.rawValue, messages.arena)
        file.add(KeptColumn.messageEnds.rawValue, messages.ends)
        return file
    }

    /// The findings kept for `store`'s ledger, when the file is this user's, of this build's rules,
    /// well-formed, and the logs are proven to stand exactly as the audit that kept them read
    /// them; nil otherwise (nothing is said: the caller audits as it would have).
    public static func read(store: EventStore, environment: [String: String]) -> KeptAuditFindings? {
        guard let place = place(of: store, environment: environment), let (header, file) = authenticated(place, store: store),
              file.columnsMatch(), let kept = try? decode(file, logs: header.logs),
              let logs = proven(header, in: store) else { return nil }
        return KeptAuditFindings(logs: logs, options: kept.options, knownAt: kept.knownAt, findings: kept.findings)
    }

    /// The findings kept for `store`'s ledger at exactly `heads`, which the caller has proven the
    /// logs' own (an append session's ledger, read and verified under the writer's lock): no
    /// stamp is asked of the file then. Nil when none are kept for those heads.
    public static func read(store: EventStore, environment: [String: String], heads: [LogSummary]) -> KeptAuditFindings? {
        guard let place = place(of: store, environment: environment), let (header, file) = authenticated(place, store: store),
              header.logs == heads, file.columnsMatch() else { return nil }
        return try? decode(file, logs: header.logs)
    }

    /// The kept file at `place` and its header, when it is of this build's format (another build's
    /// rules are another format: nothing of it is trusted, not even before the MAC), its header's
    /// MAC is this user's, and the header names this ledger and its logs. Its columns are not hashed yet.
    private static func authenticated(_ place: (path: String, key: [UInt8], identity: SHA256Digest),
                                      store: EventStore) -> (header: SnapshotHeader, file: ColumnFile)? {
        guard let file = try? ColumnFile.open(path: place.path), file.schemaVersion == formatVersion,
              (try? file.authenticateHeader(key: place.key)) != nil,
              let header = try? SnapshotHeader.read(file.metadata, logs: store.logs), header.identity == place.identity else {
            return nil
        }
        return (header, file)
    }

    /// The header and findings of a file's bytes, its MAC not checked (what the snapshot-decoder
    /// fuzz target feeds): refused unless it is a file of this format whose header names `logs`
    /// and whose findings pass `decode`.
    static func decodeUnauthenticated(_ bytes: [UInt8], logs: [LogName]) throws(SnapshotRejection) -> KeptAuditFindings {
        let file: ColumnFile
        do throws(ColumnFileError) { file = try ColumnFile(bytes: bytes) } catch { throw SnapshotRejection(error) }
        guard file.schemaVersion == formatVersion else { throw .otherFormat(version: file.schemaVersion) }
        let header = try SnapshotHeader.read(file.metadata, logs: logs)
        do throws(ColumnFileError) { return try decode(file, logs: header.logs) } catch { throw SnapshotRejection(error) }
    }

    /// The findings of `file`, refused unless every one is one an audit can give: a rule among
    /// those kept, a date in the event format's years, texts of well-formed UTF-8 within their
    /// bounds, in report order.
    static func decode(_ file: ColumnFile, logs: [LogSummary]) throws(ColumnFileError) -> KeptAuditFindings {
        func column<Element: FixedWidthInteger & Sendable>(_ id: KeptColumn) throws(ColumnFileError) -> Column<Element> {
            try file.column(id.rawValue)
        }
        let parameters: Column<UInt64> = try column(.parameters)
        guard parameters.count == 4 else { throw .malformed("its parameters are not four") }
        let lateDays = parameters[0], bits = parameters[1], count = parameters[2]
        let knownAt = Timestamp(secondsSinceEpoch: Int64(bitPattern: parameters[3]))
        guard lateDays <= UInt64(Auditor.Options.lateDaysRange.upperBound), Int(lateDays) >= Auditor.Options.lateDaysRange.lowerBound,
              bits >> UInt64(AuditRule.allCases.count) == 0, count <= UInt64(maximumFindings) else {
            throw .malformed("its parameters are out of range")
        }
        let keptRules = AuditRule.allCases.enumerated().filter { bits >> UInt64($0.offset) & 1 != 0 }.map(\.element)
        let options = Auditor.Options(rules: keptRules, lateDays: Int(lateDays))
        let rules: Column<UInt8> = try column(.rule)
        let effective: Column<Int32> = try column(.effective)
        let hasEvent: Column<UInt8> = try column(.hasEvent)
        let findingCount = Int(count)
        guard rules.count == findingCount, effective.count == findingCount, hasEvent.count == findingCount else {
            throw .malformed("its findings do not have one value of each kind")
        }
        let lengths = 0...maximumTextBytes
        let subjects = try StringColumn(arena: try column(.subjectBytes), ends: try column(.subjectEnds), count: findingCount, lengths: lengths)
        let events = try StringColumn(arena: try column(.eventBytes), ends: try column(.eventEnds), count: findingCount, lengths: lengths)
        let messages = try StringColumn(arena: try column(.messageBytes), ends: try column(.messageEnds), count: findingCount, lengths: lengths)
        guard subjects.isValidUTF8, events.isValidUTF8, messages.isValidUTF8 else { throw .malformed("a finding's text is not UTF-8") }
        var findings: [AuditFinding] = []
        findings.reserveCapacity(findingCount)
        for position in 0..<findingCount {
            let code = Int(rules[position])
            guard code < AuditRule.allCases.count, options.rules.contains(AuditRule.allCases[code]) else {
                throw .malformed("a finding is of a rule not kept")
            }
            guard effective[position] >= LedgerSnapshot.earliestDay, effective[position] <= LedgerSnapshot.latestDay else {
                throw .malformed("a finding's date is out of range")
            }
            let day = CalendarDate(daysSinceEpoch: effective[position])
            guard hasEvent[position] <= 1, hasEvent[position] == 1 || events.string(position).isEmpty else {
                throw .malformed("a finding's event is inconsistent")
            }
            let finding = AuditFinding(rule: AuditRule.allCases[code], subject: subjects.string(position),
                                       event: hasEvent[position] == 1 ? events.string(position) : nil,
                                       effective: day, message: messages.string(position))
            if let previous = findings.last, finding < previous { throw .malformed("its findings are not in report order") }
            findings.append(finding)
        }
        return KeptAuditFindings(logs: logs, options: options, knownAt: knownAt, findings: findings)
    }

    /// The logs `header` remembers as they stand now, when each is proven the one remembered:
    /// its stamp proves it (`SnapshotHeader.stampsProve`), and a read under the shared lock finds
    /// no line after its head (nor an edit the stamps could not show). Nil otherwise.
    static func proven(_ header: SnapshotHeader, in store: EventStore) -> [LogSummary]? {
        let remembered = header.logs
        guard let current = try? store.stamps(), header.stampsProve(current) else { return nil }
        var counter = LineCounter()
        guard let report = try? store.read(resumingAt: header.points, stamps: remembered.map(\.stamp),
                                           stampsTakenAfter: header.stampsTakenAfterNanoseconds, consumer: &counter),
              report.problems.isEmpty, counter.lines == 0, report.logs == remembered,
              zip(report.logs, remembered).allSatisfy({ $0.stamp == $1.stamp }) else { return nil }
        return report.logs
    }

    /// The rules as bits of a word, a bit per rule in `AuditRule.allCases` order.
    static func ruleBits(_ rules: [AuditRule]) -> UInt64 {
        AuditRule.allCases.enumerated().reduce(0) { bits, rule in rules.contains(rule.element) ? bits | 1 << UInt64(rule.offset) : bits }
    }

    /// Counts the lines a resumed read finds after the heads (none, for kept findings to stand).
    private struct LineCounter: LogLineConsumer {
        var lines = 0
        mutating func consume(_ line: LogLine) throws(LedgerError) { lines += 1 }
    }
}
