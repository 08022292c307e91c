/// One run of one command: times from the kernel's accounting of the child, not from its own say.
struct RunMeasurement: Sendable {
    enum Termination: Sendable, Equatable {
        case exited(Int32)
        case signalled(Int32)
        /// Killed by the runner after this many seconds.
        case timedOut(Int)
        /// Killed by the runner when its resident memory passed this many bytes.
        case overMemory(Int)
    }

    var wallNanoseconds: UInt64
    var userNanoseconds: UInt64
    var systemNanoseconds: UInt64
    var maximumResidentBytes: Int
    var termination: Termination
    /// What the command says it spent on the question alone (DuckDB without the interpreter), if it says.
    var reportedQuerySeconds: Double?

    var succeeded: Bool { termination == .exited(0) }
    var wallSeconds: Double { Double(wallNanoseconds) / 1e9 }
    var processorSeconds: Double { Double(userNanoseconds + systemNanoseconds) / 1e9 }

    var failureDescription: String? {
        switch termination {
        case .exited(0): return nil
        case .exited(let code): return "exit status \(code)"
        case .signalled(let signal): return "killed by signal \(signal)"
        case .timedOut(let seconds): return "stopped after \(seconds) s (--timeout)"
        case .overMemory(let bytes): return "stopped above \(bytes >> 20) MB of memory (--memory-limit)"
        }
    }
}
