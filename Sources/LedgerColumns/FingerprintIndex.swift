import LedgerLog

/// The sorted fingerprints (`FastHash`) of the strings of a `StringColumn`, read in place from
/// a column file. Strings added after the file must be new: when none of their fingerprints is
/// here, none of them is in the file's column, which then need not be scanned; a fingerprint
/// found here sends the caller to the exact scan (a repeat, or a collision, about one in 2^64
/// per pair).
public struct FingerprintIndex: Sendable {
    private let fingerprints: Column<UInt64>

    public static let empty = FingerprintIndex(unchecked: Column())

    private init(unchecked fingerprints: Column<UInt64>) { self.fingerprints = fingerprints }

    /// The index in `fingerprints`, refused unless it holds `count` fingerprints in ascending order.
    public init(_ fingerprints: Column<UInt64>, count: Int) throws(ColumnFileError) {
        guard fingerprints.count == count else { throw .malformed("its fingerprints do not list every string") }
        let sorted = fingerprints.withElements { elements in
            elements.count < 2 || (1..<elements.count).allSatisfy { elements[$0] >= elements[$0 - 1] }
        }
        guard sorted else { throw .malformed("its fingerprints are not sorted") }
        self.fingerprints = fingerprints
    }

    public var count: Int { fingerprints.count }

    /// Whether a string with this fingerprint may be among the indexed ones.
    public func mayContain(_ fingerprint: UInt64) -> Bool {
        var low = 0, high = fingerprints.count
        while low < high {
            let middle = (low + high) / 2
            if fingerprints[middle] < fingerprint { low = middle + 1 } else { high = middle }
        }
        return low < fingerprints.count && fingerprints[low] == fingerprint
    }

    /// Whether a string with the fingerprint of `bytes` may be among the indexed ones.
    public func mayContain(bytes: [UInt8]) -> Bool {
        mayContain(FingerprintIndex.fingerprint(of: bytes))
    }

    /// The sorted fingerprints of every string of `strings`, whose first `count` strings are the
    /// ones indexed here (a column that only grew since: a ledger opened from its snapshot, with
    /// the ids read after it): those of the rest made and sorted, then merged with these, instead
    /// of every string hashed and sorted again (at ten million ids, 0.3 s and twice the column's
    /// memory). The same array `strings.sortedFingerprints()` gives.
    public func merged(withTheRestOf strings: StringColumn) -> [UInt64] {
        precondition(strings.count >= count, "the indexed strings are the column's first")
        var added: [UInt64] = []
        added.reserveCapacity(strings.count - count)
        for position in count..<strings.count { added.append(strings.fingerprint(at: position)) }
        added.sort()
        var merged: [UInt64] = []
        merged.reserveCapacity(strings.count)
        fingerprints.withElements { kept in
            var next = 0
            for fingerprint in added {
                // Ties take the kept one first: equal values, so the order does not show.
                var low = next, high = kept.count
                while low < high {
                    let middle = low + (high - low) / 2
                    if kept[middle] <= fingerprint { low = middle + 1 } else { high = middle }
                }
                merged.append(contentsOf: kept[next..<low])
                merged.append(fingerprint)
                next = low
            }
            merged.append(contentsOf: kept[next...])
        }
        assert(merged.count == strings.count, "every string has its fingerprint")
        return merged
    }

    /// The fingerprint of `bytes`, as interners and this index compute it.
    public static func fingerprint(of bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { FastHash.hash($0) }
    }
}
