import Foundation
import IncentivesDomain
import LedgerLog
import Testing

/// On a ledger above `INCENTIVES_SNAPSHOT_REREAD_EVENTS` events (five million unless set), the
/// first query after an append reads the logs again and saves the snapshot as it reads them,
/// rather than verify the appended log's prefix again and save from the ledger held whole; the
/// answers are those of a full read, and the next query finds a current snapshot.
@Suite("Queries after an append, above the reread limit")
struct RereadAfterAppendTests {
    static let limit = [Ledger.rereadEventsVariable: "0"]

    @Test("the first query after an append reads the logs again and saves the snapshot; every answer is a full read's")
    func rereadAfterAnAppend() {
        let scenario = SnapshotCommandTests.ledger()
        let traced = Self.limit.merging(SnapshotCommandTests.trace) { $1 }
        scenario.when(["summary"], environment: Self.limit).then(exit: 0)
        scenario.when(["append", SnapshotCommandTests.lateAward(scenario)]).then(exit: 0)
        scenario.when(["summary"], environment: traced)
            .then(exit: 0, errors: ["snapshot not used (events were appended after it", "logs read in full; snapshot saved"])
        #expect(!scenario.when(["summary"], environment: traced).errors.contains("appended after it"))
        for query in SnapshotCommandTests.queries {
            let cold = scenario.when(query + ["--no-snapshot"])
            let warm = scenario.when(query, environment: Self.limit)
            #expect(warm.exitCode == cold.exitCode && warm.output == cold.output && warm.errors == cold.errors, "\(query)")
        }
    }
}
