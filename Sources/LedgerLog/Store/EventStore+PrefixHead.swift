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
    /// bytes of `file`, which hold `totalLines` lines each ended by a newline. A large log is
    /// first narrowed by bisection on the `seq` the lines state (a verified log's line n states
    /// seq n), so that a query at a past moment reads a few pages, not the log; the answer is
    /// checked by the caller (the line found must state seq `line` and hash to its hash).
    private func lineEnd(_ file: borrowing FileDescriptor, line: Int, totalLines: Int, length: Int) throws(LedgerError) -> Int? {
        let chunk = 1 << 20
        let newline = UInt8(ascii: "\n")
        // Bisection: `low` is the start of line `lowLine` (at or before line `line`), `high` the
        // start of a line after it (or the end).
        var low = 0, lowLine = 1, high = length
        while high - low > 2 * EventStore.bisectionProbeBytes {
            let middle = low + (high - low) / 2
            guard let (start, seq) = try lineStart(file, after: middle, before: high) else { break }
            if seq <= line, seq > lowLine, start > low {
                (low, lowLine) = (start, seq)
            } else if seq > line, start < high {
                high = start
            } else {
                break
            }
        }
        if low > 0 {
            // Forward from line `lowLine`: its (line - lowLine + 1)-th newline.
            return try newlineEnd(file, counting: line - lowLine + 1, from: low, length: length)
        }
        if line <= totalLines - line {
            // Forward: the line-th newline from the start.
            return try newlineEnd(file, counting: line, from: 0, length: length)
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

    /// The offset just past the `wanted`-th newline at or after `offset`, before `length`.
    private func newlineEnd(_ file: borrowing FileDescriptor, counting wanted: Int, from offset: Int, length: Int) throws(LedgerError) -> Int? {
        let chunk = 1 << 20
        var seen = 0, offset = offset
        while offset < length {
            let bytes = try file.readBytes(count: min(chunk, length - offset), at: offset)
            guard !bytes.isEmpty else { return nil }
            let found: Int? = bytes.withUnsafeBufferPointer { buffer in
                var start = 0
                while let index = findNewline(buffer.baseAddress!, from: start, to: buffer.count) {
                    seen += 1
                    if seen == wanted { return index }
                    start = index + 1
                }
                return nil
            }
            if let found { return offset + found + 1 }
            offset += bytes.count
        }
        return nil
    }

    /// How much a bisection probe reads: more than any line (`ScannedEventLine.maximumLineBytes`).
    package static let bisectionProbeBytes = 1 << 16

    /// The start of the first whole line after offset `after` (before `before`) and the `seq` it
    /// states: the number after the line's last `"seq":` (the top-level member: canonical JSON
    /// orders members by name, `data` comes before `seq`, and no string holds an unescaped quote).
    /// Nil when no whole line, or no such number, lies in one probe.
    private func lineStart(_ file: borrowing FileDescriptor, after offset: Int, before end: Int) throws(LedgerError) -> (start: Int, seq: Int)? {
        let count = min(EventStore.bisectionProbeBytes, end - offset)
        guard count > 0 else { return nil }
        let bytes = try file.readBytes(count: count, at: offset)
        guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let lineStart = newline + 1
        guard lineStart < bytes.count, let lineEnd = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let line = bytes[lineStart..<lineEnd]
        let marker = Array("\"seq\":".utf8)
        guard line.count > marker.count else { return nil }
        var position = line.endIndex - marker.count
        while position >= line.startIndex {
            if line[position..<(position + marker.count)].elementsEqual(marker) { break }
            position -= 1
        }
        guard position >= line.startIndex else { return nil }
        var seq = 0, digits = 0
        var index = position + marker.count
        while index < line.endIndex, let digit = line[index].wholeNumberDigit, digits < 18 {
            seq = seq * 10 + digit
            digits += 1
            index += 1
        }
        guard digits > 0 else { return nil }
        return (offset + lineStart, seq)
    }
}

private extension UInt8 {
    var wholeNumberDigit: Int? { self >= 0x30 && self <= 0x39 ? Int(self - 0x30) : nil }
}
