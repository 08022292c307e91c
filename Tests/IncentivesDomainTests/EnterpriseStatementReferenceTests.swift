@testable import IncentivesDomain
import IncentivesTestSupport
import LedgerLog
import Testing

/// A statement's movements are picked from the type and subject columns before any event is
/// assembled. The reference walks every counted event assembled (`countedEvents`, the payload),
/// as the statement once did: both list the same movements, in the same order, in every window.
@Suite struct EnterpriseStatementReferenceTests {
    static func referenceMovements(_ ledger: Ledger, window: TimeWindow, models: ReadModels,
                                   enterprise: EnterpriseIndex) -> [EnterpriseStatement.Movement] {
        var movements: [EnterpriseStatement.Movement] = []
        for index in Projection(ledger: ledger, window: window).countedEvents() {
            let event = ledger.events[index]
            guard let grant = ledger.auditGrant(of: event), models.grants[grant]?.enterprise == enterprise else { continue }
            let (kind, amountFen): (String, Fen)
            switch event.payload {
            case .grantAwarded(_, _, _, let amount, _): (kind, amountFen) = ("awarded", amount)
            case .grantAmended(_, let amount): (kind, amountFen) = ("amended", amount)
            case .grantDisbursed(_, let amount): (kind, amountFen) = ("disbursed", amount)
            case .grantRecovered(_, let amount): (kind, amountFen) = ("recovered", amount)
            case .grantRevoked: (kind, amountFen) = ("revoked", 0)
            default: continue
            }
            movements.append(.init(grant: ledger.grants.string(grant), effective: event.effective, kind: kind,
                                   amountFen: amountFen.rawValue, event: ledger.eventId(of: index)))
        }
        return movements
    }

    static func expectSameMovements(_ ledger: Ledger, _ comment: String) {
        var compared = 0
        for window in ColumnReplayTests.windows(ledger, steps: 4) {
            let models = Projection(ledger: ledger, window: window).run()
            for offset in 0..<ledger.enterprises.count {
                let enterprise = EnterpriseIndex(offset: offset), code = ledger.enterprises.string(enterprise)
                let statement = EnterpriseStatement(ledger: ledger, window: window, models: models, code: code)
                #expect((statement == nil) == (models.enterprises[enterprise] == nil), "\(comment): \(code) registered or not")
                guard let statement else { continue }
                let expected = referenceMovements(ledger, window: window, models: models, enterprise: enterprise)
                #expect(statement.movements == expected, "\(comment): \(code) as of \(window.asOf?.description ?? "-"), known at \(window.knownAt)")
                compared += expected.count
            }
        }
        #expect(compared > 50, "\(comment): movements were compared")
    }

    @Test("valid histories with retractions, amendments, revocations and tier changes", arguments: [11, 31] as [UInt64])
    func scenarioLedgers(seed: UInt64) throws {
        var generator = ScenarioGenerator(seed: seed)
        var random = SplitMix64(seed: seed ^ 0x57A7)
        let drafts = try generator.draftsWithRetractions(240, retractions: 10, random: &random)
        Self.expectSameMovements(try TemporaryDirectory().append([drafts]), "seed \(seed)")
    }

    @Test("events no append would accept: dangling references, awards again, retracted retractions", arguments: [3, 8] as [UInt64])
    func tangledLedgers(seed: UInt64) {
        Self.expectSameMovements(ColumnReplayTests.tangledLedger(seed: seed, count: 400), "seed \(seed)")
    }
}
