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
            order = arena.withElements { bytes in
                indexes.indices.sorted { left, right in
                    let leftRange = Int(offsets[indexes[left].offset])..<Int(offsets[indexes[left].offset + 1])
                    let rightRange = Int(offsets[indexes[right].offset])..<Int(offsets[indexes[right].offset + 1])
                    if bytes[leftRange].elementsEqual(bytes[rightRange]) { return left < right }
                    return bytes[leftRange].lexicographicallyPrecedes(bytes[rightRange])
                }
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
