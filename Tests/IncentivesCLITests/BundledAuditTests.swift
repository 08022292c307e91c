import Foundation
import IncentivesCLI
import LedgerLog
import Testing

/// The deliberate cases listed in Events/README.md are each found by `audit`, and the back-dated
/// correction shows as a restatement of 2022.
@Suite("Audit of the bundled Events/")
struct BundledAuditTests {
    static let events = GoldenReplayTests.events
    static let clock = GoldenReplayTests.clock

    /// Each deliberate case: the rule that must find it and an event id (or subject) from Events/README.md.
    static let cases: [(rule: String, event: String)] = [
        ("tier-below-minimum", "g-000375"),
        ("cap-exceeded", "g-000612"),
        ("over-disbursed", "g-000"),
        ("budget-exceeded", "JY-TALENT"),
        ("after-deregistration", "g-000802"),
        ("unrecovered-revocation", "g-000"),
        ("duplicate-award", "g-000074"),
        ("late-recording", "g-000535"),
        ("uscc-check-digit", "t-000002"),
    ]

    @Test func everyDeliberateCaseIsFound() throws {
        let io = CapturedIO()
        let code = CLI.run(["audit", "--format", "json", "--fail-on", "error", "--events", Self.events], environment: [:], io: io, clock: Self.clock)
        #expect(code == 1, "the bundled data has errors to find, so --fail-on error exits 1")
        let report = try JSONSerialization.jsonObject(with: Data(io.output.utf8)) as! [String: Any]
        let findings = report["findings"] as! [[String: Any]]
        for (rule, event) in Self.cases {
            let matching = findings.filter { ($0["rule"] as? String) == rule }
            #expect(!matching.isEmpty, "no \(rule) finding in the bundled data")
            #expect(matching.contains { ($0["event"] as? String)?.hasPrefix(event) == true || ($0["subject"] as? String) == event }, "\(rule) does not name \(event)")
        }
    }

    @Test func theBackDatedCorrectionRestates2022() {
        let io = CapturedIO()
        let code = CLI.run(["restatements", "--period", "2022", "--reported-at", "2023-01-15", "--events", Self.events],
                           environment: [:], io: io, clock: Self.clock)
        #expect(code == 1, "the 2022 figures were restated after 2023-01-15: \(io.errors)")
        #expect(io.output.contains("g-000719"), "the back-dated amendment is listed:\n\(io.output)")
    }

    @Test func nothingRestates2022BeforeTheCorrectionWasRecorded() {
        let io = CapturedIO()
        let code = CLI.run(["restatements", "--period", "2022", "--reported-at", "2023-01-15", "--known-at", "2023-01-20",
                            "--events", Self.events], environment: [:], io: io, clock: Self.clock)
        #expect(code == 0, "nothing about 2022 was recorded between 2023-01-15 and 2023-01-20:\n\(io.output)\(io.errors)")
    }
}
