/// Where one name lies in its event line, and its hash, found before the line is interned.
/// Sixteen bytes, as six of them are kept per line of a chunk.
struct PreparedName: Sendable {
    /// `FastHash` of the bytes; unused for an escaped string, whose hash is of its decoded form.
    var hash: UInt64
    /// Start (bits 0–23) and count (bits 24–47) of the byte range in the line, the table (bits
    /// 48–55), bit 56 set for an escaped string, bit 57 for a name left out (`isLeftOut`). The
    /// range is the content without quotes, or for an escaped string, the string with its quotes.
    private var place: UInt64

    /// Lines are at most 1 MiB (`ScannedEventLine.maximumLineBytes`), well inside 24 bits.
    static let maximumOffset = 1 << 24

    init(start: Int, count: Int, hash: UInt64, table: NameTable, isEscaped: Bool, isLeftOut: Bool = false) {
        precondition(start >= 0 && count >= 0 && start + count < PreparedName.maximumOffset, "a range inside one line")
        self.hash = hash
        place = UInt64(start) | UInt64(count) << 24 | UInt64(table.rawValue) << 48 | (isEscaped ? 1 << 56 : 0)
            | (isLeftOut ? 1 << 57 : 0)
    }

    var start: Int { Int(place & 0xFF_FFFF) }
    var count: Int { Int(place >> 24 & 0xFF_FFFF) }
    var table: NameTable { NameTable(rawValue: UInt8(truncatingIfNeeded: place >> 48))! }
    var isEscaped: Bool { place >> 56 & 1 == 1 }
    /// A name the read will not intern (`LedgerLoader.NameHashing`): its hash was not computed.
    var isLeftOut: Bool { place >> 57 & 1 == 1 }

    static let unused = PreparedName(start: 0, count: 0, hash: 0, table: .texts, isEscaped: false)
}
