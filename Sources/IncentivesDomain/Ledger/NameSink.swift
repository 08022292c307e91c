import LedgerLog

/// Where the names of a decoded payload go: straight into the ledger's interners, or into a
/// record of where they lie, to be interned later in log order (`NameRecorder`). Either way the
/// value returned stands for the name in the payload. Each name comes with `offset`, where its
/// bytes start in the bytes being decoded (a log line, or a draft's data).
protocol NameSink {
    /// A name without escapes, as its bytes.
    mutating func name(_ bytes: Span<UInt8>, at offset: Int, table: NameTable) -> Int32
    /// A string with escapes, quotes included: decoded only when it is interned.
    mutating func escapedName(_ quoted: Span<UInt8>, at offset: Int, table: NameTable) -> Int32
    /// A quoted canonical string, whichever way it is written (`name` or `escapedName`).
    mutating func quotedName(_ quoted: Span<UInt8>, at offset: Int, table: NameTable) -> Int32
}

extension NameSink {
    mutating func quotedName(_ quoted: Span<UInt8>, at offset: Int, table: NameTable) -> Int32 {
        quotedNameLookingForEscapes(quoted, at: offset, table: table)
    }

    /// `quotedName`, told which way the string is written by looking for a backslash in it.
    @inline(__always)
    mutating func quotedNameLookingForEscapes(_ quoted: Span<UInt8>, at offset: Int, table: NameTable) -> Int32 {
        let content = quoted.extracting(1..<(quoted.count - 1))
        if !content.contains(UInt8(ascii: "\\")) { return name(content, at: offset + 1, table: table) }
        return escapedName(quoted, at: offset, table: table)
    }
}
