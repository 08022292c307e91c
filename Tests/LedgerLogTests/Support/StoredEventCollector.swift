@testable import LedgerLog

/// Keeps a copy of every line a read hands over.
struct StoredEventCollector: LogLineConsumer {
    var events: [StoredEvent] = []

    mutating func consume(_ line: LogLine) throws(LedgerError) {
        events.append(line.materialize())
    }
}
