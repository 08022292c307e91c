/// A column of fixed-width integers: either an array of our own (built by a read of the logs) or
/// a run of a mapped column file, read in place with no decoding copy. Both answer the same
/// subscript, so one replay serves a ledger read from the logs and one opened from a cache.
/// A mapped column is copied the first time it is changed (copy on write): mapped again,
/// privately and writable, with room to grow (`MappedRegion.writableCopy`), so that an append to
/// a ledger opened from its cache copies the pages it writes, not every column it appends to;
/// into an array of its own where that cannot be done, is shared, or has no room left.
///
/// Little-endian hosts only: a mapped column's bytes are the file's bytes.
public struct Column<Element: FixedWidthInteger & Sendable>: @unchecked Sendable {
    @usableFromInline var owned: [Element]
    /// Keeps the mapping alive while `base` points into it.
    @usableFromInline var region: MappedRegion?
    /// The first element in the mapping, or nil when the elements are `owned`.
    @usableFromInline var base: UnsafePointer<Element>?
    @usableFromInline var mappedCount: Int
    /// Elements `base` has room for when `region` is this column's writable copy; 0 when the
    /// mapping is read-only (or the elements are `owned`).
    @usableFromInline var writableCapacity: Int
    /// How many leading elements of a writable copy are still the file's own bytes, never written
    /// (an append writes after them, a change lowers it): their pages may be let go and read again
    /// from the page cache (`releasePages(ofBytes:)`). Every element of a read-only mapping is.
    @usableFromInline var unwrittenCount: Int

    @inlinable
    public init() {
        owned = []
        region = nil
        base = nil
        mappedCount = 0
        writableCapacity = 0
        unwrittenCount = 0
    }

    @inlinable
    public init(_ elements: [Element]) {
        owned = elements
        region = nil
        base = nil
        mappedCount = 0
        writableCapacity = 0
        unwrittenCount = 0
    }

    @inlinable
    public init(repeating value: Element, count: Int) {
        self.init(Array(repeating: value, count: count))
    }

    /// `count` elements at `offset` of `region`; the caller checked bounds and alignment.
    init(region: MappedRegion, offset: Int, count: Int) {
        precondition(offset >= 0 && count >= 0 && offset + count * MemoryLayout<Element>.size <= region.count,
                     "a column lies inside its file")
        precondition(offset % MemoryLayout<Element>.alignment == 0, "a column is aligned for its elements")
        owned = []
        self.region = region
        base = count == 0 ? nil : region.bytes.baseAddress.map { ($0 + offset).assumingMemoryBound(to: Element.self) }
        mappedCount = count
        writableCapacity = 0
        unwrittenCount = count
        if base == nil { self.region = nil }
    }

    /// Whether the elements are read in place from a mapped file.
    @inlinable
    public var isMapped: Bool { base != nil }

    @inlinable
    public var count: Int {
        @inline(__always) get { base == nil ? owned.count : mappedCount }
    }

    public subscript(position: Int) -> Element {
        @inlinable @inline(__always) get {
            if let base {
                precondition(position >= 0 && position < mappedCount, "column position in range")
                return base[position]
            }
            return owned[position]
        }
        @inlinable set {
            // An owned column's check is made here, with no call (interning writes its slots so).
            guard base != nil else { owned[position] = newValue; return }
            setMapped(position, newValue)
        }
    }

    @usableFromInline
    mutating func setMapped(_ position: Int, _ newValue: Element) {
        makeWritable()
        if let base {
            precondition(position >= 0 && position < mappedCount, "column position in range")
            unwrittenCount = Swift.min(unwrittenCount, position)
            UnsafeMutablePointer(mutating: base)[position] = newValue
        } else {
            owned[position] = newValue
        }
    }

    /// Appends to the owned array, or in place to a writable copy; a read-only mapped column is
    /// copied first. The check is written here, not left to `appendMapped`, so that an append to
    /// an owned column makes no call.
    @inlinable @inline(__always)
    public mutating func append(_ element: Element) {
        if base != nil { appendMapped(element); return }
        owned.append(element)
    }

    @usableFromInline
    mutating func appendMapped(_ element: Element) {
        makeWritable(reserving: mappedCount + 1)
        guard let base else { owned.append(element); return }
        UnsafeMutablePointer(mutating: base)[mappedCount] = element
        mappedCount += 1
    }

    @inlinable
    public mutating func append<Source: Sequence<Element>>(contentsOf elements: Source) {
        guard base != nil else { owned.append(contentsOf: elements); return }
        makeWritable(reserving: mappedCount + elements.underestimatedCount)
        for element in elements { append(element) }
    }

    /// Room for `count` elements in all (a writable copy is made first when mapped).
    @inlinable
    public mutating func reserveCapacity(_ count: Int) {
        guard base != nil else {
            if count > owned.count { owned.reserveCapacity(count) }
            return
        }
        makeWritable(reserving: count)
    }

    /// The elements as an array of their own (a copy when mapped).
    @inlinable
    public var array: [Element] {
        guard let base else { return owned }
        return Array(UnsafeBufferPointer(start: base, count: mappedCount))
    }

    /// Makes the column one this value alone may change, with room for `capacity` elements: an
    /// owned array keeps (and grows) itself; a writable copy of this value's own with room is kept;
    /// a read-only mapped column is mapped again writable with room to grow by half; anything
    /// else (a copy shared with another value, one without room, a file that cannot be mapped
    /// again) becomes an array of its own.
    @usableFromInline
    mutating func makeWritable(reserving capacity: Int = 0) {
        guard let base else {
            if capacity > owned.count { owned.reserveCapacity(capacity) }
            return
        }
        let needed = Swift.max(capacity, mappedCount)
        if writableCapacity > 0 {
            if writableCapacity >= needed, isKnownUniquelyReferenced(&region) { return }
        } else if let region {
            let size = MemoryLayout<Element>.stride
            let room = Swift.max(needed, mappedCount + mappedCount / 2 + 4_096)
            let offset = UnsafeRawPointer(base) - region.bytes.baseAddress!
            if let (copy, start) = region.writableCopy(offset: offset, byteCount: mappedCount * size, capacityBytes: room * size) {
                self.base = UnsafePointer((copy.bytes.baseAddress! + start).assumingMemoryBound(to: Element.self))
                self.region = copy
                writableCapacity = (copy.bytes.count - start) / size
                assert(writableCapacity >= room, "the copy has the room asked for")
                return
            }
        }
        var copy = [Element]()
        copy.reserveCapacity(needed)
        copy.append(contentsOf: UnsafeBufferPointer(start: base, count: mappedCount))
        owned = copy
        self.base = nil
        region = nil
        mappedCount = 0
        writableCapacity = 0
        unwrittenCount = 0
    }

    /// Lets the kernel take back the pages this process touched of the column's bytes `range`
    /// (byte offsets from its first element) that are still the mapped file's own, never
    /// written: read again, they come back from the page cache. For a column written out or
    /// checked once and read again only here and there. Nothing for an owned column; a hint.
    package func releasePages(ofBytes range: Range<Int>) {
        guard let base, let region, !range.isEmpty else { return }
        let unwrittenBytes = unwrittenCount * MemoryLayout<Element>.stride
        let upper = Swift.min(range.upperBound, unwrittenBytes)
        guard range.lowerBound >= 0, upper > range.lowerBound else { return }
        let start = UnsafeRawPointer(base) - region.bytes.baseAddress!
        region.releaseUnwrittenPages(start + range.lowerBound..<start + upper)
    }

    /// The elements' bytes, little-endian as a column file stores them.
    @inlinable
    package func withBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        if let base { return try body(UnsafeRawBufferPointer(UnsafeBufferPointer(start: base, count: mappedCount))) }
        return try owned.withUnsafeBytes(body)
    }

    /// Elements `range` as a buffer, for bulk comparisons inside the storage layer.
    @inlinable
    package func withElements<Result>(_ body: (UnsafeBufferPointer<Element>) throws -> Result) rethrows -> Result {
        if let base { return try body(UnsafeBufferPointer(start: base, count: mappedCount)) }
        return try owned.withUnsafeBufferPointer(body)
    }
}

extension Column: RandomAccessCollection {
    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { count }
}

extension Column: Equatable {
    public static func == (left: Column, right: Column) -> Bool {
        left.count == right.count && left.withElements { leftElements in
            right.withElements { leftElements.elementsEqual($0) }
        }
    }
}

extension Column: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: Element...) { self.init(elements) }
}
