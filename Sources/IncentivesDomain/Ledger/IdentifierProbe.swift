import LedgerLog

/// Finds where a few ids first occur among all event ids in one pass that creates no string:
/// each stored id of a wanted length is fingerprinted and looked up in a small table, and a
/// fingerprint match is confirmed byte for byte. For the ids read after a snapshot (are they new?)
/// and the targets of retractions among them.
struct IdentifierProbe {
    private var wanted: [[UInt8]] = []
    private var fingerprints: [UInt64] = []
    /// Open addressing: wanted index + 1, 0 for empty.
    private var slots: [Int]
    private var lengths = [Bool](repeating: false, count: EventID.maximumLength + 1)
    /// The first event index of each wanted id, or nil.
    private(set) var firstIndex: [Int?] = []

    init(ids: [[UInt8]]) {
        var capacity = 16
        while capacity < ids.count * 2 { capacity <<= 1 }
        slots = [Int](repeating: 0, count: capacity)
        for id in ids where self.index(of: id) == nil {
            let fingerprint = id.withUnsafeBytes { FastHash.hash($0) }
            var slot = Int(truncatingIfNeeded: fingerprint) & (capacity - 1)
            while slots[slot] != 0 { slot = (slot + 1) & (capacity - 1) }
            wanted.append(id)
            fingerprints.append(fingerprint)
            slots[slot] = wanted.count
            if id.count < lengths.count { lengths[id.count] = true }
        }
        firstIndex = [Int?](repeating: nil, count: wanted.count)
    }

    /// The position of `id` among the wanted ids.
    func index(of id: [UInt8]) -> Int? {
        id.withUnsafeBytes { lookUp($0, fingerprint: FastHash.hash($0)) }
    }

    private func lookUp(_ bytes: UnsafeRawBufferPointer, fingerprint: UInt64) -> Int? {
        var slot = Int(truncatingIfNeeded: fingerprint) & (slots.count - 1)
        while slots[slot] != 0 {
            let candidate = slots[slot] - 1
            if fingerprints[candidate] == fingerprint, wanted[candidate].elementsEqual(bytes) { return candidate }
            slot = (slot + 1) & (slots.count - 1)
        }
        return nil
    }

    /// Records the first index, among events `range`, of every wanted id.
    mutating func scan(_ identifiers: EventIdentifiers, _ range: Range<Int>) {
        guard !wanted.isEmpty, !range.isEmpty else { return }
        identifiers.arena.withUnsafeBytes { arena in
            identifiers.ends.withUnsafeBufferPointer { ends in
                var start = range.lowerBound == 0 ? 0 : Int(ends[range.lowerBound - 1])
                for index in range {
                    let end = Int(ends[index])
                    let length = end - start
                    if length < lengths.count, lengths[length] {
                        let bytes = UnsafeRawBufferPointer(rebasing: arena[start..<end])
                        if let found = lookUp(bytes, fingerprint: FastHash.hash(bytes)), firstIndex[found] == nil {
                            firstIndex[found] = index
                        }
                    }
                    start = end
                }
            }
        }
    }
}
