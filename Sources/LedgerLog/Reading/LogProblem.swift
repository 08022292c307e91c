/// One thing wrong with a log, located by line.
public struct LogProblem: Sendable, Equatable, CustomStringConvertible {
    public var log: LogName
    /// 1-based line number; 0 for a problem of the log as a whole.
    public var line: Int
    public var problem: String

    public init(log: LogName, line: Int, problem: String) {
        self.log = log
        self.line = line
        self.problem = problem
    }

    public var description: String { "\(log.fileName):\(line): \(problem)" }
}

/// What reading one log established.
public struct LogSummary: Sendable, Equatable {
    public var log: LogName
    public var events: Int
    /// The last line's hash: the checkpoint an auditor writes into a report.
    public var head: SHA256Digest
    public var bytes: Int
    public var lastRecorded: Timestamp?
    /// The file's stamp, taken under the lock before the read: what a snapshot of this read
    /// remembers, so that a later read can tell the file has not changed since. Not part of
    /// equality: two copies of one log are the same log wherever their files are.
    public var stamp: LogStamp?
    /// Set when the log's tail holds an interrupted append that this read left out: what a
    /// query warns about. Not part of equality.
    public var interruption: String?

    public static func == (left: LogSummary, right: LogSummary) -> Bool {
        left.log == right.log && left.events == right.events && left.head == right.head && left.bytes == right.bytes
            && left.lastRecorded == right.lastRecorded
    }

    public init(log: LogName, events: Int = 0, head: SHA256Digest = .zero, bytes: Int = 0, lastRecorded: Timestamp? = nil) {
        self.log = log
        self.events = events
        self.head = head
        self.bytes = bytes
        self.lastRecorded = lastRecorded
    }
}
