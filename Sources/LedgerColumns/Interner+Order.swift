/// Names put in the order of their Strings without making the Strings: ASCII names compare as
/// their bytes do, and ids (enterprise codes, grant and programme ids) are ASCII in any ledger
/// the logs give.
extension Interner {
    /// The rank of each of `indexes` (distinct) in the order of their names as Strings: rank 0
    /// for the first. Compared byte by byte in place when every name is ASCII; otherwise as
    /// Strings, whose order (canonical equivalence) only a String comparison gives.
    public func ranks(of indexes: [Index]) -> [Int] {
        let order: [Int]
        let allASCII = arena.withElements { bytes in
            indexes.allSatisfy { index in
                (Int(offsets[index.offset])..<Int(offsets[index.offset + 1])).allSatisfy { bytes[$0] < 0x80 }
            }
        }
        if allASCII {
            // Each name's first sixteen bytes as two big-endian words (zeros past its end) order
            // two names unless both are equal; only then are the rest compared, byte by byte.
            order = arena.withElements { bytes in
                var keyed: [(first: UInt64, second: UInt64, position: Int)] = []
                keyed.reserveCapacity(indexes.count)
                for (position, index) in indexes.enumerated() {
                    let start = Int(offsets[index.offset]), end = Int(offsets[index.offset + 1])
                    var first: UInt64 = 0, second: UInt64 = 0
                    for offset in 0..<8 {
                        first = first << 8 | UInt64(start + offset < end ? bytes[start + offset] : 0)
                        second = second << 8 | UInt64(start + 8 + offset < end ? bytes[start + 8 + offset] : 0)
                    }
                    keyed.append((first, second, position))
                }
                keyed.sort { left, right in
                    if left.first != right.first { return left.first < right.first }
                    if left.second != right.second { return left.second < right.second }
                    let leftIndex = indexes[left.position].offset, rightIndex = indexes[right.position].offset
                    let leftStart = Int(offsets[leftIndex]), rightStart = Int(offsets[rightIndex])
                    let leftCount = Int(offsets[leftIndex + 1]) - leftStart, rightCount = Int(offsets[rightIndex + 1]) - rightStart
                    // Past the words: the rest byte by byte; a name that is a prefix of the other first.
                    var offset = 16
                    while offset < leftCount, offset < rightCount {
                        let leftByte = bytes[leftStart + offset], rightByte = bytes[rightStart + offset]
                        if leftByte != rightByte { return leftByte < rightByte }
                        offset += 1
                    }
                    return leftCount != rightCount ? leftCount < rightCount : left.position < right.position
                }
                return keyed.map(\.position)
            }
        } else {
            let names = indexes.map(string)
            order = indexes.indices.sorted { names[$0] < names[$1] || (names[$0] == names[$1] && $0 < $1) }
        }
        var ranks = [Int](repeating: 0, count: indexes.count)
        for (rank, position) in order.enumerated() { ranks[position] = rank }
        return ranks
    }
}

extension Interner {
    /// Appends the bytes of name `index` to `bytes` (output written straight from the table).
    public func appendBytes(of index: Index, to bytes: inout [UInt8]) {
        let start = Int(offsets[index.offset]), end = Int(offsets[index.offset + 1])
        arena.withElements { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }
}
