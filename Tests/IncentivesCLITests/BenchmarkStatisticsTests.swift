import IncentivesTestSupport
import Testing
@testable import benchmark

/// The arithmetic behind the benchmark's tables: medians, percentiles, ratios, rates and their
/// formatting. (The benchmark itself is never run by the tests.)
@Suite struct BenchmarkStatisticsTests {
    @Test("the snapshots read back into the page cache are the regular files named as snapshots, in name order")
    func snapshotFilesAreListed() {
        let directory = TemporaryFileFixture()
        for name in ["snapshot-b", "snapshot-a", "snapshot.key", "other"] { directory.write(name, [1, 2, 3]) }
        _ = directory.makeDirectory("snapshot-c")
        #expect(BenchmarkFiles.files(in: directory.path, prefix: "snapshot-") == [directory.file("snapshot-a"), directory.file("snapshot-b")])
        #expect(BenchmarkFiles.files(in: directory.file("missing"), prefix: "snapshot-").isEmpty)
        #expect(BenchmarkFiles.absolute("/a/b") == "/a/b")
        #expect(BenchmarkFiles.absolute("a/b").hasPrefix("/") && BenchmarkFiles.absolute("a/b").hasSuffix("/a/b"))
    }

    @Test func medianOfAnOddCountIsTheMiddleValue() {
        #expect(BenchmarkStatistics.median([5, 1, 3]) == 3)
        #expect(BenchmarkStatistics.median([2.5]) == 2.5)
    }

    @Test func medianOfAnEvenCountIsTheMeanOfTheTwoMiddleValues() {
        #expect(BenchmarkStatistics.median([4, 1, 3, 2]) == 2.5)
        #expect(BenchmarkStatistics.median([10, 0]) == 5)
    }

    @Test func medianOfNothingIsNil() {
        #expect(BenchmarkStatistics.median([]) == nil)
    }

    @Test func medianIsNotMovedByOneOutlier() {
        #expect(BenchmarkStatistics.median([1.0, 1.1, 0.9, 1.2, 60]) == 1.1)
    }

    @Test func percentileTakesTheNearestRank() {
        let values = (1...100).map(Double.init)
        #expect(BenchmarkStatistics.percentile(values, 0.99) == 99)
        #expect(BenchmarkStatistics.percentile(values, 0.5) == 50)
        #expect(BenchmarkStatistics.percentile([7, 3], 1) == 7)
        #expect(BenchmarkStatistics.percentile([], 0.5) == nil)
    }

    @Test func speedupIsThePeersTimeOverOurs() {
        #expect(BenchmarkStatistics.speedup(peerSeconds: 3, oursSeconds: 1.5) == 2)
        #expect(BenchmarkStatistics.speedup(peerSeconds: 1, oursSeconds: 4) == 0.25)
        #expect(BenchmarkStatistics.speedup(peerSeconds: nil, oursSeconds: 1) == nil)
        #expect(BenchmarkStatistics.speedup(peerSeconds: 1, oursSeconds: 0) == nil)
    }

    @Test func rateIsCountOverSeconds() {
        #expect(BenchmarkStatistics.rate(1_000_000, seconds: 0.5) == 2_000_000)
        #expect(BenchmarkStatistics.rate(10, seconds: nil) == nil)
        #expect(BenchmarkStatistics.rate(10, seconds: 0) == nil)
    }

    @Test("the windows are measured warm: two summaries and an audit, each known at or as of a date")
    func windowsAreMeasuredWarm() throws {
        let options = try BenchmarkOptions.parse([]).get()
        let dataset = Dataset(label: "1m", requestedEvents: 1_000_000, folder: "work/1m", events: 0, bytes: 0, grantsBytes: 0)
        let commands = BenchmarkPlan(options: options, incentivesHasSnapshots: true).commands(for: dataset)
        let windows: [MeasuredCommand.Question] = [.summaryAsOf, .summaryKnownAt, .auditKnownAt]
        for question in windows {
            let measured = commands.filter { $0.question == question }
            #expect(measured.map(\.tool) == [.incentivesWarm], "\(question.rawValue): warm only")
            #expect(measured.first.map { $0.arguments.contains("--as-of") || $0.arguments.contains("--known-at") } == true,
                    "\(question.rawValue): a window")
        }
        #expect(commands.first { $0.question == .auditKnownAt }?.arguments.first == "audit")
    }

    @Test func ratiosCompareTheMediansOfTheSameDatasetAndQuestion() {
        func result(_ tool: MeasuredCommand.Tool, _ walls: [Double], dataset: String = "1m") -> CommandResult {
            var result = CommandResult(
                command: MeasuredCommand(question: .perEnterprise, tool: tool, executable: "x", arguments: []), dataset: dataset)
            result.runs = walls.map {
                RunMeasurement(wallNanoseconds: UInt64($0 * 1e9), userNanoseconds: 0, systemNanoseconds: 0,
                               maximumResidentBytes: 0, termination: .exited(0), reportedQuerySeconds: nil)
            }
            return result
        }
        let results = [
            result(.incentivesCold, [1, 2, 9]),          // median 2
            result(.duckdbGiven, [3, 5, 4]),             // median 4
            result(.hledger, [30]),
            result(.ledger, [1], dataset: "100k"),       // another dataset: not compared
        ]
        let ratios = BenchmarkRatio.all(in: results, dataset: "1m")
        #expect(ratios.first { $0.peer == MeasuredCommand.Tool.duckdbGiven.rawValue }?.ratio == 2)
        #expect(ratios.first { $0.peer == MeasuredCommand.Tool.hledger.rawValue }?.ratio == 15)
        #expect(!ratios.contains { $0.peer == MeasuredCommand.Tool.ledger.rawValue })
    }

    @Test func failedRunsAreLeftOutOfTheMedian() {
        var result = CommandResult(
            command: MeasuredCommand(question: .verify, tool: .incentivesCold, executable: "x", arguments: []), dataset: "1m")
        result.runs = [
            RunMeasurement(wallNanoseconds: 1_000_000_000, userNanoseconds: 0, systemNanoseconds: 0,
                           maximumResidentBytes: 100, termination: .exited(0), reportedQuerySeconds: nil),
            RunMeasurement(wallNanoseconds: 9_000_000_000, userNanoseconds: 0, systemNanoseconds: 0,
                           maximumResidentBytes: 900, termination: .timedOut(5), reportedQuerySeconds: nil),
        ]
        #expect(result.wallSeconds == 1)
        #expect(result.maximumResidentBytes == 100)
    }

    @Test func numbersAreFormattedForTheTables() {
        #expect(BenchmarkFormat.decimal(1.005, digits: 1) == "1.0")
        #expect(BenchmarkFormat.decimal(2.5, digits: 0) == "3")
        #expect(BenchmarkFormat.decimal(-0.25, digits: 2) == "-0.25")
        #expect(BenchmarkFormat.grouped(1_234_567) == "1,234,567")
        #expect(BenchmarkFormat.seconds(0.1234) == "0.123 s")
        #expect(BenchmarkFormat.seconds(12.345) == "12.35 s")
        #expect(BenchmarkFormat.ratio(2) == "2.00×")
        #expect(BenchmarkFormat.rate(250_000, unit: "events") == "250 k events/s")
    }

    @Test func sizesAreReadWithTheirSuffix() {
        #expect(Dataset.parseSize("100k") == 100_000)
        #expect(Dataset.parseSize("1m") == 1_000_000)
        #expect(Dataset.parseSize("10M") == 10_000_000)
        #expect(Dataset.parseSize("5000") == 5_000)
        #expect(Dataset.parseSize("m") == nil)
        #expect(Dataset.parseSize("1.5m") == nil)
        #expect(Dataset.parseSize("-1k") == nil)
    }

    @Test func jsonReportSeparatesMembersAndEscapesText() {
        var writer = BenchmarkJSON()
        writer.object {
            $0.member("name", "a \"b\"\n")
            $0.member("count", 3)
            $0.member("missing", nil as Double?)
            $0.member("inner") { $0.member("seconds", 1.5) }
            $0.array("rows") { rows in
                rows.element { $0.member("x", 1) }
                rows.element { $0.member("y", [0.25, 2]) }
            }
        }
        #expect(writer.text == #"{"name":"a \"b\"\n","count":3,"missing":null,"inner":{"seconds":1.500000},"rows":[{"x":1},{"y":[0.250000,2.000000]}]}"#)
    }
}
