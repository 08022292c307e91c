/// Which lines of a read added no event (`LedgerLoader.leavesOutUnreplayedEvents`), by their
/// position among the lines read, a bit each (1.25 MB at ten million lines): so that a position
/// the read's id table gives for an id (a retraction's target) becomes the index of its event,
/// or nil when its line was left out.
struct LeftOutLines {
    /// Bit `position % 64` of word `position / 64`: whether that line was left out.
    private var words: [UInt64] = []
    /// Lines left out before each word's first.
    private var leftOutBefore: [Int32] = []
    /// Lines taken so far, left out or not.
    private(set) var lineCount = 0
    private(set) var leftOutCount = 0

    /// One more line, in read order.
    @inline(__always)
    mutating func append(leftOut: Bool) {
        precondition(lineCount < Int(Int32.max), "line positions fit in 32 bits")
        if lineCount & 63 == 0 {
            words.append(0)
            leftOutBefore.append(Int32(leftOutCount))
        }
        if leftOut {
            words[words.count - 1] |= 1 << UInt64(lineCount & 63)
            leftOutCount += 1
        }
        lineCount += 1
    }

    /// The index of the event line `position` added: its position less the lines left out
    /// before it; nil when it was left out.
    func eventIndex(ofLine position: Int) -> Int? {
        precondition(position >= 0 && position < lineCount, "a line of the read")
        let word = words[position >> 6], bit = UInt64(position & 63)
        guard word >> bit & 1 == 0 else { return nil }
        let before = Int(leftOutBefore[position >> 6]) + (word & ((1 << bit) - 1)).nonzeroBitCount
        return position - before
    }
}
