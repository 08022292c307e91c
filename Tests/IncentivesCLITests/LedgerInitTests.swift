import Foundation
import IncentivesCLI
import IncentivesDomain
import LedgerLog
import Testing

/// A ledger is a thing you create (`incentives init`); a folder that is none is refused with
/// exit 66 by every other command, instead of being read as an empty ledger.
@Suite("init, and folders that are not a ledger")
struct LedgerInitTests {
    static let clock = FixedClock(Timestamp(parsing: "2025-01-15T09:00:00Z")!)
    static let idBytes: [UInt8] = [0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10]

    static func run(_ arguments: [String], ids: [UInt8] = idBytes) -> CommandOutcome {
        let io = CapturedIO()
        let code = CLI.run(arguments, environment: [:], io: io, clock: clock, ledgerIds: .fixed(ids))
        return CommandOutcome(arguments: arguments, exitCode: code, output: io.output, errors: io.errors)
    }

    static func programme(_ id: String) -> String {
        Draft.programme(id, id, name: "programme \(id)", effective: "2022-01-01")
    }

    static func contents(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map { [UInt8]($0) }
    }

    // MARK: Reproduction: a wrong --events answered zeros

    /// An empty folder, the parent folder of a ledger and `/`: `verify` said "ok: 0 events" and
    /// `audit --fail-on error` exited 0. Now each is refused as no ledger, and nothing is written.
    @Test(arguments: ["empty", "parent", "root"])
    func aWrongEventsDirectoryIsNoLedger(kind: String) throws {
        let scratch = TemporaryEventsDirectory()
        let directory: String
        switch kind {
        case "empty":
            directory = scratch.root + "/empty"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        case "parent": directory = scratch.root
        default: directory = "/"
        }
        let before = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        let verify = Self.run(["verify", "--events", directory])
        verify.then(exit: 66, errors: ["no ledger in \(directory) (it holds none of ledger.json, tiers.jsonl, centres.jsonl, grants.jsonl)",
                                       "`incentives init --events \(directory)` creates one"])
        #expect(!verify.output.contains("ok"), "\(verify.output)")
        Self.run(["verify", "--events", directory, "--format", "json"]).then(exit: 66)
        Self.run(["audit", "--fail-on", "error", "--events", directory]).then(exit: 66, errors: ["no ledger in"])
        Self.run(["summary", "--events", directory, "--format", "json"]).then(exit: 66)
        Self.run(["checkpoint", "--events", directory]).then(exit: 66)
        let drafts = scratch.writeInput("drafts.jsonl", Array((Self.programme("P-1") + "\n").utf8))
        Self.run(["append", drafts, "--events", directory]).then(exit: 66, errors: ["no ledger in"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == before,
                "a refused command wrote into \(directory)")
    }

    @Test func theEnvironmentsDirectoryIsCheckedToo() {
        let scratch = TemporaryEventsDirectory(ledger: false)
        let io = CapturedIO()
        let code = CLI.run(["summary"], environment: ["INCENTIVES_EVENTS": scratch.events], io: io, clock: Self.clock)
        #expect(code == 66, "\(io.errors)")
    }

    // MARK: init

    @Test func initMakesAnEmptyLedgerWithACanonicalManifest() throws {
        let scratch = TemporaryEventsDirectory(ledger: false)
        let directory = scratch.root + "/new-ledger"
        Self.run(["init", "--events", directory]).then(exit: 0, output: ["created an empty ledger", "0123456789abcdeffedcba9876543210", "+08:00"])
        // No zero-byte logs: a missing log is an empty one, and an empty file is a line to some readers.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["ledger.json"])
        let manifest = try #require(Self.contents(directory + "/ledger.json"))
        #expect(String(decoding: manifest, as: UTF8.self)
                == #"{"formatVersion":1,"ledgerId":"0123456789abcdeffedcba9876543210","timeZone":"+08:00"}"# + "\n")
        Self.run(["verify", "--events", directory]).then(exit: 0, output: ["ok: 0 events in 3 logs verify"])
        Self.run(["summary", "--events", directory, "--format", "json"]).then(exit: 0)
        let drafts = scratch.writeInput("drafts.jsonl", Array((Self.programme("P-1") + "\n").utf8))
        Self.run(["append", drafts, "--events", directory]).then(exit: 0)
        let manifestRead = try #require(try IncentiveLogs.store(directory: directory).requireLedger(advice: ""))
        #expect(manifestRead.ledgerId == "0123456789abcdeffedcba9876543210")
        #expect(manifestRead.timeZoneOffsetMinutes == 480)
    }

    @Test func initTakesATimeZoneAndRefusesAMalformedOne() throws {
        let scratch = TemporaryEventsDirectory(ledger: false)
        Self.run(["init", "--time-zone", "-03:30", "--events", scratch.events]).then(exit: 0, output: ["-03:30"])
        let manifest = try #require(try LedgerManifest.read(directory: scratch.events))
        #expect(manifest.timeZoneOffsetMinutes == -210 && manifest.timeZone == "-03:30")
        for bad in ["8", "+8:00", "+15:00", "+08:60", "-00:00", "UTC"] {
            let other = scratch.root + "/zone-\(bad.utf8.count)-\(bad.hashValue & 0xFFFF)"
            Self.run(["init", "--time-zone", bad, "--events", other]).then(exit: 64, errors: ["--time-zone"])
            #expect(!FileManager.default.fileExists(atPath: other), "nothing made for --time-zone \(bad)")
        }
    }

    @Test func initRefusesADirectoryThatAlreadyHoldsALedger() throws {
        let scenario = LedgerScenario()
        scenario.given([Self.programme("P-1")])
        let before = scenario.directory.logSnapshot()
        let manifest = Self.contents(scenario.events + "/ledger.json")
        Self.run(["init", "--events", scenario.events], ids: Array(repeating: 7, count: 16))
            .then(exit: 64, errors: ["already holds a ledger", TemporaryEventsDirectory.ledgerId, "nothing was written"])
        #expect(scenario.directory.logSnapshot() == before)
        #expect(Self.contents(scenario.events + "/ledger.json") == manifest)
    }

    /// An older ledger (logs, no ledger.json) keeps working; `init` on it writes only ledger.json.
    @Test func anOlderLedgerWithoutManifestWorksAndInitAddsOnlyTheManifest() throws {
        let scenario = LedgerScenario()
        scenario.given([Self.programme("P-1")])
        try FileManager.default.removeItem(atPath: scenario.events + "/ledger.json")
        scenario.when(["verify"]).then(exit: 0, output: ["ok: 1 events in 3 logs verify"])
        scenario.given([Self.programme("P-2")])
        let before = scenario.directory.logSnapshot()
        Self.run(["init", "--events", scenario.events]).then(exit: 0, output: ["already held logs", "the logs are unchanged"])
        #expect(scenario.directory.logSnapshot() == before)
        #expect(try LedgerManifest.read(directory: scenario.events)?.ledgerId == "0123456789abcdeffedcba9876543210")
    }

    /// A single log is enough to be an older ledger.
    @Test func oneLogWithoutManifestIsAnOlderLedger() throws {
        let scratch = TemporaryEventsDirectory(ledger: false)
        scratch.writeLog("grants", [])
        Self.run(["summary", "--events", scratch.events, "--format", "json"]).then(exit: 0)
    }

    @Test(arguments: [
        #"{"formatVersion":1,"ledgerId":"0123","timeZone":"+08:00"}"#,
        #"{"formatVersion":1, "ledgerId":"0123456789abcdeffedcba9876543210","timeZone":"+08:00"}"#,
        #"{"ledgerId":"0123456789abcdeffedcba9876543210","formatVersion":1,"timeZone":"+08:00"}"#,
        #"{"formatVersion":1,"ledgerId":"0123456789ABCDEFFEDCBA9876543210","timeZone":"+08:00"}"#,
        #"{"formatVersion":1,"ledgerId":"0123456789abcdeffedcba9876543210","timeZone":"+08:00","x":1}"#,
        #"{"formatVersion":2,"ledgerId":"0123456789abcdeffedcba9876543210","timeZone":"+08:00"}"#,
        #"{"formatVersion":1,"ledgerId":"0123456789abcdeffedcba9876543210","timeZone":"+24:00"}"#,
        "not json",
        "",
    ])
    func aDamagedManifestIsBadData(text: String) throws {
        let scenario = LedgerScenario()
        scenario.directory.writeEventsFile("ledger.json", Array(text.utf8))
        scenario.when(["summary"]).then(exit: 65, errors: ["ledger.json"])
        scenario.when(["verify"]).then(exit: 65, errors: ["ledger.json"])
        scenario.append([Self.programme("P-1")]).then(exit: 65, errors: ["ledger.json"])
        #expect(scenario.directory.readLog("grants").isEmpty)
    }

    @Test func theManifestWithoutItsFinalNewlineIsAccepted() throws {
        let scenario = LedgerScenario()
        scenario.directory.writeEventsFile("ledger.json", Array(#"{"formatVersion":1,"ledgerId":"0123456789abcdeffedcba9876543210","timeZone":"+05:45"}"#.utf8))
        scenario.when(["verify"]).then(exit: 0)
        #expect(try LedgerManifest.read(directory: scenario.events)?.timeZoneOffsetMinutes == 345)
    }

    /// Appends no longer make a ledger of a folder: the log layer's writer may, the domain's append path refuses.
    @Test func anAppendSessionRefusesAFolderThatIsNoLedger() throws {
        let scratch = TemporaryEventsDirectory(ledger: false)
        #expect(throws: LedgerError.self) {
            _ = try AppendSession(store: IncentiveLogs.store(directory: scratch.events), clock: Self.clock, notify: { _ in })
        }
        do {
            _ = try AppendSession(store: IncentiveLogs.store(directory: scratch.events), clock: Self.clock, notify: { _ in })
        } catch {
            #expect(error.code == .noLedger)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.events).isEmpty)
    }

    @Test func theSeededSourceGivesTheSameIdForTheSameSeedOnly() throws {
        let first = try LedgerManifest(random: .seeded(321_204), timeZoneOffsetMinutes: 480)
        let again = try LedgerManifest(random: .seeded(321_204), timeZoneOffsetMinutes: 480)
        let other = try LedgerManifest(random: .seeded(321_205), timeZoneOffsetMinutes: 480)
        #expect(first == again && first != other)
        let system = try LedgerManifest(random: .system, timeZoneOffsetMinutes: 480)
        #expect(system.ledgerId.utf8.count == 32)
    }
}
