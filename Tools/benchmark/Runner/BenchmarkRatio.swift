/// One side-by-side comparison on the same data and question: how many times longer the peer
/// took than incentives (above 1, incentives is faster).
struct BenchmarkRatio: Sendable {
    var dataset: String
    var question: MeasuredCommand.Question
    var ours: MeasuredCommand.Tool
    var peer: String
    var ratio: Double?

    /// The comparisons the issues set targets for, from one dataset's results.
    static func all(in results: [CommandResult], dataset: String) -> [BenchmarkRatio] {
        func result(_ question: MeasuredCommand.Question, _ tool: MeasuredCommand.Tool) -> CommandResult? {
            results.first { $0.dataset == dataset && $0.command.question == question && $0.command.tool == tool }
        }
        var ratios: [BenchmarkRatio] = []
        for question in [MeasuredCommand.Question.perEnterprise, .perYear] {
            for ours in [MeasuredCommand.Tool.incentivesCold, .incentivesWarm] {
                guard let mine = result(question, ours)?.wallSeconds else { continue }
                for peer in [MeasuredCommand.Tool.duckdbGiven, .duckdbAuto, .hledger, .ledger] {
                    guard let theirs = result(question, peer) else { continue }
                    ratios.append(BenchmarkRatio(dataset: dataset, question: question, ours: ours, peer: peer.rawValue,
                                                 ratio: BenchmarkStatistics.speedup(peerSeconds: theirs.wallSeconds, oursSeconds: mine)))
                    if peer == .duckdbGiven, let query = theirs.querySeconds {
                        ratios.append(BenchmarkRatio(dataset: dataset, question: question, ours: ours,
                                                     peer: peer.rawValue + " (query only, no Python start)",
                                                     ratio: BenchmarkStatistics.speedup(peerSeconds: query, oursSeconds: mine)))
                    }
                }
            }
        }
        // The floor: how far verify is from merely hashing the same bytes (below 1: slower).
        if let verify = result(.verify, .incentivesCold)?.wallSeconds {
            for floor in [MeasuredCommand.Tool.sha256sum, .cat] {
                ratios.append(BenchmarkRatio(dataset: dataset, question: .verify, ours: .incentivesCold, peer: floor.rawValue,
                                             ratio: BenchmarkStatistics.speedup(peerSeconds: result(.floor, floor)?.wallSeconds, oursSeconds: verify)))
            }
        }
        return ratios
    }
}
