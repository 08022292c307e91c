import LedgerLog

/// Where the names of a decoded payload go: straight into the ledger's interners, or into a
/// record of where they lie, to be interned later in log order (`NameRecorder`). Either way the
/// value returned stands for the name in the payload.
protocol NameSink {
    /// A name without escapes, as its bytes.
    mutating func name(_ bytes: UnsafeRawBufferPointer, table: NameTable) -> Int32
    /// A string with escapes, quotes included: decoded only when it is interned.
    mutating func escapedName(_ quoted: UnsafeRawBufferPointer, table: NameTable) -> Int32
    /// A quoted canonical string, whichever way it is written (`name` or `escapedName`).
    mutating func quotedName(_ quoted: UnsafeRawBufferPointer, table: NameTable) -> Int32
}

extension NameSink {
    mutating func quotedName(_ quoted: UnsafeRawBufferPointer, table: NameTable) -> Int32 {
        unsafe quotedNameLookingForEscapes(quoted, table: table)
    }

    /// `quotedName`, told which way the string is written by looking for a backslash in it.
    @inline(__always)
    mutating func quotedNameLookingForEscapes(_ quoted: UnsafeRawBufferPointer, table: NameTable) -> Int32 {
        let content = unsafe UnsafeRawBufferPointer(rebasing: quoted[1..<(quoted.count - 1)])
        if unsafe !content.contains(UInt8(ascii: "\\")) { return unsafe name(content, table: table) }
        return unsafe escapedName(quoted, table: table)
    }
}
