#if canImport(Glibc)
import Glibc
#endif
import CMemoryHints
import LedgerLog

/// Maps byte strings to dense indexes, so that a replay compares integers instead of strings
/// and creates a `String` only when one is shown. Order of indexes is order of first sight.
/// Its three columns (the names' bytes, where each ends, the hash table) are stored in a column
/// file as they are and used from it in place; interning a new name copies them first.
public struct Interner<Index: InternedIndex>: Sendable {
    @usableFromInline package var arena: Column<UInt8>
    /// `offsets[i]..<offsets[i + 1]` are the bytes of name `i`.
    @usableFromInline package var offsets: Column<Int64>
    /// Each slot packs the hash's high half and index + 1; 0 is empty. One load per probe.
    /// A name's first slot is picked by that high half too (`home`), so that growing the table
    /// moves the slots as they are, without reading a name back or hashing it again.
    @usableFromInline package var slots: Column<UInt64>
    @usableFromInline var mask: Int

    public init(expectedCount: Int = 1024) {
        var capacity = 1024
        while capacity < expectedCount * 2 { capacity <<= 1 }
        arena = Column()
        offsets = Column([0])
        slots = Column(repeating: 0, count: capacity)
        mask = capacity - 1
    }

    /// An empty table read by index only, as `dropHashTable` leaves one, made without a hash
    /// table: looking a name up in it stops the program rather than finding nothing.
    public static func unsearchable() -> Interner { Interner(withoutHashTable: ()) }

    private init(withoutHashTable: Void) {
        arena = Column()
        offsets = Column([0])
        slots = Column()
        mask = 0
    }

    @inlinable public var count: Int { offsets.count - 1 }

    /// The bytes an intern or lookup may touch: the names, where each ends, the hash table.
    public var footprintBytes: Int {
        arena.count + offsets.count * MemoryLayout<Int64>.stride + slots.count * MemoryLayout<UInt64>.stride
    }

    /// The index of `bytes`, adding it when new.
    @inlinable @inline(__always)
    public mutating func intern(_ bytes: UnsafeRawBufferPointer) -> Index {
        intern(bytes, hash: FastHash.hash(bytes))
    }

    /// The same, with `FastHash.hash(bytes)` computed beforehand (on another thread).
    @inlinable @inline(__always)
    public mutating func intern(_ bytes: UnsafeRawBufferPointer, hash: UInt64) -> Index {
        assert(hash == FastHash.hash(bytes), "the hash of these bytes")
        let probe = locate(bytes, hash: hash)
        if let found = probe.index { return found }
        let index = count
        precondition(index < Int(Int32.max), "fewer than 2^31 distinct names")
        arena.append(contentsOf: bytes)
        offsets.append(Int64(arena.count))
        slots[probe.slot] = hash & 0xFFFF_FFFF_0000_0000 | UInt64(index + 1)
        if count * 2 > slots.count { grow() }
        return Index(rawValue: Int32(index))
    }

    public mutating func intern(_ string: String) -> Index {
        var copy = string
        return copy.withUTF8 { intern(UnsafeRawBufferPointer($0)) }
    }

    /// Room for `count` names of `byteCount` bytes in all: the names' columns are then filled
    /// in place instead of copied at each doubling. The hash table, whose every slot is zeroed
    /// and touched, is sized for `hashed` names only (a low guess spares the small doublings
    /// and costs no memory the names would not need anyway).
    public mutating func reserveCapacity(names count: Int, bytes byteCount: Int, hashed: Int) {
        offsets.reserveCapacity(count + 1)
        arena.reserveCapacity(byteCount)
        // One new table at the size asked for: doubling up to it would zero every size between.
        var capacity = slots.count
        while hashed * 2 > capacity { capacity <<= 1 }
        if capacity > slots.count { grow(toCapacity: capacity) }
    }

    /// Starts loading the slot a name of this hash probes first.
    @inlinable @inline(__always)
    public func prefetch(hash: UInt64) {
        slots.withElements { memory_hints_prefetch($0.baseAddress! + Interner.home(hash, mask: mask)) }
    }

    /// Starts loading what `intern(_:hash:)` of a name already interned reads, in steps a few
    /// lines apart, each once what the one before asked for has arrived: `.slot` the first slot
    /// probed (`prefetch(hash:)`), `.entry` where the name in that slot starts, `.bytes` its
    /// bytes. Interning compares the name with them: without the later steps, two cache misses
    /// in a table of millions, one after the other. A first slot whose tag differs (a new name,
    /// or one further along its probe) asks for nothing more.
    @inlinable @inline(__always)
    public func prefetch(hash: UInt64, step: PrefetchStep) {
        guard step != .slot else { return prefetch(hash: hash) }
        slots.withElements { slotElements in
            guard let slotBase = slotElements.baseAddress else { return }
            let slot = slotBase[Interner.home(hash, mask: mask)]
            guard slot != 0, slot & 0xFFFF_FFFF_0000_0000 == hash & 0xFFFF_FFFF_0000_0000 else { return }
            let index = Int(slot & 0xFFFF_FFFF) - 1
            offsets.withElements { offsetElements in
                guard index + 1 < offsetElements.count, let offsetBase = offsetElements.baseAddress else { return }
                switch step {
                case .slot:
                    return
                case .entry:
                    memory_hints_prefetch(offsetBase + index)
                case .bytes:
                    let start = Int(offsetBase[index])
                    arena.withElements { bytes in
                        if start < bytes.count, let byteBase = bytes.baseAddress { memory_hints_prefetch(byteBase + start) }
                    }
                }
            }
        }
    }

    /// Starts loading what reading name `index` touches, in steps a few names apart as for
    /// interning: `.entry` where it starts, `.bytes` its bytes (once its entry has arrived);
    /// `.slot` asks for nothing. For names read by index at random from a table larger than
    /// the cache (rows written in key order). An index out of range asks for nothing.
    @inlinable @inline(__always)
    public func prefetch(_ index: Index, step: PrefetchStep) {
        let offset = index.offset
        guard offset >= 0, offset < count else { return }
        switch step {
        case .slot: return
        case .entry: offsets.prefetch(offset)
        case .bytes: arena.prefetch(Int(offsets[offset]))
        }
    }

    /// The slot holding `bytes` and its index, or the empty slot where it would go.
    @inlinable @inline(__always)
    func locate(_ bytes: UnsafeRawBufferPointer, hash: UInt64) -> (slot: Int, index: Index?) {
        precondition(slots.count > 0, "a table whose hash table was let go is read by index only")
        let tag = hash & 0xFFFF_FFFF_0000_0000
        var slot = Interner.home(hash, mask: mask)
        while slots[slot] != 0 {
            if slots[slot] & 0xFFFF_FFFF_0000_0000 == tag {
                let index = Int(slots[slot] & 0xFFFF_FFFF) - 1
                if equals(index, bytes) { return (slot, Index(rawValue: Int32(index))) }
            }
            slot = (slot + 1) & mask
        }
        return (slot, nil)
    }

    /// Lets the hash table go (at ten million names, 128 MB), for names that are only read by
    /// index from now on: their bytes and order stay, while `find` and `intern` stop the program.
    public mutating func dropHashTable() {
        slots = Column()
    }

    /// Whether a name can still be looked up (see `dropHashTable`).
    public var isSearchable: Bool { slots.count > 0 }

    /// The index of `bytes` if it was ever interned.
    @inlinable
    public func find(_ bytes: UnsafeRawBufferPointer) -> Index? {
        locate(bytes, hash: FastHash.hash(bytes)).index
    }

    public func find(_ string: String) -> Index? {
        var copy = string
        return copy.withUTF8 { find(UnsafeRawBufferPointer($0)) }
    }

    public func string(_ index: Index) -> String {
        precondition(index.rawValue >= 0, "interned index in range")
        return string(atSlot: index.offset)
    }

    /// Name `slot` (an index's offset) as a String: for work on offsets, not generic over `Index`.
    func string(atSlot slot: Int) -> String {
        precondition(slot >= 0 && slot < count, "interned index in range")
        let start = Int(offsets[slot]), end = Int(offsets[slot + 1])
        return arena.withElements { String(decoding: UnsafeBufferPointer(rebasing: $0[start..<end]), as: UTF8.self) }
    }

    /// The bytes of name `index`, valid during `body`.
    public func withBytes<Result>(of index: Index, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        precondition(index.rawValue >= 0 && index.offset < count, "interned index in range")
        let start = Int(offsets[index.offset]), end = Int(offsets[index.offset + 1])
        return arena.withBytes { body(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
    }

    @inlinable @inline(__always)
    func equals(_ index: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let start = Int(offsets[index]), end = Int(offsets[index + 1])
        guard end - start == bytes.count else { return false }
        guard bytes.count > 0 else { return true }
        return arena.withBytes { stored in
            memcmp(stored.baseAddress! + start, bytes.baseAddress!, bytes.count) == 0
        }
    }

    /// The first slot a name of `hash` (or a slot holding its high half) probes: from the hash's
    /// high half alone, which every slot keeps.
    @inlinable @inline(__always)
    static func home(_ hash: UInt64, mask: Int) -> Int {
        Int(truncatingIfNeeded: hash >> 32) & mask
    }

    /// Twice the slots (see `grow(toCapacity:)`).
    @usableFromInline
    mutating func grow() {
        grow(toCapacity: slots.count * 2)
    }

    /// `capacity` slots, a larger power of two: each entry moves to its home in the larger table
    /// (`home` of the entry itself), in slot order, so the same names interned in the same order
    /// through the same sizes give the same table.
    mutating func grow(toCapacity capacity: Int) {
        precondition(capacity > slots.count && capacity & (capacity - 1) == 0, "a larger power of two")
        var table = [UInt64](repeating: 0, count: capacity)
        let newMask = capacity - 1
        slots.withElements { old in
            for entry in old where entry != 0 {
                var slot = Interner.home(entry, mask: newMask)
                while table[slot] != 0 { slot = (slot + 1) & newMask }
                table[slot] = entry
            }
        }
        slots = Column(table)
        mask = newMask
        assert(slots.withElements { $0.lazy.filter { $0 != 0 }.count } == count, "every name keeps one slot")
    }
}

extension Interner {
    /// An interner over columns read from a file, refused unless they are consistent: offsets
    /// rising from 0 to the arena's end, a power-of-two table at most half full (so every probe
    /// ends), every slot naming an index that exists, each index named by exactly one slot.
    /// (A slot's hash tag and probe position are not re-derived, which would cost a hash of every
    /// name: the file's MAC, made from a verified read with the same name hashing, stands for
    /// them, and a wrong one could only make a lookup miss, never read out of bounds.)
    public init(arena: Column<UInt8>, offsets: Column<Int64>, slots: Column<UInt64>) throws(ColumnFileError) {
        try Interner.checkSpan(arena: arena, offsets: offsets)
        let count = offsets.count - 1
        guard slots.count >= 1024, slots.count & (slots.count - 1) == 0, count * 2 <= slots.count else {
            throw .malformed("an interner's table has the wrong size")
        }
        var named = [Bool](repeating: false, count: count + 1)
        var filled = 0
        var problem: String? = nil
        slots.withElements { elements in
            for slot in elements where slot != 0 {
                let index = Int(slot & 0xFFFF_FFFF)
                guard index >= 1, index <= count else { problem = "an interner's table names a missing entry"; return }
                guard !named[index] else { problem = "an interner's table names an entry twice"; return }
                named[index] = true
                filled += 1
            }
        }
        if let problem { throw .malformed(problem) }
        guard filled == count else { throw .malformed("an interner's table does not hold each name once") }
        self.arena = arena
        self.offsets = offsets
        self.slots = slots
        self.mask = slots.count - 1
    }

    /// Names read from a file by index only, without their hash table (which is then neither
    /// read nor hashed): as `dropHashTable` leaves a table, a lookup stops the program. Refused
    /// unless the offsets span the names, rising.
    public init(arena: Column<UInt8>, offsets: Column<Int64>) throws(ColumnFileError) {
        try Interner.checkSpan(arena: arena, offsets: offsets)
        self.arena = arena
        self.offsets = offsets
        self.slots = Column()
        self.mask = 0
    }

    /// Offsets rising from 0 to the arena's end, and fewer names than an index can count.
    private static func checkSpan(arena: Column<UInt8>, offsets: Column<Int64>) throws(ColumnFileError) {
        guard let first = offsets.first, first == 0, offsets.last == Int64(arena.count), offsets.count - 1 < Int(Int32.max) else {
            throw .malformed("an interner's offsets do not span its names")
        }
        let rising = offsets.withElements { elements in
            elements.count < 2 || (1..<elements.count).allSatisfy { elements[$0] >= elements[$0 - 1] }
        }
        guard rising else { throw .malformed("an interner's offsets go backwards") }
    }
}

/// The steps of `Interner.prefetch(hash:step:)`, in the order they are taken.
public enum PrefetchStep: Sendable {
    case slot
    case entry
    case bytes
}

extension Interner {
    /// The index of the bytes of `span`, adding them when new; `hash` is `FastHash.hash` of them.
    @inlinable @inline(__always)
    public mutating func intern(_ span: Span<UInt8>, hash: UInt64) -> Index {
        span.withUnsafeBytes { intern($0, hash: hash) }
    }
}
