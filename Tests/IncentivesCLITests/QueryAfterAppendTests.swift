import Foundation
import IncentivesDomain
import LedgerLog
import Testing

/// The first query after an append reads the tail after the snapshot (verifying the appended
/// log's prefix again, its stamp having changed) and saves the snapshot as the ledger stands, the
/// tail in runs behind the prefix; the next query answers from it. Whatever the reread limit
/// (`INCENTIVES_SNAPSHOT_REREAD_EVENTS`, which matters only once a snapshot holds as many runs
/// as a file may), every answer is a full read's.
@Suite("Queries after an append")
struct QueryAfterAppendTests {
    static let limit = [Ledger.rereadEventsVariable: "0"]

    @Test("the first query after an append reads the tail and saves the snapshot; every answer is a full read's", arguments: [false, true])
    func queryAfterAnAppend(limitedToNone: Bool) {
        let scenario = SnapshotCommandTests.ledger()
        let environment = limitedToNone ? Self.limit : [:]
        let traced = environment.merging(SnapshotCommandTests.trace) { $1 }
        scenario.when(["summary"], environment: environment).then(exit: 0)
        scenario.when(["append", SnapshotCommandTests.lateAward(scenario)]).then(exit: 0)
        scenario.when(["summary"], environment: traced)
            .then(exit: 0, errors: ["snapshot used, 1 event read after it; snapshot saved"])
        let next = scenario.when(["summary"], environment: traced)
        // (It may verify the prefix again and save once more: stamps taken within a clock tick of the append prove nothing.)
        #expect(next.errors.contains("snapshot used") && !next.errors.contains("1 event read after it"),
                "the next query finds the snapshot current: \(next.errors)")
        for query in SnapshotCommandTests.queries {
            let cold = scenario.when(query + ["--no-snapshot"])
            let warm = scenario.when(query, environment: environment)
            #expect(warm.exitCode == cold.exitCode && warm.output == cold.output && warm.errors == cold.errors, "\(query)")
        }
    }
}
