/// The intent record that makes a batch all or nothing across logs and crashes.
///
/// Before writing, the writer records each touched log's length before and after, and the head
/// hash it will end on, and syncs that record. After a crash, a batch whose every log reached
/// its recorded length and head is complete and kept; any other is rolled back to the lengths
/// before. So success can be reported as soon as the logs are synced.
struct AppendJournal: Equatable {
    struct Entry: Equatable {
        var log: LogName
        var fromBytes: Int
        var toBytes: Int
        var toSeq: Int
        var head: SHA256Digest
    }

    /// A log's stamp after the last acknowledged append, recorded only when the writer had read
    /// the log as verified before appending: the log's content is then known good at that stamp.
    struct Stamp: Equatable {
        var log: LogName
        var stamp: LogStamp
    }

    var entries: [Entry]
    /// Only in an idle record.
    var stamps: [Stamp] = []

    static let fileName = ".ledger-journal"

    var isPending: Bool { !entries.isEmpty }

    /// `idle` (then, if any, a `stamp` line per log and `end`), or `pending`, one line per
    /// touched log, and `end`: a record without its `end` line was never completely written, so
    /// no log was touched on its strength and no stamp is believed.
    func encoded() -> [UInt8] {
        guard isPending else {
            guard !stamps.isEmpty else { return Array("idle\n".utf8) }
            var text = "idle\n"
            for entry in stamps { text += "stamp \(entry.log.rawValue) \(entry.stamp)\n" }
            text += "end\n"
            return Array(text.utf8)
        }
        var text = "pending\n"
        for entry in entries {
            text += "\(entry.log.rawValue) \(entry.fromBytes) \(entry.toBytes) \(entry.toSeq) \(entry.head.hex)\n"
        }
        text += "end\n"
        return Array(text.utf8)
    }

    /// Reads a journal as any interruption may have left it. The writer writes a record over the
    /// previous one and then cuts the file to its length, so the file may hold the new record
    /// followed by the rest of an older, longer one, or (when a write was cut short by a kill, a
    /// full disk or a file-size limit) only the start of the new record.
    static func decode(_ bytes: [UInt8], path: String) throws(LedgerError) -> AppendJournal {
        let idle = Array("idle\n".utf8), pending = Array("pending\n".utf8)
        if bytes.starts(with: idle) {
            return AppendJournal(entries: [], stamps: decodeStamps(bytes[idle.count...]))
        }
        // Empty, or the start of either word cut short: no batch is pending.
        if bytes.isEmpty || idle.starts(with: bytes) || pending.starts(with: bytes) {
            return AppendJournal(entries: [])
        }
        guard bytes.starts(with: pending) else {
            throw .badData("\(path) is damaged (unexpected first line); if no append is running, delete it and run verify")
        }
        var entries: [Entry] = []
        var start = pending.count
        while start < bytes.count {
            guard let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) else {
                // The record stops mid-line: it was never completely written, and the logs are
                // written only after it is, so no log holds anything of its batch.
                return AppendJournal(entries: [])
            }
            let line = String(decoding: bytes[start..<newline], as: UTF8.self)
            start = newline + 1
            if line == "end" {
                guard !entries.isEmpty else {
                    throw .badData("\(path) is damaged (a pending record without logs); if no append is running, delete it and run verify")
                }
                return AppendJournal(entries: entries)
            }
            let fields = line.split(separator: " ", omittingEmptySubsequences: false)
            guard fields.count == 5, let log = LogName(rawValue: String(fields[0])),
                  let from = Int(fields[1]), let to = Int(fields[2]), let seq = Int(fields[3]),
                  let head = SHA256Digest(hex: String(fields[4])), from >= 0, to > from, seq >= 1 else {
                throw .badData("\(path) is damaged (line \"\(line)\"); if no append is running, delete it and run verify")
            }
            entries.append(Entry(log: log, fromBytes: from, toBytes: to, toSeq: seq, head: head))
        }
        // Complete lines but no `end`: cut short at a line boundary, equally never acted on.
        return AppendJournal(entries: [])
    }

    /// The stamps after `idle`, or none unless every line is whole and `end` closes them: what
    /// follows may be the rest of an older record, and a stamp wrongly believed would let a
    /// changed log be read as verified, while one wrongly dropped only costs a full read.
    private static func decodeStamps(_ bytes: ArraySlice<UInt8>) -> [Stamp] {
        var stamps: [Stamp] = []
        var start = bytes.startIndex
        while start < bytes.endIndex, stamps.count < 256 {
            guard let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) else { return [] }
            let line = String(decoding: bytes[start..<newline], as: UTF8.self)
            start = newline + 1
            if line == "end" { return stamps }
            let fields = line.split(separator: " ", omittingEmptySubsequences: false)
            guard fields.count == 7, fields[0] == "stamp", let log = LogName(rawValue: String(fields[1])),
                  let stamp = LogStamp(fields: fields[2...]) else { return [] }
            stamps.append(Stamp(log: log, stamp: stamp))
        }
        return []
    }
}
