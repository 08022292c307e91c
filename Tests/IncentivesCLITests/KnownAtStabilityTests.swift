import IncentivesTestSupport
import LedgerLog
import Testing

/// An answer once given for a `--known-at` never changes: over seeded random sequences of appends,
/// each recorded by an advancing injected clock, every query known at a time K before an append's
/// recorded time gives byte-identical output before and after that append (and after all the rest).
@Suite("Known-at answers are stable")
struct KnownAtStabilityTests {
    static let seeds: [UInt64] = [7, 1_204, 32_120_4]
    static let appends = 8

    /// A random valid ledger in the making: what exists, so that each append is accepted.
    struct Story {
        var random: SplitMix64
        var now: Timestamp
        var enterprises: [(code: String, tier: Int)] = []
        var grants: [(id: String, effective: CalendarDate)] = []
        var leaves: [String] = []
        var centres: [(id: String, open: Bool)] = []
        var counter = 0
        static let tiers = ["startup", "sme", "high-tech", "influential"]
        static let start = CalendarDate(parsing: "2020-01-01")!

        mutating func id(_ prefix: String) -> String {
            counter += 1
            return "\(prefix)-\(counter)"
        }

        /// An effective date from up to 300 days back (back-dated corrections are the point), not before `floor`.
        mutating func backDated(notBefore floor: CalendarDate) -> String {
            let day = now.date.adding(days: -random.below(300))
            return (day < floor ? floor : day).description
        }

        /// One batch of draft lines, each valid against what exists.
        mutating func batch() -> [String] {
            var lines: [String] = []
            if counter == 0 {
                lines.append(Draft.programme(id("p"), "yz", name: "雁阵计划", effective: Story.start.description))
            }
            for _ in 0..<(1 + random.below(4)) {
                let choice = enterprises.isEmpty ? 0 : random.below(grants.isEmpty ? 3 : 8)
                switch choice {
                case 0:
                    let code = Codes.code("91321204MA" + String(repeating: "0", count: 6 - String(enterprises.count).count)
                                          + String(enterprises.count) + "X")
                    enterprises.append((code, 0))
                    lines.append(Draft.register(id("e"), code, name: "企业\(enterprises.count)", effective: Story.start.description))
                case 1:
                    let index = random.below(enterprises.count)
                    guard enterprises[index].tier < Story.tiers.count else { continue }
                    enterprises[index].tier += 1
                    lines.append(Draft.tier(id("t"), enterprise: enterprises[index].code, tier: Story.tiers[enterprises[index].tier - 1],
                                            effective: now.date.description))
                case 2:
                    let grant = "G-\(counter)"
                    let effective = backDated(notBefore: Story.start.adding(days: 1))
                    grants.append((grant, CalendarDate(parsing: effective)!))
                    lines.append(Draft.award(id("a"), grant: grant, enterprise: random.pick(enterprises).code, programme: "yz",
                                             amountFen: Int64(1 + random.below(90)) * 1_000_000, effective: effective))
                case 3, 4:
                    let grant = random.pick(grants)
                    let event = id("d")
                    leaves.append(event)
                    lines.append(Draft.grantAmount(event, "GrantDisbursed", grant: grant.id, amountFen: Int64(1 + random.below(50)) * 10_000,
                                                   effective: backDated(notBefore: grant.effective)))
                case 5:
                    let grant = random.pick(grants)
                    lines.append(Draft.grantAmount(id("m"), "GrantAmended", grant: grant.id, amountFen: Int64(1 + random.below(90)) * 1_000_000,
                                                   effective: backDated(notBefore: grant.effective)))
                case 6:
                    guard !leaves.isEmpty else { continue }
                    let target = leaves.remove(at: random.below(leaves.count))
                    lines.append(Draft.retract(id("x"), target: target, effective: now.date.description))
                default:
                    if let index = centres.firstIndex(where: \.open), random.chance(1, in: 2) {
                        centres[index].open = false
                        lines.append(Draft.closeCentre(id("c"), centre: centres[index].id, effective: now.date.description))
                    } else {
                        let centre = "C-\(counter)"
                        centres.append((centre, true))
                        lines.append(Draft.openCentre(id("o"), centre: centre, name: "中心\(centres.count)",
                                                      effective: backDated(notBefore: Story.start)))
                    }
                }
            }
            return lines
        }
    }

    /// Every query, in JSON, known at `knownAt` (with a report time before it for restatements).
    static func queries(_ story: Story, knownAt: String, reportedAt: String) -> [[String]] {
        let known = ["--known-at", knownAt, "--format", "json"]
        var list: [[String]] = [["summary"], ["tiers"], ["tiers", "--transitions"], ["centres"], ["audit"]]
        list += ["year", "programme", "tier", "enterprise", "month"].map { ["grants", "--by", $0] }
        list += story.enterprises.prefix(2).map { ["enterprise", $0.code] }
        list += story.grants.prefix(2).map { ["history", $0.id] }
        list += story.enterprises.prefix(1).map { ["history", $0.code] }
        list = list.map { $0 + known }
        list.append(["restatements", "--period", "2020", "--reported-at", reportedAt, "--known-at", knownAt, "--format", "json"])
        // Tables too: their header names the window and the heads.
        list.append(["summary", "--known-at", knownAt])
        list += story.grants.prefix(1).map { ["history", $0.id, "--known-at", knownAt] }
        list.append(["restatements", "--period", "2020", "--reported-at", reportedAt, "--known-at", knownAt])
        return list
    }

    struct Answer: Equatable {
        var exit: Int32
        var output: String
        var errors: String
    }

    @Test("every query known at K answers the same before and after any later append", arguments: seeds)
    func answersNeverChange(seed: UInt64) {
        let scenario = LedgerScenario(now: "2021-01-01T00:00:00Z")
        var story = Story(random: SplitMix64(seed: seed), now: scenario.now)
        var recordedTimes: [Timestamp] = []
        /// Answers given so far: the command line and what it said.
        var given: [(arguments: [String], answer: Answer, before: Timestamp)] = []

        func ask(_ arguments: [String]) -> Answer {
            let outcome = scenario.when(arguments)
            return Answer(exit: outcome.exitCode, output: outcome.output, errors: outcome.errors)
        }

        for step in 0..<Self.appends {
            // The clock moves on: sometimes not at all (the same second), sometimes by days.
            let advance = step == 0 || story.random.chance(1, in: 5) ? 0 : 1 + story.random.below(5 * 86_400)
            scenario.now = Timestamp(secondsSinceEpoch: scenario.now.secondsSinceEpoch + Int64(advance))
            story.now = scenario.now
            let appendAt = scenario.now
            // Times before this append: just before it, the end of the day before, an earlier append's exact time.
            var times = [Timestamp(secondsSinceEpoch: appendAt.secondsSinceEpoch - 1).description,
                         appendAt.date.adding(days: -1).description]
            if let earlier = recordedTimes.last(where: { $0 < appendAt }) { times.append(earlier.description) }
            for knownAt in times {
                let reportedAt = appendAt.date.adding(days: -1 - story.random.below(30)).description
                for arguments in Self.queries(story, knownAt: knownAt, reportedAt: reportedAt) {
                    given.append((arguments, ask(arguments), appendAt))
                }
            }

            let lines = story.batch()
            // Attempts that would break earlier answers are refused and change nothing: the
            // batch with a recorded time of its own (past or far future), or with the clock set back.
            if let last = recordedTimes.last {
                let back = Timestamp(secondsSinceEpoch: last.secondsSinceEpoch - 1 - Int64(story.random.below(86_400)))
                let given = story.random.pick([back.description, "9999-12-31T23:59:59Z"])
                let stamped = lines.map { String($0.dropLast()) + ",\"recorded\":\"\(given)\"}" }
                scenario.append(stamped).then(exit: 65, errors: ["gives recorded \(given)"])
                scenario.now = back
                scenario.append(lines).then(exit: 65, errors: ["the clock has gone back"])
                scenario.now = appendAt
            }
            let outcome = scenario.append(lines)
            #expect(outcome.exitCode == 0, "seed \(seed), step \(step): the append was refused: \(outcome.errors)")
            recordedTimes.append(appendAt)

            // Right after this append, the answers given just before it stand.
            for (arguments, answer, before) in given where before == appendAt && ask(arguments) != answer {
                Issue.record("seed \(seed), step \(step): \(arguments) changed after an append recorded at \(appendAt)")
            }
        }
        // After all of them, every answer ever given stands.
        for (arguments, answer, before) in given where ask(arguments) != answer {
            Issue.record("seed \(seed): \(arguments), asked before \(before), changed by the appends after it")
        }
        #expect(given.count > 300, "enough answers were compared")
        #expect(scenario.when(["verify"]).exitCode == 0)
        // Not vacuous: the appends did change what is known now.
        let first = scenario.when(["summary", "--format", "json", "--known-at", "2020-12-31"]).json?["events"]
        let last = scenario.when(["summary", "--format", "json", "--known-at", scenario.now.description]).json?["events"]
        #expect(first?.numberValue?.integerValue == 0)
        #expect((last?.numberValue?.integerValue ?? 0) > 10)
    }
}
