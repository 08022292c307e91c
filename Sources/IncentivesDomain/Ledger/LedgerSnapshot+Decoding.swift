import Dispatch
import LedgerLog

extension LedgerSnapshot {
    /// No event line is shorter: room is kept for (bytes after the snapshot) / this many events.
    static let shortestEventLineBytes = 200

    /// Reads the snapshot at `path` for a store with `logs`: header, MAC, body. `bytesAfter`
    /// is asked, after the header and before the rest is checked and decoded, whether the logs
    /// still pass through the heads the snapshot remembers (throwing when not, so that a stale
    /// snapshot costs little) and how many bytes follow them: the decoded arrays get room for
    /// those events, so that adding them copies nothing. The snapshot must be of the ledger
    /// `identity` names and carry a MAC under `key`.
    static func read(path: String, key: [UInt8], identity: SHA256Digest, logs: [LogName],
                     bytesAfter: ([TailState]) throws(SnapshotRejection) -> Int) throws(SnapshotRejection) -> LedgerSnapshot {
        let file = try SnapshotFile.read(path)
        let header = try SnapshotHeader.read(file.bytes, logs: logs)
        guard header.identity == identity else { throw .otherLedger }
        let spare = try bytesAfter(header.points) / shortestEventLineBytes + 16
        // The MAC is computed on another core while the body is decoded (decoding checks every
        // field, so decoding bytes the MAC will refuse is safe); a mismatch discards the result.
        let check = MACCheck(file, key: key)
        let pending = DispatchGroup()
        pending.enter()
        DispatchQueue.global().async {
            check.run()
            pending.leave()
        }
        let decoded: Result<LedgerSnapshot, SnapshotRejection>
        do throws(SnapshotRejection) {
            decoded = .success(try decode(file, header: header, spareEvents: spare))
        } catch {
            decoded = .failure(error)
        }
        pending.wait()
        guard check.matches else { throw .damaged }
        return try decoded.get()
    }

    /// Decodes snapshot bytes without their MAC: for the fuzzer and tests, which must reach the
    /// decoder with any bytes. Whatever the bytes, this returns a snapshot whose every field is
    /// in range, or throws; it never traps.
    static func decodeUnauthenticated(_ bytes: [UInt8], logs: [LogName]) throws(SnapshotRejection) -> LedgerSnapshot {
        let file = SnapshotBuffer(count: bytes.count)
        bytes.withUnsafeBytes { source in
            if let target = file.mutableBytes.baseAddress, let from = source.baseAddress {
                target.copyMemory(from: from, byteCount: source.count)
            }
        }
        let header = try SnapshotHeader.read(file.bytes, logs: logs)
        return try decode(file, header: header, spareEvents: 0)
    }

    private static func decode(_ file: SnapshotBuffer, header: SnapshotHeader, spareEvents spare: Int) throws(SnapshotRejection) -> LedgerSnapshot {
        var identifiers: Range<Int> = 0..<0
        let ledger = try decodeBody(file.bytes, header: header, spareEvents: spare, identifiers: &identifiers)
        return LedgerSnapshot(points: header.points, stampsTakenAfterNanoseconds: header.stampsTakenAfterNanoseconds,
                              ledger: ledger,
                              identifiers: try SnapshotIdentifierIndex(file: file, range: identifiers, events: ledger.count))
    }

    /// The MAC of a snapshot, computed by one thread and read after it finished.
    private final class MACCheck: @unchecked Sendable {
        let file: SnapshotBuffer
        let key: [UInt8]
        var matches = false

        init(_ file: SnapshotBuffer, key: [UInt8]) {
            self.file = file
            self.key = key
        }

        func run() { matches = SnapshotHeader.macMatches(file.bytes, key: key) }
    }

    /// Decodes the body in bulk: arrays are copied whole, events decoded from fixed records
    /// into storage allocated once. Every index is range-checked and the replay order is proved
    /// to be the sorted order of the events, so even a file that passes the MAC but was not
    /// written by us cannot make a later step read out of bounds.
    /// `identifiers` is set to where the ids' fingerprints lie, which are used in place.
    static func decodeBody(_ bytes: UnsafeRawBufferPointer, header: SnapshotHeader, spareEvents spare: Int,
                           identifiers: inout Range<Int>) throws(SnapshotRejection) -> Ledger {
        precondition(spare >= 0, "room for events is not negative")
        var reader = SnapshotByteReader(bytes, at: header.bodyOffset)
        let count = try reader.readCount(elementBytes: SnapshotEventRecord.size, what: "events")
        guard count == header.logs.reduce(0, { $0 + $1.events }) else { throw .malformed("its event count disagrees with its logs") }
        let records = try reader.readBytes(count * SnapshotEventRecord.size)
        let idEnds = try reader.readArray(UInt32.self, what: "event ids", spare: spare)
        let idBytes = try reader.readArray(UInt8.self, what: "event id bytes", spare: spare * 32)
        identifiers = try reader.arrayRange(UInt64.self, what: "id fingerprints")
        let replayOrder = try reader.readArray(Int32.self, what: "replay order")
        func interner<Index>() throws(SnapshotRejection) -> Interner<Index> {
            let arena = try reader.readArray(UInt8.self, what: "names")
            let offsets = try reader.readArray(Int.self, what: "name offsets")
            let slots = try reader.readArray(UInt64.self, what: "name table")
            return try Interner(snapshotArena: arena, offsets: offsets, slots: slots)
        }
        var ledger = Ledger()
        ledger.programmes = try interner()
        ledger.grants = try interner()
        ledger.enterprises = try interner()
        ledger.centres = try interner()
        ledger.texts = try interner()
        guard reader.remaining == 0 else { throw .malformed("it has bytes after its last section") }

        ledger.eventIds = try EventIdentifiers(snapshotArena: idBytes, ends: idEnds, count: count)
        let bounds = SnapshotEventRecord.Bounds(
            programmes: Int32(ledger.programmes.count), grants: Int32(ledger.grants.count),
            enterprises: Int32(ledger.enterprises.count), centres: Int32(ledger.centres.count), texts: Int32(ledger.texts.count))
        var retractedAt = [Timestamp](unsafeUninitializedCapacity: count + spare) { times, initialized in
            if let base = times.baseAddress {
                adviseHugePages(UnsafeMutableRawPointer(base), byteCount: count * MemoryLayout<Timestamp>.stride)
                base.initialize(repeating: .never, count: count)
            }
            initialized = count
        }
        var failedAt: Int? = nil
        ledger.events = [DomainEvent](unsafeUninitializedCapacity: count + spare) { events, initialized in
            initialized = 0
            if let base = events.baseAddress {
                adviseHugePages(UnsafeMutableRawPointer(base), byteCount: count * MemoryLayout<DomainEvent>.stride)
            }
            var index = 0
            for (rank, summary) in header.logs.enumerated() {
                let logStart = index
                var previousRecorded = Int64.min
                for position in 0..<summary.events {
                    guard let recordBase = records.baseAddress, let eventBase = events.baseAddress,
                          let event = SnapshotEventRecord.read(
                            recordBase + index * SnapshotEventRecord.size, index: index, logStart: logStart,
                            seq: Int32(position + 1), logRank: UInt8(rank), bounds: bounds),
                          event.recorded.secondsSinceEpoch >= previousRecorded else {
                        failedAt = index
                        return
                    }
                    // As a verified read finds them: recorded never goes back within a log, and
                    // the log's last recorded time is its last event's.
                    previousRecorded = event.recorded.secondsSinceEpoch
                    if position == summary.events - 1, event.recorded != summary.lastRecorded {
                        failedAt = index
                        return
                    }
                    (eventBase + index).initialize(to: event)
                    initialized += 1
                    if case .eventRetracted(let target?, _) = event.payload, target.offset < index,
                       event.recorded < retractedAt[target] {
                        retractedAt[target] = event.recorded
                    }
                    index += 1
                }
            }
        }
        if let failedAt { throw .malformed("event \(failedAt) has a field out of range") }
        guard ledger.events.count == count else { throw .malformed("its events could not be decoded") }
        ledger.retractedAt = retractedAt
        try checkReplayOrder(replayOrder, of: ledger.events)
        ledger.replayOrder = replayOrder
        ledger.logs = header.logs
        return ledger
    }

    /// The replay order must list every event once, in ascending (replay key, index): strictly
    /// rising keys over in-range indexes prove both, in one pass.
    static func checkReplayOrder(_ order: [Int32], of events: [DomainEvent]) throws(SnapshotRejection) {
        guard order.count == events.count else { throw .malformed("its replay order does not list every event") }
        var previous: UInt128? = nil
        for value in order {
            guard value >= 0, Int(value) < events.count else { throw .malformed("its replay order names a missing event") }
            let key = Ledger.replayKey(events[Int(value)]) << 32 | UInt128(UInt32(value))
            if let previous, key <= previous { throw .malformed("its replay order is not sorted") }
            previous = key
        }
    }
}
