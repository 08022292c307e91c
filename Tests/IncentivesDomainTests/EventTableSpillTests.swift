@testable import IncentivesDomain
import IncentivesTestSupport
import LedgerColumns
import LedgerLog
import Testing

/// A read of the logs for a query sets the columns it does not look at aside in a scratch file
/// while its own id table is held (`Ledger.load`), and takes them back once the read is over:
/// the table taken back must be the one built in memory, across the blocks the file is written in.
@Suite struct EventTableSpillTests {
    @Test("columns set aside and taken back give the table built in memory, with and without actors and sources",
          arguments: [false, true])
    func takenBackAsBuilt(omitsActorsAndSources: Bool) throws {
        let scratch = TemporaryFileFixture(prefix: "event-table-spill-tests")
        let file = try #require(SpillFile(directory: scratch.path))
        var inMemory = EventTable(), setAside = EventTable()
        inMemory.omitsActorsAndSources = omitsActorsAndSources
        setAside.omitsActorsAndSources = omitsActorsAndSources
        setAside.spill = EventTable.Spill(file: file)
        var random = SplitMix64(seed: 61)
        // Two full blocks of every column and part of a third.
        let count = (1 << 17) + 4_321
        for index in 0..<count {
            let event = Self.event(index, &random)
            inMemory.append(event)
            setAside.append(event)
        }
        #expect(setAside.a.count == 0 && setAside.amount.count == 0, "nothing of the columns set aside is in memory")
        setAside.takeBackAllFields()
        #expect(setAside.spill == nil && file.failure == nil && setAside.count == count)
        #expect(setAside.omitsActorsAndSources == omitsActorsAndSources)
        for index in 0..<count {
            #expect(setAside.fields(at: index) == inMemory.fields(at: index), "row \(index)")
            let (left, right) = (setAside[index], inMemory[index])
            #expect(left.actor == right.actor && left.source == right.source && left.recorded == right.recorded, "row \(index)")
            if index % 997 == 0 || index == count - 1 {
                #expect(String(describing: left.payload) == String(describing: right.payload), "row \(index)")
            }
        }
    }

    @Test("a scratch file that fills (a full disk) leaves the read to be done again in memory, answering the same")
    func fullDiskReadsAgainInMemory() throws {
        var generator = ScenarioGenerator(seed: 63)
        var random = SplitMix64(seed: 63 ^ 0xC01D)
        let directory = SnapshotScratchDirectory()
        try directory.append([try generator.draftsWithRetractions(20_000, retractions: 12, random: &random)])
        let full = try directory.open(useSnapshot: false).ledger
        // Past the first block of ids, so that the file is written to more than once.
        let idBytes = (0..<full.count).reduce(0) { $0 + full.eventId(of: $1).utf8.count }
        try #require(idBytes > 1 << 17, "\(full.count) events, \(idBytes) bytes of ids")
        let scope = LedgerScope.everyEvent(actorsAndSources: true, lookups: [.programmes, .grants, .enterprises, .centres])
        let scratch = TemporaryFileFixture(prefix: "event-table-spill-full")
        let roomy = try Ledger.load(store: directory.store, scope: scope, scratchDirectory: scratch.path)
        #expect(roomy.idsSetAside != nil, "with room, the ids stay aside")
        var ledgers = [roomy]
        // Full from the first write, and after the first block of ids.
        for capacityBytes in [0, 70_000] {
            let cramped = try Ledger.load(store: directory.store, scope: scope, scratchDirectory: scratch.path,
                                          scratchCapacityBytes: capacityBytes)
            #expect(cramped.idsSetAside == nil && cramped.eventIds.count == full.count, "read again with the ids in memory (\(capacityBytes) bytes)")
            ledgers.append(cramped)
        }
        let window = ColdScopeTests.windows(full)[0].1
        let audit = Auditor(ledger: full, window: window).run()
        let subjects = [full.programmes.string(.init(offset: 0)), full.enterprises.string(.init(offset: 3)), full.eventId(of: full.count / 2)]
        for ledger in ledgers {
            #expect(ColdScopeTests.ids(ledger) == ColdScopeTests.ids(full))
            #expect((0..<full.count).allSatisfy { ledger.events.fields(at: $0) == full.events.fields(at: $0) }, "every row")
            #expect((0..<full.count).allSatisfy {
                ledger.texts.string(ledger.events[$0].actor) == full.texts.string(full.events[$0].actor)
                    && ledger.texts.string(ledger.events[$0].source) == full.texts.string(full.events[$0].source)
            }, "every actor and source")
            #expect(Auditor(ledger: ledger, window: window).run() == audit)
            for subject in subjects {
                #expect(History(ledger: ledger, subject: subject, knownAt: window.knownAt)
                    == History(ledger: full, subject: subject, knownAt: window.knownAt), "history of \(subject)")
            }
        }
    }

    /// Events of kinds that fill different columns (amounts, tiers, scores, texts).
    static func event(_ index: Int, _ random: inout SplitMix64) -> DomainEvent {
        let payload: DomainEvent.Payload
        switch index % 4 {
        case 0:
            payload = .grantAwarded(grant: GrantIndex(offset: index), enterprise: EnterpriseIndex(offset: random.below(5_000)),
                                    programme: ProgrammeIndex(offset: random.below(9)), amountFen: Fen(Int64(random.below(1 << 30)) * 100),
                                    project: TextIndex(offset: random.below(70_000)))
        case 1:
            payload = .grantDisbursed(grant: GrantIndex(offset: random.below(index + 1)), amountFen: Fen(Int64(random.below(1 << 20))))
        case 2:
            payload = .capabilityEvaluated(enterprise: EnterpriseIndex(offset: random.below(5_000)), score: Int32(random.below(101)))
        default:
            payload = .tierPromoted(enterprise: EnterpriseIndex(offset: random.below(5_000)), tier: Tier.allCases[random.below(Tier.allCases.count)])
        }
        return DomainEvent(effective: CalendarDate(daysSinceEpoch: Int32(18_000 + index / 100)),
                           recorded: Timestamp(secondsSinceEpoch: 1_600_000_000 + Int64(index)), seq: Int32(index / 2 + 1),
                           logRank: UInt8(index % 2), actor: TextIndex(offset: random.below(50)), source: TextIndex(offset: random.below(800)),
                           payload: payload)
    }
}
