import Testing
import IncentivesDomain
import LedgerLog

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Replays the draft-parser fuzz target's kept crash inputs
/// (Tests/LedgerLogTests/Fixtures/fuzz-regressions/draft-parser/) and corpus seeds
/// (Tools/fuzz/corpus/draft-parser/) through its oracle, and walks one-byte changes of the seeds.
@Suite("Draft parser fuzz regressions and corpus replay")
struct DraftParserFuzzRegressionTests {
    static let repository: String = {
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]) }
        return path
    }()

    static func draftInputs(_ directory: String) -> [(name: String, bytes: [UInt8])] {
        guard let stream = opendir(directory) else { return [] }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if !name.hasPrefix(".") { names.append(name) }
        }
        return names.sorted().compactMap { name in readFileBytes(directory + "/" + name).map { (name, $0) } }
    }

    static var seeds: [(name: String, bytes: [UInt8])] { draftInputs(repository + "/Tools/fuzz/corpus/draft-parser") }

    @Test("kept crash inputs and corpus seeds answer consistently")
    func replay() {
        let kept = Self.draftInputs(Self.repository + "/Tests/LedgerLogTests/Fixtures/fuzz-regressions/draft-parser")
        for input in kept + Self.seeds {
            #expect(DraftParserFuzzOracle.check(input.bytes) == nil, "\(input.name): \(DraftParserFuzzOracle.check(input.bytes) ?? "")")
        }
    }

    @Test("every seed is a valid batch: one draft per line")
    func seedsParse() throws {
        #expect(Self.seeds.count >= 3)
        for seed in Self.seeds {
            let lines = seed.bytes.split(separator: UInt8(ascii: "\n")).count
            let drafts = try DraftParser.parse(seed.bytes, inputName: seed.name)
            #expect(drafts.count == lines, "\(seed.name)")
        }
    }

    @Test("one-byte changes of the seeds are parsed or refused consistently, never half")
    func seedMutations() {
        var refused = 0, parsed = 0
        for seed in Self.seeds {
            for position in seed.bytes.indices {
                for replacement: UInt8 in [0x22, seed.bytes[position] ^ 0x20] where replacement != seed.bytes[position] {
                    var mutated = seed.bytes
                    mutated[position] = replacement
                    if let problem = DraftParserFuzzOracle.check(mutated) {
                        Issue.record("\(seed.name), byte \(position) -> \(replacement): \(problem)")
                    }
                    if (try? DraftParser.parse(mutated, inputName: DraftParserFuzzOracle.inputName)) == nil {
                        refused += 1
                    } else {
                        parsed += 1
                    }
                }
            }
        }
        #expect(refused > 0 && parsed > 0)
    }
}
