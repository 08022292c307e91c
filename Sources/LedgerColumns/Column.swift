/// A column of fixed-width integers: either an array of our own (built by a read of the logs) or
/// a run of a mapped column file, read in place with no decoding copy. Both answer the same
/// subscript, so one replay serves a ledger read from the logs and one opened from a cache.
/// A mapped column becomes an array of its own the first time it is changed (copy on write).
///
/// Little-endian hosts only: a mapped column's bytes are the file's bytes.
public struct Column<Element: FixedWidthInteger & Sendable>: @unchecked Sendable {
    @usableFromInline var owned: [Element]
    /// Keeps the mapping alive while `base` points into it.
    @usableFromInline var region: MappedRegion?
    /// The first element in the mapping, or nil when the elements are `owned`.
    @usableFromInline var base: UnsafePointer<Element>?
    @usableFromInline var mappedCount: Int

    @inlinable
    public init() {
        owned = []
        region = nil
        base = nil
        mappedCount = 0
    }

    @inlinable
    public init(_ elements: [Element]) {
        owned = elements
        region = nil
        base = nil
        mappedCount = 0
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
            makeOwned()
            owned[position] = newValue
        }
    }

    /// Appends to the owned array; a mapped column is copied first. The check is written here,
    /// not left to `makeOwned`, so that an append to an owned column makes no call.
    @inlinable @inline(__always)
    public mutating func append(_ element: Element) {
        if base != nil { makeOwned() }
        owned.append(element)
    }

    @inlinable
    public mutating func append<Source: Sequence<Element>>(contentsOf elements: Source) {
        if base != nil { makeOwned() }
        owned.append(contentsOf: elements)
    }

    /// Room for `count` elements in all (an owned copy is made first when mapped).
    @inlinable
    public mutating func reserveCapacity(_ count: Int) {
        makeOwned(reserving: count)
    }

    /// The elements as an array of their own (a copy when mapped).
    @inlinable
    public var array: [Element] {
        guard let base else { return owned }
        return Array(UnsafeBufferPointer(start: base, count: mappedCount))
    }

    /// Turns a mapped column into an array of its own, with room for `reserving` elements.
    @inlinable
    mutating func makeOwned(reserving capacity: Int = 0) {
        guard let base else {
            if capacity > owned.count { owned.reserveCapacity(capacity) }
            return
        }
        var copy = [Element]()
        copy.reserveCapacity(Swift.max(capacity, mappedCount))
        copy.append(contentsOf: UnsafeBufferPointer(start: base, count: mappedCount))
        owned = copy
        self.base = nil
        region = nil
        mappedCount = 0
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
