import IncentivesDomain
import LedgerLog

/// Turns the plan into drafts and appends them through `AppendSession`, the same path every
/// other writer uses: the validator sees every event, in recorded order, in batches.
struct EventEmitter {
    let plan: StoryPlan
    let batchSize: Int
    let progress: (String) -> Void

    static let logLetters = ["t", "c", "g"]

    /// Sorts the plan by recorded time: each log's recorded times then never decrease, and every
    /// event follows what it refers to (planned earlier and recorded earlier).
    static func sortByRecorded(_ events: inout [PlannedEvent]) {
        events.sort { ($0.recorded, $0.sequence) < ($1.recorded, $1.sequence) }
    }

    static func logRank(of event: PlannedEvent) -> Int {
        let kind = event.kind == .eventRetracted ? EventKind(rawValue: UInt8(event.amount))! : event.kind
        return IncentiveLogs.rank(of: kind.log!)
    }

    static func id(rank: Int, seq: Int) -> String {
        logLetters[rank] + "-" + zeroPadded(seq, width: 6)
    }

    /// The ids of the events that other events or the summary name (retraction targets, cases).
    static func name(_ wanted: [Int32], in events: [PlannedEvent]) -> [Int32: String] {
        var isWanted = Array(repeating: false, count: events.count)
        for sequence in wanted { isWanted[Int(sequence)] = true }
        var counters = [0, 0, 0]
        var ids: [Int32: String] = [:]
        for event in events {
            let rank = logRank(of: event)
            counters[rank] += 1
            if isWanted[Int(event.sequence)] { ids[event.sequence] = id(rank: rank, seq: counters[rank]) }
        }
        return ids
    }

    /// Appends every event of the (sorted) plan; returns how many were appended. The story is
    /// history, so it goes in as an import into the empty directory: each event keeps its planned
    /// recorded time, in order within each log, none after the injected clock (the story's end).
    func append(to store: EventStore, names: [Int32: String]) throws(LedgerError) -> Int {
        let lastRecorded = plan.events.last.map { Timestamp(secondsSinceEpoch: $0.recorded) } ?? Timestamp(secondsSinceEpoch: 0)
        let session = try AppendSession(store: store, clock: FixedClock(lastRecorded), recordedTimes: .drafts,
                                        notify: progress)
        var counters = [0, 0, 0]
        var batch: [EventDraft] = []
        batch.reserveCapacity(batchSize)
        var appended = 0
        let started = monotonicNanoseconds()
        var reported = 0
        for event in plan.events {
            let rank = EventEmitter.logRank(of: event)
            counters[rank] += 1
            batch.append(try draft(event, id: EventEmitter.id(rank: rank, seq: counters[rank]), names: names))
            if batch.count == batchSize {
                appended += try session.append(batch).appended.count
                batch.removeAll(keepingCapacity: true)
                if appended - reported >= 100_000 {
                    reported = appended
                    progress("appended \(appended) of \(plan.events.count) events (\(seconds(since: started)) s)")
                }
            }
        }
        if !batch.isEmpty { appended += try session.append(batch).appended.count }
        progress("appended \(appended) events (\(seconds(since: started)) s)")
        return appended
    }

    private func draft(_ event: PlannedEvent, id: String, names: [Int32: String]) throws(LedgerError) -> EventDraft {
        let subject = Int(event.subject)
        var data: [(String, JSONValue)]
        switch event.kind {
        case .programmeEstablished:
            let programme = ProgrammeCatalogue.programmes[subject]
            data = [("capFen", .integer(programme.capFen)), ("capYears", .integer(programme.capYears)),
                    ("name", .text(programme.name)), ("programme", .text(programme.id))]
            if let tier = programme.minTier { data.append(("minTier", .text(tier.name))) }
        case .programmeAmended:
            data = [("capFen", .integer(event.amount)), ("programme", .text(ProgrammeCatalogue.programmes[subject].id))]
        case .budgetAppropriated:
            data = [("amountFen", .integer(event.amount)), ("programme", .text(ProgrammeCatalogue.programmes[subject].id)),
                    ("year", .integer(Int64(event.detail)))]
        case .grantAwarded:
            let grant = plan.grants[subject]
            data = [("amountFen", .integer(event.amount)), ("enterprise", .text(plan.enterprises[Int(grant.enterprise)].code)),
                    ("grant", .text(grant.id)), ("programme", .text(ProgrammeCatalogue.programmes[grant.programme].id)),
                    ("project", .text(plan.project(of: grant)))]
        case .grantAmended, .grantDisbursed, .grantRecovered:
            data = [("amountFen", .integer(event.amount)), ("grant", .text(plan.grants[subject].id))]
        case .grantRevoked:
            data = [("grant", .text(plan.grants[subject].id)), ("reason", .text(NamePools.revocationReasons[Int(event.detail)]))]
        case .enterpriseRegistered:
            let enterprise = plan.enterprises[subject]
            data = [("enterprise", .text(enterprise.code)), ("name", .text(enterprise.name)),
                    ("sector", .text(NamePools.sectors[enterprise.sector].name))]
        case .capabilityEvaluated:
            data = [("enterprise", .text(plan.enterprises[subject].code)), ("score", .integer(event.amount))]
        case .tierPromoted, .tierDemoted:
            data = [("enterprise", .text(plan.enterprises[subject].code)),
                    ("tier", .text(Tier(rawValue: Int8(event.amount))!.name))]
        case .enterpriseDeregistered:
            data = [("enterprise", .text(plan.enterprises[subject].code)),
                    ("reason", .text(NamePools.deregistrationReasons[Int(event.detail)]))]
        case .centreOpened:
            let centre = plan.centres[subject]
            data = [("centre", .text(centre.id)), ("city", .text(centre.city)), ("kind", .text(centre.kind.name)),
                    ("name", .text(centre.name))]
            if let partner = centre.partner { data.append(("partner", .text(partner))) }
        case .centreClosed:
            data = [("centre", .text(plan.centres[subject].id)), ("reason", .text(plan.texts[Int(event.detail)]))]
        case .eventRetracted:
            guard let target = names[event.subject] else { preconditionFailure("a retraction's target is named before it") }
            data = [("reason", .text(plan.texts[Int(event.detail)])), ("target", .text(target))]
        }
        return try EventDraft.make(
            id: id, kind: event.kind, effective: event.effective, recorded: Timestamp(secondsSinceEpoch: event.recorded),
            actor: actor(of: event), source: source(of: event),
            data: JSONObject(members: data.map { JSONMember(key: $0.0, value: $0.1) }), origin: "generate-events (\(id))")
    }

    private func actor(of event: PlannedEvent) -> String {
        switch event.kind {
        case .budgetAppropriated, .grantDisbursed, .grantRecovered, .eventRetracted: return NamePools.financeBureau
        default: return NamePools.technologyBureau
        }
    }

    private func source(of event: PlannedEvent) -> String {
        if event.document >= 0 {
            let document = plan.documents[Int(event.document)]
            return document.series.format(year: document.date.year, number: Int(document.number))
        }
        let (year, month, _) = event.effective.components
        switch event.kind {
        case .enterpriseRegistered:
            return "雁阵计划培育库入库名单（\(year)年第\(month)批）"
        case .capabilityEvaluated:
            return event.detail == 0 ? "雁阵计划入库评价结果（\(year)年第\(month)批）" : "\(year)年度雁阵计划企业创新能力评价结果"
        case .tierPromoted, .tierDemoted:
            return event.detail == 0 ? "雁阵计划入库企业梯队认定（\(year)年第\(month)批）" : "\(year)年度雁阵计划企业梯队调整名单"
        case .eventRetracted:
            return "姜堰区财政局更正说明（\(event.effective)）"
        default:
            preconditionFailure("\(event.kind) events name their document")
        }
    }
}
