@testable import IncentivesDomain
import IncentivesTestSupport
import LedgerColumns
import LedgerLog
import Testing

/// The replay the queries use (`Projection.run`: the columns read in place, split in pieces run
/// on the cores, tier histories built at the end) gives exactly the models of the plain walk
/// (`runEventByEvent`: every event assembled and applied with `Projection.apply`, one after
/// another), in every window: before the first event, between any two, after the last. So does
/// the audit's replay (`AuditReplay`), with what its rules collect, and the models an audit hands
/// to the figures of a report or a statement (`Auditor.run(withModels:)`).
@Suite struct ColumnReplayTests {
    /// As-of dates from before the first effective date to after the last, and known-at moments
    /// from before the first recorded time to after the last, each list with `steps` points
    /// between; every pair of them, plus no as-of limit.
    static func windows(_ ledger: Ledger, steps: Int) -> [TimeWindow] {
        let effective = ledger.events.indices.map { ledger.events.effectiveDate(at: $0).daysSinceEpoch }
        let recorded = ledger.events.indices.map { ledger.events.recordedTime(at: $0).secondsSinceEpoch }
        guard let firstDay = effective.min(), let lastDay = effective.max(),
              let firstMoment = recorded.min(), let lastMoment = recorded.max() else { return [] }
        func spread<Value: BinaryInteger>(_ low: Value, _ high: Value) -> [Value] {
            [low - 1, low] + (1..<steps).map { low + (high - low) * Value($0) / Value(steps) } + [high, high + 1]
        }
        let asOfs: [CalendarDate?] = [nil] + spread(firstDay, lastDay).map { CalendarDate(daysSinceEpoch: $0) }
        let knownAts = spread(firstMoment, lastMoment).map { Timestamp(secondsSinceEpoch: $0) }
        return asOfs.flatMap { asOf in knownAts.map { TimeWindow(asOf: asOf, knownAt: $0) } }
    }

    static func expectSameModels(_ ledger: Ledger, steps: Int, _ comment: String) {
        var compared = 0
        for (number, window) in windows(ledger, steps: steps).enumerated() {
            let projection = Projection(ledger: ledger, window: window)
            let fast = projection.run(), plain = projection.runEventByEvent()
            #expect(fast == plain, "\(comment), as of \(window.asOf?.description ?? "-"), known at \(window.knownAt)")
            // The grants' piece alone (the restatements' figures) gives the same programmes and grants, and no more.
            let grantsOnly = projection.replayProgrammesAndGrants()
            #expect(grantsOnly.programmes == plain.programmes && grantsOnly.grants == plain.grants
                && grantsOnly.enterprises.isEmpty && grantsOnly.centres.isEmpty, "\(comment): the grants alone")
            // The audit's replay (from the columns too) collects what the plain walk collects: in
            // every third window, with each of three limits for late recording in turn.
            if number % 3 == 0 {
                let lateDays = ([nil, 0, 30] as [Int?])[number / 3 % 3]
                let audited = AuditReplay(ledger: ledger, window: window, lateDays: lateDays)
                #expect(audited == AuditReplay(eventByEventOf: ledger, window: window, lateDays: lateDays),
                        "\(comment): the audit's replay, late after \(lateDays.map(String.init) ?? "-") days")
                #expect(audited.models == plain, "\(comment): the audit's models")
            }
            // A command that states figures beside its findings (`report`, `statement`) makes
            // them from the audit's models: those of the query's replay, the findings unchanged.
            if number % 9 == 0 {
                let auditor = Auditor(ledger: ledger, window: window)
                let shared = auditor.run(withModels: { $0 })
                #expect(shared.result == plain, "\(comment): the models an audit hands on")
                #expect(shared.report == auditor.run(), "\(comment): the findings of an audit that hands its models on")
            }
            if fast.appliedEvents > 0 { compared += 1 }
        }
        #expect(compared > steps, "\(comment): windows that hold events were compared")
    }

    @Test("valid histories with retractions, amendments, revocations and tier changes", arguments: [3, 17, 29, 41] as [UInt64])
    func scenarioLedgers(seed: UInt64) throws {
        var generator = ScenarioGenerator(seed: seed)
        // Leaves retracted at several moments: some windows see them, some see them withdrawn.
        var random = SplitMix64(seed: seed ^ 0x5EED)
        let drafts = try generator.draftsWithRetractions(320, retractions: 12, random: &random)
        let ledger = try TemporaryDirectory().append([drafts])
        #expect(ledger.retractedAt.contains { $0 != .never }, "some events are retracted")
        Self.expectSameModels(ledger, steps: 14, "seed \(seed)")
    }

    @Test("events no append would accept: dangling references, awards again, registrations again, retracted retractions",
          arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func tangledLedgers(seed: UInt64) {
        let ledger = Self.tangledLedger(seed: seed, count: 600)
        Self.expectSameModels(ledger, steps: 16, "seed \(seed)")
    }

    @Test("a ledger mapped from the snapshot replays as the one read from the logs, and as the plain walk")
    func mappedColumns() throws {
        var generator = ScenarioGenerator(seed: 77)
        let directory = SnapshotScratchDirectory()
        try directory.append([generator.drafts(260)])
        #expect(try directory.open().saving == .saved)
        let warm = try directory.open().ledger
        let cold = try directory.open(useSnapshot: false).ledger
        #expect(warm.events.code.isMapped && warm.replayOrder.isMapped)
        for window in Self.windows(warm, steps: 6) {
            let mapped = Projection(ledger: warm, window: window).run()
            #expect(mapped == Projection(ledger: warm, window: window).runEventByEvent())
            #expect(mapped == Projection(ledger: cold, window: window).run())
        }
    }

    @Test("an empty ledger replays to empty models")
    func emptyLedger() {
        let ledger = Ledger()
        let window = TimeWindow(asOf: CalendarDate(year: 2024, month: 1, day: 1), knownAt: .never)
        let models = Projection(ledger: ledger, window: window).run()
        #expect(models == Projection(ledger: ledger, window: window).runEventByEvent())
        #expect(models.appliedEvents == 0 && models.grants.isEmpty && models.enterprises.isEmpty)
    }

    @Test("a tier history shares its list until it is appended to, and compares by its changes")
    func tierHistorySharing() {
        func change(_ day: Int32, _ to: Tier) -> TierChange {
            TierChange(effective: CalendarDate(daysSinceEpoch: day), from: .none, to: to, event: EventIndex(rawValue: day))
        }
        let list = [change(1, .startup), change(2, .sme), change(3, .startup), change(4, .highTech)]
        let first = TierHistory(sharing: list, 0..<2), second = TierHistory(sharing: list, 2..<4)
        #expect(Array(first) == [change(1, .startup), change(2, .sme)])
        #expect(Array(second) == [change(3, .startup), change(4, .highTech)])
        var grown = first
        grown.append(change(5, .influential))
        #expect(Array(grown) == [change(1, .startup), change(2, .sme), change(5, .influential)])
        #expect(Array(first) == [change(1, .startup), change(2, .sme)], "the shared list is not changed")
        #expect(Array(second) == [change(3, .startup), change(4, .highTech)])
        var own = TierHistory()
        own.append(change(1, .startup))
        own.append(change(2, .sme))
        #expect(own == first, "equal changes, whatever list holds them")
        #expect(own != second && TierHistory() != first && TierHistory().isEmpty)
    }

    static func retraction(of target: String, recorded: Timestamp, number: Int) throws -> EventDraft {
        guard case .object(let data) = JSONValue.record([("reason", .text("recorded in error")), ("target", .text(target))]) else {
            preconditionFailure("a record is an object")
        }
        return try EventDraft.make(id: "retract-\(number)", kind: .eventRetracted, effective: recorded.date,
                                   recorded: recorded, actor: "tester", source: "correction", data: data, origin: "test")
    }

    /// Random events of every type over small pools of names, put straight into a ledger with no
    /// validation: grants paid, amended and revoked before (or without) an award and awarded
    /// again to another enterprise, amendments after a revocation, enterprises promoted before
    /// they register and registered again, programmes amended before they exist, centres closed
    /// before they open, and retractions of any earlier event of the same log, retractions too.
    static func tangledLedger(seed: UInt64, count: Int) -> Ledger {
        var random = SplitMix64(seed: seed)
        var ledger = Ledger()
        let programmes = (0..<3).map { ledger.programmes.intern("P\($0)") }
        let grants = (0..<14).map { ledger.grants.intern("G\($0)") }
        let enterprises = (0..<9).map { ledger.enterprises.intern("E\($0)") }
        let centres = (0..<3).map { ledger.centres.intern("C\($0)") }
        let texts = (0..<5).map { ledger.texts.intern("text \($0)") }
        let start = CalendarDate(year: 2022, month: 1, day: 1)!.daysSinceEpoch
        var clocks = [Int64](repeating: Timestamp(parsing: "2022-01-01T00:00:00Z")!.secondsSinceEpoch, count: IncentiveLogs.all.count)
        var logEvents = [[Int]](repeating: [], count: IncentiveLogs.all.count)
        func amount() -> Fen { Fen(Int64(1 + random.below(50)) * 10_000) }
        func tier() -> Tier { random.pick(Tier.allCases) }
        for number in 0..<count {
            let kind = random.pick(EventKind.allCases)
            let payload: DomainEvent.Payload
            switch kind {
            case .programmeEstablished, .programmeAmended:
                let terms = ProgrammeTerms(
                    programme: random.pick(programmes),
                    name: kind == .programmeEstablished || random.chance(1, in: 2) ? random.pick(texts) : nil,
                    minTier: random.chance(1, in: 2) ? tier() : nil, capFen: random.chance(1, in: 2) ? amount() : nil,
                    capYears: random.chance(1, in: 2) ? Int32(1 + random.below(5)) : nil)
                payload = kind == .programmeEstablished ? .programmeEstablished(terms) : .programmeAmended(terms)
            case .budgetAppropriated:
                payload = .budgetAppropriated(programme: random.pick(programmes), year: Int32(2021 + random.below(4)), amountFen: amount())
            case .grantAwarded:
                payload = .grantAwarded(grant: random.pick(grants), enterprise: random.pick(enterprises),
                                        programme: random.pick(programmes), amountFen: amount(), project: random.pick(texts))
            case .grantAmended: payload = .grantAmended(grant: random.pick(grants), amountFen: amount())
            case .grantDisbursed: payload = .grantDisbursed(grant: random.pick(grants), amountFen: amount())
            case .grantRecovered: payload = .grantRecovered(grant: random.pick(grants), amountFen: amount())
            case .grantRevoked: payload = .grantRevoked(grant: random.pick(grants), reason: random.pick(texts))
            case .enterpriseRegistered:
                payload = .enterpriseRegistered(enterprise: random.pick(enterprises), name: random.pick(texts), sector: random.pick(texts))
            case .capabilityEvaluated:
                payload = .capabilityEvaluated(enterprise: random.pick(enterprises), score: Int32(random.below(101)))
            case .tierPromoted: payload = .tierPromoted(enterprise: random.pick(enterprises), tier: tier())
            case .tierDemoted: payload = .tierDemoted(enterprise: random.pick(enterprises), tier: tier())
            case .enterpriseDeregistered:
                payload = .enterpriseDeregistered(enterprise: random.pick(enterprises), reason: random.pick(texts))
            case .centreOpened:
                payload = .centreOpened(centre: random.pick(centres), name: random.pick(texts), kind: random.pick(CentreKind.allCases),
                                        city: random.pick(texts), partner: random.chance(1, in: 2) ? random.pick(texts) : nil)
            case .centreClosed: payload = .centreClosed(centre: random.pick(centres), reason: random.pick(texts))
            case .eventRetracted:
                // Of an earlier event of a log that has one; none yet, an award instead.
                let withEvents = logEvents.indices.filter { !logEvents[$0].isEmpty }
                guard let log = withEvents.isEmpty ? nil : random.pick(withEvents) else {
                    payload = .grantDisbursed(grant: random.pick(grants), amountFen: amount())
                    break
                }
                payload = .eventRetracted(target: EventIndex(offset: random.pick(logEvents[log])), reason: random.pick(texts))
            }
            let rank: Int
            if case .eventRetracted(let target?, _) = payload {
                rank = Int(ledger.events[target.offset].logRank)
            } else {
                rank = IncentiveLogs.rank(of: payload.kind.log!)
            }
            // Recorded never goes back within a log; many events share a day, some a second.
            clocks[rank] += Int64(random.below(4)) * 3_600 * Int64(1 + random.below(12))
            logEvents[rank].append(ledger.count)
            let event = DomainEvent(
                effective: CalendarDate(daysSinceEpoch: start + Int32(random.below(500))),
                recorded: Timestamp(secondsSinceEpoch: clocks[rank]), seq: Int32(logEvents[rank].count),
                logRank: UInt8(rank), actor: texts[0], source: texts[1], payload: payload)
            ledger.add(event, id: Array("e-\(number)".utf8).span)
        }
        ledger.buildReplayOrder()
        return ledger
    }
}
