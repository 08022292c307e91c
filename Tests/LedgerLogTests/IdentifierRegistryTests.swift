#if canImport(Glibc)
import Glibc
#endif
import IncentivesTestSupport
import Testing
@testable import LedgerLog

/// The id table keeps half of each fingerprint in its slots and the other half apart, so that
/// growing it needs no id read back: a table that starts far too small must still find every
/// repeat, and claim no other.
@Suite("Identifier registry")
struct IdentifierRegistryTests {
    static let alpha = LogFixtures.alpha

    /// Reads `alpha` through a registry sized for `expectedCount` ids.
    static func read(_ directory: LogScratchDirectory, expectedCount: Int) throws -> (problems: [LogProblem], count: Int) {
        let store = LogFixtures.store(directory)
        let path = store.path(of: alpha)
        var registry = IdentifierRegistry(paths: store.logs.map { store.path(of: $0) }, expectedCount: expectedCount)
        var problems: [LogProblem] = []
        var consumer = DiscardingConsumer()
        let reader = LogReader(log: alpha, logRank: 0, path: path, options: ReadOptions())
        _ = try reader.read(length: directory.read(alpha.fileName).count, registry: &registry, problems: &problems,
                            consumer: &consumer)
        return (problems, registry.count)
    }

    /// Writes `alphaEvents` and `betaEvents` as the two logs of `directory` and reads them in
    /// turn through one registry; with `eventLimit`, each read stops there (past a log's end, the
    /// sequential loop then inserts each id itself). The problems, and how many ids the table holds.
    static func readBoth(_ directory: LogScratchDirectory, alpha alphaEvents: [UnsealedEvent], beta betaEvents: [UnsealedEvent],
                         eventLimit: Int? = nil) throws -> (problems: [LogProblem], count: Int) {
        let beta = LogFixtures.beta
        directory.write(Self.alpha.fileName, LogFiles.join(LogFixtures.chain(alphaEvents)))
        directory.write(beta.fileName, LogFiles.join(LogFixtures.chain(betaEvents)))
        let store = LogFixtures.store(directory)
        var registry = IdentifierRegistry(paths: store.logs.map { store.path(of: $0) }, expectedCount: 1)
        var problems: [LogProblem] = []
        var consumer = DiscardingConsumer()
        for (rank, log) in [Self.alpha, beta].enumerated() {
            var options = ReadOptions()
            if let eventLimit { options.eventLimits = [log: eventLimit] }
            let reader = LogReader(log: log, logRank: rank, path: store.path(of: log), options: options)
            _ = try reader.read(length: directory.read(log.fileName).count, registry: &registry, problems: &problems,
                                consumer: &consumer)
        }
        return (problems, registry.count)
    }

    @Test("a repeat after the table has doubled several times is found, and only it")
    func repeatAfterGrowth() throws {
        let directory = LogScratchDirectory()
        var events = LogFixtures.events(Self.alpha, count: 3000)
        events[2999].id = events[1234].id
        events[2000].id = events[5].id
        directory.write(Self.alpha.fileName, LogFiles.join(LogFixtures.chain(events)))
        let read = try Self.read(directory, expectedCount: 1)
        #expect(read.problems == [
            LogProblem(log: Self.alpha, line: 2001, problem: "id alpha.0006 already used at alpha.jsonl:6"),
            LogProblem(log: Self.alpha, line: 3000, problem: "id alpha.1235 already used at alpha.jsonl:1235"),
        ])
        #expect(read.count == 2998, "each id is kept once")
    }

    @Test("a table sized for the log finds the same repeats as one that grew")
    func sizedAndGrownAgree() throws {
        let directory = LogScratchDirectory()
        var events = LogFixtures.events(Self.alpha, count: 1500)
        events[1499].id = events[0].id
        directory.write(Self.alpha.fileName, LogFiles.join(LogFixtures.chain(events)))
        let grown = try Self.read(directory, expectedCount: 1)
        let sized = try Self.read(directory, expectedCount: 1500)
        #expect(grown.problems == sized.problems)
        #expect(grown.problems.count == 1)
        #expect(grown.count == 1499 && sized.count == 1499)
    }

    @Test("ids taken chunk by chunk off the sequential step find the repeats a read inserting them in its own loop finds, across chunks and logs")
    func idsInsertedAheadAgreeWithTheLoop() throws {
        let beta = LogFixtures.beta
        let directory = LogScratchDirectory()
        // Logs of several chunks (a chunk holds at least 1 MiB), repeats in the first, a middle
        // and the last chunk, of ids first seen in another chunk or the other log.
        var alphaEvents = LogFixtures.events(Self.alpha, count: 12_000)
        var betaEvents = LogFixtures.events(beta, count: 9_000)
        alphaEvents[11_999].id = alphaEvents[2].id
        alphaEvents[6_000].id = alphaEvents[5_999].id
        alphaEvents[7].id = alphaEvents[3].id
        betaEvents[4_500].id = alphaEvents[11_000].id
        betaEvents[8_999].id = betaEvents[1].id
        let ahead = try Self.readBoth(directory, alpha: alphaEvents, beta: betaEvents)
        #expect(directory.read(Self.alpha.fileName).count > 3 * (ScannedEventLine.maximumLineBytes + 1), "several chunks")
        let inLoop = try Self.readBoth(directory, alpha: alphaEvents, beta: betaEvents, eventLimit: 100_000)
        #expect(ahead.problems == [
            LogProblem(log: Self.alpha, line: 8, problem: "id alpha.0004 already used at alpha.jsonl:4"),
            LogProblem(log: Self.alpha, line: 6001, problem: "id alpha.6000 already used at alpha.jsonl:6000"),
            LogProblem(log: Self.alpha, line: 12000, problem: "id alpha.0003 already used at alpha.jsonl:3"),
            LogProblem(log: beta, line: 4501, problem: "id alpha.11001 already used at alpha.jsonl:11001"),
            LogProblem(log: beta, line: 9000, problem: "id beta.0002 already used at beta.jsonl:2"),
        ])
        #expect(inLoop.problems == ahead.problems)
        #expect(ahead.count == 21_000 - 5 && inLoop.count == ahead.count, "each id is kept once")
    }

    @Test("a log shorter than the read expects is refused with a message, in its first chunk or a later one, with its ids taken ahead or in the loop")
    func shrunkLogIsRefused() throws {
        let directory = LogScratchDirectory()
        for count in [50, 12_000] {
            directory.write(Self.alpha.fileName, LogFiles.join(LogFixtures.chain(LogFixtures.events(Self.alpha, count: count))))
            let store = LogFixtures.store(directory)
            let length = directory.read(Self.alpha.fileName).count
            for limit in [nil, 100_000] {
                var registry = IdentifierRegistry(paths: store.logs.map { store.path(of: $0) }, expectedCount: 1)
                var problems: [LogProblem] = []
                var consumer = DiscardingConsumer()
                var options = ReadOptions()
                if let limit { options.eventLimits = [Self.alpha: limit] }
                let reader = LogReader(log: Self.alpha, logRank: 0, path: store.path(of: Self.alpha), options: options)
                // As if the file had been cut after its length was taken.
                let error = #expect(throws: LedgerError.self) {
                    _ = try reader.read(length: length + 100, registry: &registry, problems: &problems, consumer: &consumer)
                }
                #expect(error?.message == "alpha.jsonl shrank while it was being read; run the command again",
                        "\(count) events, limit \(String(describing: limit))")
            }
        }
    }

    @Test("a repeat names the log and line of the first use, in the same log or an earlier one")
    func repeatsAcrossLogsNameTheirPlace() throws {
        let beta = LogFixtures.beta
        let directory = LogScratchDirectory()
        let alphaEvents = LogFixtures.events(Self.alpha, count: 40)
        var betaEvents = LogFixtures.events(beta, count: 30)
        betaEvents[2].id = alphaEvents[9].id
        betaEvents[4].id = betaEvents[0].id
        betaEvents[29].id = alphaEvents[39].id
        let (problems, count) = try Self.readBoth(directory, alpha: alphaEvents, beta: betaEvents)
        #expect(problems == [
            LogProblem(log: beta, line: 3, problem: "id alpha.0010 already used at alpha.jsonl:10"),
            LogProblem(log: beta, line: 5, problem: "id beta.0001 already used at beta.jsonl:1"),
            LogProblem(log: beta, line: 30, problem: "id alpha.0040 already used at alpha.jsonl:40"),
        ])
        #expect(count == 67, "each id is kept once")
    }

    /// Keeps the ids it is given lines of, and at the end asks the read where some ids lie.
    struct LookingUpConsumer: LogLineConsumer {
        var ids: [String] = []
        var asked: [String] = []
        var found: [Int?] = []
        var beforeLookup: () -> Void = {}

        mutating func consume(_ line: LogLine) throws(LedgerError) { ids.append(line.id) }

        mutating func didRead(identifiers: IdentifierLookup) throws(LedgerError) {
            beforeLookup()
            found = []
            for id in asked { found.append(try identifiers.position(of: id)) }
        }
    }

    @Test("at the end of a read, an id is found at the position of its line among the lines read, across logs")
    func positionsOfIdsAfterARead() throws {
        let beta = LogFixtures.beta
        let directory = LogScratchDirectory()
        let alphaEvents = LogFixtures.events(Self.alpha, count: 700)
        let betaEvents = LogFixtures.events(beta, count: 300)
        directory.write(Self.alpha.fileName, LogFiles.join(LogFixtures.chain(alphaEvents)))
        directory.write(beta.fileName, LogFiles.join(LogFixtures.chain(betaEvents)))
        var consumer = LookingUpConsumer()
        let all = (alphaEvents + betaEvents).map(\.id.rawValue)
        consumer.asked = [all[0], all[699], all[700], all[999], all[345], "alpha.9999", "", "beta.0001x"]
        let report = try LogFixtures.store(directory).read(consumer: &consumer)
        #expect(report.problems.isEmpty)
        #expect(consumer.ids == all, "lines consumed in read order")
        #expect(consumer.found == [0, 699, 700, 999, 345, nil, nil, nil])
    }

    @Test("an id that cannot be read back from its log to prove a match is an I/O error, not a match or a miss")
    func unreadableLogRefusesTheLookup() throws {
        let directory = LogScratchDirectory()
        let events = LogFixtures.events(Self.alpha, count: 50)
        directory.write(Self.alpha.fileName, LogFiles.join(LogFixtures.chain(events)))
        let store = LogFixtures.store(directory)
        var consumer = LookingUpConsumer()
        consumer.asked = [events[20].id.rawValue]
        let path = store.path(of: Self.alpha)
        consumer.beforeLookup = { _ = rename(path, path + ".moved") }
        #expect(throws: LedgerError.self) { _ = try store.read(consumer: &consumer) }
    }
}
