import LedgerLog

/// Finds where a few strings first occur in a `StringColumn` in one pass that creates no
/// `String`: each stored string of a wanted length is fingerprinted and looked up in a small
/// table, and a fingerprint match is confirmed byte for byte.
public struct StringProbe {
    private var wanted: [[UInt8]] = []
    private var fingerprints: [UInt64] = []
    /// Open addressing: wanted index + 1, 0 for empty.
    private var slots: [Int]
    private var lengths: [Bool]
    /// The first position of each wanted string, or nil.
    public private(set) var firstIndex: [Int?] = []

    /// Strings longer than `maximumLength` bytes are never found.
    public init(strings: [[UInt8]], maximumLength: Int) {
        var capacity = 16
        while capacity < strings.count * 2 { capacity <<= 1 }
        slots = [Int](repeating: 0, count: capacity)
        lengths = [Bool](repeating: false, count: maximumLength + 1)
        for string in strings where self.index(of: string) == nil {
            let fingerprint = string.withUnsafeBytes { FastHash.hash($0) }
            var slot = Int(truncatingIfNeeded: fingerprint) & (capacity - 1)
            while slots[slot] != 0 { slot = (slot + 1) & (capacity - 1) }
            wanted.append(string)
            fingerprints.append(fingerprint)
            slots[slot] = wanted.count
            if string.count < lengths.count { lengths[string.count] = true }
        }
        firstIndex = [Int?](repeating: nil, count: wanted.count)
    }

    /// The position of `string` among the wanted ones.
    public func index(of string: [UInt8]) -> Int? {
        string.withUnsafeBytes { lookUp($0, fingerprint: FastHash.hash($0)) }
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

    /// Records the first position, among `range` of `column`, of every wanted string.
    public mutating func scan(_ column: StringColumn, _ range: Range<Int>) {
        guard !wanted.isEmpty, !range.isEmpty else { return }
        column.arena.withBytes { arena in
            column.ends.withElements { ends in
                var start = range.lowerBound == 0 ? 0 : Int(ends[range.lowerBound - 1])
                for position in range {
                    let end = Int(ends[position])
                    let length = end - start
                    if length < lengths.count, lengths[length] {
                        let bytes = UnsafeRawBufferPointer(rebasing: arena[start..<end])
                        if let found = lookUp(bytes, fingerprint: FastHash.hash(bytes)), firstIndex[found] == nil {
                            firstIndex[found] = position
                        }
                    }
                    start = end
                }
            }
        }
    }
}
