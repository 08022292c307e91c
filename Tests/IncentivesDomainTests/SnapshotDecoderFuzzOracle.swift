@testable import IncentivesDomain
import LedgerColumns
import LedgerLog

/// What the snapshot-decoder fuzz target checks for each input, shared with the regression test
/// that replays its corpus and crash inputs (Tools/fuzz compiles this file into the fuzzer). The
/// MAC is not checked here, so that any bytes reach the decoder, as the user's own damaged file
/// or a key holder's mistake would.
enum SnapshotDecoderFuzzOracle {
    static let logs = IncentiveLogs.all

    /// Decoding either refuses, or gives a ledger in the shape a verified read gives one with
    /// every field in range, whose replay keys can be computed and whose names can be looked up
    /// (a lookup ends, with an index in the table or none); never a trap. The input is
    /// decoded as given and, so that mutations get past the length check, with its stated
    /// length set to its real one.
    static func check(_ bytes: [UInt8]) -> String? {
        if let problem = checkDecoded(bytes) ?? checkParts(bytes) ?? checkKeptFindings(bytes) { return problem }
        let lengthField = ColumnFile.lengthOffset
        guard bytes.count >= lengthField + 8 else { return nil }
        var fixed = bytes
        withUnsafeBytes(of: UInt64(bytes.count).littleEndian) { fixed.replaceSubrange(lengthField..<(lengthField + 8), with: $0) }
        return checkDecoded(fixed) ?? checkParts(fixed) ?? checkKeptFindings(fixed)
    }

    /// The same bytes read as an audit's kept findings (`KeptAuditFindings`, the same kind of
    /// file): refused, or findings an audit can give, in report order, whose report for any rules
    /// kept can be made; never a trap.
    static func checkKeptFindings(_ bytes: [UInt8]) -> String? {
        guard let kept = try? KeptAuditFindings.decodeUnauthenticated(bytes, logs: logs) else { return nil }
        guard kept.logs.count == logs.count, kept.findings.count <= KeptAuditFindings.maximumFindings else {
            return "kept findings of other logs, or too many"
        }
        for (position, finding) in kept.findings.enumerated() {
            guard kept.options.rules.contains(finding.rule), finding.severity == finding.rule.severity,
                  finding.effective.daysSinceEpoch >= LedgerSnapshot.earliestDay,
                  finding.effective.daysSinceEpoch <= LedgerSnapshot.latestDay else { return "a kept finding out of range" }
            if position > 0, finding < kept.findings[position - 1] { return "kept findings out of order" }
        }
        guard let heads = kept.logs.compactMap(\.lastRecorded).max() else { return nil }
        let window = TimeWindow(asOf: nil, knownAt: heads)
        for rules in [kept.options.rules, Array(kept.options.rules.prefix(1))] {
            let options = Auditor.Options(rules: rules, lateDays: kept.options.lateDays)
            guard let report = kept.report(in: window, options: options) else { return "kept findings that answer nothing" }
            _ = report.count(.error)
        }
        return nil
    }

    /// What a query at the heads or a window reads instead of everything (`LedgerScope`): each
    /// either refuses or gives a ledger whose answers can be computed, never a trap.
    static func checkParts(_ bytes: [UInt8]) -> String? {
        let heads = TimeWindow(asOf: nil, knownAt: .never)
        let parts: [LedgerSnapshot.Part] = [.keptModels(names: .all.union(.eventIds), parts: .all, searchable: .all),
                                            .keptModels(names: .all.union(.eventIds), parts: .all, searchable: [.enterprises]),
                                            .keptModels(names: [], parts: [.grants], searchable: []),
                                            .keptSummary, .keptGrantsByEnterprise, .events(names: [], searchable: [], actorsAndSources: false),
                                            .events(names: .all, searchable: [], actorsAndSources: true),
                                            .events(names: NameTables.all.union(.eventIds), searchable: [], actorsAndSources: false)]
        for part in parts {
            guard let ledger = try? LedgerSnapshot.decodeUnauthenticated(bytes, logs: logs, part: part).ledger else { continue }
            guard ledger.logs.count == logs.count, ledger.count == ledger.logs.reduce(0, { $0 + $1.events }) else {
                return "a part decoded with counts other than its logs'"
            }
            switch part {
            case .keptModels, .keptSummary, .keptGrantsByEnterprise:
                // A reader uses kept columns only for the heads' window, which a ledger of no events has not.
                guard ledger.headsRecorded != nil else { continue }
            case .events: break
            }
            switch part {
            case .keptModels(let names, let kept, let searchable):
                guard ledger.holdsKeptModelsOnly else { return "kept models with events" }
                let models = ledger.models(in: heads)
                if kept == .all { _ = Summary(models: models, window: heads) }
                // Every enterprise's profile: its tier changes name their events by id.
                if names.contains(.texts), ledger.texts.isSearchable != searchable.contains(.texts) {
                    return "the texts' hash table read or left other than asked"
                }
                if kept == .all, names.contains(.eventIds), searchable.contains(.enterprises) {
                    for index in 0..<ledger.enterprises.count {
                        _ = EnterpriseProfile(ledger: ledger, models: models, code: ledger.enterprises.string(EnterpriseIndex(offset: index)))
                    }
                }
            case .keptGrantsByEnterprise:
                guard ledger.holdsKeptModelsOnly, let breakdown = ledger.keptGrantsByEnterprise(in: heads) else {
                    return "kept grants by enterprise with events, or none"
                }
                var bytes: [UInt8] = []
                for position in 0..<breakdown.rowCount {
                    guard breakdown.figures(at: position).count >= 1 else { return "a kept row of no grant" }
                    breakdown.appendKey(at: position, to: &bytes)
                    breakdown.appendLabel(at: position, to: &bytes)
                }
                guard breakdown.total.count <= ledger.nameCounts.grants else { return "kept rows of more grants than the ledger has" }
                _ = try? breakdown.checkShown()
            case .keptSummary:
                guard ledger.holdsKeptModelsOnly else { return "a kept summary with events" }
                let summary = ledger.summary(in: heads)
                guard summary.revokedCount <= summary.grantCount else { return "a kept summary out of range" }
            case .events(let names, _, let actorsAndSources):
                guard !ledger.holdsKeptModelsOnly, ledger.replayOrder.count == ledger.count else { return "events without their order" }
                _ = ledger.summary(in: TimeWindow(asOf: CalendarDate(year: 2023, month: 6, day: 30)!, knownAt: .never))
                guard ledger.events.omitsActorsAndSources == !actorsAndSources else { return "actors and sources read other than asked" }
                // A query of every event (`audit` from the snapshot): its findings name events by id.
                if names.isSuperset(of: NameTables.all.union(.eventIds)) { _ = Auditor(ledger: ledger, window: heads).run() }
            }
        }
        return nil
    }

    static func checkDecoded(_ bytes: [UInt8]) -> String? {
        let snapshot: LedgerSnapshot
        do {
            snapshot = try LedgerSnapshot.decodeUnauthenticated(bytes, logs: logs)
        } catch {
            return nil
        }
        let ledger = snapshot.ledger
        guard LedgerSnapshot.isReadFromLogs(ledger, logs: logs) else { return "decoded a ledger no verified read gives" }
        var seen = [Bool](repeating: false, count: ledger.count)
        for value in ledger.replayOrder {
            guard value >= 0, Int(value) < ledger.count, !seen[Int(value)] else { return "the replay order is not a permutation" }
            seen[Int(value)] = true
        }
        for index in 0..<ledger.count {
            let event = ledger.events[index]
            guard event.effective.daysSinceEpoch >= LedgerSnapshot.earliestDay,
                  event.effective.daysSinceEpoch <= LedgerSnapshot.latestDay,
                  LedgerSnapshot.isPlausibleRecorded(event.recorded.secondsSinceEpoch) else {
                return "an event's date or time is out of range"
            }
            guard event.actor.rawValue >= 0, event.actor.offset < ledger.texts.count, event.source.rawValue >= 0,
                  event.source.offset < ledger.texts.count else { return "an event names a text outside its table" }
            _ = Ledger.replayKey(event)
        }
        for index in 0..<ledger.count {
            _ = ledger.eventId(of: index)
        }
        func lookupsStayInside<Index>(_ interner: Interner<Index>) -> Bool {
            for index in 0..<interner.count {
                let found = interner.withBytes(of: Index(rawValue: Int32(index))) { interner.find($0) }
                guard found == nil || (found!.rawValue >= 0 && found!.offset < interner.count) else { return false }
            }
            return true
        }
        guard lookupsStayInside(ledger.programmes), lookupsStayInside(ledger.grants), lookupsStayInside(ledger.enterprises),
              lookupsStayInside(ledger.centres), lookupsStayInside(ledger.texts) else {
            return "a lookup gives an index outside the table"
        }
        return nil
    }
}
