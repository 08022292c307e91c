/// Why the benchmark stopped, with the exit status it stops with.
enum BenchmarkFailure: Error, Sendable {
    case usage(String)
    case missingData(String)
    case inputOutput(String)

    var message: String {
        switch self {
        case .usage(let text), .missingData(let text), .inputOutput(let text): return text
        }
    }

    /// 64 usage, 66 no input (sysexits EX_NOINPUT), 74 I/O.
    var exitStatus: Int32 {
        switch self {
        case .usage: return 64
        case .missingData: return 66
        case .inputOutput: return 74
        }
    }
}
