/// A single-pass validator of RFC 8785 canonical JSON over raw bytes, restricted to the event
/// format's integer-only numbers. It allocates nothing: it is the inner loop of `verify` and replay.
///
/// Any failure is reported as a byte offset and a short reason; callers that need a friendlier
/// message run the slower diagnostic path (`EventLineDiagnosis`).
struct CanonicalScanner {
    let base: UnsafePointer<UInt8>
    let end: Int
    var position: Int
    var failure: ScanFailure?
    /// Set by `scanString` on an escape or a character at or above U+E000: a string without
    /// them sorts by its bytes as by UTF-16 code units (`keyIsAfter`).
    var sawSortComplication = false

    /// Limits keep a hostile line from costing more than its length.
    static let maximumDepth = 32
    /// 2^53 − 1: the largest integer every JSON implementation represents exactly.
    static let maximumSafeInteger: Int64 = 9_007_199_254_740_991

    init(_ bytes: UnsafeRawBufferPointer) {
        base = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        end = bytes.count
        position = 0
    }

    @inline(__always)
    func byte(at offset: Int) -> UInt8 { base[offset] }

    @inline(__always)
    mutating func fail(_ reason: ScanFailure.Reason, at offset: Int? = nil) -> Bool {
        if failure == nil { failure = ScanFailure(offset: offset ?? position, reason: reason) }
        return false
    }

    /// Consumes `literal` exactly.
    @inline(__always)
    mutating func expect(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard position + count <= end else { return fail(.unexpectedEnd) }
        let source = literal.utf8Start
        // Eight bytes at a time (the envelope's member names are 7 to 14 bytes), the rest and
        // any mismatch byte by byte.
        var matched = 0
        while matched + 8 <= count,
              UnsafeRawPointer(base + position + matched).loadUnaligned(as: UInt64.self)
                == UnsafeRawPointer(source + matched).loadUnaligned(as: UInt64.self) {
            matched += 8
        }
        for index in matched..<count where base[position + index] != source[index] {
            return fail(.unexpectedStructure, at: position + index)
        }
        position += count
        return true
    }

    // MARK: Values

    mutating func scanValue(depth: Int) -> Bool {
        guard position < end else { return fail(.unexpectedEnd) }
        switch base[position] {
        case UInt8(ascii: "{"): return scanObject(depth: depth + 1)
        case UInt8(ascii: "["): return scanArray(depth: depth + 1)
        case UInt8(ascii: "\""): return scanString(scalarLimit: Int.max) != nil
        case UInt8(ascii: "t"): return expect("true")
        case UInt8(ascii: "f"): return expect("false")
        case UInt8(ascii: "n"): return expect("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return scanInteger() != nil
        default: return fail(.unexpectedStructure)
        }
    }

    mutating func scanObject(depth: Int) -> Bool {
        guard depth <= CanonicalScanner.maximumDepth else { return fail(.tooDeep) }
        position += 1  // "{"
        guard position < end else { return fail(.unexpectedEnd) }
        if base[position] == UInt8(ascii: "}") {
            position += 1
            return true
        }
        var previousKey: Range<Int>? = nil
        var previousKeyIsPlain = false
        while true {
            guard position < end, base[position] == UInt8(ascii: "\"") else { return fail(.unexpectedStructure) }
            let keyStart = position
            sawSortComplication = false
            guard scanString(scalarLimit: Int.max) != nil else { return false }
            let key = keyStart..<position
            let keyIsPlain = !sawSortComplication
            if let previousKey, !keyIsAfter(key, previousKey, bothPlain: keyIsPlain && previousKeyIsPlain) {
                return fail(.keysNotSorted, at: keyStart)
            }
            previousKey = key
            previousKeyIsPlain = keyIsPlain
            guard expect(":") else { return false }
            guard scanValue(depth: depth) else { return false }
            guard position < end else { return fail(.unexpectedEnd) }
            let next = base[position]
            position += 1
            if next == UInt8(ascii: "}") { return true }
            guard next == UInt8(ascii: ",") else { return fail(.unexpectedStructure, at: position - 1) }
        }
    }

    mutating func scanArray(depth: Int) -> Bool {
        guard depth <= CanonicalScanner.maximumDepth else { return fail(.tooDeep) }
        position += 1  // "["
        guard position < end else { return fail(.unexpectedEnd) }
        if base[position] == UInt8(ascii: "]") {
            position += 1
            return true
        }
        while true {
            guard scanValue(depth: depth) else { return false }
            guard position < end else { return fail(.unexpectedEnd) }
            let next = base[position]
            position += 1
            if next == UInt8(ascii: "]") { return true }
            guard next == UInt8(ascii: ",") else { return fail(.unexpectedStructure, at: position - 1) }
        }
    }

    /// Scans a canonical integer and returns its value.
    mutating func scanInteger() -> Int64? {
        let start = position
        var negative = false
        if position < end, base[position] == UInt8(ascii: "-") {
            negative = true
            position += 1
        }
        guard position < end, base[position] >= 48, base[position] <= 57 else {
            _ = fail(.invalidNumber, at: start)
            return nil
        }
        var value: Int64 = 0
        let firstDigit = position
        while position < end, base[position] >= 48, base[position] <= 57 {
            if position - firstDigit >= 16 {
                _ = fail(.integerTooLarge, at: start)
                return nil
            }
            value = value * 10 + Int64(base[position] - 48)
            position += 1
        }
        if position < end, base[position] == UInt8(ascii: ".") || base[position] == UInt8(ascii: "e")
            || base[position] == UInt8(ascii: "E") {
            _ = fail(.notAnInteger, at: start)
            return nil
        }
        if position - firstDigit > 1, base[firstDigit] == 48 {
            _ = fail(.notCanonical, at: start)
            return nil
        }
        if value > CanonicalScanner.maximumSafeInteger {
            _ = fail(.integerTooLarge, at: start)
            return nil
        }
        if negative && value == 0 {
            _ = fail(.notCanonical, at: start)
            return nil
        }
        return negative ? -value : value
    }

    /// Scans a canonical string starting at its opening quote. Returns the number of Unicode
    /// scalars it holds, failing if that exceeds `scalarLimit`.
    mutating func scanString(scalarLimit: Int) -> Int? {
        let start = position
        position += 1  // opening quote
        var scalars = 0
        while true {
            // The common case: a run of printable ASCII.
            while position < end {
                let byte = base[position]
                if byte >= 0x20 && byte < 0x80 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") {
                    position += 1
                    scalars += 1
                } else {
                    break
                }
            }
            guard position < end else {
                _ = fail(.unexpectedEnd, at: start)
                return nil
            }
            let byte = base[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                guard scalars <= scalarLimit else {
                    _ = fail(.stringTooLong, at: start)
                    return nil
                }
                return scalars
            } else if byte == UInt8(ascii: "\\") {
                guard scanEscape() else { return nil }
                sawSortComplication = true
                scalars += 1
            } else if byte < 0x20 {
                _ = fail(.notCanonical)
                return nil
            } else if (byte >= 0xE1 && byte <= 0xEC) || (byte >= 0xEE && byte <= 0xEF), position + 3 <= end,
                      base[position + 1] & 0xC0 == 0x80, base[position + 2] & 0xC0 == 0x80 {
                // The common case of other scripts (Chinese among them): three bytes whose
                // continuations have no narrower bounds (see `scanUTF8Sequence`).
                if byte >= 0xEE { sawSortComplication = true }
                position += 3
                scalars += 1
            } else {
                if byte >= 0xEE { sawSortComplication = true }
                guard scanUTF8Sequence() else { return nil }
                scalars += 1
            }
        }
    }

    /// Only the escapes RFC 8785 itself produces are canonical.
    mutating func scanEscape() -> Bool {
        guard position + 1 < end else { return fail(.unexpectedEnd) }
        switch base[position + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "b"), UInt8(ascii: "f"),
             UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            position += 2
            return true
        case UInt8(ascii: "u"):
            guard position + 6 <= end else { return fail(.unexpectedEnd) }
            guard base[position + 2] == 48, base[position + 3] == 48,
                  let high = lowercaseHexValue(base[position + 4]),
                  let low = lowercaseHexValue(base[position + 5]) else { return fail(.notCanonical) }
            let value = high * 16 + low
            guard value < 0x20, value != 0x08, value != 0x09, value != 0x0A, value != 0x0C, value != 0x0D else {
                return fail(.notCanonical)
            }
            position += 6
            return true
        default:
            return fail(.notCanonical)
        }
    }

    /// Validates one multi-byte UTF-8 sequence (RFC 3629: no overlongs, no surrogates, ≤ U+10FFFF).
    mutating func scanUTF8Sequence() -> Bool {
        guard let (length, second) = UTF8Sequence.shape(leading: base[position]) else { return fail(.invalidUTF8) }
        guard position + length <= end, second.contains(base[position + 1]) else { return fail(.invalidUTF8) }
        for index in 2..<length where base[position + index] & 0xC0 != 0x80 {
            return fail(.invalidUTF8)
        }
        position += length
        return true
    }

    /// True when key `later` sorts strictly after key `earlier` by UTF-16 code units (RFC 8785 §3.2.3).
    /// `bothPlain` says that `scanString` saw neither key hold an escape or a character at or
    /// above U+E000 (`sawSortComplication`); otherwise the keys are looked at here.
    func keyIsAfter(_ later: Range<Int>, _ earlier: Range<Int>, bothPlain: Bool = false) -> Bool {
        // Byte order equals UTF-16 order unless escapes or characters at or above U+E000 appear.
        var simple = true
        if !bothPlain {
            for offset in earlier where base[offset] == UInt8(ascii: "\\") || base[offset] >= 0xEE { simple = false; break }
            if simple {
                for offset in later where base[offset] == UInt8(ascii: "\\") || base[offset] >= 0xEE { simple = false; break }
            }
        }
        if simple {
            // Compare the contents only: the closing quote (0x22) must not sort against a space or "!".
            let laterStart = later.lowerBound + 1, earlierStart = earlier.lowerBound + 1
            let laterCount = later.count - 2, earlierCount = earlier.count - 2
            for index in 0..<min(laterCount, earlierCount) {
                let a = base[laterStart + index], b = base[earlierStart + index]
                if a != b { return a > b }
            }
            return laterCount > earlierCount
        }
        let laterUnits = decodeUTF16(later), earlierUnits = decodeUTF16(earlier)
        return laterUnits.lexicographicallyPrecedes(earlierUnits) == false && laterUnits != earlierUnits
    }

    /// Decodes an already validated canonical string (with quotes) into UTF-16 code units.
    func decodeUTF16(_ range: Range<Int>) -> [UInt16] {
        var bytes: [UInt8] = []
        var offset = range.lowerBound + 1
        let stop = range.upperBound - 1
        while offset < stop {
            let byte = base[offset]
            if byte == UInt8(ascii: "\\") {
                let kind = base[offset + 1]
                switch kind {
                case UInt8(ascii: "b"): bytes.append(0x08)
                case UInt8(ascii: "f"): bytes.append(0x0C)
                case UInt8(ascii: "n"): bytes.append(0x0A)
                case UInt8(ascii: "r"): bytes.append(0x0D)
                case UInt8(ascii: "t"): bytes.append(0x09)
                case UInt8(ascii: "u"):
                    bytes.append(UInt8(lowercaseHexValue(base[offset + 4])! * 16 + lowercaseHexValue(base[offset + 5])!))
                    offset += 4
                default: bytes.append(kind)
                }
                offset += 2
            } else {
                bytes.append(byte)
                offset += 1
            }
        }
        return Array(String(decoding: bytes, as: UTF8.self).utf16)
    }
}

@inline(__always)
func lowercaseHexValue(_ byte: UInt8) -> Int? {
    switch byte {
    case 48...57: return Int(byte - 48)
    case 97...102: return Int(byte - 87)
    default: return nil
    }
}

/// Where and why a line failed the fast scan.
struct ScanFailure: Error, Sendable, Equatable {
    enum Reason: String, Sendable {
        case unexpectedEnd = "the line ends too early"
        case unexpectedStructure = "unexpected character"
        case notCanonical = "not in RFC 8785 canonical form"
        case keysNotSorted = "members are not in RFC 8785 order (sorted by UTF-16 code units, no duplicates)"
        case invalidUTF8 = "invalid UTF-8"
        case invalidNumber = "invalid number"
        case notAnInteger = "a number with a fraction or exponent: event numbers are integers"
        case integerTooLarge = "an integer beyond ±(2^53−1)"
        case stringTooLong = "a string longer than its limit"
        case tooDeep = "nested deeper than 32 levels"
        case invalidField = "invalid member value"
    }
    var offset: Int
    var reason: Reason
}
