extension EventStore {
    /// The chain state after the first `lines` lines of a log that was read as `summary` (its
    /// committed length and line count then): where the log stood when those lines were its
    /// whole. Found by counting newlines from whichever end of the read part is nearer, then
    /// re-reading that line, which must state seq `lines` and hash to the hash it states; nil
    /// when it does not (the file changed since it was read). Lines appended since the read lie
    /// beyond `summary.bytes` and are never looked at.
    public func chainState(of log: LogName, throughLine lines: Int, of summary: LogSummary) throws(LedgerError) -> TailState? {
        precondition(lines >= 0 && lines <= summary.events, "a prefix of the lines read")
        if lines == 0 { return .empty }
        if lines == summary.events {
            return TailState(bytes: summary.bytes, seq: summary.events, head: summary.head, lastRecorded: summary.lastRecorded)
        }
        guard let file = try FileDescriptor.openIfExists(path(of: log)) else { return nil }
        guard let end = try lineEnd(file, line: lines, totalLines: summary.events, length: summary.bytes) else { return nil }
        guard let state = try lastLine(of: log, endingAt: end, checkingHash: true), state.seq == lines else { return nil }
        return state
    }

    /// The offset just past the newline that ends line `line` (1-based) of the first `length`
    /// bytes of `file`, which hold `totalLines` lines each ended by a newline.
    private func lineEnd(_ file: borrowing FileDescriptor, line: Int, totalLines: Int, length: Int) throws(LedgerError) -> Int? {
        let chunk = 1 << 20
        let newline = UInt8(ascii: "\n")
        if line <= totalLines - line {
            // Forward: the line-th newline from the start.
            var seen = 0, offset = 0
            while offset < length {
                let bytes = try file.readBytes(count: min(chunk, length - offset), at: offset)
                guard !bytes.isEmpty else { return nil }
                let found: Int? = bytes.withUnsafeBufferPointer { buffer in
                    var start = 0
                    while let index = findNewline(buffer.baseAddress!, from: start, to: buffer.count) {
                        seen += 1
                        if seen == line { return index }
                        start = index + 1
                    }
                    return nil
                }
                if let found { return offset + found + 1 }
                offset += bytes.count
            }
            return nil
        }
        // Backward: the last byte is the newline of line `totalLines`; line `line` ends at the
        // (totalLines - line + 1)-th newline counted from the end.
        let wanted = totalLines - line + 1
        var seen = 0, end = length
        while end > 0 {
            let start = max(0, end - chunk)
            let bytes = try file.readBytes(count: end - start, at: start)
            guard bytes.count == end - start else { return nil }
            for index in stride(from: bytes.count - 1, through: 0, by: -1) where bytes[index] == newline {
                seen += 1
                if seen == wanted { return start + index + 1 }
            }
            end = start
        }
        return nil
    }
}
