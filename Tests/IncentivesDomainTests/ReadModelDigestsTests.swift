@testable import IncentivesDomain
import IncentivesTestSupport
import LedgerLog
import Testing

/// A read model's digest is hashed piece by piece as its entries are written, never from the
/// whole document: it must be the SHA-256 of the document's canonical bytes all the same.
@Suite struct ReadModelDigestsTests {
    @Test("each digest is the SHA-256 of its whole document's canonical bytes, over several pieces", arguments: [81, 82] as [UInt64])
    func digestsHashTheWholeDocument(seed: UInt64) throws {
        var generator = ScenarioGenerator(seed: seed)
        let directory = TemporaryDirectory()
        let ledger = try directory.append([generator.drafts(4_000)])
        let window = TimeWindow(knownAt: Timestamp(parsing: "2030-01-01T00:00:00Z")!)
        let models = Projection(ledger: ledger, window: window).run()
        let digests = ReadModelDigests(ledger: ledger, models: models, window: window)
        #expect(digests.digests.map(\.name) == ReadModelDigests.names)
        var longest = 0
        for (name, version, digest) in digests.digests {
            let document = try #require(ReadModelDigests.document(name, version: version, ledger: ledger, models: models, window: window))
            let bytes = try JSONCanonical.serialize(document.value)
            longest = max(longest, bytes.count)
            #expect(digest == SHA256.hash(bytes), "\(name) version \(version)")
            #expect(document.digest == digest, "\(name): the same digest again")
            guard case .entries(let order, _) = document else {
                #expect(name == "summary", "only the summary is one value")
                continue
            }
            // Every entity the models hold, once, in the order of its id.
            let held: Int
            let ids: [String]
            switch name {
            case "grants":
                held = models.grants.count { $0 != nil }
                ids = order.map { ledger.grants.string(.init(offset: $0)) }
            case "enterprises":
                held = models.enterprises.count { $0 != nil }
                ids = order.map { ledger.enterprises.string(.init(offset: $0)) }
            case "programmes":
                held = models.programmes.count { $0 != nil }
                ids = order.map { ledger.programmes.string(.init(offset: $0)) }
            default:
                held = models.centres.count { $0 != nil }
                ids = []
            }
            #expect(order.count == held && Set(order).count == held && held > 0, "\(name)")
            #expect(zip(ids, ids.dropFirst()).allSatisfy { $0 < $1 }, "\(name) by id")
        }
        #expect(longest > 2 * ReadModelDigests.Document.pieceBytes, "a document long enough to be hashed in pieces: \(longest) bytes")
    }
}
