/// A column appended to while the logs are read and set aside in a `SpillFile` a block at a
/// time, so that only one block of it is ever in memory. Read back (`forEachPiece`, `array`)
/// only once the appends are over. A class: the read appends to it through every copy of the
/// table that holds it, with no copy on write.
public final class SpilledColumn<Element: FixedWidthInteger & Sendable>: @unchecked Sendable {
    @usableFromInline let file: SpillFile
    @usableFromInline let buffer: UnsafeMutablePointer<Element>
    // Unchecked: appended to once per event from one thread (the read's consumer), where the
    // dynamic exclusivity checks of a class's stored properties would cost more than the append.
    @exclusivity(unchecked) @usableFromInline var buffered = 0
    /// Where each full block starts in the file, in order.
    @usableFromInline var blocks: [Int] = []
    /// Elements appended, those of the block being filled among them.
    @exclusivity(unchecked) @usableFromInline var appended = 0
    public var count: Int { appended }
    /// Why the scratch file failed a write or a read, if it did: the column is then not whole.
    public var failure: String? { file.failure }

    /// Elements a block holds (256 KiB of 4-byte elements): the granularity a reader of the
    /// whole column does well to read in, too.
    public static var blockCount: Int { 1 << 16 }

    public init(file: SpillFile) {
        self.file = file
        buffer = UnsafeMutablePointer<Element>.allocate(capacity: SpilledColumn.blockCount)
    }

    deinit { buffer.deallocate() }

    @inlinable @inline(__always)
    public func append(_ element: Element) {
        buffer[buffered] = element
        buffered += 1
        appended += 1
        if buffered == SpilledColumn.blockCount { writeBlock() }
    }

    @usableFromInline
    func writeBlock() {
        blocks.append(file.append(UnsafeRawBufferPointer(start: buffer, count: buffered * MemoryLayout<Element>.stride)))
        buffered = 0
    }

    /// The column's bytes in order, a block at a time (read back into one buffer, reused); the
    /// block being filled last, from memory. Not to be appended to meanwhile.
    func forEachPiece(_ body: (UnsafeRawBufferPointer) -> Void) {
        let blockBytes = SpilledColumn.blockCount * MemoryLayout<Element>.stride
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: blockBytes, alignment: 16)
        defer { scratch.deallocate() }
        for start in blocks {
            file.read(into: scratch, at: start)
            body(UnsafeRawBufferPointer(scratch))
        }
        if buffered > 0 { body(UnsafeRawBufferPointer(start: buffer, count: buffered * MemoryLayout<Element>.stride)) }
    }

    /// Every element, in memory of our own.
    public var array: [Element] {
        var result: [Element] = []
        result.reserveCapacity(count)
        forEachPiece { piece in result.append(contentsOf: piece.assumingMemoryBound(to: Element.self)) }
        return result
    }
}

extension SpilledColumn {
    /// Elements `range`, read back where they lie (a block in the file, or the one being
    /// filled): for the few values an answer names, when the rest stays set aside. Nil when the
    /// file cannot be read back (`SpillFile.failure`). Not to be appended to meanwhile.
    public func elements(_ range: Range<Int>) -> [Element]? {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "elements of the column")
        guard file.failure == nil else { return nil }
        let stride = MemoryLayout<Element>.stride, blockCount = SpilledColumn.blockCount
        var result = [Element](repeating: 0, count: range.count)
        var next = range.lowerBound
        result.withUnsafeMutableBytes { target in
            while next < range.upperBound {
                let block = next / blockCount, within = next % blockCount
                let piece = min(range.upperBound - next, blockCount - within)
                let at = (next - range.lowerBound) * stride
                let destination = UnsafeMutableRawBufferPointer(rebasing: target[at ..< at + piece * stride])
                if block < blocks.count {
                    file.read(into: destination, at: blocks[block] + within * stride)
                } else {
                    destination.copyMemory(from: UnsafeRawBufferPointer(start: buffer + within, count: piece * stride))
                }
                next += piece
            }
        }
        return file.failure == nil ? result : nil
    }
}

extension SpilledColumn where Element == UInt8 {
    /// Appends bytes (an id's, for instance).
    @inlinable @inline(__always)
    public func append(contentsOf bytes: UnsafeRawBufferPointer) {
        var taken = 0
        while taken < bytes.count {
            let piece = min(bytes.count - taken, SpilledColumn.blockCount - buffered)
            UnsafeMutableRawPointer(buffer + buffered).copyMemory(from: bytes.baseAddress! + taken, byteCount: piece)
            buffered += piece
            appended += piece
            taken += piece
            if buffered == SpilledColumn.blockCount { writeBlock() }
        }
    }

    /// Appends the bytes of `span`.
    @inlinable @inline(__always)
    public func append(contentsOf span: Span<UInt8>) {
        span.withUnsafeBytes { append(contentsOf: $0) }
    }
}
