import Foundation
import IncentivesCLI
import LedgerLog
import Testing

/// Every answer names its window and the heads of the logs it was computed from: the heads of
/// each log's prefix known at the window's end, checked here against the log files themselves.
/// And transaction times are read and shown in the ledger's time zone (+08:00 unless its
/// `ledger.json` says otherwise).
@Suite("Answers that name their window, in Beijing time")
struct AnswerProvenanceTests {
    /// Each log's prefix recorded at or before `knownAt`, read from the files with a JSON parser
    /// of its own: the count and the `hash` of the last line (64 zeros for none).
    static func expectedHeads(directory: String, knownAt: Timestamp) throws -> [(log: String, events: Int, head: String)] {
        try ["tiers", "centres", "grants"].map { log in
            let text = (try? String(contentsOfFile: directory + "/\(log).jsonl", encoding: .utf8)) ?? ""
            var count = 0, head = String(repeating: "0", count: 64)
            for line in text.split(separator: "\n") {
                let value = try JSONParser.parse(Array(line.utf8))
                guard let recorded = value["recorded"]?.stringValue.flatMap(Timestamp.init(parsing:)), recorded <= knownAt else { break }
                count += 1
                head = value["hash"]?.stringValue ?? ""
            }
            return (log, count, head)
        }
    }

    /// The `heads` member of an answer (or, with `member`, another member of that form).
    static func heads(_ json: JSONValue?, member: String = "heads") -> [(log: String, events: Int, head: String)] {
        (json?[member]?.arrayValue ?? []).map {
            ($0["log"]?.stringValue ?? "", Int($0["events"]?.numberValue?.integerValue ?? -1), $0["head"]?.stringValue ?? "")
        }
    }

    static func same(_ left: [(log: String, events: Int, head: String)], _ right: [(log: String, events: Int, head: String)]) -> Bool {
        left.count == right.count && zip(left, right).allSatisfy { $0.log == $1.log && $0.events == $1.events && $0.head == $1.head }
    }

    @Test("the heads are those of each log's prefix known at K, in JSON and in the table's header",
          arguments: ["2020-12-31", "2021-12-31", "2023-01-15", "2023-02-01T09:00:00+08:00", "2023-10-06T03:05:51Z", "2026-12-04"])
    func headsOfThePrefixKnownAtK(knownAt: String) throws {
        let scenario = try RecordedTimeTests.bundledCopy()
        let answer = scenario.when(["summary", "--format", "json", "--known-at", knownAt])
        #expect(answer.exitCode == 0, "\(answer.errors)")
        let moment = try #require(answer.value("knownAt")?.stringValue.flatMap(Timestamp.init(parsing:)))
        let expected = try Self.expectedHeads(directory: scenario.events, knownAt: moment)
        let actual = Self.heads(answer.json)
        #expect(Self.same(actual, expected), "known at \(knownAt): \(actual) instead of \(expected)")
        #expect(answer.value("events")?.numberValue?.integerValue.map(Int.init) ?? -1 <= expected.reduce(0) { $0 + $1.events })
        let table = scenario.when(["summary", "--known-at", knownAt]).output
        let line = expected.map { "\($0.log) \($0.events) \($0.head)" }.joined(separator: ", ")
        #expect(table.split(separator: "\n").dropFirst().first.map(String.init) == "heads: " + line, "\(table)")
    }

    @Test("the heads differ with K and are not simply the whole log's")
    func headsFollowK() throws {
        let scenario = try RecordedTimeTests.bundledCopy()
        let early = Self.heads(scenario.when(["grants", "--by", "year", "--format", "json", "--known-at", "2021-12-31"]).json)
        let late = Self.heads(scenario.when(["grants", "--by", "year", "--format", "json"]).json)
        #expect(early.map(\.events) == [787, 10, 267])
        #expect(late.map(\.events) == [1499, 19, 983])
        #expect(early.first?.head == "fd06789fe87aeab32e528d6ba5780a257a75e5bc4b78f1592e9c5a1bbfa8c782")
        #expect(late.first?.head == "f2b79d2f7bd9817f7f8a46d10d469f017151dad4b63e9ae7dd433f6286fe562c")
        // The same from the snapshot (saved by the queries above) as from the logs read in full.
        let arguments = ["grants", "--by", "year", "--format", "json", "--known-at", "2022-06-30"]
        #expect(scenario.when(arguments).output == scenario.when(arguments + ["--no-snapshot"]).output)
        // Before anything was recorded: no events, the chain's starting hash.
        let none = Self.heads(scenario.when(["centres", "--format", "json", "--known-at", "2020-01-01"]).json)
        #expect(none.map(\.events) == [0, 0, 0] && none.allSatisfy { $0.head == String(repeating: "0", count: 64) })
    }

    @Test("every query names its window and heads, in its table's header and its JSON")
    func everyQueryNamesItsWindow() throws {
        let scenario = try RecordedTimeTests.bundledCopy()
        let enterprise = "91321204092785027J"
        let queries: [[String]] = [
            ["summary"], ["grants", "--by", "programme"], ["enterprise", enterprise], ["tiers"], ["tiers", "--transitions"],
            ["centres"], ["history", enterprise], ["audit"],
        ]
        let known = ["--known-at", "2022-06-30", "--as-of", "2022-03-31"]
        let expected = try Self.expectedHeads(directory: scenario.events, knownAt: Timestamp(parsing: "2022-06-30T15:59:59Z")!)
        let headsLine = "heads: " + expected.map { "\($0.log) \($0.events) \($0.head)" }.joined(separator: ", ")
        for query in queries {
            let arguments = query + (query.first == "history" ? Array(known.prefix(2)) : known)
            let json = scenario.when(arguments + ["--format", "json"])
            #expect(json.exitCode == 0, "\(arguments): \(json.errors)")
            #expect(json.value("knownAt")?.stringValue == "2022-06-30T15:59:59Z", "\(arguments)")
            #expect(json.value("asOf")?.stringValue == (query.first == "history" ? nil : "2022-03-31"), "\(arguments)")
            #expect(Self.same(Self.heads(json.json), expected), "\(arguments)")
            let table = scenario.when(arguments).output.split(separator: "\n").map(String.init)
            #expect(table.first?.hasSuffix("known at 2022-06-30 23:59:59+08:00") == true
                || table.first?.contains("known at 2022-06-30 23:59:59+08:00;") == true, "\(arguments): \(table.first ?? "")")
            #expect(table.dropFirst().first == headsLine, "\(arguments)")
        }
        let restatement = scenario.when(["restatements", "--period", "2021", "--reported-at", "2022-01-15", "--known-at", "2022-06-30",
                                         "--format", "json"])
        #expect(Self.same(Self.heads(restatement.json), expected))
        let reported = try Self.expectedHeads(directory: scenario.events, knownAt: Timestamp(parsing: "2022-01-15T15:59:59Z")!)
        let reportedHeads = Self.heads(restatement.json, member: "reportedHeads")
        #expect(Self.same(reportedHeads, reported), "\(reportedHeads)")
        let table = scenario.when(["restatements", "--period", "2021", "--reported-at", "2022-01-15", "--known-at", "2022-06-30"]).output
        #expect(table.contains("reported at 2022-01-15 23:59:59+08:00, compared with what is known at 2022-06-30 23:59:59+08:00\n"))
        #expect(table.contains("\nheads now: " + headsLine.dropFirst("heads: ".count) + "\n"), "\(table)")
    }

    @Test("grants JSON names what the table and CSV name: programmes and enterprises")
    func grantsJSONCarriesNames() throws {
        let scenario = try RecordedTimeTests.bundledCopy()
        let programmes = scenario.when(["grants", "--by", "programme", "--format", "json"]).value("rows")?.arrayValue ?? []
        #expect(programmes.first { $0["key"]?.stringValue == "YZ-STARTUP" }?["name"]?.stringValue == "雁阵计划·初创企业培育资金")
        let enterprises = scenario.when(["grants", "--by", "enterprise", "--format", "json"]).value("rows")?.arrayValue ?? []
        let csv = scenario.when(["grants", "--by", "enterprise", "--format", "csv"]).output
        #expect(!enterprises.isEmpty)
        for row in enterprises.prefix(5) {
            let key = row["key"]?.stringValue ?? "", name = row["name"]?.stringValue ?? ""
            #expect(!name.isEmpty && csv.contains("\(key),\(name),"), "\(key) \(name)")
        }
        let years = scenario.when(["grants", "--by", "year", "--format", "json"]).value("rows")?.arrayValue ?? []
        #expect(!years.isEmpty && years.allSatisfy { $0["name"] == nil }, "years have no names")
    }

    // MARK: Beijing time

    /// A programme recorded at the last second of 15 January 2023 in Beijing, one at the first
    /// second of the 16th (16:00 UTC on the 15th), and one a second before midnight UTC.
    static func aroundMidnightInBeijing() -> LedgerScenario {
        let scenario = LedgerScenario(now: "2023-02-01T00:00:00Z")
        scenario.given(at: "2023-01-15T15:59:59Z", [Draft.programme("p-1", "p1", name: "一", effective: "2023-01-01")])
        scenario.given(at: "2023-01-15T16:00:00Z", [Draft.programme("p-2", "p2", name: "二", effective: "2023-01-01")])
        scenario.given(at: "2023-01-15T23:59:59Z", [Draft.programme("p-3", "p3", name: "三", effective: "2023-01-01")])
        return scenario
    }

    static func events(_ outcome: CommandOutcome) -> Int? {
        outcome.value("events")?.numberValue?.integerValue.map(Int.init)
    }

    @Test("a date as --known-at is the end of that day in Beijing; an offset or Z is the moment it names")
    func dateOnlyKnownAtIsTheEndOfTheDayInBeijing() {
        let scenario = Self.aroundMidnightInBeijing()
        let summary = { (knownAt: String) in scenario.when(["summary", "--format", "json", "--known-at", knownAt]) }
        let endOfDay = summary("2023-01-15")
        #expect(endOfDay.value("knownAt")?.stringValue == "2023-01-15T15:59:59Z")
        #expect(Self.events(endOfDay) == 1, "an event recorded at 16:00Z on the 15th is the 16th in Beijing")
        #expect(Self.events(summary("2023-01-16T00:00:00+08:00")) == 2)
        #expect(summary("2023-01-16T00:00:00+08:00").value("knownAt")?.stringValue == "2023-01-15T16:00:00Z")
        #expect(Self.events(summary("2023-01-15T23:59:59Z")) == 3)
        #expect(Self.events(summary("2023-01-16T07:59:58+08:00")) == 2)
        #expect(Self.events(summary("2023-01-15T10:59:59-05:00")) == 1)
        #expect(Self.events(summary("2023-01-15T11:00:00-05:00")) == 2)
        #expect(Self.events(summary("2023-01-16")) == 3)
        // The other commands read it the same way.
        #expect(scenario.when(["history", "p2", "--known-at", "2023-01-15", "--format", "json"]).value("events")?.arrayValue?.count == 0,
                "p2 was not yet known at the end of the 15th in Beijing")
        #expect(scenario.when(["history", "p2", "--known-at", "2023-01-16", "--format", "json"]).value("events")?.arrayValue?.count == 1)
        let checkpoint = scenario.when(["checkpoint", "--known-at", "2023-01-15"])
        #expect(checkpoint.value("knownAt")?.stringValue == "2023-01-15T15:59:59Z")
        let restatement = scenario.when(["restatements", "--period", "2023", "--reported-at", "2023-01-15", "--format", "json"])
        #expect(restatement.value("reportedAt")?.stringValue == "2023-01-15T15:59:59Z")
        let audit = scenario.when(["audit", "--known-at", "2023-01-15", "--format", "json"])
        #expect(audit.value("knownAt")?.stringValue == "2023-01-15T15:59:59Z")
    }

    @Test("the ledger's time zone comes from ledger.json; a ledger without one is read at +08:00")
    func zoneFromTheManifest() throws {
        let scenario = Self.aroundMidnightInBeijing()
        let manifest = scenario.events + "/" + LedgerManifest.fileName
        try FileManager.default.removeItem(atPath: manifest)
        // An older ledger: logs and no ledger.json.
        #expect(Self.events(scenario.when(["summary", "--format", "json", "--known-at", "2023-01-15"])) == 1)
        #expect(scenario.when(["summary", "--known-at", "2023-01-15"]).output.hasPrefix("as of (no limit), known at 2023-01-15 23:59:59+08:00\n"))
        // A ledger kept in UTC.
        try LedgerManifest(ledgerId: TemporaryEventsDirectory.ledgerId, timeZoneOffsetMinutes: 0).write(directory: scenario.events)
        let utc = scenario.when(["summary", "--format", "json", "--known-at", "2023-01-15"])
        #expect(utc.value("knownAt")?.stringValue == "2023-01-15T23:59:59Z" && Self.events(utc) == 3)
        #expect(scenario.when(["summary", "--known-at", "2023-01-15"]).output.hasPrefix("as of (no limit), known at 2023-01-15 23:59:59+00:00\n"))
        // West of Greenwich the day ends later in UTC.
        try FileManager.default.removeItem(atPath: manifest)
        try LedgerManifest(ledgerId: TemporaryEventsDirectory.ledgerId, timeZoneOffsetMinutes: -(3 * 60 + 30)).write(directory: scenario.events)
        let west = scenario.when(["summary", "--format", "json", "--known-at", "2023-01-14"])
        #expect(west.value("knownAt")?.stringValue == "2023-01-15T03:29:59Z" && Self.events(west) == 0)
        #expect(scenario.when(["history", "p1"]).output.contains("2023-01-15 12:29:59-03:30"))
    }

    @Test("tables show recorded times in the ledger's zone; JSON and CSV keep UTC with Z")
    func recordedTimesInTheLedgersZone() {
        let scenario = Self.aroundMidnightInBeijing()
        let table = scenario.when(["history", "p2"]).output
        #expect(table.contains("2023-01-16 00:00:00+08:00"), "\(table)")
        #expect(!table.contains("2023-01-15T16:00:00Z"))
        #expect(scenario.when(["history", "p2", "--format", "csv"]).output.contains("2023-01-15T16:00:00Z,2023-01-01,p-2,"))
        #expect(scenario.when(["history", "p2", "--format", "json"]).value("events")?.arrayValue?.first?["recorded"]?.stringValue
            == "2023-01-15T16:00:00Z")
        #expect(scenario.when(["summary"]).output.hasPrefix("as of (no limit), known at 2023-02-01 08:00:00+08:00\n"))
    }

    @Test("a malformed --known-at or --reported-at is a usage error, whatever the command",
          arguments: ["2023-02-01T09:00:00+8:00", "2023-02-01T09:00:00+15:00", "2023-02-01T09:00:00-00:00", "2023-02-01 09:00:00+08:00",
                      "2023-02-30", "2023-02-01T24:00:00Z", "2023-02-01T09:00+08:00", "2023-02-01T09:00:00+08:60"])
    func malformedMomentsAreRefused(text: String) {
        let scenario = Self.aroundMidnightInBeijing()
        for arguments in [["summary", "--known-at", text], ["checkpoint", "--known-at", text], ["audit", "--known-at", text],
                          ["history", "p1", "--known-at", text],
                          ["restatements", "--period", "2023", "--reported-at", text]] {
            let outcome = scenario.when(arguments)
            #expect(outcome.exitCode == 64, "\(arguments): exit \(outcome.exitCode)")
            #expect(outcome.errors.contains("is not a time: give YYYY-MM-DD"), "\(arguments): \(outcome.errors)")
            #expect(outcome.output.isEmpty)
        }
    }
}
