import LedgerLog

/// Collects the names of one event line while it is decoded on a worker thread: each name gets
/// the next ordinal, so that interning the names later in ordinal order gives every name the
/// same index as interning it at once would.
struct NameRecorder: NameSink {
    /// Actor, source and at most four names in a payload (centre opened, grant awarded).
    static let capacity = 6

    /// Where the line lies, as an address and a length: only to find each name's offset in it.
    let lineAddress: Int
    let lineCount: Int
    var names = InlineArray<6, PreparedName>(repeating: .unused)
    var count = 0
    /// Whether the names recorded from now on are hashed for interning: a name the read will
    /// not intern is recorded as left out (`PreparedName.isLeftOut`), unhashed. Texts apart,
    /// since a read may keep the names of entities but not the texts.
    var hashesNames = true
    var hashesTexts = true

    init(line: UnsafeRawBufferPointer) {
        lineAddress = Int(bitPattern: line.baseAddress)
        lineCount = line.count
    }

    mutating func name(_ bytes: UnsafeRawBufferPointer, table: NameTable) -> Int32 {
        let hashes = hashes(table)
        return unsafe record(bytes, hash: hashes ? FastHash.hash(bytes) : 0, table: table, isEscaped: false, isLeftOut: !hashes)
    }

    mutating func escapedName(_ quoted: UnsafeRawBufferPointer, table: NameTable) -> Int32 {
        unsafe record(quoted, hash: 0, table: table, isEscaped: true, isLeftOut: !hashes(table))
    }

    /// A name left out is recorded as it lies, quotes and all, without looking for escapes in it
    /// (an actor and a source a line, for most reads): nothing reads it but to skip it.
    mutating func quotedName(_ quoted: UnsafeRawBufferPointer, table: NameTable) -> Int32 {
        guard hashes(table) else { return unsafe record(quoted, hash: 0, table: table, isEscaped: true, isLeftOut: true) }
        return unsafe quotedNameLookingForEscapes(quoted, table: table)
    }

    @inline(__always)
    private func hashes(_ table: NameTable) -> Bool {
        hashesNames && (hashesTexts || table != .texts)
    }

    private mutating func record(_ bytes: UnsafeRawBufferPointer, hash: UInt64, table: NameTable,
                                 isEscaped: Bool, isLeftOut: Bool) -> Int32 {
        precondition(count < NameRecorder.capacity, "an event names at most \(NameRecorder.capacity) things")
        let start = unsafe bytes.baseAddress.map { Int(bitPattern: $0) - lineAddress } ?? 0
        precondition(start >= 0 && start + bytes.count <= lineCount, "a name lies inside its line")
        names[count] = PreparedName(start: start, count: bytes.count, hash: hash, table: table, isEscaped: isEscaped,
                                    isLeftOut: isLeftOut)
        count += 1
        return Int32(count - 1)
    }
}
