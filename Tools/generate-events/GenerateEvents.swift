#if canImport(Glibc)
import Glibc
#endif
import IncentivesDomain
import LedgerLog

/// The generator from command line to summary: parse, prepare the directory, plan, append, verify.
enum GenerateEvents {
    static func run(_ arguments: [String]) -> Int32 {
        let options: GeneratorOptions
        do {
            options = try GeneratorOptions.parse(arguments)
        } catch {
            writeError("generate-events: \(error.message)\n\n" + GeneratorOptions.usage)
            return 64
        }
        if options.help {
            writeOutput(GeneratorOptions.usage)
            return 0
        }
        let progress: (String) -> Void = options.quiet ? { _ in } : { writeError("generate-events: \($0)\n") }
        do throws(LedgerError) {
            let started = monotonicNanoseconds()
            var enterprises = options.enterprises ?? GeneratorOptions.defaultEnterprises
            if let events = options.events {
                enterprises = try ScaleTarget.enterprises(forEvents: events, seed: options.seed, start: options.start,
                                                          years: options.years)
                progress("about \(events) events: \(enterprises) enterprises")
            }
            try OutputDirectory.prepare(options.output, force: options.force)
            let parameters = StoryParameters(seed: options.seed, start: options.start, years: options.years,
                                             enterprises: enterprises)
            var plan = DistrictStory.plan(parameters)
            EventEmitter.sortByRecorded(&plan.events)
            var wanted = plan.cases.flatMap(\.events)
            wanted += plan.events.filter { $0.kind == .eventRetracted }.map(\.subject)
            let names = EventEmitter.name(wanted, in: plan.events)
            progress("planned \(plan.events.count) events (\(seconds(since: started)) s)")
            let store = IncentiveLogs.store(directory: options.output)
            // A ledger made here has an id derived from the seed, so that the same arguments give
            // the same files; a ledger made beforehand with `incentives init` keeps its own.
            if case .manifest = try store.ledgerPresence() {} else {
                let manifest = try LedgerManifest(random: .seeded(options.seed), timeZoneOffsetMinutes: 8 * 60)
                _ = try store.createLedger(manifest)
            }
            let emitter = EventEmitter(plan: plan, batchSize: options.batchSize, progress: progress)
            _ = try emitter.append(to: store, names: names)
            let report = try store.verify()
            guard report.isValid else {
                throw LedgerError.badData("the written logs do not verify: \(report.problems.first.map { "\($0.log.fileName):\($0.line): \($0.problem)" } ?? "")")
            }
            progress("verified \(report.totalEvents) events (\(seconds(since: started)) s in all)")
            writeOutput(GenerationSummary.render(plan: plan, parameters: parameters, directory: options.output,
                                                 report: report, caseIds: names))
            return 0
        } catch {
            writeError("generate-events: \(error.message)\n")
            switch error.code {
            case .usage: return 64
            case .badData: return 65
            case .noLedger: return 66
            case .inputOutput: return 74
            }
        }
    }

    static func writeOutput(_ text: String) { send(text, to: 1) }
    static func writeError(_ text: String) { send(text, to: 2) }

    private static func send(_ text: String, to descriptor: Int32) {
        var copy = text
        copy.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { return }
                offset += written
            }
        }
    }
}

/// Seconds since `start` with one decimal, for progress messages (never written to a log).
func seconds(since start: UInt64) -> String {
    let tenths = (monotonicNanoseconds() - start) / 100_000_000
    return "\(tenths / 10).\(tenths % 10)"
}
