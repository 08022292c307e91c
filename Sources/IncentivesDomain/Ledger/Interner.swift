#if canImport(Glibc)
import Glibc
#endif

/// Maps byte strings to dense indexes, so that the replay compares integers instead of strings
/// and creates a `String` only when one is shown. Order of indexes is order of first sight,
/// which is deterministic because logs are read in a fixed order.
public struct Interner: Sendable {
    private var arena: [UInt8] = []
    private var offsets: [Int] = [0]
    private var slots: [Int32]
    private var hashes: [UInt64] = []
    private var mask: Int

    public init(expectedCount: Int = 1024) {
        var capacity = 1024
        while capacity < expectedCount * 2 { capacity <<= 1 }
        slots = Array(repeating: -1, count: capacity)
        mask = capacity - 1
    }

    public var count: Int { offsets.count - 1 }

    /// The index of `bytes`, adding it when new.
    public mutating func intern(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        let hash = Interner.hash(bytes)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] >= 0 {
            let index = Int(slots[slot])
            if hashes[index] == hash && equals(index, bytes) { return slots[slot] }
            slot = (slot + 1) & mask
        }
        let index = Int32(count)
        arena.append(contentsOf: bytes)
        offsets.append(arena.count)
        hashes.append(hash)
        slots[slot] = index
        if count * 2 > slots.count { grow() }
        return index
    }

    public mutating func intern(_ string: String) -> Int32 {
        var copy = string
        return copy.withUTF8 { intern(UnsafeRawBufferPointer($0)) }
    }

    /// The index of `bytes` if it was ever interned.
    public func find(_ bytes: UnsafeRawBufferPointer) -> Int32? {
        let hash = Interner.hash(bytes)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] >= 0 {
            let index = Int(slots[slot])
            if hashes[index] == hash && equals(index, bytes) { return slots[slot] }
            slot = (slot + 1) & mask
        }
        return nil
    }

    public func find(_ string: String) -> Int32? {
        var copy = string
        return copy.withUTF8 { find(UnsafeRawBufferPointer($0)) }
    }

    public func string(_ index: Int32) -> String {
        precondition(index >= 0 && Int(index) < count, "interned index in range")
        return String(decoding: arena[offsets[Int(index)]..<offsets[Int(index) + 1]], as: UTF8.self)
    }

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
        slots = Array(repeating: -1, count: capacity)
        mask = capacity - 1
        for index in 0..<count {
            var slot = Int(truncatingIfNeeded: hashes[index]) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index)
        }
    }

    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        hash ^= hash >> 32
        hash = hash &* 0xd6e8_feb8_6659_fd93
        hash ^= hash >> 32
        return hash
    }
}
