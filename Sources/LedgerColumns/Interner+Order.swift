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
        let keyed = arena.withElements { bytes in
            var keyed: [RankKey] = []
            keyed.reserveCapacity(indexes.count)
            for (position, index) in indexes.enumerated() {
                let start = Int(offsets[index.offset]), end = Int(offsets[index.offset + 1])
                let (first, second) = Interner.leadingWords(UnsafeRawBufferPointer(bytes), start: start, end: end)
                keyed.append(RankKey(first: first, second: second, position: position))
            }
            return keyed
        }
        // Many names are sorted in two halves on two cores and merged: the order is total (equal
        // names, which ASCII names never are, would fall back on their positions), so the
        // merge gives exactly the one sort's order.
        let pieceCount = keyed.count >= Interner.halvedSortCount ? 2 : 1
        let halves = ParallelWork.map(count: pieceCount) { piece in
            var half = Array(keyed[ParallelWork.piece(piece, of: pieceCount, count: keyed.count)])
            arena.withElements { bytes in half.sort { precedes($0, $1, indexes: indexes, bytes: bytes) } }
            return half
        }
        guard halves.count == 2 else { return halves.first?.map(\.position) ?? [] }
        return arena.withElements { bytes in
            var order: [Int] = []
            order.reserveCapacity(keyed.count)
            var left = 0, right = 0
            let first = halves[0], second = halves[1]
            while left < first.count, right < second.count {
                if precedes(second[right], first[left], indexes: indexes, bytes: bytes) {
                    order.append(second[right].position)
                    right += 1
                } else {
                    order.append(first[left].position)
                    left += 1
                }
            }
            for key in first[left...] { order.append(key.position) }
            for key in second[right...] { order.append(key.position) }
            assert(order.count == keyed.count, "every position placed once")
            return order
        }
    }

    /// A name's place in `positionsInNameOrder`'s sort: its leading words and its position.
    struct RankKey: Sendable {
        var first: UInt64
        var second: UInt64
        var position: Int
    }

    /// Below this many names, one sort on one core: splitting costs more than it saves.
    static var halvedSortCount: Int { 1 << 16 }

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
