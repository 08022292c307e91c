@testable import IncentivesDomain
import IncentivesTestSupport
import LedgerLog
import Testing

/// `History` decides which events touch its subject from the columns (type, subject, an award's
/// enterprise and programme, a retraction's target), never assembling an event. The reference
/// here walks assembled events (`DomainEvent.payload`), as the query once did: both must show the
/// same events in the same order with the same retractions, for every subject and moment.
@Suite struct HistoryReferenceTests {
    /// The events the reference shows (by index, in (recorded, log, seq) order) and, for each,
    /// the index of its first retraction recorded by `knownAt` or -1.
    static func reference(_ ledger: Ledger, subject: String, knownAt: Timestamp) -> (shown: [Int32], retractions: [Int32])? {
        let programme = ledger.programmes.find(subject), grant = ledger.grants.find(subject)
        let enterprise = ledger.enterprises.find(subject), centre = ledger.centres.find(subject)
        let event = ledger.eventIndex(ofId: subject).map { EventIndex(offset: $0) }
        guard programme != nil || grant != nil || enterprise != nil || centre != nil || event != nil else { return nil }
        var relatedGrants = Set<GrantIndex>()
        if let grant { relatedGrants.insert(grant) }
        for item in ledger.events.indices.map({ ledger.events[$0] }) {
            if case .grantAwarded(let awarded, let awardee, let awardProgramme, _, _) = item.payload,
               awardee == enterprise || awardProgramme == programme {
                relatedGrants.insert(awarded)
            }
        }
        var firstRetraction: [EventIndex: Int] = [:]
        for index in ledger.events.indices where ledger.events[index].recorded <= knownAt {
            if case .eventRetracted(let target?, _) = ledger.events[index].payload, firstRetraction[target] == nil {
                firstRetraction[target] = index
            }
        }
        func touches(_ index: Int) -> Bool {
            if EventIndex(offset: index) == event { return true }
            switch ledger.events[index].payload {
            case .programmeEstablished(let terms), .programmeAmended(let terms): return terms.programme == programme
            case .budgetAppropriated(let id, _, _): return id == programme
            case .grantAwarded(let id, _, _, _, _), .grantAmended(let id, _), .grantDisbursed(let id, _),
                 .grantRevoked(let id, _), .grantRecovered(let id, _):
                return relatedGrants.contains(id)
            case .enterpriseRegistered(let id, _, _), .capabilityEvaluated(let id, _), .tierPromoted(let id, _),
                 .tierDemoted(let id, _), .enterpriseDeregistered(let id, _):
                return id == enterprise
            case .centreOpened(let id, _, _, _, _), .centreClosed(let id, _): return id == centre
            case .eventRetracted(let target, _): return target.map { touches($0.offset) } ?? false
            }
        }
        let shown = ledger.events.indices
            .filter { ledger.events[$0].recorded <= knownAt && touches($0) }
            .sorted {
                let (left, right) = (ledger.events[$0], ledger.events[$1])
                return (left.recorded, left.logRank, left.seq) < (right.recorded, right.logRank, right.seq)
            }
        return (shown.map { Int32($0) }, shown.map { firstRetraction[EventIndex(offset: $0)].map { Int32($0) } ?? -1 })
    }

    /// Every programme, grant, enterprise and centre, every seventh event's id and a name nothing
    /// carries, each known at moments from before the first event to after the last.
    static func expectSameAsReference(_ ledger: Ledger, _ comment: String) {
        var subjects = (0..<ledger.programmes.count).map { ledger.programmes.string(ProgrammeIndex(offset: $0)) }
        subjects += (0..<ledger.grants.count).map { ledger.grants.string(GrantIndex(offset: $0)) }
        subjects += (0..<ledger.enterprises.count).map { ledger.enterprises.string(EnterpriseIndex(offset: $0)) }
        subjects += (0..<ledger.centres.count).map { ledger.centres.string(CentreIndex(offset: $0)) }
        subjects += stride(from: 0, to: ledger.idCount, by: 7).map { ledger.eventId(of: $0) }
        subjects.append("nothing-is-called-this")
        let moments = ledger.events.indices.map { ledger.events.recordedTime(at: $0).secondsSinceEpoch }
        guard let first = moments.min(), let last = moments.max() else { Issue.record("\(comment): no events"); return }
        let knownAts = [first - 1, first, (first + last) / 2, last, last + 1].map { Timestamp(secondsSinceEpoch: $0) }
        var shownEvents = 0, retracted = 0
        for subject in subjects {
            for knownAt in knownAts {
                let history = History(ledger: ledger, subject: subject, knownAt: knownAt)
                let expected = reference(ledger, subject: subject, knownAt: knownAt)
                #expect(history?.shown == expected?.shown && history?.retractions == expected?.retractions,
                        "\(comment): \(subject) known at \(knownAt)")
                shownEvents += expected?.shown.count ?? 0
                retracted += expected?.retractions.filter { $0 >= 0 }.count ?? 0
            }
        }
        #expect(History(ledger: ledger, subject: "nothing-is-called-this", knownAt: .never) == nil)
        #expect(shownEvents > ledger.events.count && retracted > 0, "\(comment): histories with events and retractions were compared")
    }

    @Test("valid histories with retractions, amendments, revocations and tier changes", arguments: [5, 23] as [UInt64])
    func scenarioLedgers(seed: UInt64) throws {
        var generator = ScenarioGenerator(seed: seed)
        var random = SplitMix64(seed: seed ^ 0x4157)
        let drafts = try generator.draftsWithRetractions(240, retractions: 10, random: &random)
        let ledger = try TemporaryDirectory().append([drafts])
        #expect(ledger.idCount == ledger.events.count, "the events carry their ids")
        Self.expectSameAsReference(ledger, "seed \(seed)")
    }

    @Test("events no append would accept: dangling references, awards again, retracted retractions", arguments: [2, 7] as [UInt64])
    func tangledLedgers(seed: UInt64) {
        Self.expectSameAsReference(ColumnReplayTests.tangledLedger(seed: seed, count: 400), "seed \(seed)")
    }
}
