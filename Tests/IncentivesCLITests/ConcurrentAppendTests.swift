import Foundation
import IncentivesDomain
import LedgerLog
import Testing

/// Several `incentives` processes appending to one events directory at once queue on its lock:
/// every event lands exactly once, the chains verify, and a reader never sees half a batch.
@Suite("Concurrent appends from several processes")
struct ConcurrentAppendTests {
    static let workers = 4
    static let awardsPerWorker = 40
    static let paymentsPerWorker = 60

    @Test("four processes append 400 events between them; each is present exactly once and the logs verify")
    func fourProcesses() throws {
        let binary = try BinaryLocator.requireIncentives()
        let directory = TemporaryEventsDirectory()
        // The programme and enterprises exist before the race (and so does the lock file).
        let codes = (0..<Self.workers).map { Codes.code("91321204MA1W0RK0\($0)") }
        let setup = [Draft.programme("p-yz", "yz", name: "雁阵计划", effective: "2022-01-01")]
            + codes.enumerated().map { Draft.register("e-\($0.offset)", $0.element, name: "企业 \($0.offset)", effective: "2022-01-01") }
        let setupFile = directory.writeInput("setup.jsonl", Array(setup.map { $0 + "\n" }.joined().utf8))
        let first = ChildProcess.run(binary, ["append", setupFile, "--events", directory.events], scratch: directory.inputs)
        try #require(first.status == 0, "\(first.errors)")

        let failures = FailureList()
        let group = DispatchGroup()
        for worker in 0..<Self.workers {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                for index in 0..<Self.awardsPerWorker {
                    let outcome = ChildProcess.run(binary, [
                        "award", "--id", "w\(worker)-award-\(index)", "--grant", "W\(worker)-G\(index)", "--enterprise", codes[worker],
                        "--programme", "yz", "--amount", "1,000.\(String(format: "%02d", index))", "--project", "p",
                        "--effective", "2022-03-01", "--actor", "worker \(worker)", "--source", "race",
                        "--events", directory.events,
                    ], scratch: directory.inputs)
                    if outcome.status != 0 { failures.add("worker \(worker) award \(index): \(outcome.status) \(outcome.errors)") }
                }
                let payments = (0..<Self.paymentsPerWorker).map {
                    Draft.grantAmount("w\(worker)-pay-\($0)", "GrantDisbursed", grant: "W\(worker)-G\($0 % Self.awardsPerWorker)",
                                      amountFen: Int64($0 + 1), effective: "2022-04-01")
                }
                let file = directory.writeInput("payments-\(worker).jsonl", Array(payments.map { $0 + "\n" }.joined().utf8))
                let outcome = ChildProcess.run(binary, ["append", file, "--events", directory.events], scratch: directory.inputs)
                if outcome.status != 0 { failures.add("worker \(worker) payments: \(outcome.status) \(outcome.errors)") }
            }
        }
        // Meanwhile a reader verifies again and again: it must never see a half-written batch.
        group.enter()
        Thread.detachNewThread {
            defer { group.leave() }
            for round in 0..<25 {
                let outcome = ChildProcess.run(binary, ["verify", "--events", directory.events], scratch: directory.inputs)
                if outcome.status != 0 { failures.add("concurrent verify round \(round): \(outcome.status) \(outcome.output)\(outcome.errors)") }
            }
        }
        group.wait()
        #expect(failures.all.isEmpty, "\(failures.all.joined(separator: "\n"))")

        // Every id exactly once, in a verified ledger.
        var collector = IdentifierCollector()
        let report = try IncentiveLogs.store(directory: directory.events).read(consumer: &collector)
        #expect(report.isValid, "\(report.problems)")
        let expected = Set(["p-yz"] + (0..<Self.workers).flatMap { worker in
            ["e-\(worker)"] + (0..<Self.awardsPerWorker).map { "w\(worker)-award-\($0)" }
                + (0..<Self.paymentsPerWorker).map { "w\(worker)-pay-\($0)" }
        })
        #expect(collector.ids.count == expected.count, "events in the logs: \(collector.ids.count), expected \(expected.count)")
        #expect(Set(collector.ids) == expected)
        // Each worker's payments were one batch: contiguous in the log, in order.
        let grantIds = collector.ids.filter { $0.hasPrefix("w") && $0.contains("-pay-") }
        for worker in 0..<Self.workers {
            let positions = collector.ids.indices.filter { collector.ids[$0].hasPrefix("w\(worker)-pay-") }
            #expect(positions.last.map { $0 - positions.first! + 1 } == Self.paymentsPerWorker, "worker \(worker)'s batch is contiguous")
        }
        #expect(grantIds.count == Self.workers * Self.paymentsPerWorker)

        let verify = ChildProcess.run(binary, ["verify", "--events", directory.events], scratch: directory.inputs)
        #expect(verify.status == 0)
        #expect(verify.output.contains("ok: \(expected.count) events in 3 logs verify"))
        if let verdict = IndependentChecker.check(directory.events, scratch: directory.inputs) {
            #expect(verdict.ok, "\(verdict.raw)")
        }
        let summary = ChildProcess.run(binary, ["summary", "--format", "json", "--events", directory.events], scratch: directory.inputs)
        let json = try JSONParser.parse(summary.output)
        #expect(json["grants"]?["count"]?.numberValue?.integerValue == Int64(Self.workers * Self.awardsPerWorker))
        let paid = (0..<Self.paymentsPerWorker).reduce(0) { $0 + $1 + 1 } * Self.workers
        #expect(json["grants"]?["disbursedFen"]?.numberValue?.integerValue == Int64(paid))
    }
}
