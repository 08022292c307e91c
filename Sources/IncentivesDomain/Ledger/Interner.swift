#if canImport(Glibc)
import Glibc
#endif
import CMemoryHints
import LedgerLog

/// Maps byte strings to dense indexes, so that the replay compares integers instead of strings
/// and creates a `String` only when one is shown. Order of indexes is order of first sight,
/// which is deterministic because logs are read in a fixed order.
public struct Interner<Index: InternedIndex>: Sendable {
    var arena: [UInt8] = []
    var offsets: [Int] = [0]
    /// Each slot packs the hash's high half and index + 1; 0 is empty. One load per probe.
    var slots: [UInt64]
    var mask: Int

    public init(expectedCount: Int = 1024) {
        var capacity = 1024
        while capacity < expectedCount * 2 { capacity <<= 1 }
        slots = Array(repeating: 0, count: capacity)
        mask = capacity - 1
    }

    public var count: Int { offsets.count - 1 }

    /// The index of `bytes`, adding it when new.
    @inline(__always)
    public mutating func intern(_ bytes: UnsafeRawBufferPointer) -> Index {
        intern(bytes, hash: FastHash.hash(bytes))
    }

    /// The same, with `FastHash.hash(bytes)` computed beforehand (on another thread).
    @inline(__always)
    mutating func intern(_ bytes: UnsafeRawBufferPointer, hash: UInt64) -> Index {
        assert(hash == FastHash.hash(bytes), "the hash of these bytes")
        let probe = locate(bytes, hash: hash)
        if let found = probe.index { return found }
        let index = count
        precondition(index < Int(Int32.max), "fewer than 2^31 distinct names")
        arena.append(contentsOf: bytes)
        offsets.append(arena.count)
        slots[probe.slot] = hash & 0xFFFF_FFFF_0000_0000 | UInt64(index + 1)
        if count * 2 > slots.count { grow() }
        return Index(rawValue: Int32(index))
    }

    /// Starts loading the slot a name of this hash probes first. Mutating only so that the
    /// table is reached in place, without retaining it.
    @inline(__always)
    mutating func prefetch(hash: UInt64) {
        slots.withUnsafeBufferPointer { memory_hints_prefetch($0.baseAddress! + (Int(truncatingIfNeeded: hash) & mask)) }
    }

    /// The slot holding `bytes` and its index, or the empty slot where it would go.
    @inline(__always)
    private func locate(_ bytes: UnsafeRawBufferPointer, hash: UInt64) -> (slot: Int, index: Index?) {
        let tag = hash & 0xFFFF_FFFF_0000_0000
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 {
            if slots[slot] & 0xFFFF_FFFF_0000_0000 == tag {
                let index = Int(slots[slot] & 0xFFFF_FFFF) - 1
                if equals(index, bytes) { return (slot, Index(rawValue: Int32(index))) }
            }
            slot = (slot + 1) & mask
        }
        return (slot, nil)
    }

    public mutating func intern(_ string: String) -> Index {
        var copy = string
        return copy.withUTF8 { intern(UnsafeRawBufferPointer($0)) }
    }

    /// The index of `bytes` if it was ever interned.
    public func find(_ bytes: UnsafeRawBufferPointer) -> Index? {
        locate(bytes, hash: FastHash.hash(bytes)).index
    }

    public func find(_ string: String) -> Index? {
        var copy = string
        return copy.withUTF8 { find(UnsafeRawBufferPointer($0)) }
    }

    public func string(_ index: Index) -> String {
        precondition(index.rawValue >= 0 && index.offset < count, "interned index in range")
        return String(decoding: arena[offsets[index.offset]..<offsets[index.offset + 1]], as: UTF8.self)
    }

    @inline(__always)
    private func equals(_ index: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let start = offsets[index], end = offsets[index + 1]
        guard end - start == bytes.count else { return false }
        guard bytes.count > 0 else { return true }
        return arena.withUnsafeBytes { stored in
            memcmp(stored.baseAddress! + start, bytes.baseAddress!, bytes.count) == 0
        }
    }

    private mutating func grow() {
        let capacity = slots.count * 2
        slots = Array(repeating: 0, count: capacity)
        mask = capacity - 1
        for index in 0..<count {
            let hash = arena.withUnsafeBytes { FastHash.hash(UnsafeRawBufferPointer(rebasing: $0[offsets[index]..<offsets[index + 1]])) }
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = hash & 0xFFFF_FFFF_0000_0000 | UInt64(index + 1)
        }
    }
}
