@testable import IncentivesDomain
import IncentivesTestSupport
import LedgerColumns
import LedgerLog
import Testing

/// `grants --by enterprise` with no filter, at the heads of a current snapshot, reads the rows
/// the snapshot kept (keys, names, figures in key order) and nothing else; they are the rows a
/// full read computes, and rows no breakdown can give are refused even under the user's key.
@Suite struct KeptGrantsByEnterpriseTests {
    static func computed(_ ledger: Ledger, _ window: TimeWindow) -> GrantBreakdown {
        GrantBreakdown(ledger: ledger, models: ledger.models(in: window), grouping: .enterprise, filter: .init())
    }

    /// What `grants --by enterprise` answers from an opening's ledger: the kept rows, else computed.
    static func answer(_ ledger: Ledger, _ window: TimeWindow) -> GrantBreakdown {
        ledger.keptGrantsByEnterprise(in: window) ?? computed(ledger, window)
    }

    /// Every row written out, as output shows it: keys and names as bytes and as Strings.
    static func rows(_ breakdown: GrantBreakdown) -> [String] {
        (0..<breakdown.rowCount).map { position in
            var key: [UInt8] = [], label: [UInt8] = []
            breakdown.appendKey(at: position, to: &key)
            breakdown.appendLabel(at: position, to: &label)
            #expect(key == Array(breakdown.key(at: position).utf8) && label == Array(breakdown.label(at: position).utf8))
            return "\(breakdown.key(at: position)) \(breakdown.label(at: position)) \(breakdown.figures(at: position))"
        }
    }

    @Test("at the heads, the kept rows alone answer, as the rows a full read computes", arguments: [61, 62] as [UInt64])
    func keptRowsAnswerAtTheHeads(seed: UInt64) throws {
        let (directory, cold) = try KeptModelOpeningTests.saved(seed: seed)
        let window = KeptModelOpeningTests.headWindow(cold)
        let opening = try directory.open(scope: .grantsByEnterprise(window))
        #expect(opening.source == .keptModels && opening.saving == .notAttempted)
        let ledger = opening.ledger
        #expect(ledger.holdsKeptModelsOnly && ledger.headModels == nil)
        #expect(ledger.enterprises.count == 0 && ledger.texts.count == 0, "no name table is read")
        let kept = try #require(ledger.keptGrantsByEnterprise(in: window))
        let expected = Self.computed(cold, window)
        #expect(kept.rowCount > 10 && kept.rowCount == expected.rowCount)
        #expect(kept == expected)
        #expect(kept.labelsAreValidUTF8 && !expected.labelsAreValidUTF8, "kept names checked once when read")
        #expect(Self.rows(kept) == Self.rows(expected))
        #expect(kept.total == expected.total && kept.total.count > 0)
        #expect(String(describing: kept.json) == String(describing: expected.json))
        // A later known-at is the heads' window too; an earlier one or an as-of is not.
        let later = TimeWindow(asOf: nil, knownAt: Timestamp(secondsSinceEpoch: window.knownAt.secondsSinceEpoch + 86_400))
        #expect(try directory.open(scope: .grantsByEnterprise(later)).ledger.keptGrantsByEnterprise(in: later) == expected)
    }

    @Test("another window, or an append after the snapshot: the rows are computed from the models, as a full read's")
    func otherwiseComputed() throws {
        let (directory, cold) = try KeptModelOpeningTests.saved(seed: 63)
        for (_, window, source) in QueryScopeTests.windows(cold) where source == .readModels {
            let opening = try directory.open(scope: .grantsByEnterprise(window))
            #expect(opening.source == .readModels)
            #expect(opening.ledger.keptGrantsByEnterprise(in: window) == nil)
            #expect(opening.ledger.enterprises.count == cold.enterprises.count && opening.ledger.texts.count == cold.texts.count)
            #expect(Self.computed(opening.ledger, window) == Self.computed(cold, window))
        }
        var generator = ScenarioGenerator(seed: 63)
        _ = generator.drafts(220)
        try directory.append([generator.drafts(4)])
        let appended = try directory.open(useSnapshot: false).ledger
        let newHeads = KeptModelOpeningTests.headWindow(appended)
        let opening = try directory.open(scope: .grantsByEnterprise(newHeads))
        guard case .snapshot(let after) = opening.source else {
            Issue.record("the snapshot is used with what follows it, not \(opening.source)")
            return
        }
        #expect(after > 0)
        #expect(opening.ledger.keptGrantsByEnterprise(in: newHeads) == nil, "the kept rows describe the old heads")
        #expect(Self.computed(opening.ledger, newHeads) == Self.computed(appended, newHeads))
    }

    enum Forgery: String, CaseIterable, CustomStringConvertible {
        case zeroCount, countBeyondTheGrants, keysOutOfOrder, keyNotASCII, emptyKey
        var description: String { rawValue }
    }

    @Test("kept rows no breakdown can give are refused, even under the user's own key; without it, by the digest",
          arguments: Forgery.allCases)
    func forgedRowsAreRefused(forgery: Forgery) throws {
        let (directory, cold) = try KeptModelOpeningTests.saved(seed: 64)
        let window = KeptModelOpeningTests.headWindow(cold)
        let key = readFileBytes(directory.cachePath + "/" + SnapshotCache.keyFileName) ?? []
        let original = directory.readSnapshot()
        var forged = original
        switch forgery {
        case .zeroCount:
            SnapshotTrustTests.put(Int64(0), into: &forged, at: try SnapshotTrustTests.cell(original, .headByEnterpriseCount, row: 1))
        case .countBeyondTheGrants:
            SnapshotTrustTests.put(Int64(cold.grants.count + 1), into: &forged,
                                   at: try SnapshotTrustTests.cell(original, .headByEnterpriseCount, row: 0))
        case .keysOutOfOrder:
            // The first key's first byte made the highest ASCII letter: it sorts after the second.
            forged[try SnapshotTrustTests.cell(original, .headByEnterpriseKeyBytes, row: 0)] = UInt8(ascii: "z")
        case .keyNotASCII:
            forged[try SnapshotTrustTests.cell(original, .headByEnterpriseKeyBytes, row: 3)] = 0xE4
        case .emptyKey:
            // The first key ends where it starts.
            SnapshotTrustTests.put(UInt32(0), into: &forged, at: try SnapshotTrustTests.cell(original, .headByEnterpriseKeyEnds, row: 0))
        }
        var signed = forged
        SnapshotTrustTests.sign(&signed, key: key)
        for (bytes, label) in [(forged, "unsigned"), (signed, "signed")] {
            directory.writeSnapshot(bytes)
            let opening = try directory.open(scope: .grantsByEnterprise(window))
            switch (label, opening.source) {
            case ("unsigned", .logs(snapshotRejected: .damaged?)), ("signed", .logs(snapshotRejected: .malformed?)): break
            default: Issue.record("\(forgery), \(label): not refused as expected: \(opening.source)")
            }
            // Rebuilt from the logs and answered from the snapshot just saved: the honest rows.
            #expect(opening.saving == .saved, "rebuilt")
            #expect(Self.answer(opening.ledger, window) == Self.computed(cold, window))
        }
        #expect(try directory.open(scope: .grantsByEnterprise(window)).ledger.keptGrantsByEnterprise(in: window) == Self.computed(cold, window))
    }

    @Test("damage in the kept rows refuses them, and a whole opening too, which hashes every column; other answers stand")
    func damageInTheKeptRows() throws {
        let (directory, cold) = try KeptModelOpeningTests.saved(seed: 65)
        let window = KeptModelOpeningTests.headWindow(cold)
        let original = directory.readSnapshot()
        var bytes = original
        bytes[try SnapshotTrustTests.cell(bytes, .headByEnterpriseNameBytes, row: 0)] ^= 0x01
        directory.writeSnapshot(bytes)
        #expect(try directory.open(scope: .readModels(window, names: .all)).source == .keptModels, "the kept models are not touched")
        #expect(try directory.open(scope: .summary(window)).source == .keptModels)
        let refused = try directory.open(scope: .grantsByEnterprise(window))
        #expect(refused.source == .logs(snapshotRejected: .damaged))
        #expect(Self.answer(refused.ledger, window) == Self.computed(cold, window))
        directory.writeSnapshot(bytes)
        #expect(try directory.open().source == .logs(snapshotRejected: .damaged))
        #expect(directory.readSnapshot() == original, "rebuilt, the same bytes")
    }
}
