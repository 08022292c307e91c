import IncentivesTestSupport
import Testing
@testable import benchmark

/// The parts of the benchmark's measurement after appends that run without the benchmark: the
/// draft it appends, the files it copies, and its options. (The benchmark itself is never run
/// by the tests.)
@Suite struct AfterAppendBenchmarkTests {
    static let registration = #"{"actor":"a","data":{"enterprise":"91321204000146472H","name":"n","sector":"s"},"effective":"2021-03-04","hash":"00","id":"e-1","prev":"00","recorded":"2021-03-05T00:00:00Z","seq":2,"source":"s","type":"EnterpriseRegistered","v":1}"#
    static let evaluation = #"{"actor":"a","data":{"enterprise":"91321204000146472X","score":5},"effective":"2020-01-01","hash":"00","id":"e-0","prev":"00","recorded":"2021-03-05T00:00:00Z","seq":1,"source":"s","type":"CapabilityEvaluated","v":1}"#

    @Test("the draft names the first enterprise registered in the log and its registration's date")
    func firstRegistrationIsFound() {
        let directory = TemporaryFileFixture()
        directory.write("tiers.jsonl", Array((Self.evaluation + "\n" + Self.registration + "\n").utf8))
        let found = AfterAppendBenchmark.firstRegistration(in: directory.file("tiers.jsonl"))
        #expect(found?.enterprise == "91321204000146472H" && found?.effective == "2021-03-04")
    }

    @Test("no registration, or only one cut by the search's limit, gives none")
    func noRegistrationGivesNone() {
        let directory = TemporaryFileFixture()
        directory.write("none.jsonl", Array((Self.evaluation + "\n").utf8))
        #expect(AfterAppendBenchmark.firstRegistration(in: directory.file("none.jsonl")) == nil)
        directory.write("cut.jsonl", Array(Self.registration.utf8))
        #expect(AfterAppendBenchmark.firstRegistration(in: directory.file("cut.jsonl")) == nil, "a line without its newline")
        #expect(AfterAppendBenchmark.firstRegistration(in: directory.file("missing.jsonl")) == nil)
    }

    @Test("files are copied and written byte for byte")
    func filesAreCopied() {
        let directory = TemporaryFileFixture()
        let bytes = (0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        #expect(BenchmarkFiles.write(bytes, to: directory.file("a")))
        #expect(BenchmarkFiles.copy(directory.file("a"), to: directory.file("b")))
        #expect(BenchmarkFiles.read(directory.file("b"), limitBytes: 4 << 20) == bytes)
        #expect(!BenchmarkFiles.copy(directory.file("missing"), to: directory.file("c")))
        #expect(BenchmarkFiles.name(directory.file("b")) == "b")
        let scratch = directory.makeDirectory("scratch")
        for name in ["x", ".hidden"] { #expect(BenchmarkFiles.write([1], to: scratch + "/" + name)) }
        BenchmarkFiles.removeDirectoryAndItsFiles(scratch)
        #expect(!BenchmarkFiles.isDirectory(scratch), "the scratch folder and its files are gone")
    }

    @Test("the options choose the measurement after appends, alone or not at all")
    func options() throws {
        let defaults = try BenchmarkOptions.parse([]).get()
        #expect(defaults.afterAppends && defaults.appends && !defaults.afterAppendsOnly)
        let only = try BenchmarkOptions.parse(["--after-appends-only", "--sizes", "10m"]).get()
        #expect(only.afterAppends && !only.appends && only.sizes == ["10m"])
        let none = try BenchmarkOptions.parse(["--no-after-appends"]).get()
        #expect(!none.afterAppends && none.appends)
        let appendsOnly = try BenchmarkOptions.parse(["--appends-only"]).get()
        #expect(!appendsOnly.afterAppends && appendsOnly.sizes.isEmpty)
        for excluding in [["--after-appends-only", "--no-after-appends"], ["--after-appends-only", "--appends-only"]] {
            guard case .failure(let failure) = BenchmarkOptions.parse(excluding) else {
                Issue.record("\(excluding) was accepted")
                continue
            }
            #expect("\(failure)".contains("exclude each other"))
        }
    }

    @Test("the measurement after appends runs before the appends measured in the benchmark's own process")
    func stepOrder() throws {
        func steps(_ arguments: [String]) throws -> [BenchmarkOptions.Step] {
            try BenchmarkOptions.parse(arguments).get().steps
        }
        #expect(try steps([]) == [.queries, .afterAppends, .appends])
        #expect(try steps(["--no-after-appends"]) == [.queries, .appends])
        #expect(try steps(["--no-appends"]) == [.queries, .afterAppends])
        #expect(try steps(["--after-appends-only"]) == [.afterAppends])
        #expect(try steps(["--appends-only"]) == [.appends])
    }
}
