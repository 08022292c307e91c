import IncentivesTestSupport
import LedgerLog
import Testing

/// The independent checker (`../shared/tools/verify-chain.py`, standard-library Python that shares
/// no code with the ledger) and `incentives verify` agree on logs this build writes, intact and
/// tampered with.
@Suite("Independent checker agrees with verify",
       .enabled(if: IndependentChecker.isAvailable,
                "skipped: python3 or <repository>/../shared/tools/verify-chain.py is absent (set INCENTIVES_VERIFY_CHAIN to the script to run it)"))
struct ChainCheckerAgreementTests {
    /// Ids differ by log in length or in most characters, so that no one-byte edit turns an id
    /// of one log into an id of another (which the two checkers would report in different logs).
    static func generatedLedger(seed: UInt64) -> LedgerScenario {
        var random = SplitMix64(seed: seed)
        let scenario = LedgerScenario()
        // Control characters are refused in text (`FreeText`); the log layer's own tests write them.
        let awkward = ["江苏泰州", "\"quoted\"", "back\\slash", "slash/ed", "tab here", "line break", "\u{A0}\u{FEFF}", "😀", "\u{2028}",
                       "é", "\u{2029}", "Ω", "&<>", "   "]
        func text(_ random: inout SplitMix64) -> String {
            (0..<(1 + random.below(4))).map { _ in random.pick(awkward) }.joined()
        }
        var tiers: [String] = [], grants: [String] = [], centres: [String] = []
        var codes: [String] = []
        for index in 0..<12 {
            let code = Codes.code("91321204MA1" + String(format: "%06d", 100_000 + index))
            codes.append(code)
            tiers.append(Draft.line(String(format: "tier-event-%04d", tiers.count), "EnterpriseRegistered", effective: "2022-01-01",
                                    actor: text(&random), source: text(&random),
                                    data: "{\"enterprise\":\"\(code)\",\"name\":\(Draft.quoted(text(&random))),\"sector\":\(Draft.quoted(text(&random)))}"))
        }
        grants.append(Draft.line("grant-event-0000", "ProgrammeEstablished", effective: "2022-01-01",
                                 data: "{\"programme\":\"yz\",\"name\":\(Draft.quoted(text(&random)))}"))
        for index in 0..<40 {
            let amount = random.chance(1, in: 10) ? Int64(1_000_000_000_000) : Int64(1 + random.below(1_000_000_000))
            grants.append(Draft.line(String(format: "grant-event-%04d", grants.count), "GrantAwarded", effective: "2022-03-01",
                                     actor: text(&random), source: text(&random),
                                     data: "{\"grant\":\"G-\(index)\",\"enterprise\":\"\(random.pick(codes))\",\"programme\":\"yz\",\"amountFen\":\(amount),\"project\":\(Draft.quoted(text(&random)))}"))
            if random.chance(1, in: 2) {
                grants.append(Draft.grantAmount(String(format: "grant-event-%04d", grants.count), "GrantDisbursed", grant: "G-\(index)",
                                                amountFen: Int64(1 + random.below(100_000)), effective: "2022-04-01"))
            }
        }
        for index in 0..<8 {
            centres.append(Draft.openCentre(String(format: "centre-evt-%04d", index), centre: "C-\(index)", name: text(&random),
                                            kind: random.pick(["innovation", "offshore", "rnd"]), city: text(&random),
                                            partner: random.chance(1, in: 2) ? text(&random) : nil, effective: "2022-05-01"))
        }
        // Two batches, so that chains continue across appends.
        scenario.given(tiers + Array(grants.prefix(20)) + centres)
        scenario.given(Array(grants.dropFirst(20)))
        return scenario
    }

    static func compare(_ scenario: LedgerScenario, expectValid: Bool?, edited log: String? = nil, context: String,
                        sourceLocation: SourceLocation = #_sourceLocation) {
        let ours = scenario.when(["verify", "--format", "json"])
        guard let theirs = IndependentChecker.check(scenario.events, scenario: scenario) else {
            Issue.record("\(context): the independent checker gave no JSON", sourceLocation: sourceLocation)
            return
        }
        let oursValid = ours.value("ok")?.boolValue
        #expect(oursValid == theirs.ok, "\(context): verify says \(String(describing: oursValid)), the independent checker says \(theirs.ok)\n\(ours.output)\n\(theirs.raw)",
                sourceLocation: sourceLocation)
        #expect(ours.exitCode == (theirs.ok ? 0 : 1), sourceLocation: sourceLocation)
        if let expectValid { #expect(theirs.ok == expectValid, "\(context): \(theirs.raw)", sourceLocation: sourceLocation) }
        if theirs.ok {
            for log in ours.value("logs")?.arrayValue ?? [] {
                let name = log["log"]?.stringValue ?? ""
                #expect(log["events"]?.numberValue?.integerValue.map(Int.init) == theirs.logs[name]?.events, "\(context): \(name) count",
                        sourceLocation: sourceLocation)
                #expect(log["head"]?.stringValue == theirs.logs[name]?.head, "\(context): \(name) head", sourceLocation: sourceLocation)
            }
        } else if let log {
            let ourLines = (ours.value("problems")?.arrayValue ?? []).filter { $0["log"]?.stringValue == log }
                .compactMap { $0["line"]?.numberValue?.integerValue }.map(Int.init)
            let theirLines = theirs.problems.filter { $0.log == log }.map(\.line)
            #expect(ourLines.min() == theirLines.min(), "\(context): first problem line in \(log): ours \(ourLines), theirs \(theirLines)",
                    sourceLocation: sourceLocation)
        }
    }

    @Test("intact logs: both say ok, with the same counts and heads", arguments: [UInt64(1), 2, 3])
    func intact(seed: UInt64) {
        let scenario = Self.generatedLedger(seed: seed)
        Self.compare(scenario, expectValid: true, context: "seed \(seed)")
    }

    @Test("a byte changed anywhere: both refuse, and name the same first line")
    func editedBytes() {
        let scenario = Self.generatedLedger(seed: 7)
        var random = SplitMix64(seed: 0xED17)
        let logs = ["grants", "tiers", "centres"]
        let originals = Dictionary(uniqueKeysWithValues: logs.map { ($0, scenario.directory.readLog($0)) })
        for round in 0..<40 {
            let log = random.pick(logs)
            var bytes = originals[log]!
            let offset = random.below(bytes.count)
            var replacement = UInt8(truncatingIfNeeded: random.next())
            if replacement == bytes[offset] { replacement ^= 0x20 }
            bytes[offset] = replacement
            scenario.directory.writeLog(log, bytes)
            Self.compare(scenario, expectValid: false, edited: log, context: "round \(round): \(log) byte \(offset)")
            scenario.directory.writeLog(log, originals[log]!)
        }
        Self.compare(scenario, expectValid: true, context: "restored")
    }

    @Test("lines dropped, swapped, torn, re-ordered or duplicated: both refuse, on the same first line", arguments: [
        "drop", "swap", "torn", "reorder keys", "duplicate line", "float", "escaped slash", "recorded back",
    ])
    func structuralDamage(kind: String) {
        let scenario = Self.generatedLedger(seed: 11)
        var lines = scenario.directory.logLines("grants")
        var tail: [UInt8] = []
        switch kind {
        case "drop": lines.remove(at: 7)
        case "swap": lines.swapAt(4, 5)
        case "torn": tail = Array(lines.removeLast().utf8.prefix(40))
        case "reorder keys":
            lines[3] = lines[3].replacingOccurrences(of: "{\"actor\":", with: "{\"zz\":0,\"actor\":")
        case "duplicate line": lines.insert(lines[9], at: 10)
        case "float": lines[2] = lines[2].replacingOccurrences(of: "\"amountFen\":", with: "\"amountFen\":0.5,\"x\":")
        case "escaped slash": lines[1] = lines[1].replacingOccurrences(of: "\"programme\":\"yz\"", with: "\"programme\":\"y\\/z\"")
        default:
            // A line that claims an earlier recorded time than the one before it (the hash no longer matches either).
            lines[6] = lines[6].replacingOccurrences(of: "\"recorded\":\"2025-", with: "\"recorded\":\"2024-")
        }
        scenario.directory.writeLog("grants", Array(lines.map { $0 + "\n" }.joined().utf8) + tail)
        Self.compare(scenario, expectValid: false, edited: "grants", context: kind)
    }
}

extension IndependentChecker {
    static func check(_ directory: String, scenario: LedgerScenario) -> Verdict? {
        check(directory, scratch: scenario.directory.inputs)
    }
}
