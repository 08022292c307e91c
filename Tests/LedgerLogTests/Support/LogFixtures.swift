import Testing
@testable import LedgerLog

/// Events and stores for log-layer tests. The log layer knows nothing of incentives, so these
/// use two made-up logs and a made-up event type.
enum LogFixtures {
    static let alpha = LogName(rawValue: "alpha")!
    static let beta = LogName(rawValue: "beta")!
    /// The clock writers in these tests use: it names quarantine files.
    static let clock = FixedClock(Timestamp(parsing: "2026-01-01T00:00:00Z")!)

    static func store(_ directory: LogScratchDirectory) -> EventStore {
        EventStore(directory: directory.path, logs: [alpha, beta])
    }

    static func timestamp(_ text: String) -> Timestamp {
        guard let moment = Timestamp(parsing: text) else { preconditionFailure("bad test timestamp \(text)") }
        return moment
    }

    static func date(_ text: String) -> CalendarDate {
        guard let date = CalendarDate(parsing: text) else { preconditionFailure("bad test date \(text)") }
        return date
    }

    /// An event whose `recorded` is `minute` minutes after 2024-01-01T00:00:00Z, so that a list
    /// of events made with increasing minutes never goes back in time.
    static func event(_ log: LogName, _ id: String, minute: Int, type: String = "ThingHappened",
                      effective: String = "2024-01-01", actor: String = "clerk 王",
                      source: String = "notice/2024/1", data: JSONValue = ["amount": 100, "note": "a\u{1F}b"],
                      recordedWasGiven: Bool = true) -> UnsealedEvent {
        let recorded = Timestamp(secondsSinceEpoch: timestamp("2024-01-01T00:00:00Z").secondsSinceEpoch + Int64(minute) * 60)
        return UnsealedEvent(
            log: log, id: EventID(rawValue: id)!, type: type, recorded: recorded, recordedWasGiven: recordedWasGiven,
            effective: date(effective), actor: actor, source: source, data: canonical(data))
    }

    static func canonical(_ value: JSONValue) -> [UInt8] {
        do {
            return try JSONCanonical.serialize(value)
        } catch {
            preconditionFailure("test data has no canonical form: \(error)")
        }
    }

    /// Seals `events` into a chain by hand (lines without newlines), as a writer would, except that
    /// `previousOverride` may put a wrong `prev` on chosen lines (by index) to build broken logs.
    static func chain(_ events: [UnsealedEvent], firstSeq: Int = 1, previous: SHA256Digest = .zero,
                      seqOverride: [Int: Int] = [:], previousOverride: [Int: SHA256Digest] = [:]) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var head = previous
        for (index, event) in events.enumerated() {
            let seq = seqOverride[index] ?? (firstSeq + index)
            let sealed = event.seal(seq: seq, previous: previousOverride[index] ?? head)
            lines.append(Array(sealed.line.dropLast()))
            head = sealed.hash
        }
        return lines
    }

    /// `count` events for `log` with ids `<log>.<nnnn>`: ids of different logs differ in most
    /// characters, so a one-byte edit can never turn one log's id into another's.
    static func events(_ log: LogName, count: Int, firstMinute: Int = 0) -> [UnsealedEvent] {
        (0..<count).map { index in
            event(log, "\(log.rawValue).\(pad4(index + 1))", minute: firstMinute + index,
                  data: ["amount": JSONValue.number(JSONNumber(index * 100 + 1)), "note": "a\u{1F}b", "seen": true])
        }
    }

    static func pad4(_ value: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// Writes `events` through a writer that is released before returning (its lock with it).
    @discardableResult
    static func append(_ events: [UnsealedEvent], to store: EventStore) throws -> [AppendedEvent] {
        let writer = try store.openWriter(clock: LogFixtures.clock, notify: { message in
            Issue.record("unexpected repair notice: \(message)")
        })
        return try writer.append(events)
    }

    /// A store holding `alphaCount` events in alpha and `betaCount` in beta, written by the writer.
    static func populated(_ directory: LogScratchDirectory, alphaCount: Int = 8, betaCount: Int = 5) throws -> EventStore {
        let store = store(directory)
        try append(events(alpha, count: alphaCount), to: store)
        try append(events(beta, count: betaCount, firstMinute: 1000), to: store)
        return store
    }
}
