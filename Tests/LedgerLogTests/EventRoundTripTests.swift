import IncentivesTestSupport
import Testing
@testable import LedgerLog

/// Events sealed, written by `EventWriter` and read back by `EventStore.read` come back equal,
/// field by field and byte by byte.
@Suite("Event round trips")
struct EventRoundTripTests {
    @Test("a sealed line is canonical JSON and its hash covers everything but the hash")
    func sealedLineIsCanonical() throws {
        var random = SplitMix64(seed: 0x5EA1)
        for index in 0..<200 {
            let event = RandomEventData.event(&random, log: LogFixtures.alpha, id: "e\(index)",
                                              recorded: LogFixtures.timestamp("2024-05-06T07:08:09Z"))
            let previous = SHA256.hash(Array("previous \(index)".utf8))
            let sealed = event.seal(seq: index + 1, previous: previous)
            #expect(sealed.line.last == UInt8(ascii: "\n"))
            let line = Array(sealed.line.dropLast())
            #expect(!line.contains(UInt8(ascii: "\n")), "a line never holds a raw newline")
            #expect(try JSONCanonical.canonicalize(line) == line, "line \(index) is its own canonical form")

            guard case .object(var object) = try JSONParser.parse(line) else {
                Issue.record("a sealed line is an object")
                continue
            }
            #expect(object.keys == ["actor", "data", "effective", "hash", "id", "prev", "recorded", "seq", "source", "type", "v"])
            #expect(object["hash"]?.stringValue == sealed.hash.hex)
            #expect(object["prev"]?.stringValue == previous.hex)
            #expect(object["seq"]?.numberValue?.integerValue == Int64(index + 1))
            object.members.removeAll { $0.key == "hash" }
            let withoutHash = try JSONCanonical.serialize(.object(object))
            #expect(SHA256.hash(withoutHash) == sealed.hash, "hash is SHA-256 of the canonical event without hash")
        }
    }

    @Test("events written by the writer read back with every field equal")
    func writeThenRead() throws {
        let directory = LogScratchDirectory()
        let store = LogFixtures.store(directory)
        var random = SplitMix64(seed: 0xF00D)
        var written: [UnsealedEvent] = []
        var appended: [AppendedEvent] = []
        var minute: Int64 = 0
        // Several batches through separate writers: each reopens and continues the chains.
        for batch in 0..<6 {
            var events: [UnsealedEvent] = []
            for index in 0..<(1 + random.below(40)) {
                minute += Int64(random.below(3))
                let recorded = Timestamp(secondsSinceEpoch: 1_700_000_000 + minute * 60)
                let log = random.chance(1, in: 3) ? LogFixtures.beta : LogFixtures.alpha
                events.append(RandomEventData.event(&random, log: log, id: "b\(batch).\(index)", recorded: recorded))
            }
            appended += try LogFixtures.append(events, to: store)
            written += events
        }

        var collector = StoredEventCollector()
        let report = try store.read(consumer: &collector)
        #expect(report.isValid, "\(report.problems)")
        #expect(report.totalEvents == written.count)

        // Reads come in rank order: all of alpha, then all of beta, each in append order.
        let expected = written.filter { $0.log == LogFixtures.alpha } + written.filter { $0.log == LogFixtures.beta }
        try #require(collector.events.count == expected.count)
        for (stored, event) in zip(collector.events, expected) {
            #expect(stored.log == event.log)
            #expect(stored.id == event.id.rawValue)
            #expect(stored.type == event.type)
            #expect(stored.version == event.version)
            #expect(stored.recorded == event.recorded)
            #expect(stored.effective == event.effective)
            #expect(stored.actor.utf8.elementsEqual(event.actor.utf8))
            #expect(stored.source.utf8.elementsEqual(event.source.utf8))
            #expect(stored.data == event.data)
            guard let landed = appended.first(where: { $0.id == event.id }) else {
                Issue.record("no append result for \(event.id)")
                continue
            }
            #expect(stored.seq == landed.seq)
            #expect(stored.hash == landed.hash)
            #expect(landed.recorded == event.recorded)
        }

        // Within each log: seq counts from 1, prev links, and each line is exactly the sealed bytes.
        for log in [LogFixtures.alpha, LogFixtures.beta] {
            let stored = collector.events.filter { $0.log == log }
            let lines = LogFiles.lines(directory.read(log.fileName))
            try #require(lines.count == stored.count)
            var previous = SHA256Digest.zero
            for (index, event) in stored.enumerated() {
                #expect(event.seq == index + 1)
                #expect(event.lineNumber == index + 1)
                #expect(event.previousHash == previous)
                let unsealed = UnsealedEvent(
                    log: log, id: EventID(rawValue: event.id)!, type: event.type, version: event.version,
                    recorded: event.recorded, effective: event.effective, actor: event.actor, source: event.source,
                    data: event.data)
                let sealed = unsealed.seal(seq: event.seq, previous: previous)
                #expect(Array(sealed.line.dropLast()) == lines[index])
                #expect(sealed.hash == event.hash)
                previous = event.hash
            }
            #expect(report.summary(of: log)?.head == previous)
            #expect(report.summary(of: log)?.events == stored.count)
        }
    }

    @Test("the data member is read back as a canonical object")
    func dataObjectReadsBack() throws {
        let directory = LogScratchDirectory()
        let store = LogFixtures.store(directory)
        let data: JSONValue = ["amountFen": 150_000_050, "name": "江苏泰州 \"精密\"\n部件", "nested": ["list": [1, -2, true, nil]]]
        try LogFixtures.append([LogFixtures.event(LogFixtures.alpha, "only", minute: 1, data: data)], to: store)
        var collector = StoredEventCollector()
        _ = try store.read(consumer: &collector)
        let stored = try #require(collector.events.first)
        #expect(try JSONParser.parse(stored.data) == JSONParser.parse(LogFixtures.canonical(data)))
        stored.dataObject.withView { view in
            #expect(view.member("amountFen")?.integer == 150_000_050)
            #expect(view.member("name")?.string == "江苏泰州 \"精密\"\n部件")
            #expect(view.member("nested")?.kind == .object)
            #expect(view.memberCount == 3)
        }
    }

    @Test("a time earlier than the log's last recorded is refused, never raised, whether the clock or the caller gave it")
    func recordedNeverGoesBack() throws {
        let directory = LogScratchDirectory()
        let store = LogFixtures.store(directory)
        try LogFixtures.append([LogFixtures.event(LogFixtures.alpha, "late", minute: 100)], to: store)
        let before = directory.snapshot()
        for (id, given) in [("clock", false), ("given", true)] {
            let event = LogFixtures.event(LogFixtures.alpha, id, minute: 5, recordedWasGiven: given)
            #expect {
                try LogFixtures.append([event], to: store)
            } throws: { error in
                guard let error = error as? LedgerError else { return false }
                return error.code == .badData && error.message.contains("event \(id): recorded 2024-01-01T00:05:00Z is before 2024-01-01T01:40:00Z")
                    && error.message.contains("never goes back")
            }
            #expect(directory.snapshot()[LogFixtures.alpha.fileName] == before[LogFixtures.alpha.fileName])
        }
        // The same time as the last is not going back.
        let landed = try LogFixtures.append([LogFixtures.event(LogFixtures.alpha, "same", minute: 100, recordedWasGiven: false)], to: store)
        #expect(landed.first?.recorded == LogFixtures.event(LogFixtures.alpha, "x", minute: 100).recorded)
        #expect(try store.verify().isValid)
    }

    @Test("an empty directory reads as empty logs; a missing one is an I/O error that says what to do")
    func emptyAndMissingDirectories() throws {
        let directory = LogScratchDirectory()
        let report = try LogFixtures.store(directory).verify()
        #expect(report.isValid)
        #expect(report.logs.map(\.events) == [0, 0])
        #expect(report.logs.map(\.head) == [.zero, .zero])

        let missing = EventStore(directory: directory.path + "/absent", logs: [LogFixtures.alpha])
        #expect {
            _ = try missing.verify()
        } throws: { error in
            guard let error = error as? LedgerError else { return false }
            return error.code == .inputOutput && error.message.contains("does not exist") && error.message.contains("--events")
        }
    }
}
