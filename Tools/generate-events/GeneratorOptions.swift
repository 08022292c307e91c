import LedgerLog

/// The command line of `generate-events`.
struct GeneratorOptions {
    var output: String = ""
    var force = false
    var seed: UInt64 = 321_204
    var start = CalendarDate(year: 2021, month: 1, day: 1)!
    var years = 3
    var enterprises: Int? = nil
    var events: Int? = nil
    var batchSize = 10_000
    var quiet = false
    var help = false

    static let defaultEnterprises = 300
    static let minimumEvents = 5_000
    /// About what the most enterprises make over three years (longer stories reach it sooner).
    static let maximumEvents = 12_000_000

    static let usage = """
        usage: generate-events --output DIR [--force] [--seed N] [--start YYYY-01-01] [--years N]
                               [--enterprises N | --events N] [--batch N] [--quiet]

        Writes the illustrative Jiangyan district story (fictional data, not official records) into
        DIR/tiers.jsonl, DIR/centres.jsonl and DIR/grants.jsonl through the ledger's append path.
        The same arguments give byte-identical logs on every machine.

          --output DIR       the events directory; created if missing (its parent must exist)
          --force            replace the three logs (and the lock file) if DIR already holds events;
                             other files in DIR are left alone
          --seed N           the story's seed, 0 to 18446744073709551615 (default 321204)
          --start DATE       the first day, a 1 January (default 2021-01-01): the story runs in
                             budget years, which are calendar years
          --years N          budget years, 3 to 20 (default 3); the last one is reported through
                             30 September, so the defaults cover 2021-01-01 to 2023-09-30
          --enterprises N    enterprises in the plan, 60 to 1500000 (default 300)
          --events N         about N events instead (5000 to 12000000, for benchmarks): sizes the
                             number of enterprises, and with it grants and payments, to N
          --batch N          drafts per append, 1 to 1000000 (default 10000); each batch is one
                             all-or-nothing, synced append
          --quiet            no progress on standard error

        Progress goes to standard error, the summary (events and head of each log, awards by
        year, the deliberate audit cases and their event ids) to standard output.
        Exit status: 0 written, 64 bad usage or DIR holds events, 65 refused data (a bug),
        74 file system error.

        """

    static func parse(_ arguments: [String]) throws(LedgerError) -> GeneratorOptions {
        var options = GeneratorOptions()
        var seen: [String] = []
        var index = 0
        func value(_ name: String, _ inline: String?) throws(LedgerError) -> String {
            if let inline { return inline }
            guard index < arguments.count else { throw .usage("\(name) needs a value") }
            index += 1
            return arguments[index - 1]
        }
        func integer(_ name: String, _ text: String, _ range: ClosedRange<Int>) throws(LedgerError) -> Int {
            guard let number = Int(text), range.contains(number) else {
                throw .usage("\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), got \"\(text)\"")
            }
            return number
        }
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            var name = argument
            var inline: String? = nil
            if let equals = argument.firstIndex(of: "="), argument.hasPrefix("--") {
                name = String(argument[..<equals])
                inline = String(argument[argument.index(after: equals)...])
            }
            if seen.contains(name) { throw .usage("\(name) is given twice") }
            seen.append(name)
            switch name {
            case "--help", "-h": options.help = true
            case "--force": options.force = true
            case "--quiet": options.quiet = true
            case "--output":
                options.output = try value(name, inline)
                guard !options.output.isEmpty else { throw .usage("--output needs a directory") }
            case "--seed":
                let text = try value(name, inline)
                guard let seed = UInt64(text) else {
                    throw .usage("--seed must be a whole number from 0 to 18446744073709551615, got \"\(text)\"")
                }
                options.seed = seed
            case "--start":
                let text = try value(name, inline)
                guard let date = CalendarDate(parsing: text) else {
                    throw .usage("--start must be a real date in the form YYYY-MM-DD, got \"\(text)\"")
                }
                let (year, month, day) = date.components
                guard month == 1 && day == 1 else {
                    throw .usage("--start must be a 1 January (the story runs in budget years, which are calendar years), got \(text)")
                }
                guard (1990...2900).contains(year) else { throw .usage("--start must be a year from 1990 to 2900, got \(year)") }
                options.start = date
            case "--years":
                options.years = try integer(name, try value(name, inline), DistrictStory.minimumYears...DistrictStory.maximumYears)
            case "--enterprises":
                options.enterprises = try integer(name, try value(name, inline),
                                                  DistrictStory.minimumEnterprises...DistrictStory.maximumEnterprises)
            case "--events":
                options.events = try integer(name, try value(name, inline), minimumEvents...maximumEvents)
            case "--batch":
                options.batchSize = try integer(name, try value(name, inline), 1...EventWriter.maximumBatchEvents)
            default:
                throw .usage(argument.hasPrefix("-") ? "unknown option \(name)" : "unexpected argument \"\(argument)\"")
            }
            if inline != nil && ["--help", "-h", "--force", "--quiet"].contains(name) {
                throw .usage("\(name) takes no value")
            }
        }
        if options.help { return options }
        guard !options.output.isEmpty else { throw .usage("--output DIR is required: where to write the logs") }
        if options.enterprises != nil && options.events != nil {
            throw .usage("--enterprises and --events both size the story; give one of them")
        }
        return options
    }
}
