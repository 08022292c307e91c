extension CalendarDate {
    /// Appends `description`'s bytes without making a String: sealing writes two dates per
    /// event, and a batch of a million events spent much of its time formatting them.
    public func appendDigits(to bytes: inout [UInt8]) {
        let (year, month, day) = components
        guard (0...9999).contains(year) else {
            bytes.append(contentsOf: description.utf8)
            return
        }
        appendPadded(year, width: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendPadded(month, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendPadded(day, width: 2, to: &bytes)
    }
}

extension Timestamp {
    /// Appends `description`'s bytes (`YYYY-MM-DDTHH:MM:SSZ`) without making a String.
    public func appendDigits(to bytes: inout [UInt8]) {
        let date = self.date
        let secondOfDay = Int(secondsSinceEpoch - Int64(date.daysSinceEpoch) * 86_400)
        date.appendDigits(to: &bytes)
        bytes.append(UInt8(ascii: "T"))
        appendPadded(secondOfDay / 3600, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendPadded(secondOfDay / 60 % 60, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendPadded(secondOfDay % 60, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "Z"))
    }
}

/// Appends a non-negative integer's decimal digits, zero-padded to `width`, as `pad` formats it.
@inline(__always)
func appendPadded(_ value: Int, width: Int, to bytes: inout [UInt8]) {
    precondition(value >= 0, "only non-negative values are padded")
    var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                 UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    var count = 0
    var rest = value
    withUnsafeMutableBytes(of: &digits) { buffer in
        repeat {
            buffer[19 - count] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
            count += 1
        } while rest > 0
        for _ in count..<max(count, width) { bytes.append(UInt8(ascii: "0")) }
        bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[(20 - count)...]))
    }
}

/// Appends an integer's decimal digits (with a minus sign when negative).
func appendDecimal(_ value: Int, to bytes: inout [UInt8]) {
    if value < 0 {
        guard value != Int.min else {
            bytes.append(contentsOf: String(value).utf8)
            return
        }
        bytes.append(UInt8(ascii: "-"))
        appendPadded(-value, width: 1, to: &bytes)
    } else {
        appendPadded(value, width: 1, to: &bytes)
    }
}
