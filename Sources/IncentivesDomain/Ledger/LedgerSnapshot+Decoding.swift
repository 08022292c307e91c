import Dispatch
import LedgerLog

extension LedgerSnapshot {
    /// No event line is shorter: room is kept for (bytes after the snapshot) / this many events.
    static let shortestEventLineBytes = 200

    /// Reads the snapshot at `path` for a store with `logs`: header, checksum, body. `bytesAfter`
    /// is asked, after the header and before the rest is checked and decoded, whether the logs
    /// still pass through the heads the snapshot remembers (throwing when not, so that a stale
    /// snapshot costs little) and how many bytes follow them: the decoded arrays get room for
    /// those events, so that adding them copies nothing.
    static func read(path: String, logs: [LogName],
                     bytesAfter: ([TailState]) throws(SnapshotRejection) -> Int) throws(SnapshotRejection) -> LedgerSnapshot {
        let file = try SnapshotFile.read(path)
        let header = try SnapshotHeader.read(file.bytes, logs: logs)
        let spare = try bytesAfter(header.points) / shortestEventLineBytes + 16
        // The checksum is computed on another core while the body is decoded (every read of the
        // body is bounds-checked, so decoding damaged bytes is safe); a mismatch discards the result.
        let check = ChecksumCheck(file)
        let pending = DispatchGroup()
        pending.enter()
        DispatchQueue.global().async {
            check.run()
            pending.leave()
        }
        let decoded: Result<Ledger, SnapshotRejection>
        var identifiers: Range<Int> = 0..<0
        do throws(SnapshotRejection) {
            decoded = .success(try decodeBody(file.bytes, header: header, spareEvents: spare, identifiers: &identifiers))
        } catch {
            decoded = .failure(error)
        }
        pending.wait()
        guard check.matches else { throw .damaged }
        let ledger = try decoded.get()
        return LedgerSnapshot(points: header.points, ledger: ledger,
                              identifiers: try SnapshotIdentifierIndex(file: file, range: identifiers, events: ledger.count))
    }

    /// The checksum of a snapshot, computed by one thread and read after it finished.
    private final class ChecksumCheck: @unchecked Sendable {
        let file: SnapshotBuffer
        var matches = false

        init(_ file: SnapshotBuffer) { self.file = file }

        func run() { matches = SnapshotHeader.checksumMatches(file.bytes) }
    }

    /// Decodes the body in bulk: arrays are copied whole, events decoded from fixed records
    /// into storage allocated once. Every index is range-checked and the replay order is proved
    /// to be the sorted order of the events, so even a file that passes the checksum but was not
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
        var interners: [Interner] = []
        for _ in 0..<5 {
            let arena = try reader.readArray(UInt8.self, what: "names")
            let offsets = try reader.readArray(Int.self, what: "name offsets")
            let slots = try reader.readArray(UInt64.self, what: "name table")
            interners.append(try Interner(snapshotArena: arena, offsets: offsets, slots: slots))
        }
        guard reader.remaining == 0 else { throw .malformed("it has bytes after its last section") }

        var ledger = Ledger()
        ledger.programmes = interners[0]
        ledger.grants = interners[1]
        ledger.enterprises = interners[2]
        ledger.centres = interners[3]
        ledger.texts = interners[4]
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
                for position in 0..<summary.events {
                    guard let event = SnapshotEventRecord.read(
                        records.baseAddress! + index * SnapshotEventRecord.size, index: index, logStart: logStart,
                        seq: Int32(position + 1), logRank: UInt8(rank), bounds: bounds) else {
                        failedAt = index
                        return
                    }
                    (events.baseAddress! + index).initialize(to: event)
                    initialized += 1
                    if case .eventRetracted(let target, _) = event.payload, target >= 0,
                       event.recorded < retractedAt[Int(target)] {
                        retractedAt[Int(target)] = event.recorded
                    }
                    index += 1
                }
            }
        }
        if let failedAt { throw .malformed("event \(failedAt) has a field out of range") }
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
