import Testing
@testable import LedgerLog

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Replays what the fuzzers found and started from: every input that once crashed a fuzz target
/// or broke its oracle (Fixtures/fuzz-regressions/TARGET/) and every seed of its corpus
/// (Tools/fuzz/corpus/TARGET/), through the same oracles the fuzzers use (FuzzOracles.swift).
/// Also walks every one-byte change of the seed event lines, so that the test exercises the
/// refusal paths deterministically even where no crash input was ever kept.
@Suite("Fuzz regressions and corpus replay")
struct FuzzRegressionTests {
    static let repository: String = {
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]) }
        return path
    }()

    /// The regular files of a directory, sorted by name; empty if it does not exist.
    /// (Glibc rather than Foundation: importing Foundation into this module slows type-checking
    /// of the other test files past the compiler's limit.)
    static func inputs(_ directory: String) -> [(name: String, bytes: [UInt8])] {
        guard let stream = opendir(directory) else { return [] }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if !name.hasPrefix(".") { names.append(name) }
        }
        return names.sorted().compactMap { name in
            readFileBytes(directory + "/" + name).map { (name, $0) }
        }
    }

    static func regressions(_ target: String) -> [(name: String, bytes: [UInt8])] {
        inputs(repository + "/Tests/LedgerLogTests/Fixtures/fuzz-regressions/" + target)
    }

    static func corpus(_ target: String) -> [(name: String, bytes: [UInt8])] {
        inputs(repository + "/Tools/fuzz/corpus/" + target)
    }

    @Test("the corpora are where the fuzzers look for them")
    func corporaExist() {
        #expect(Self.corpus("scanner").count >= 5)
        #expect(Self.corpus("canonicaliser").count >= 5)
    }

    @Test("scanner: kept crash inputs and corpus seeds answer consistently")
    func scannerReplay() {
        for input in Self.regressions("scanner") + Self.corpus("scanner") {
            #expect(FuzzOracle.scanLine(input.bytes) == nil, "\(input.name): \(FuzzOracle.scanLine(input.bytes) ?? "")")
        }
    }

    @Test("scanner: the seeds are valid event lines, and every one-byte change of them is refused consistently")
    func scannerSeedMutations() {
        let seeds = Self.corpus("scanner").filter { $0.name.hasPrefix("event-") }
        #expect(!seeds.isEmpty)
        var refused = 0
        for seed in seeds {
            let accepted = seed.bytes.withUnsafeBytes { ScannedEventLine.scan($0) }
            guard case .success = accepted else {
                Issue.record("\(seed.name) is a valid event line and must scan")
                continue
            }
            // Every position, three replacement bytes each: a changed line is never silently accepted
            // as another valid line unless the oracle agrees it is one.
            for position in seed.bytes.indices {
                for replacement: UInt8 in [0x00, 0x22, seed.bytes[position] ^ 0x01] where replacement != seed.bytes[position] {
                    var mutated = seed.bytes
                    mutated[position] = replacement
                    if let problem = FuzzOracle.scanLine(mutated) {
                        Issue.record("\(seed.name), byte \(position) -> \(replacement): \(problem)")
                    }
                    if case .failure = mutated.withUnsafeBytes({ ScannedEventLine.scan($0) }) { refused += 1 }
                }
            }
        }
        #expect(refused > 0)
    }

    @Test("canonicaliser: kept crash inputs and corpus seeds answer consistently")
    func canonicaliserReplay() {
        for input in Self.regressions("canonicaliser") + Self.corpus("canonicaliser") {
            #expect(FuzzOracle.canonicalise(input.bytes) == nil, "\(input.name): \(FuzzOracle.canonicalise(input.bytes) ?? "")")
        }
    }

    @Test("canonicaliser: each seed's canonical form is accepted by the scanner when within its limits")
    func canonicaliserSeedsReachTheScanner() throws {
        var reached = 0
        for input in Self.corpus("canonicaliser") {
            guard let canonical = try? JSONCanonical.canonicalize(input.bytes),
                  let value = try? JSONParser.parse(canonical), FuzzOracle.fitsScanner(value, depth: 0) else { continue }
            #expect(FuzzOracle.scannerAcceptsWhole(canonical), "\(input.name)")
            reached += 1
        }
        #expect(reached >= 3)
    }
}
