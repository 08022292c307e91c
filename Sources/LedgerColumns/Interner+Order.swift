/// Names put in the order of their Strings without making the Strings: ASCII names compare as
/// their bytes do, and ids (enterprise codes, grant and programme ids) are ASCII in any ledger
/// the logs give.
extension Interner {
    /// The rank of each of `indexes` (distinct) in the order of their names as Strings: rank 0
    /// for the first. Compared byte by byte in place when every name is ASCII; otherwise as
    /// Strings, whose order (canonical equivalence) only a String comparison gives.
    @inlinable
    public func ranks(of indexes: [Index]) -> [Int] {
        let order = positionsInNameOrder(indexes)
        var ranks = [Int](repeating: 0, count: indexes.count)
        for (rank, position) in order.enumerated() { ranks[position] = rank }
        return ranks
    }

    /// The positions in `indexes` (distinct) in the order of their names as Strings: the
    /// inverse of `ranks(of:)`, position of rank 0 first. Inlined where `Index` is known, so the
    /// work itself (`positionsInNameOrder(slots:)`) reads plain integers: a loop over `[Index]`
    /// in code generic over `Index` asks the runtime for its type's metadata at every element.
    @inlinable
    public func positionsInNameOrder(_ indexes: [Index]) -> [Int] {
        positionsInNameOrder(slots: indexes.map { Int($0.rawValue) })
    }

    /// The positions in `slots` (distinct indexes' offsets) in the order of their names as Strings.
    @usableFromInline
    func positionsInNameOrder(slots: [Int]) -> [Int] {
        guard namesAreASCII(slots: slots) else {
            let names = slots.map(string(atSlot:))
            return slots.indices.sorted { names[$0] < names[$1] || (names[$0] == names[$1] && $0 < $1) }
        }
        // Each name's first sixteen bytes as two big-endian words (zeros past its end) order
        // two names unless both are equal; only then are the rest compared (`precedes`).
        var order = arena.withElements { bytes in
            var keyed: [LeadingWordSort.Key] = []
            keyed.reserveCapacity(slots.count)
            for position in slots.indices {
                let slot = slots[position]
                let start = Int(offsets[slot]), end = Int(offsets[slot + 1])
                let (first, second) = LeadingWordSort.leadingWords(UnsafeRawBufferPointer(bytes), start: start, end: end)
                keyed.append(LeadingWordSort.Key(first: first, second: second, position: position))
            }
            return keyed
        }
        return arena.withElements { bytes in
            guard order.count >= LeadingWordSort.radixSortCount else {
                order.sort { precedes($0, $1, slots: slots, bytes: bytes) }
                return order.map(\.position)
            }
            // Many names: by their leading words in linear time, then each run of equal leading
            // words (left in position order) by the rest of its names. Ids vary in a few of
            // their leading bytes, which then fit one word with the position: sorted as words,
            // whose runs of equal keys are found on the words themselves.
            if let packed = LeadingWordSort.packedWords(order) {
                return packed.positions(orderingTiesOf: order) { precedes($0, $1, slots: slots, bytes: bytes) }
            }
            LeadingWordSort.radixSort(&order)
            var runStart = 0
            while runStart < order.count {
                var runEnd = runStart + 1
                while runEnd < order.count, order[runEnd].first == order[runStart].first,
                      order[runEnd].second == order[runStart].second {
                    runEnd += 1
                }
                if runEnd - runStart > 1 { order[runStart..<runEnd].sort { precedes($0, $1, slots: slots, bytes: bytes) } }
                runStart = runEnd
            }
            return order.map(\.position)
        }
    }

    /// Whether name `left` sorts before name `right` (both ASCII): by the leading words, then the
    /// rest byte by byte (a name that is a prefix of the other first), then by position.
    @inline(__always)
    func precedes(_ left: LeadingWordSort.Key, _ right: LeadingWordSort.Key, slots: [Int], bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if left.first != right.first { return left.first < right.first }
        if left.second != right.second { return left.second < right.second }
        let leftIndex = slots[left.position], rightIndex = slots[right.position]
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
    @inlinable
    public func namesAreASCII(_ indexes: [Index]) -> Bool {
        everyNameIsASCII || namesAreASCII(slots: indexes.map { Int($0.rawValue) })
    }

    /// The same for indexes' offsets.
    @usableFromInline
    func namesAreASCII(slots: [Int]) -> Bool {
        if everyNameIsASCII { return true }
        return arena.withElements { bytes in
            slots.allSatisfy { slot in
                (Int(offsets[slot])..<Int(offsets[slot + 1])).allSatisfy { bytes[$0] < 0x80 }
            }
        }
    }

    /// Whether the whole arena is ASCII, eight bytes at a time.
    public var everyNameIsASCII: Bool {
        arena.withBytes { bytes in
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
    }

    /// Each name's side of a split in name order, by index: 0 for the names whose leading words
    /// (`LeadingWordSort.leadingWords`) are below a pivot, 1 for the others, the pivot the median
    /// of an evenly spaced sample of `sampleCount` names. Every name of side 0 then sorts before
    /// every name of side 1 (words below the pivot's are below theirs: the bytes differ first
    /// there), and each side holds about half the names, so that their two sorts (on two cores)
    /// end to end are one. Nil unless every name is ASCII (byte order is String order only then).
    public func sidesInNameOrder(sampleCount: Int = 1_024) -> [UInt8]? {
        precondition(sampleCount >= 1, "a sample")
        guard count > 0, everyNameIsASCII else { return nil }
        return arena.withElements { elements in
            let bytes = UnsafeRawBufferPointer(elements)
            func words(_ index: Int) -> (UInt64, UInt64) {
                LeadingWordSort.leadingWords(bytes, start: Int(offsets[index]), end: Int(offsets[index + 1]))
            }
            let sample = stride(from: 0, to: count, by: max(1, count / sampleCount)).map(words).sorted { $0 < $1 }
            let pivot = sample[sample.count / 2]
            var sides = [UInt8](repeating: 0, count: count)
            for index in 0..<count where words(index) >= pivot { sides[index] = 1 }
            return sides
        }
    }

}

extension Interner {
    /// Appends the bytes of name `index` to `bytes` (output written straight from the table).
    public func appendBytes(of index: Index, to bytes: inout [UInt8]) {
        let start = Int(offsets[index.offset]), end = Int(offsets[index.offset + 1])
        arena.withElements { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }
}
