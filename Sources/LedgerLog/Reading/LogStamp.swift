#if canImport(Glibc)
import Glibc
#endif

/// What the file system says of a log file: which file it is, its length, and when it last
/// changed. Every write to a file, and every change of its times, moves its change time
/// (`st_ctim`), which no ordinary call can set back. So a log whose stamp equals one taken when
/// its content was known good has not been touched since, and a verified prefix remembered from
/// then may be trusted without hashing it again. `verify` never relies on a stamp.
public struct LogStamp: Sendable, Equatable, CustomStringConvertible {
    public var device: UInt64
    public var inode: UInt64
    public var bytes: Int
    public var changedSeconds: Int64
    public var changedNanoseconds: Int64

    public init(device: UInt64, inode: UInt64, bytes: Int, changedSeconds: Int64, changedNanoseconds: Int64) {
        self.device = device
        self.inode = inode
        self.bytes = bytes
        self.changedSeconds = changedSeconds
        self.changedNanoseconds = changedNanoseconds
    }

    /// The stamp of a log file that does not exist (an empty log).
    public static let absent = LogStamp(device: 0, inode: 0, bytes: 0, changedSeconds: 0, changedNanoseconds: 0)

    init(_ status: stat) {
        self.init(device: UInt64(status.st_dev), inode: UInt64(status.st_ino), bytes: Int(status.st_size),
                  changedSeconds: Int64(status.st_ctim.tv_sec), changedNanoseconds: Int64(status.st_ctim.tv_nsec))
    }

    /// The stamp of the file at `path` now; `absent` when there is none.
    static func of(_ path: String) throws(LedgerError) -> LogStamp {
        var status = stat()
        guard path.withCString({ stat($0, &status) }) == 0 else {
            if errno == ENOENT { return .absent }
            throw systemError("cannot read the state of \(path)")
        }
        return LogStamp(status)
    }

    /// Space-separated fields, as the append journal stores them.
    public var description: String {
        "\(device) \(inode) \(bytes) \(changedSeconds) \(changedNanoseconds)"
    }

    init?(fields: ArraySlice<Substring>) {
        guard fields.count == 5 else { return nil }
        let values = Array(fields)
        guard let device = UInt64(values[0]), let inode = UInt64(values[1]), let bytes = Int(values[2]),
              let seconds = Int64(values[3]), let nanoseconds = Int64(values[4]),
              bytes >= 0, nanoseconds >= 0, nanoseconds < 1_000_000_000 else { return nil }
        self.init(device: device, inode: inode, bytes: bytes, changedSeconds: seconds, changedNanoseconds: nanoseconds)
    }
}

extension FileDescriptor {
    /// The stamp of this open file.
    func stamp() throws(LedgerError) -> LogStamp {
        var status = stat()
        guard fstat(raw, &status) == 0 else { throw systemError("cannot read the state of \(path)") }
        return LogStamp(status)
    }
}
