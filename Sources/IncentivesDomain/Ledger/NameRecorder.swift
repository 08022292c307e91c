import LedgerLog

/// Collects the names of one event line while it is decoded on a worker thread: each name gets
/// the next ordinal, so that interning the names later in ordinal order gives every name the
/// same index as interning it at once would.
struct NameRecorder: NameSink {
    /// Actor, source and at most four names in a payload (centre opened, grant awarded).
    static let capacity = 6

    /// How long the line is: each name's offset is checked to lie inside it.
    let lineCount: Int
    var names = InlineArray<6, PreparedName>(repeating: .unused)
    var count = 0
    /// Whether the names recorded from now on are hashed for interning: a name the read will
    /// not intern is recorded as left out (`PreparedName.isLeftOut`), unhashed. Texts apart,
    /// since a read may keep the names of entities but not the texts.
    var hashesNames = true
    var hashesTexts = true

    init(lineCount: Int) {
        self.lineCount = lineCount
    }

    mutating func name(_ bytes: Span<UInt8>, at offset: Int, table: NameTable) -> Int32 {
        let hashes = hashes(table)
        return record(offset, count: bytes.count, hash: hashes ? FastHash.hash(bytes) : 0, table: table, isEscaped: false,
                      isLeftOut: !hashes)
    }

    mutating func escapedName(_ quoted: Span<UInt8>, at offset: Int, table: NameTable) -> Int32 {
        record(offset, count: quoted.count, hash: 0, table: table, isEscaped: true, isLeftOut: !hashes(table))
    }

    /// A name left out is recorded as it lies, quotes and all, without looking for escapes in it
    /// (an actor and a source a line, for most reads): nothing reads it but to skip it.
    mutating func quotedName(_ quoted: Span<UInt8>, at offset: Int, table: NameTable) -> Int32 {
        guard hashes(table) else {
            return record(offset, count: quoted.count, hash: 0, table: table, isEscaped: true, isLeftOut: true)
        }
        return quotedNameLookingForEscapes(quoted, at: offset, table: table)
    }

    @inline(__always)
    private func hashes(_ table: NameTable) -> Bool {
        hashesNames && (hashesTexts || table != .texts)
    }

    private mutating func record(_ start: Int, count byteCount: Int, hash: UInt64, table: NameTable,
                                 isEscaped: Bool, isLeftOut: Bool) -> Int32 {
        precondition(count < NameRecorder.capacity, "an event names at most \(NameRecorder.capacity) things")
        precondition(start >= 0 && start + byteCount <= lineCount, "a name lies inside its line")
        names[count] = PreparedName(start: start, count: byteCount, hash: hash, table: table, isEscaped: isEscaped,
                                    isLeftOut: isLeftOut)
        count += 1
        return Int32(count - 1)
    }
}
