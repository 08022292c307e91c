/// The intent record that makes a batch all or nothing across logs and crashes.
///
/// Before writing, the writer records each log's acknowledged state (length, seq and head hash)
/// and, for each log it touches, the length, seq and head it will end on, and syncs that record.
/// After a crash, a batch whose every log reached its recorded length and head is complete and
/// kept; any other is rolled back to the acknowledged lengths, but only where the log still ends
/// there on the recorded head, and only after the bytes removed were copied to quarantine. After
/// each append the record becomes idle and names every log's acknowledged state: damage inside
/// it is never repaired. So success can be reported as soon as the logs are synced.
struct AppendJournal: Equatable {
    /// Where a log's chain stands at a length: the line ending there has this seq and hash.
    struct Point: Equatable {
        var log: LogName
        var bytes: Int
        var seq: Int
        var head: SHA256Digest
    }

    struct Entry: Equatable {
        var log: LogName
        var fromBytes: Int
        var toBytes: Int
        var toSeq: Int
        var head: SHA256Digest
        /// The seq and head at `fromBytes` (format 2): a rollback happens only if the log still
        /// ends a line there with them. Nil in a format 1 record, which did not say.
        var fromSeq: Int? = nil
        var fromHead: SHA256Digest? = nil
    }

    /// A log's stamp after the last acknowledged append, recorded only when the writer had read
    /// the log as verified before appending: the log's content is then known good at that stamp.
    struct Stamp: Equatable {
        var log: LogName
        var stamp: LogStamp
    }

    var entries: [Entry]
    /// Every log's acknowledged state (format 2): in an idle record, after the last append; in a
    /// pending one, before its batch. Empty when unknown (a format 1 record, or one cut short).
    var committed: [Point] = []
    /// Only in an idle record.
    var stamps: [Stamp] = []
    /// 1 for records of earlier builds (`idle` / `pending` first lines), else 2.
    var version = AppendJournal.currentVersion

    static let fileName = ".ledger-journal"
    static let currentVersion = 2
    /// More logs than any store has: a bound on what a damaged record can make us read.
    static let maximumLines = 256

    private static let idleHeader = Array("ledger-journal 2 idle\n".utf8)
    private static let pendingHeader = Array("ledger-journal 2 pending\n".utf8)
    private static let legacyIdle = Array("idle\n".utf8)
    private static let legacyPending = Array("pending\n".utf8)

    var isPending: Bool { !entries.isEmpty }

    /// The acknowledged state of `log`, when the record says it.
    func committed(_ log: LogName) -> Point? { committed.first { $0.log == log } }

    /// `ledger-journal 2 idle`, a `committed LOG BYTES SEQ HEAD` line per log, a `stamp` line per
    /// log known good, and `end CHECKSUM`; or `ledger-journal 2 pending`, the `committed` lines, a
    /// `batch LOG BYTES SEQ HEAD` line per touched log (where it will end), and `end CHECKSUM`.
    /// A record without its end line, or whose checksum does not match, was never completely
    /// written, so no log was touched on its strength and nothing in it is believed.
    func encoded() -> [UInt8] {
        var text = String(decoding: isPending ? Self.pendingHeader : Self.idleHeader, as: UTF8.self)
        var committed = self.committed
        for entry in entries where self.committed(entry.log) == nil {
            guard let seq = entry.fromSeq, let head = entry.fromHead else {
                preconditionFailure("a batch says where its log was acknowledged")
            }
            committed.append(Point(log: entry.log, bytes: entry.fromBytes, seq: seq, head: head))
        }
        for point in committed {
            text += "committed \(point.log.rawValue) \(point.bytes) \(point.seq) \(point.head.hex)\n"
        }
        if isPending {
            for entry in entries {
                precondition(committed.first { $0.log == entry.log }?.bytes == entry.fromBytes,
                             "a batch starts where its log is acknowledged")
                text += "batch \(entry.log.rawValue) \(entry.toBytes) \(entry.toSeq) \(entry.head.hex)\n"
            }
        } else {
            for entry in stamps { text += "stamp \(entry.log.rawValue) \(entry.stamp)\n" }
        }
        var bytes = Array(text.utf8)
        bytes += Array("end \(Self.checksum(bytes[...]))\n".utf8)
        return bytes
    }

    /// The first 16 hex digits of the SHA-256 of a record's bytes before its end line: a record
    /// whose start was written over the rest of an older one (a torn write) does not match it.
    static func checksum(_ bytes: ArraySlice<UInt8>) -> String {
        String(SHA256.hash(Array(bytes)).hex.prefix(16))
    }

    /// Reads a journal as any interruption may have left it. The writer writes a record over the
    /// previous one and then cuts the file to its length, so the file may hold the new record
    /// followed by the rest of an older, longer one, or (when a write was cut short by a kill, a
    /// full disk or a file-size limit) only the start of the new record. Records of format 1
    /// (no acknowledged states, no heads to roll back to) are still read.
    static func decode(_ bytes: [UInt8], path: String) throws(LedgerError) -> AppendJournal {
        if bytes.starts(with: idleHeader) { return decodeIdle(bytes[idleHeader.count...], record: bytes) }
        if bytes.starts(with: pendingHeader) {
            return try decodePending(bytes[pendingHeader.count...], record: bytes, path: path)
        }
        if bytes.starts(with: legacyIdle) {
            return AppendJournal(entries: [], stamps: decodeLegacyStamps(bytes[legacyIdle.count...]), version: 1)
        }
        // Empty, or the start of any first line cut short: no batch is pending.
        if bytes.isEmpty || [idleHeader, pendingHeader, legacyIdle, legacyPending].contains(where: { $0.starts(with: bytes) }) {
            return AppendJournal(entries: [])
        }
        if bytes.starts(with: Array("ledger-journal ".utf8)) {
            throw .badData("\(path) was written in a journal format this build does not know; use the build that wrote it, or if no append is running, move it aside and run verify")
        }
        guard bytes.starts(with: legacyPending) else {
            throw .badData("\(path) is damaged (unexpected first line); if no append is running, move it aside and run verify")
        }
        return try decodeLegacyPending(bytes[legacyPending.count...], path: path)
    }

    /// The whole lines up to `end`, and whether `end` was reached (false: the record was cut short).
    /// With `record` (format 2), the end line must be `end CHECKSUM` of the record's bytes before it.
    private static func lines(_ bytes: ArraySlice<UInt8>, record: [UInt8]? = nil) -> (lines: [String], ended: Bool) {
        var lines: [String] = []
        var start = bytes.startIndex
        while start < bytes.endIndex, lines.count <= maximumLines {
            guard let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) else { break }
            let line = String(decoding: bytes[start..<newline], as: UTF8.self)
            if let record {
                if line.hasPrefix("end ") {
                    return (lines, line == "end " + checksum(record[0..<start]))
                }
            } else if line == "end" {
                return (lines, true)
            }
            start = newline + 1
            lines.append(line)
        }
        return (lines, false)
    }

    private static func point(_ fields: [Substring]) -> Point? {
        guard fields.count == 5, let log = LogName(rawValue: String(fields[1])), let bytes = Int(fields[2]),
              let seq = Int(fields[3]), let head = SHA256Digest(hex: String(fields[4])),
              bytes >= 0, seq >= 0, (bytes == 0) == (seq == 0), bytes > 0 || head == .zero else { return nil }
        return Point(log: log, bytes: bytes, seq: seq, head: head)
    }

    /// An idle record: nothing in it is believed unless every line is whole and `end` closes
    /// them, as what follows may be the rest of an older record. A state or stamp wrongly
    /// believed could hide a change; one wrongly dropped only costs a check or a full read.
    private static func decodeIdle(_ bytes: ArraySlice<UInt8>, record: [UInt8]) -> AppendJournal {
        let unknown = AppendJournal(entries: [])
        let (lines, ended) = lines(bytes, record: record)
        guard ended else { return unknown }
        var journal = unknown
        for line in lines {
            let fields = line.split(separator: " ", omittingEmptySubsequences: false)
            if fields.first == "committed", let point = point(fields), journal.committed(point.log) == nil {
                journal.committed.append(point)
            } else if fields.count == 7, fields[0] == "stamp", let log = LogName(rawValue: String(fields[1])),
                      let stamp = LogStamp(fields: fields[2...]) {
                journal.stamps.append(Stamp(log: log, stamp: stamp))
            } else {
                return unknown
            }
        }
        return journal
    }

    private static func decodePending(_ bytes: ArraySlice<UInt8>, record: [UInt8],
                                      path: String) throws(LedgerError) -> AppendJournal {
        let (lines, ended) = lines(bytes, record: record)
        // Stopped before its end line: never completely written (a power cut may leave its start
        // over the rest of the record it replaced), and the logs are written only after it is, so
        // no log holds anything of its batch.
        guard ended else { return AppendJournal(entries: []) }
        var journal = AppendJournal(entries: [])
        var targets: [Point] = []
        for line in lines {
            let fields = line.split(separator: " ", omittingEmptySubsequences: false)
            if fields.first == "committed", let point = point(fields), journal.committed(point.log) == nil {
                journal.committed.append(point)
            } else if fields.first == "batch", let point = point(fields), point.bytes > 0,
                      !targets.contains(where: { $0.log == point.log }) {
                targets.append(point)
            } else {
                throw .badData("\(path) is damaged (line \"\(line)\"); if no append is running, move it aside and run verify")
            }
        }
        for target in targets {
            guard let from = journal.committed(target.log), target.bytes > from.bytes, target.seq > from.seq else {
                throw .badData("\(path) is damaged (the batch of \(target.log.fileName) does not start at an acknowledged state before its end); if no append is running, move it aside and run verify")
            }
            journal.entries.append(Entry(log: target.log, fromBytes: from.bytes, toBytes: target.bytes, toSeq: target.seq,
                                         head: target.head, fromSeq: from.seq, fromHead: from.head))
        }
        guard journal.isPending else {
            throw .badData("\(path) is damaged (a pending record without logs); if no append is running, move it aside and run verify")
        }
        return journal
    }

    /// A format 1 pending record: `LOG FROM TO SEQ HEAD` lines and `end`.
    private static func decodeLegacyPending(_ bytes: ArraySlice<UInt8>, path: String) throws(LedgerError) -> AppendJournal {
        let (lines, ended) = lines(bytes)
        var entries: [Entry] = []
        for line in lines {
            let fields = line.split(separator: " ", omittingEmptySubsequences: false)
            guard fields.count == 5, let log = LogName(rawValue: String(fields[0])),
                  let from = Int(fields[1]), let to = Int(fields[2]), let seq = Int(fields[3]),
                  let head = SHA256Digest(hex: String(fields[4])), from >= 0, to > from, seq >= 1 else {
                throw .badData("\(path) is damaged (line \"\(line)\"); if no append is running, move it aside and run verify")
            }
            entries.append(Entry(log: log, fromBytes: from, toBytes: to, toSeq: seq, head: head))
        }
        guard ended else { return AppendJournal(entries: []) }
        guard !entries.isEmpty else {
            throw .badData("\(path) is damaged (a pending record without logs); if no append is running, move it aside and run verify")
        }
        return AppendJournal(entries: entries, version: 1)
    }

    /// The stamps after a format 1 `idle`, or none unless every line is whole and `end` closes them.
    private static func decodeLegacyStamps(_ bytes: ArraySlice<UInt8>) -> [Stamp] {
        let (lines, ended) = lines(bytes)
        guard ended else { return [] }
        var stamps: [Stamp] = []
        for line in lines {
            let fields = line.split(separator: " ", omittingEmptySubsequences: false)
            guard fields.count == 7, fields[0] == "stamp", let log = LogName(rawValue: String(fields[1])),
                  let stamp = LogStamp(fields: fields[2...]) else { return [] }
            stamps.append(Stamp(log: log, stamp: stamp))
        }
        return stamps
    }
}
