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

    /// How long after a change a change time may still be shared by a later write, when times
    /// have nanoseconds: the kernel stamps files from a clock that ticks every 1 to 10 ms.
    public static let fineRacyWindowNanoseconds: Int64 = 20_000_000
    /// The same for a time with no fraction of a second: a file system keeping whole seconds
    /// (or two, as FAT does) gives one change time to every write within them.
    public static let coarseRacyWindowNanoseconds: Int64 = 2_020_000_000

    /// The change time as nanoseconds since the epoch; `Int64.max` when it does not fit.
    public var changedAtNanoseconds: Int64 {
        let (scaled, overflow) = changedSeconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return Int64.max }
        let (sum, carry) = scaled.addingReportingOverflow(changedNanoseconds)
        return carry ? Int64.max : sum
    }

    /// Whether this stamp, taken no earlier than `moment` (nanoseconds since the epoch on this
    /// machine's clock), proves its file unchanged while it stays the same. A write in the same
    /// tick of the file system's clock as the last change keeps the change time, so a change
    /// not strictly older than `moment` minus that tick's length is not yet proven, as version
    /// control treats a "racily clean" file: the caller verifies the file instead. The tick is
    /// judged from the stamp: with no fraction of a second the file system may keep whole
    /// seconds. Assumes the file system's clock is this machine's (a network file server whose
    /// clock lags could defeat it).
    public func isSettled(takenAfterNanoseconds moment: Int64) -> Bool {
        let window = changedNanoseconds == 0 ? LogStamp.coarseRacyWindowNanoseconds : LogStamp.fineRacyWindowNanoseconds
        let (limit, overflow) = moment.subtractingReportingOverflow(window)
        guard !overflow else { return false }
        return changedAtNanoseconds < limit
    }

    /// This machine's clock now, in nanoseconds since the epoch, the clock file times come from.
    public static func nowNanoseconds() -> Int64 {
        var now = timespec()
        guard clock_gettime(CLOCK_REALTIME, &now) == 0 else { return 0 }
        let (scaled, overflow) = Int64(now.tv_sec).multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? 0 : scaled &+ Int64(now.tv_nsec)
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
