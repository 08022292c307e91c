/// Every measured run of one command on one dataset, and the medians the report shows.
struct CommandResult: Sendable {
    var command: MeasuredCommand
    var dataset: String
    var runs: [RunMeasurement] = []
    /// Why the command was not measured, or why it stopped (the first failed run).
    var problem: String?
    /// The end of the failed run's standard error, to say what went wrong.
    var problemDetail: String?

    var measured: [RunMeasurement] { runs.filter(\.succeeded) }
    var totalWallSeconds: Double { runs.reduce(0) { $0 + $1.wallSeconds } }
    var wallSeconds: Double? { BenchmarkStatistics.median(measured.map(\.wallSeconds)) }
    var processorSeconds: Double? { BenchmarkStatistics.median(measured.map(\.processorSeconds)) }
    /// The highest peak of the runs (not the median): the figure a memory target is held to.
    var maximumResidentBytes: Int? { measured.map(\.maximumResidentBytes).max() }
    var querySeconds: Double? { BenchmarkStatistics.median(measured.compactMap(\.reportedQuerySeconds)) }
}
