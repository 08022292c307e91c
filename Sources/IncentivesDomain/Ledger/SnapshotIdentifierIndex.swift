import LedgerLog

/// The fingerprints (`FastHash`) of every event id in a snapshot, sorted, read in place from
/// the mapped file. Events read after the snapshot must have new ids: when none of their
/// fingerprints is here, none of their ids is in the snapshot, and the ledger's ids need not be
/// scanned; a fingerprint found here sends the caller to the exact scan (a reused id, or a
/// fingerprint collision, about one in 2^64 per pair).
struct SnapshotIdentifierIndex: @unchecked Sendable {
    /// Keeps the mapping alive; read only.
    private let file: SnapshotBuffer?
    private let start: Int
    let count: Int

    static let empty = SnapshotIdentifierIndex(file: nil, start: 0, count: 0)

    private init(file: SnapshotBuffer?, start: Int, count: Int) {
        self.file = file
        self.start = start
        self.count = count
    }

    /// The index stored at `range` of `file`, refused unless it holds `events` fingerprints in
    /// ascending order.
    init(file: SnapshotBuffer, range: Range<Int>, events: Int) throws(SnapshotRejection) {
        guard range.count == events * 8, range.lowerBound % 8 == 0, range.upperBound <= file.count else {
            throw .malformed("its id index does not list every event")
        }
        self.init(file: file, start: range.lowerBound, count: events)
        var previous: UInt64 = 0
        for position in 0..<count {
            let value = fingerprint(at: position)
            guard value >= previous else { throw .malformed("its id index is not sorted") }
            previous = value
        }
    }

    /// `position` is below `count`, which is 0 unless there is a file holding that many.
    @inline(__always)
    private func fingerprint(at position: Int) -> UInt64 {
        guard let base = file?.bytes.baseAddress else { return 0 }
        return UInt64(littleEndian: base.load(fromByteOffset: start + position * 8, as: UInt64.self))
    }

    /// Whether an id with this fingerprint may be among the snapshot's events.
    func mayContain(_ fingerprint: UInt64) -> Bool {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if self.fingerprint(at: middle) < fingerprint { low = middle + 1 } else { high = middle }
        }
        return low < count && self.fingerprint(at: low) == fingerprint
    }

    /// The sorted fingerprints of all ids, for writing a snapshot (a radix sort: no comparisons).
    static func fingerprints(of identifiers: EventIdentifiers) -> [UInt64] {
        var keys: [UInt64] = []
        keys.reserveCapacity(identifiers.count)
        identifiers.arena.withUnsafeBytes { arena in
            var start = 0
            for end in identifiers.ends {
                keys.append(FastHash.hash(UnsafeRawBufferPointer(rebasing: arena[start..<Int(end)])))
                start = Int(end)
            }
        }
        var scratch = [UInt64](repeating: 0, count: keys.count)
        for shift in stride(from: 0, to: 64, by: 16) {
            var counts = [Int](repeating: 0, count: 1 << 16 + 1)
            for key in keys { counts[Int((key >> UInt64(shift)) & 0xFFFF) + 1] += 1 }
            for digit in 0..<(1 << 16) { counts[digit + 1] += counts[digit] }
            for key in keys {
                let digit = Int((key >> UInt64(shift)) & 0xFFFF)
                scratch[counts[digit]] = key
                counts[digit] += 1
            }
            swap(&keys, &scratch)
        }
        return keys
    }
}
