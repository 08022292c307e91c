import Foundation
import IncentivesTestSupport
import Testing
@testable import IncentivesCLI
import IncentivesDomain
import LedgerLog

/// The event generator, end to end: it is an executable, so the tests run the built binary
/// (built next to this test bundle because the test target depends on it) and read what it wrote.
@Suite("generate-events")
struct GenerateEventsTests {
    /// The command Events/README.md documents; the bundled Events/ must be exactly its output.
    static let documentedCommand = "swift run generate-events --output Events --force"

    // MARK: Determinism

    @Test func sameArgumentsGiveByteIdenticalLogs() throws {
        let first = TemporaryDirectory()
        let second = TemporaryDirectory()
        let one = try Generator.run(["--output", first.path, "--seed", "7", "--enterprises", "80", "--quiet"])
        let two = try Generator.run(["--output", second.path, "--seed", "7", "--enterprises", "80", "--quiet"])
        #expect(one.status == 0, "\(one.errors)")
        #expect(two.status == 0, "\(two.errors)")
        for log in IncentiveLogs.all {
            let left = try first.contents(of: log.fileName)
            let right = try second.contents(of: log.fileName)
            #expect(!left.isEmpty, "\(log.fileName) has events")
            #expect(left == right, "\(log.fileName) is the same byte for byte")
        }
        // The summary names the directory; everything after that line is the same too.
        #expect(one.output.split(separator: "\n").dropFirst(2) == two.output.split(separator: "\n").dropFirst(2))
    }

    @Test func anotherSeedTellsAnotherStory() throws {
        let first = TemporaryDirectory()
        let second = TemporaryDirectory()
        #expect(try Generator.run(["--output", first.path, "--seed", "7", "--enterprises", "80", "--quiet"]).status == 0)
        #expect(try Generator.run(["--output", second.path, "--seed", "8", "--enterprises", "80", "--quiet"]).status == 0)
        #expect(try first.contents(of: "tiers.jsonl") != second.contents(of: "tiers.jsonl"))
        #expect(try first.contents(of: "grants.jsonl") != second.contents(of: "grants.jsonl"))
    }

    // MARK: The output is a valid ledger

    @Test func outputVerifiesInProcessAndWithTheIndependentChecker() throws {
        let directory = TemporaryDirectory()
        let result = try Generator.run(["--output", directory.path, "--seed", "11", "--enterprises", "120", "--years", "4", "--quiet"])
        #expect(result.status == 0, "\(result.errors)")
        let io = CapturedIO()
        let code = CLI.run(["verify", "--events", directory.path], environment: [:], io: io)
        #expect(code == 0, "\(io.output)\(io.errors)")
        #expect(io.output.contains("ok: "))
        if directory.exists(".ledger-journal") {
            // Idle, with the logs' acknowledged states and perhaps their stamps after the last verified append.
            #expect(try directory.contents(of: ".ledger-journal").starts(with: Array("ledger-journal 2 idle\n".utf8)),
                    "no append is left pending")
        }
        if let checker = IndependentChecker.script {
            let check = try Process.capture("/usr/bin/env", ["python3", checker, directory.path])
            #expect(check.status == 0, "\(check.output)\(check.errors)")
        }
    }

    @Test(.enabled(if: IndependentChecker.isAvailable, "the Python checker (../shared/tools/verify-chain.py or INCENTIVES_VERIFY_CHAIN) is present"))
    func bundledEventsPassTheIndependentChecker() throws {
        let check = try Process.capture("/usr/bin/env", ["python3", IndependentChecker.script!, Generator.packageRoot + "/Events"])
        #expect(check.status == 0, "\(check.output)\(check.errors)")
    }

    // MARK: The bundled Events/ cannot drift from the tool

    @Test func bundledEventsAreTheDocumentedCommandsOutput() throws {
        let readme = try String(contentsOfFile: Generator.packageRoot + "/Events/README.md", encoding: .utf8)
        #expect(readme.contains(GenerateEventsTests.documentedCommand), "Events/README.md documents the command")
        let directory = TemporaryDirectory()
        // The documented command with only the directory changed.
        let result = try Generator.run(["--output", directory.path, "--force", "--quiet"])
        #expect(result.status == 0, "\(result.errors)")
        for name in IncentiveLogs.all.map(\.fileName) + [LedgerManifest.fileName] {
            let bundled = try Data(contentsOf: URL(fileURLWithPath: Generator.packageRoot + "/Events/" + name))
            #expect(Array(bundled) == (try directory.contents(of: name)),
                    "Events/\(name) is what `\(GenerateEventsTests.documentedCommand)` writes; regenerate it")
        }
        // The README's figures come from that run: its heads and the ids of the deliberate cases.
        let io = CapturedIO()
        #expect(CLI.run(["verify", "--events", directory.path, "--format", "json"], environment: [:], io: io) == 0)
        let heads = io.output.split(separator: "\"").filter { $0.count == 64 && $0.allSatisfy(\.isHexDigit) }
        #expect(heads.count == IncentiveLogs.all.count)
        for head in heads { #expect(readme.contains(head), "Events/README.md shows the head \(head)") }
        for (letter, ids) in StoryCases.parse(result.output) {
            for id in ids { #expect(readme.contains(id), "Events/README.md lists \(id) for case (\(letter))") }
        }
    }

    // MARK: The story

    /// The deliberate audit cases the summary announces are in the data, and nothing else is wrong:
    /// an audit written here, independently of the generator, finds exactly them.
    @Test func theStoryHoldsItsDeliberateFindingsAndNoOthers() throws {
        let directory = TemporaryDirectory()
        let result = try Generator.run(["--output", directory.path, "--quiet"])
        #expect(result.status == 0, "\(result.errors)")
        let cases = StoryCases.parse(result.output)
        #expect(cases.keys.sorted() == Array("abcdefghijk").map(String.init), "the summary lists cases (a) to (k)")

        let ledger = try Ledger.load(store: IncentiveLogs.store(directory: directory.path))
        let audit = StoryAudit(ledger: ledger)
        func grants(_ letter: String) -> Set<String> { audit.grantIds(ofEvents: cases[letter] ?? []) }

        #expect(audit.restated == grants("a"), "(a) the back-dated correction restates 2022 and nothing else does")
        #expect(audit.retracted == Set([cases["b"]?.first ?? ""]), "(b) the one retracted event")
        #expect(audit.belowTier == grants("c"), "(c) award below the minimum tier")
        #expect(!audit.capBreaches.isEmpty && audit.capBreaches.isSubset(of: grants("d")), "(d) cap breach: \(audit.capBreaches)")
        #expect(audit.overPaid == grants("e"), "(e) over-payment")
        #expect(audit.paidAfterDeregistration == Set((cases["f"] ?? []).dropFirst()), "(f) payment after deregistration")
        #expect(audit.toRecover == grants("g"), "(g) revoked with money to recover")
        #expect(audit.duplicates == grants("h"), "(h) duplicate award")
        #expect(audit.overBudget == ["JY-TALENT 2022"], "(i) budget exceeded")
        #expect(audit.recordedLate == Set(cases["j"] ?? []), "(j) recorded more than 90 days late")
        #expect(audit.failingCheckDigits == audit.enterpriseCodes(ofEvents: cases["k"] ?? []), "(k) failing check digit")
        #expect(audit.recordedBeforeEffective.isEmpty, "nothing is recorded before it takes effect")
        #expect(audit.paymentsBeforeAward.isEmpty && audit.paymentsAfterRevocation.isEmpty)

        let summary = Summary(models: audit.models, window: audit.window)
        #expect(summary.awardedFen > 20_000_000_000 && summary.awardedFen <= 20_100_000_000,
                "awards total just over 200 million yuan, got \(summary.awardedFen) fen")
        #expect(summary.enterprisesByTier[Int(Tier.influential.rawValue)] > 0)
        #expect(summary.centresByKind.allSatisfy { $0 > 0 }, "innovation, offshore and R&D centres are open")
    }

    // MARK: The command line

    @Test func refusesADirectoryThatHoldsEventsUnlessForced() throws {
        let directory = TemporaryDirectory()
        #expect(try Generator.run(["--output", directory.path, "--seed", "3", "--enterprises", "60", "--quiet"]).status == 0)
        let before = try directory.contents(of: "grants.jsonl")
        let refused = try Generator.run(["--output", directory.path, "--seed", "4", "--enterprises", "60", "--quiet"])
        #expect(refused.status == 64)
        #expect(refused.errors.contains("already holds events") && refused.errors.contains("--force"))
        #expect(try directory.contents(of: "grants.jsonl") == before, "a refusal changes nothing")
        try Data("keep me\n".utf8).write(to: URL(fileURLWithPath: directory.path + "/notes.txt"))
        let forced = try Generator.run(["--output", directory.path, "--seed", "4", "--enterprises", "60", "--quiet", "--force"])
        #expect(forced.status == 0, "\(forced.errors)")
        #expect(try directory.contents(of: "grants.jsonl") != before)
        #expect(try directory.contents(of: "notes.txt") == Array("keep me\n".utf8), "--force replaces only the logs")
    }

    @Test(arguments: [
        (["--seed", "1"], "--output DIR is required"),
        (["--output", "/tmp/x", "--years", "2"], "--years must be a whole number from 3 to 20"),
        (["--output", "/tmp/x", "--start", "2021-03-01"], "--start must be a 1 January"),
        (["--output", "/tmp/x", "--enterprises", "100", "--events", "100000"], "give one of them"),
        (["--output", "/tmp/x", "--seed", "-1"], "--seed must be a whole number"),
        (["--output", "/tmp/x", "--colour"], "unknown option --colour"),
        (["--output", "/tmp/x", "--events", "20000000"], "--events must be a whole number from 5000 to 12000000"),
    ])
    func usageErrorsExitWith64(arguments: [String], message: String) throws {
        let result = try Generator.run(arguments)
        #expect(result.status == 64)
        #expect(result.errors.contains(message), "\(result.errors)")
        #expect(result.errors.contains("usage: generate-events"))
    }
}

// MARK: - Running the generator

/// Finds and runs the `generate-events` binary built with the tests.
enum Generator {
    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// Next to the test bundle (the directory of `/proc/self/exe`), else in `.build/debug`.
    static let binary: String = {
        var candidates: [String] = []
        if let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(URL(fileURLWithPath: executable).deletingLastPathComponent().path + "/generate-events")
        }
        candidates.append(packageRoot + "/.build/debug/generate-events")
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates.last!
    }()

    static func run(_ arguments: [String]) throws -> ProcessResult {
        try Process.capture(binary, arguments)
    }
}

struct ProcessResult {
    var status: Int32
    var output: String
    var errors: String
}

extension Process {
    /// Runs a program to completion with its output and errors in files (no pipe to fill up).
    static func capture(_ executable: String, _ arguments: [String]) throws -> ProcessResult {
        let scratch = TemporaryDirectory()
        let outputPath = scratch.path + "/out", errorPath = scratch.path + "/err"
        guard FileManager.default.createFile(atPath: outputPath, contents: nil),
              FileManager.default.createFile(atPath: errorPath, contents: nil) else {
            throw CocoaError(.fileWriteUnknown)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle(forWritingAtPath: outputPath)
        process.standardError = FileHandle(forWritingAtPath: errorPath)
        try process.run()
        process.waitUntilExit()
        return ProcessResult(status: process.terminationStatus,
                             output: try String(contentsOfFile: outputPath, encoding: .utf8),
                             errors: try String(contentsOfFile: errorPath, encoding: .utf8))
    }
}

/// A fresh directory of the shared fixture, removed with everything in it when the test is done.
final class TemporaryDirectory {
    let scratch = TemporaryFileFixture(prefix: "generate-events")
    var path: String { scratch.path }

    func contents(of name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path + "/" + name)))
    }

    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: path + "/" + name) }
}

// MARK: - Reading the story back

/// The deliberate cases as the generator's summary lists them: `(a) title: g-000432 g-000701`.
enum StoryCases {
    static func parse(_ summary: String) -> [String: [String]] {
        var cases: [String: [String]] = [:]
        for line in summary.split(separator: "\n") {
            let trimmed = line.drop(while: { $0 == " " })
            guard trimmed.hasPrefix("("), trimmed.dropFirst(2).hasPrefix(")"), let colon = trimmed.lastIndex(of: ":") else { continue }
            let letter = String(trimmed.dropFirst().prefix(1))
            cases[letter] = trimmed[trimmed.index(after: colon)...].split(separator: " ").map(String.init)
        }
        return cases
    }
}

/// A small audit of the story, written for this test from the ledger's read models: each rule
/// the generator promises to break exactly once (and otherwise keep).
struct StoryAudit {
    let ledger: Ledger
    let window = TimeWindow(asOf: nil, knownAt: Timestamp(parsing: "9999-12-31T23:59:59Z")!)
    let models: ReadModels
    var restated: Set<String> = []
    var retracted: Set<String> = []
    var belowTier: Set<String> = []
    var capBreaches: Set<String> = []
    var overPaid: Set<String> = []
    var paidAfterDeregistration: Set<String> = []
    var toRecover: Set<String> = []
    var duplicates: Set<String> = []
    var overBudget: Set<String> = []
    var recordedLate: Set<String> = []
    var recordedBeforeEffective: Set<String> = []
    var failingCheckDigits: Set<String> = []
    var paymentsBeforeAward: Set<String> = []
    var paymentsAfterRevocation: Set<String> = []

    init(ledger: Ledger) {
        self.ledger = ledger
        let projection = Projection(ledger: ledger, window: window)
        models = projection.run()
        for (index, event) in ledger.events.enumerated() {
            let lagDays = event.recorded.date.daysSinceEpoch - event.effective.daysSinceEpoch
            if lagDays > 90 { recordedLate.insert(ledger.eventId(of: index)) }
            if lagDays < 0 { recordedBeforeEffective.insert(ledger.eventId(of: index)) }
            if ledger.retractedAt[index] != .never { retracted.insert(ledger.eventId(of: index)) }
            if case .enterpriseRegistered(let enterprise, _, _) = event.payload,
               !EnterpriseCode(rawValue: ledger.enterprises.string(enterprise))!.hasValidCheckDigit {
                failingCheckDigits.insert(ledger.enterprises.string(enterprise))
            }
        }
        for index in projection.countedEvents() {
            let event = ledger.events[index]
            guard case .grantDisbursed(let grant, _) = event.payload, let state = models.grants[grant] else { continue }
            let id = ledger.eventId(of: index)
            if event.effective < state.awarded { paymentsBeforeAward.insert(id) }
            if let revoked = state.revoked, event.effective > revoked { paymentsAfterRevocation.insert(id) }
            if let left = models.enterprises[state.enterprise]?.deregistered, event.effective > left {
                paidAfterDeregistration.insert(id)
            }
        }
        var awardedByProgrammeYear: [String: Int64] = [:]
        var projects: [String: [String]] = [:]
        for (index, grant) in models.grants.enumerated() {
            guard let grant else { continue }
            let id = ledger.grants.string(.init(offset: index))
            let programme = models.programmes[grant.programme]!
            let terms = programme.terms(on: grant.awarded)
            if let minimum = terms.minTier, models.enterprises[grant.enterprise]!.tier(on: grant.awarded) < minimum {
                belowTier.insert(id)
            }
            if grant.revoked == nil && grant.disbursedFen - grant.recoveredFen > Int128(grant.awardedFen) { overPaid.insert(id) }
            if grant.revoked != nil && grant.disbursedFen - grant.recoveredFen > 0 { toRecover.insert(id) }
            if let cap = terms.capFen {
                let from = grant.awarded.adding(years: -Int(terms.capYears))
                let inWindow = models.grants.compactMap { $0 }.filter {
                    $0.enterprise == grant.enterprise && $0.programme == grant.programme && $0.awarded > from && $0.awarded <= grant.awarded
                }
                if inWindow.reduce(0, { $0 + $1.awardedFen.rawValue }) > cap.rawValue { capBreaches.insert(id) }
            }
            let key = "\(grant.programme) \(grant.awarded.year)"
            awardedByProgrammeYear[key, default: 0] += grant.awardedFen.rawValue
            let project = ledger.texts.string(grant.project).lowercased().filter { !$0.isWhitespace }
            projects["\(grant.enterprise) \(grant.programme) \(project)", default: []].append(id)
        }
        for group in projects.values where group.count > 1 { duplicates.formUnion(group) }
        for (index, programme) in models.programmes.enumerated() {
            guard let programme else { continue }
            for year in Set(programme.budgets.map(\.year)) {
                let awarded = awardedByProgrammeYear["\(index) \(year)"] ?? 0
                if awarded > programme.budget(year: year) { overBudget.insert("\(ledger.programmes.string(.init(offset: index))) \(year)") }
            }
        }
        // The report year as published on 15 January and as known now.
        let published = Projection(ledger: ledger, window: TimeWindow(
            asOf: CalendarDate(parsing: "2022-12-31"), knownAt: CalendarDate(parsing: "2023-01-15")!.endOfDay)).run()
        let now = Projection(ledger: ledger, window: TimeWindow(asOf: CalendarDate(parsing: "2022-12-31"), knownAt: window.knownAt)).run()
        for index in published.grants.indices where published.grants[index]?.awardedFen != now.grants[index]?.awardedFen {
            restated.insert(ledger.grants.string(.init(offset: index)))
        }
    }

    func grantIds(ofEvents ids: [String]) -> Set<String> {
        var grants: Set<String> = []
        for id in ids {
            guard let index = ledger.eventIndex(ofId: id) else { continue }
            switch ledger.events[index].payload {
            case .grantAwarded(let grant, _, _, _, _), .grantAmended(let grant, _), .grantDisbursed(let grant, _),
                 .grantRevoked(let grant, _), .grantRecovered(let grant, _):
                grants.insert(ledger.grants.string(grant))
            default: break
            }
        }
        return grants
    }

    func enterpriseCodes(ofEvents ids: [String]) -> Set<String> {
        var codes: Set<String> = []
        for id in ids {
            guard let index = ledger.eventIndex(ofId: id),
                  case .enterpriseRegistered(let enterprise, _, _) = ledger.events[index].payload else { continue }
            codes.insert(ledger.enterprises.string(enterprise))
        }
        return codes
    }
}
