/// The name of one append-only log in an events directory; its file is `NAME.jsonl`.
public struct LogName: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: String

    /// Lowercase ASCII letters and hyphens, 1–32 characters: safe as a file name everywhere.
    public init?(rawValue: String) {
        guard (1...32).contains(rawValue.utf8.count),
              rawValue.utf8.allSatisfy({ ($0 >= 97 && $0 <= 122) || $0 == 45 }) else { return nil }
        self.rawValue = rawValue
    }

    public var fileName: String { rawValue + ".jsonl" }
    public var description: String { rawValue }

    public static func < (left: LogName, right: LogName) -> Bool { left.rawValue < right.rawValue }
}
