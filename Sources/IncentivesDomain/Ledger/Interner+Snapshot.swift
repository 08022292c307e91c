extension Interner {
    /// An interner rebuilt from a snapshot's arrays, refused unless they are consistent: offsets
    /// rising from 0 to the arena's end, a power-of-two table at most half full (so every probe
    /// ends), every slot naming an index that exists, each index named by exactly one slot.
    /// (A slot's hash tag and probe position are not re-derived, which would cost a hash of every
    /// name: the MAC, made from a verified read with the same name hashing, stands for them, and
    /// a wrong one could only make a lookup miss, never read out of bounds.)
    init(snapshotArena arena: [UInt8], offsets: [Int], slots: [UInt64]) throws(SnapshotRejection) {
        guard let first = offsets.first, first == 0, offsets.last == arena.count, offsets.count - 1 < Int(Int32.max) else {
            throw .malformed("an interner's offsets do not span its names")
        }
        for index in 1..<offsets.count where offsets[index] < offsets[index - 1] {
            throw .malformed("an interner's offsets go backwards")
        }
        let count = offsets.count - 1
        guard slots.count >= 1024, slots.count & (slots.count - 1) == 0, count * 2 <= slots.count else {
            throw .malformed("an interner's table has the wrong size")
        }
        var filled = 0
        var named = [Bool](repeating: false, count: count + 1)
        for slot in slots where slot != 0 {
            let index = Int(slot & 0xFFFF_FFFF)
            guard index >= 1, index <= count else { throw .malformed("an interner's table names a missing entry") }
            guard !named[index] else { throw .malformed("an interner's table names an entry twice") }
            named[index] = true
            filled += 1
        }
        guard filled == count else { throw .malformed("an interner's table does not hold each name once") }
        self.init()
        self.arena = arena
        self.offsets = offsets
        self.slots = slots
        self.mask = slots.count - 1
    }
}
