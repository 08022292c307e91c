/// An error with a stable code, a sentence saying what was wrong and where, and what to do.
public struct LedgerError: Error, Sendable, CustomStringConvertible {
    /// Stable codes: scripts may match on them. Each maps to one exit code of the command line.
    public enum Code: String, Sendable {
        /// The input or a log is invalid or was refused.
        case badData = "bad-data"
        /// The file system failed: read, write, sync, lock, space, permission.
        case inputOutput = "io"
        /// The caller asked for something malformed.
        case usage = "usage"
        /// The directory named is not a ledger (no manifest, no log): nothing to read or append to.
        case noLedger = "no-ledger"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public static func badData(_ message: String) -> LedgerError { LedgerError(.badData, message) }
    public static func inputOutput(_ message: String) -> LedgerError { LedgerError(.inputOutput, message) }
    public static func usage(_ message: String) -> LedgerError { LedgerError(.usage, message) }
    public static func noLedger(_ message: String) -> LedgerError { LedgerError(.noLedger, message) }

    public var description: String { message }
}
