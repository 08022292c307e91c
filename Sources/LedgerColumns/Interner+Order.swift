/// Names put in the order of their Strings without making the Strings: ASCII names compare as
/// their bytes do, and ids (enterprise codes, grant and programme ids) are ASCII in any ledger
/// the logs give.
extension Interner {
    /// The rank of each of `indexes` (distinct) in the order of their names as Strings: rank 0
    /// for the first. Compared byte by byte in place when every name is ASCII; otherwise as
    /// Strings, whose order (canonical equivalence) only a String comparison gives.
    public func ranks(of indexes: [Index]) -> [Int] {
        let order = positionsInNameOrder(indexes)
        var ranks = [Int](repeating: 0, count: indexes.count)
        for (rank, position) in order.enumerated() { ranks[position] = rank }
        return ranks
    }

    /// The positions in `indexes` (distinct) in the order of their names as Strings: the
    /// inverse of `ranks(of:)`, position of rank 0 first.
    public func positionsInNameOrder(_ indexes: [Index]) -> [Int] {
        guard namesAreASCII(indexes) else {
            let names = indexes.map(string)
            return indexes.indices.sorted { names[$0] < names[$1] || (names[$0] == names[$1] && $0 < $1) }
        }
        // Each name's first sixteen bytes as two big-endian words (zeros past its end) order
        // two names unless both are equal; only then are the rest compared (`precedes`).
        var order = arena.withElements { bytes in
            var keyed: [RankKey] = []
            keyed.reserveCapacity(indexes.count)
            for (position, index) in indexes.enumerated() {
                let start = Int(offsets[index.offset]), end = Int(offsets[index.offset + 1])
                let (first, second) = Interner.leadingWords(UnsafeRawBufferPointer(bytes), start: start, end: end)
                keyed.append(RankKey(first: first, second: second, position: position))
            }
            return keyed
        }
        arena.withElements { bytes in
            guard order.count >= Interner.radixSortCount else {
                return order.sort { precedes($0, $1, indexes: indexes, bytes: bytes) }
            }
            // Many names: by their leading words in linear time, then each run of equal leading
            // words (left in position order) by the rest of its names.
            Interner.radixSort(&order)
            var runStart = 0
            while runStart < order.count {
                var runEnd = runStart + 1
                while runEnd < order.count, order[runEnd].first == order[runStart].first,
                      order[runEnd].second == order[runStart].second {
                    runEnd += 1
                }
                if runEnd - runStart > 1 { order[runStart..<runEnd].sort { precedes($0, $1, indexes: indexes, bytes: bytes) } }
                runStart = runEnd
            }
        }
        return order.map(\.position)
    }

    /// A name's place in `positionsInNameOrder`'s sort: its leading words and its position.
    struct RankKey: Sendable {
        var first: UInt64
        var second: UInt64
        var position: Int
    }

    /// From this many names on, `radixSort`: below, its sixteen counts of 256 cost more than a
    /// comparison sort.
    static var radixSortCount: Int { 1 << 10 }

    /// Sorts `keys` by their leading words as one unsigned 128-bit number, keeping the order of
    /// equal keys: a pass per byte, the least significant first, skipping any byte every key
    /// shares (ids share long prefixes); every byte's counts come from one pass before them.
    /// At 1.2M names (and their keys made), 0.17 s on one core, where the comparison sort took
    /// 0.70 s of CPU on two.
    static func radixSort(_ keys: inout [RankKey]) {
        let count = keys.count
        var counts = [Int](repeating: 0, count: 16 * 256)
        counts.withUnsafeMutableBufferPointer { counts in
            for key in keys {
                var low = key.second, high = key.first
                for byte in 0..<8 {
                    counts[byte &* 256 &+ Int(truncatingIfNeeded: low & 0xFF)] &+= 1
                    counts[(8 &+ byte) &* 256 &+ Int(truncatingIfNeeded: high & 0xFF)] &+= 1
                    low >>= 8
                    high >>= 8
                }
            }
        }
        var scratch = keys
        var offsets = [Int](repeating: 0, count: 256)
        for digit in 0..<16 {
            let digitCounts = counts[(digit * 256)..<((digit + 1) * 256)]
            guard !digitCounts.contains(count) else { continue }
            var running = 0
            for (value, valueCount) in digitCounts.enumerated() {
                offsets[value] = running
                running += valueCount
            }
            let shift = UInt64(digit % 8 * 8), inFirst = digit >= 8
            keys.withUnsafeBufferPointer { source in
                scratch.withUnsafeMutableBufferPointer { target in
                    offsets.withUnsafeMutableBufferPointer { offsets in
                        for key in source {
                            let value = Int(truncatingIfNeeded: ((inFirst ? key.first : key.second) >> shift) & 0xFF)
                            target[offsets[value]] = key
                            offsets[value] &+= 1
                        }
                    }
                }
            }
            swap(&keys, &scratch)
        }
        assert(zip(keys, keys.dropFirst()).allSatisfy { ($0.first, $0.second) <= ($1.first, $1.second) }, "sorted by leading words")
    }

    /// Whether name `left` sorts before name `right` (both ASCII): by the leading words, then the
    /// rest byte by byte (a name that is a prefix of the other first), then by position.
    @inline(__always)
    func precedes(_ left: RankKey, _ right: RankKey, indexes: [Index], bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if left.first != right.first { return left.first < right.first }
        if left.second != right.second { return left.second < right.second }
        let leftIndex = indexes[left.position].offset, rightIndex = indexes[right.position].offset
        let leftStart = Int(offsets[leftIndex]), rightStart = Int(offsets[rightIndex])
        let leftCount = Int(offsets[leftIndex + 1]) - leftStart, rightCount = Int(offsets[rightIndex + 1]) - rightStart
        var offset = 16
        while offset < leftCount, offset < rightCount {
            let leftByte = bytes[leftStart + offset], rightByte = bytes[rightStart + offset]
            if leftByte != rightByte { return leftByte < rightByte }
            offset += 1
        }
        return leftCount != rightCount ? leftCount < rightCount : left.position < right.position
    }

    /// Whether every one of `indexes` names ASCII bytes. The whole arena is checked first, eight
    /// bytes at a time (names are most of a table and usually all ASCII); only a table holding
    /// some other byte has its named names checked one by one.
    public func namesAreASCII(_ indexes: [Index]) -> Bool {
        let wholeArena = arena.withBytes { bytes in
            var offset = 0
            var highBits: UInt64 = 0
            while offset + 8 <= bytes.count {
                highBits |= bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                offset += 8
            }
            while offset < bytes.count {
                highBits |= UInt64(bytes[offset])
                offset += 1
            }
            return highBits & 0x8080_8080_8080_8080 == 0
        }
        if wholeArena { return true }
        return arena.withElements { bytes in
            indexes.allSatisfy { index in
                (Int(offsets[index.offset])..<Int(offsets[index.offset + 1])).allSatisfy { bytes[$0] < 0x80 }
            }
        }
    }

    /// The first sixteen bytes of `bytes[start..<end]` as two big-endian words, zeros past `end`:
    /// two words load them where the buffer holds sixteen bytes from `start`, a loop otherwise.
    static func leadingWords(_ bytes: UnsafeRawBufferPointer, start: Int, end: Int) -> (UInt64, UInt64) {
        precondition(start >= 0 && start <= end && end <= bytes.count, "a name inside the arena")
        let count = end - start
        guard start + 16 <= bytes.count else {
            var first: UInt64 = 0, second: UInt64 = 0
            for offset in 0..<8 {
                first = first << 8 | UInt64(offset < count ? bytes[start + offset] : 0)
                second = second << 8 | UInt64(8 + offset < count ? bytes[start + 8 + offset] : 0)
            }
            return (first, second)
        }
        /// The high `byteCount` bytes of a word (0 to 8 of them) kept, the rest zeroed.
        func keeping(_ word: UInt64, _ byteCount: Int) -> UInt64 {
            byteCount >= 8 ? word : byteCount <= 0 ? 0 : word & ~(UInt64.max >> (8 * byteCount))
        }
        let first = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: start, as: UInt64.self))
        let second = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: start + 8, as: UInt64.self))
        return (keeping(first, count), keeping(second, count - 8))
    }
}

extension Interner {
    /// Appends the bytes of name `index` to `bytes` (output written straight from the table).
    public func appendBytes(of index: Index, to bytes: inout [UInt8]) {
        let start = Int(offsets[index.offset]), end = Int(offsets[index.offset + 1])
        arena.withElements { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }
}
