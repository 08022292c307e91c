/// The command line of `benchmark`. run.sh fills it in; it can also be run by hand.
struct BenchmarkOptions: Sendable {
    var work = "Tools/benchmark/work"
    var scripts = "Tools/benchmark"
    var sizes = ["100k", "1m", "10m"]
    var runs = 5
    var incentives = ".build/release/incentives"
    var python: String? = nil
    var hledger: String? = nil
    var ledger: String? = nil
    var budgetSeconds = 120
    var timeoutSeconds = 900
    var memoryLimitMegabytes = 8_192
    var singleAppends = 1_000
    var batchAppends = 100
    var appends = true
    var appendsOnly = false
    var afterAppends = true
    var afterAppendsOnly = false
    var json = false
    var help = false

    static let batchEvents = 1_000

    /// What the benchmark measures, in the order it measures it.
    enum Step: Equatable, Sendable {
        /// Every question on every dataset, incentives and its peers.
        case queries
        /// Appends in a row to a copy of each dataset's logs, and the queries after (`AfterAppendBenchmark`).
        case afterAppends
        /// Durable appends in this process (`AppendBenchmark`).
        case appends
    }

    /// The steps these options ask for, in order. The measurement after appends comes before the
    /// appends measured in this process: a child's peak memory counts this process's own at the
    /// moment it is started (the kernel carries the spawning process's high-water mark over the
    /// exec), and those appends leave it at over 100 MB.
    var steps: [Step] {
        var steps: [Step] = []
        if !afterAppendsOnly && !sizes.isEmpty { steps.append(.queries) }
        if afterAppends { steps.append(.afterAppends) }
        if appends { steps.append(.appends) }
        return steps
    }

    static let usage = """
        usage: benchmark [--work DIR] [--scripts DIR] [--sizes 100k,1m,10m] [--runs N] [--incentives PATH]
                         [--python PATH] [--hledger PATH] [--ledger PATH] [--budget SECONDS]
                         [--timeout SECONDS] [--memory-limit MB] [--single-appends N]
                         [--batch-appends N] [--no-appends | --appends-only]
                         [--no-after-appends | --after-appends-only] [--json]

        Measures `incentives` and its peers on the logs that Tools/benchmark/run.sh generated in
        WORK/SIZE/events (and the journal it exported to WORK/SIZE/grants.journal), and the
        durable append rate in a scratch directory under WORK. Prints a Markdown report, or JSON.
        Use Tools/benchmark/run.sh: it builds, installs the peers, generates the data and runs this.

          --work DIR          where the data is (default Tools/benchmark/work)
          --scripts DIR       where duckdb_query.py is (default Tools/benchmark)
          --sizes LIST        dataset sizes, comma-separated (default 100k,1m,10m)
          --runs N            measured runs of each command, 1 to 99 (default 5); the median is reported
          --incentives PATH   the release binary (default .build/release/incentives)
          --python PATH       a Python that can import duckdb; without it DuckDB is "not installed"
          --hledger PATH      hledger; without it, "not installed"
          --ledger PATH       ledger-cli; without it, "not installed"
          --budget SECONDS    stop repeating a command once its runs took this long (default 120);
                              it always runs once
          --timeout SECONDS   stop one run after this long (default 900)
          --memory-limit MB   stop one run whose resident memory passes this (default 8192)
          --single-appends N  appends of one event, each synced (default 1000; 1 to 100000)
          --batch-appends N   appends of 1,000 events (default 100; 1 to 10000), then a quarter
                              as many (at least one) of 10,000
          --no-appends        skip the append measurements
          --appends-only      measure only the appends (no data needed)
          --no-after-appends  skip the appends in a row to a copy of each dataset's logs and the
                              queries after them (each step once; the copy takes the dataset's size)
          --after-appends-only  measure only those
          --json              JSON instead of Markdown

        Exit status: 0 measured (failed commands are reported in the table), 64 bad usage,
        66 data missing, 74 file system error.

        """

    static func parse(_ arguments: [String]) -> Result<BenchmarkOptions, BenchmarkFailure> {
        var options = BenchmarkOptions()
        var index = 0
        var seen: [String] = []
        func value(_ name: String) -> String? {
            guard index < arguments.count else { return nil }
            index += 1
            return arguments[index - 1]
        }
        func integer(_ name: String, _ range: ClosedRange<Int>) -> Result<Int, BenchmarkFailure> {
            guard let text = value(name) else { return .failure(.usage("\(name) needs a value")) }
            guard let number = Int(text), range.contains(number) else {
                return .failure(.usage("\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), got \"\(text)\""))
            }
            return .success(number)
        }
        func text(_ name: String) -> Result<String, BenchmarkFailure> {
            guard let text = value(name), !text.isEmpty else { return .failure(.usage("\(name) needs a value")) }
            return .success(text)
        }
        while index < arguments.count {
            let name = arguments[index]
            index += 1
            if seen.contains(name) { return .failure(.usage("\(name) is given twice")) }
            seen.append(name)
            do {
                switch name {
                case "--help", "-h": options.help = true
                case "--work": options.work = try text(name).get()
                case "--sizes":
                    let list = try text(name).get().split(separator: ",").map(String.init)
                    for size in list where Dataset.parseSize(size) == nil {
                        return .failure(.usage("--sizes: \"\(size)\" is not a number of events like 100k, 1m or 10m"))
                    }
                    guard !list.isEmpty, Set(list).count == list.count else {
                        return .failure(.usage("--sizes needs distinct sizes, like 100k,1m"))
                    }
                    options.sizes = list
                case "--runs": options.runs = try integer(name, 1...99).get()
                case "--scripts": options.scripts = try text(name).get()
                case "--incentives": options.incentives = try text(name).get()
                case "--python": options.python = try text(name).get()
                case "--hledger": options.hledger = try text(name).get()
                case "--ledger": options.ledger = try text(name).get()
                case "--budget": options.budgetSeconds = try integer(name, 1...86_400).get()
                case "--timeout": options.timeoutSeconds = try integer(name, 1...86_400).get()
                case "--memory-limit": options.memoryLimitMegabytes = try integer(name, 64...1_048_576).get()
                case "--single-appends": options.singleAppends = try integer(name, 1...100_000).get()
                case "--batch-appends": options.batchAppends = try integer(name, 1...10_000).get()
                case "--no-appends": options.appends = false
                case "--appends-only": options.appendsOnly = true
                case "--no-after-appends": options.afterAppends = false
                case "--after-appends-only": options.afterAppendsOnly = true
                case "--json": options.json = true
                default: return .failure(.usage("unknown option \(name); see benchmark --help"))
                }
            } catch {
                return .failure(error)
            }
        }
        if options.appendsOnly {
            guard options.appends else { return .failure(.usage("--appends-only and --no-appends exclude each other")) }
            guard !options.afterAppendsOnly else { return .failure(.usage("--appends-only and --after-appends-only exclude each other")) }
            options.sizes = []
            options.afterAppends = false
        }
        if options.afterAppendsOnly {
            guard options.afterAppends else {
                return .failure(.usage("--after-appends-only and --no-after-appends exclude each other"))
            }
            options.appends = false
        }
        return .success(options)
    }
}
