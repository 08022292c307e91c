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

    @Test("a repeat names the log and line of the first use, in the same log or an earlier one")
    func repeatsAcrossLogsNameTheirPlace() throws {
        let beta = LogFixtures.beta
        let directory = LogScratchDirectory()
        let alphaEvents = LogFixtures.events(Self.alpha, count: 40)
        var betaEvents = LogFixtures.events(beta, count: 30)
        betaEvents[2].id = alphaEvents[9].id
        betaEvents[4].id = betaEvents[0].id
        betaEvents[29].id = alphaEvents[39].id
        directory.write(Self.alpha.fileName, LogFiles.join(LogFixtures.chain(alphaEvents)))
        directory.write(beta.fileName, LogFiles.join(LogFixtures.chain(betaEvents)))
        let store = LogFixtures.store(directory)
        var registry = IdentifierRegistry(paths: store.logs.map { store.path(of: $0) }, expectedCount: 1)
        var problems: [LogProblem] = []
        var consumer = DiscardingConsumer()
        for (rank, log) in [Self.alpha, beta].enumerated() {
            let reader = LogReader(log: log, logRank: rank, path: store.path(of: log), options: ReadOptions())
            _ = try reader.read(length: directory.read(log.fileName).count, registry: &registry, problems: &problems,
                                consumer: &consumer)
        }
        #expect(problems == [
            LogProblem(log: beta, line: 3, problem: "id alpha.0010 already used at alpha.jsonl:10"),
            LogProblem(log: beta, line: 5, problem: "id beta.0001 already used at beta.jsonl:1"),
            LogProblem(log: beta, line: 30, problem: "id alpha.0040 already used at alpha.jsonl:40"),
        ])
        #expect(registry.count == 67, "each id is kept once")
    }
}
