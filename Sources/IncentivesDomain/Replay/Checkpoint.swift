import LedgerLog

/// What an auditor publishes with a report: the log heads a replay covered and the digest of
/// each read model it produced, in a window. Re-checked years later with a newer build.
public struct Checkpoint: Sendable, Equatable {
    public var window: TimeWindow
    /// The id in the ledger's `ledger.json`; nil for a ledger without one (and for checkpoints
    /// written before ids existed).
    public var ledgerId: String?
    /// Each log's prefix recorded at or before `window.knownAt`: its event count and head.
    public var logs: [LogSummary]
    /// Each read model's name, the digest version it was computed with, and the digest.
    public var digests: [(name: String, version: Int, digest: SHA256Digest)]

    /// The checkpoint format this build writes: 2 names each digest's version and the ledger's id
    /// (1 did neither, and meant version 1 of every digest).
    public static let formatVersion = 2

    public init(window: TimeWindow, ledgerId: String? = nil, logs: [LogSummary],
                digests: [(name: String, version: Int, digest: SHA256Digest)]) {
        self.window = window
        self.ledgerId = ledgerId
        self.logs = logs
        self.digests = digests
    }

    public static func == (left: Checkpoint, right: Checkpoint) -> Bool {
        left.window == right.window && left.ledgerId == right.ledgerId && left.logs.map { [$0.log.rawValue, String($0.events), $0.head.hex] } == right.logs.map { [$0.log.rawValue, String($0.events), $0.head.hex] }
            && left.digests.elementsEqual(right.digests, by: { $0.name == $1.name && $0.version == $1.version && $0.digest == $1.digest })
    }

    /// What a checkpoint of `window` reads of the logs: every event, replayed into every read
    /// model, and every name table, read by index. No event's id, actor or source is in a read
    /// model, and no name is looked up, so none is kept (`Ledger.load(store:scope:)`).
    public static func scope(_ window: TimeWindow) -> LedgerScope {
        .readModels(window, names: .all, parts: .all, lookups: [])
    }

    /// Replays `ledger` in `window` and records the heads it was read to and the digests.
    public init(ledger: Ledger, window: TimeWindow, ledgerId: String? = nil) {
        let models = Projection(ledger: ledger, window: window).run()
        self.window = window
        self.ledgerId = ledgerId
        logs = ledger.logs
        digests = ReadModelDigests(ledger: ledger, models: models, window: window).digests
    }

    /// What `incentives checkpoint` publishes: the digests of `window`, the ledger's id, and each
    /// log's head as of `window.knownAt` (the prefix recorded by then), not as of today, so that
    /// a checkpoint taken today for a past K equals one taken at K.
    public static func taken(store: EventStore, ledger: Ledger, window: TimeWindow,
                             ledgerId: String?) throws(LedgerError) -> Checkpoint {
        var checkpoint = Checkpoint(ledger: ledger, window: window, ledgerId: ledgerId)
        checkpoint.logs = try KnownHeads.read(store: store, ledger: ledger, knownAt: window.knownAt)
        return checkpoint
    }

    public var json: JSONValue {
        .record([
            ("format", .text("incentives-checkpoint")), ("version", .integer(Checkpoint.formatVersion)),
            ("ledger", ledgerId.map { .text($0) } ?? .null),
            ("asOf", .date(window.asOf)), ("knownAt", .text(window.knownAt.description)),
            ("logs", .array(logs.map {
                .record([("log", .text($0.log.rawValue)), ("events", .integer($0.events)), ("head", .text($0.head.hex))])
            })),
            ("readModels", .array(digests.map {
                .record([("name", .text($0.name)), ("digestVersion", .integer($0.version)), ("digest", .text($0.digest.hex))])
            })),
        ])
    }

    /// Reads a checkpoint file's JSON, naming what is wrong with it.
    public static func parse(_ bytes: [UInt8], name: String) throws(LedgerError) -> Checkpoint {
        func refuse(_ why: String) -> LedgerError { .badData("\(name) is not a checkpoint: \(why); write one with `incentives checkpoint > FILE`") }
        let value: JSONValue
        do { value = try JSONParser.parse(bytes) } catch { throw refuse(error.message) }
        guard case .object(let object) = value, object["format"] == .string("incentives-checkpoint") else {
            throw refuse("it lacks \"format\": \"incentives-checkpoint\"")
        }
        guard case .number(let versionNumber)? = object["version"], let version = versionNumber.integerValue, version >= 1 else {
            throw refuse("\"version\" is missing or not a positive integer")
        }
        guard version <= Int64(formatVersion) else {
            throw .badData("\(name) is a checkpoint of format version \(version), newer than this build reads (up to \(formatVersion)); re-check it with a newer build")
        }
        var asOf: CalendarDate? = nil
        if case .string(let text)? = object["asOf"] {
            guard let date = CalendarDate(parsing: text) else { throw refuse("asOf \"\(text)\" is not a date") }
            asOf = date
        }
        guard case .string(let knownText)? = object["knownAt"], let knownAt = Timestamp(parsing: knownText) else {
            throw refuse("knownAt is missing or not a timestamp")
        }
        guard case .array(let logValues)? = object["logs"], case .array(let modelValues)? = object["readModels"] else {
            throw refuse("logs or readModels is missing")
        }
        var ledgerId: String? = nil
        switch object["ledger"] {
        case nil, .null?: break
        case .string(let text)? where text.utf8.count == 32 && text.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }):
            ledgerId = text
        default: throw refuse("ledger is not a ledger id (32 lowercase hexadecimal digits)")
        }
        var logs: [LogSummary] = []
        for entry in logValues {
            guard case .string(let logName)? = entry["log"], let log = LogName(rawValue: logName),
                  case .number(let events)? = entry["events"], let count = events.integerValue, count >= 0,
                  case .string(let headText)? = entry["head"], let head = SHA256Digest(hex: headText) else {
                throw refuse("a logs entry lacks log, events or head")
            }
            logs.append(LogSummary(log: log, events: Int(count), head: head))
        }
        var digests: [(name: String, version: Int, digest: SHA256Digest)] = []
        for entry in modelValues {
            guard case .string(let modelName)? = entry["name"], case .string(let digestText)? = entry["digest"],
                  let digest = SHA256Digest(hex: digestText) else {
                throw refuse("a readModels entry lacks name or digest")
            }
            // Format 1 named no versions: every digest it holds is version 1.
            var digestVersion = 1
            if let versionValue = entry["digestVersion"] {
                guard case .number(let number) = versionValue, let value = number.integerValue, value >= 1, value <= Int64(Int32.max) else {
                    throw refuse("read model \(modelName) has a digestVersion that is not a positive integer")
                }
                digestVersion = Int(value)
            } else if version >= 2 {
                throw refuse("read model \(modelName) lacks digestVersion")
            }
            digests.append((modelName, digestVersion, digest))
        }
        return Checkpoint(window: TimeWindow(asOf: asOf, knownAt: knownAt), ledgerId: ledgerId, logs: logs, digests: digests)
    }

    /// Replays the checkpoint's log prefix with this build and lists every difference.
    /// `ledgerId` is the id of the ledger in `store` (nil if it has none): a checkpoint of another
    /// ledger is said to be so, rather than compared event by event.
    public func check(store: EventStore, ledgerId: String? = nil) throws(LedgerError) -> [String] {
        if let expected = self.ledgerId, let actual = ledgerId, expected != actual {
            return ["this checkpoint is of ledger \(expected), and \(store.directory) holds ledger \(actual): it is another ledger's checkpoint; check it against that ledger"]
        }
        var limits: [LogName: Int] = [:]
        for log in logs { limits[log.log] = log.events }
        let ledger = try Ledger.load(store: store, eventLimits: limits, scope: Checkpoint.scope(window))
        var differences: [String] = []
        for expected in logs {
            guard let actual = ledger.logs.first(where: { $0.log == expected.log }) else {
                differences.append("log \(expected.log) is not part of this ledger")
                continue
            }
            if actual.events < expected.events {
                differences.append("log \(expected.log) has \(actual.events) events, fewer than the checkpoint's \(expected.events): events were removed")
            } else if actual.head != expected.head {
                differences.append("log \(expected.log): event \(expected.events) has hash \(actual.head.hex), the checkpoint says \(expected.head.hex): the log was rewritten")
            }
        }
        guard differences.isEmpty else { return differences }
        // Each digest is recomputed with the version the checkpoint names, not today's.
        let models = Projection(ledger: ledger, window: window).run()
        let now = ReadModelDigests(ledger: ledger, models: models, window: window,
                                   versions: digests.map { ($0.name, $0.version) })
        for expected in digests {
            guard let actual = now.digests.first(where: { $0.name == expected.name && $0.version == expected.version }) else {
                if let known = ReadModelDigests.knownVersions(of: expected.name) {
                    differences.append("read model \(expected.name): digest version \(expected.version) is not one this build computes (\(known.lowerBound) to \(known.upperBound)); re-check with a newer build")
                } else {
                    differences.append("read model \(expected.name) is not produced by this build")
                }
                continue
            }
            if actual.digest != expected.digest {
                differences.append("read model \(expected.name) differs: digest \(actual.digest.hex), the checkpoint says \(expected.digest.hex)")
            }
        }
        return differences
    }
}
