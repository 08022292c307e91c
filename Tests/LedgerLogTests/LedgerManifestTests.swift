#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import LedgerLog

/// `ledger.json`: written canonical and whole, read strictly, never written over; and what makes
/// a directory a ledger (a manifest, or at least one log).
@Suite("The ledger manifest")
struct LedgerManifestTests {
    static let id = "00112233445566778899aabbccddeeff"

    @Test func itIsOneCanonicalLineAndReadsBackEqual() throws {
        let manifest = try LedgerManifest(ledgerId: Self.id, timeZoneOffsetMinutes: 480)
        #expect(String(decoding: manifest.bytes, as: UTF8.self)
                == #"{"formatVersion":1,"ledgerId":"00112233445566778899aabbccddeeff","timeZone":"+08:00"}"# + "\n")
        #expect(try JSONCanonical.canonicalize(Array(manifest.bytes.dropLast())) == Array(manifest.bytes.dropLast()))
        #expect(try LedgerManifest.parse(manifest.bytes, path: "ledger.json") == manifest)
    }

    @Test(arguments: [("+08:00", 480), ("-03:30", -210), ("+00:00", 0), ("+14:00", 840), ("-12:00", -720), ("+05:45", 345)])
    func offsetsReadAndWriteAlike(text: String, minutes: Int) throws {
        #expect(LedgerManifest.parseOffset(text) == minutes)
        #expect(try LedgerManifest(ledgerId: Self.id, timeZoneOffsetMinutes: minutes).timeZone == text)
    }

    @Test(arguments: ["+14:01", "-00:00", "+8:00", "08:00", "+08:0", "+08-00", "+08:60", "+1a:00", ""])
    func malformedOffsetsAreRefused(text: String) {
        #expect(LedgerManifest.parseOffset(text) == nil)
    }

    @Test func anIdMustBe32LowercaseHexDigits() {
        for bad in ["", "0011", Self.id.uppercased(), Self.id + "0", String(Self.id.dropLast()) + "g"] {
            #expect(throws: LedgerError.self) { _ = try LedgerManifest(ledgerId: bad, timeZoneOffsetMinutes: 0) }
        }
    }

    @Test func writingNeverReplacesAManifest() throws {
        let directory = LogScratchDirectory()
        let first = try LedgerManifest(ledgerId: Self.id, timeZoneOffsetMinutes: 480)
        try first.write(directory: directory.path)
        let second = try LedgerManifest(ledgerId: String(repeating: "ab", count: 16), timeZoneOffsetMinutes: 0)
        do {
            try second.write(directory: directory.path)
            Issue.record("a second manifest was written over the first")
        } catch {
            #expect(error.code == .usage && error.message.contains("already"))
        }
        #expect(try LedgerManifest.read(directory: directory.path) == first)
        #expect(LogFiles.names(in: directory.path) == ["ledger.json"], "no temporary file is left")
    }

    @Test func presenceTellsALedgerFromAnyFolder() throws {
        let directory = LogScratchDirectory()
        let store = LogFixtures.store(directory)
        guard case .absent(let why) = try store.ledgerPresence() else {
            Issue.record("an empty folder is a ledger")
            return
        }
        #expect(why.contains("none of ledger.json, alpha.jsonl, beta.jsonl"))
        #expect(throws: LedgerError.self) { try store.requireLedger(advice: "make one") }
        directory.write("beta.jsonl", [])
        #expect(try store.ledgerPresence() == .logsWithoutManifest)
        let manifest = try LedgerManifest(ledgerId: Self.id, timeZoneOffsetMinutes: 480)
        #expect(try store.createLedger(manifest) == .manifestAdded)
        #expect(try store.ledgerPresence() == .manifest(manifest))
        #expect(throws: LedgerError.self) { _ = try store.createLedger(manifest) }
        let missing = EventStore(directory: directory.path + "/nowhere", logs: [LogFixtures.alpha])
        #expect(try missing.ledgerPresence() == .absent("the directory does not exist"))
        #expect(try missing.createLedger(manifest) == .created)
        #expect(LogFiles.names(in: directory.path + "/nowhere") == ["ledger.json"])
        _ = unlink(directory.path + "/nowhere/ledger.json")
        _ = rmdir(directory.path + "/nowhere")
    }
}
