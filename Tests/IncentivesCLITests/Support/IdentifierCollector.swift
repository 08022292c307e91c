import LedgerLog

/// The ids of every line read, in log order.
struct IdentifierCollector: LogLineConsumer {
    var ids: [String] = []
    mutating func consume(_ line: LogLine) throws(LedgerError) { ids.append(line.id) }
}
