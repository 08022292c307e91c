#if canImport(Glibc)
import Glibc
#endif
@testable import IncentivesDomain
import IncentivesTestSupport
import LedgerColumns
import LedgerLog
import Testing

/// The query that reads the logs and saves the snapshot (`Ledger.readSavingSnapshot`) never holds
/// the whole ledger: it saves the very file a whole ledger gives and answers from it, mapped, as
/// the next query and a query without a snapshot answer.
@Suite struct SavingReadTests {
    /// An opening of `scope` with no snapshot in the cache: the one that reads and saves.
    static func savingOpen(_ directory: SnapshotScratchDirectory, scope: LedgerScope) throws -> LedgerOpening {
        _ = unlink(directory.snapshotPath)
        let opening = try directory.open(scope: scope)
        #expect(opening.source == .logs(snapshotRejected: .missing), "read from the logs")
        #expect(opening.saving == .saved)
        return opening
    }

    @Test("the saved file is the one a whole ledger gives, byte for byte", arguments: [101, 102] as [UInt64])
    func theSameFile(seed: UInt64) throws {
        let directory = try ColdScopeTests.directory(seed: seed)
        let whole = try Ledger.load(store: directory.store)
        let cache = try SnapshotCache.open(environment: directory.environment).get()
        let place = try #require(cache.place(of: directory.store))
        // With the digests of the logs' bytes, which a read whose stamps are settled makes.
        let digests = LedgerSnapshot.prefixDigests(of: whole.logs, in: directory.store, stampsTakenAfter: directory.now(), earlier: [])
        #expect(zip(whole.logs, digests).allSatisfy { $0.bytes == 0 || $1?.bytes == $0.bytes }, "a digest of every log read")
        let expected = LedgerSnapshot.columnFile(of: whole, identity: place.identity, stampsTakenAfterNanoseconds: directory.now(),
                                                 prefixDigests: digests).bytes(key: cache.key)
        for scope in [LedgerScope.summary(KeptModelOpeningTests.headWindow(whole)), .grantsByEnterprise(KeptModelOpeningTests.headWindow(whole)), .everything] {
            _ = try Self.savingOpen(directory, scope: scope)
            #expect(directory.readSnapshot() == expected, "\(scope)")
        }
    }

    @Test("it answers every scope as the next query and a query without a snapshot do", arguments: [103, 104] as [UInt64])
    func answersAsWarmAndCold(seed: UInt64) throws {
        let directory = try ColdScopeTests.directory(seed: seed)
        let cold = try directory.open(useSnapshot: false).ledger
        for (label, window) in ColdScopeTests.windows(cold) {
            let scopes: [LedgerScope] = [.summary(window), .grantsByEnterprise(window), .readModels(window, names: .all)]
            for scope in scopes {
                let first = try Self.savingOpen(directory, scope: scope).ledger
                let warm = try directory.open(scope: scope)
                #expect(warm.usedSnapshot, "\(label), \(scope)")
                // What each scope is opened to answer, and nothing else (see `LedgerScope`).
                for ledger in [first, warm.ledger] {
                    switch scope {
                    case .summary:
                        #expect(ledger.summary(in: window) == cold.summary(in: window), "\(label)")
                    case .grantsByEnterprise:
                        #expect(KeptGrantsByEnterpriseTests.answer(ledger, window) == KeptGrantsByEnterpriseTests.computed(cold, window),
                                "\(label)")
                    default:
                        #expect(ledger.models(in: window) == Projection(ledger: cold, window: window).run(), "\(label)")
                    }
                }
            }
        }
    }

    @Test("a saving open of a window's models holds the snapshot's columns mapped, not a ledger of its own; one of everything keeps what it read")
    func answeredFromTheMappedFile() throws {
        let directory = try ColdScopeTests.directory(seed: 105)
        let cold = try directory.open(useSnapshot: false).ledger
        for (label, window) in ColdScopeTests.windows(cold) where label != "heads" {
            let first = try Self.savingOpen(directory, scope: .readModels(window, names: .all)).ledger
            #expect(first.events.effective.isMapped && first.events.amount.isMapped && first.replayOrder.isMapped, "\(label)")
            #expect(first.texts.arena.isMapped && first.enterprises.arena.isMapped, "\(label)")
            #expect(first.models(in: window) == Projection(ledger: cold, window: window).run(), "\(label)")
        }
        // A query of everything reads every column anyway: it answers from the ledger it read.
        let whole = try Self.savingOpen(directory, scope: .everything).ledger
        #expect(!whole.events.effective.isMapped && !whole.texts.arena.isMapped)
        #expect(whole.eventIds == cold.eventIds)
        #expect(whole.headModels != nil, "the heads answered from the models it saved")
    }
}
