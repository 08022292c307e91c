import Foundation
import IncentivesDomain
import LedgerLog
import Testing

/// The first query after an append reads the tail after the snapshot (proving the appended log's
/// prefix again by its digest or a read of it, its stamp having changed) and saves the snapshot as the ledger stands, the
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
        // The appended log's prefix is proved by its digest when the first query's stamps were
        // settled (else read again line by line): either way the tail is read and the snapshot saved.
        let first = scenario.when(["summary"], environment: traced)
        #expect(first.exitCode == 0)
        #expect(first.errors.hasPrefix("incentives summary: snapshot used, 1 event read after it")
                    && first.errors.hasSuffix("; snapshot saved\n"), "\(first.errors)")
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
