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

    var entries: [Entry]

    static let fileName = ".ledger-journal"

    var isPending: Bool { !entries.isEmpty }

    func encoded() -> [UInt8] {
        guard isPending else { return Array("idle\n".utf8) }
        var text = "pending\n"
        for entry in entries {
            text += "\(entry.log.rawValue) \(entry.fromBytes) \(entry.toBytes) \(entry.toSeq) \(entry.head.hex)\n"
        }
        return Array(text.utf8)
    }

    static func decode(_ bytes: [UInt8], path: String) throws(LedgerError) -> AppendJournal {
        let text = String(decoding: bytes, as: UTF8.self)
        if text.isEmpty || text == "idle\n" { return AppendJournal(entries: []) }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        guard lines.first == "pending" else {
            throw .badData("\(path) is damaged (unexpected first line); if no append is running, delete it and run verify")
        }
        lines.removeFirst()
        var entries: [Entry] = []
        for line in lines {
            let fields = line.split(separator: " ")
            guard fields.count == 5, let log = LogName(rawValue: String(fields[0])),
                  let from = Int(fields[1]), let to = Int(fields[2]), let seq = Int(fields[3]),
                  let head = SHA256Digest(hex: String(fields[4])), from >= 0, to >= from else {
                throw .badData("\(path) is damaged (line \"\(line)\"); if no append is running, delete it and run verify")
            }
            entries.append(Entry(log: log, fromBytes: from, toBytes: to, toSeq: seq, head: head))
        }
        return AppendJournal(entries: entries)
    }
}
