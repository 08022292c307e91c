import IncentivesDomain

/// Text is data, never terminal control. New events cannot hold control characters (`FreeText`),
/// but an older log may: tables, CSV cells, free lines and messages show each such character as
/// visible text in Swift's escape form, `\u{1B}`, so a name can neither clear the screen, retitle
/// the window, break a row, nor reorder a line with a bidirectional override, yet stays readable.
public enum TerminalText {
    /// `text` with every control character (`FreeText.isControl`) written as `\u{HEX}`;
    /// line feeds are kept when `keepingNewlines` (free lines of a report, messages).
    public static func escaped(_ text: String, keepingNewlines: Bool = false) -> String {
        escaped(text, keeping: keepingNewlines ? ["\n"] : [])
    }

    /// `text` with every control character but those in `kept` written as `\u{HEX}`.
    static func escaped(_ text: String, keeping kept: Set<Unicode.Scalar>) -> String {
        func escapes(_ scalar: Unicode.Scalar) -> Bool { FreeText.isControl(scalar) && !kept.contains(scalar) }
        guard text.unicodeScalars.contains(where: escapes) else { return text }
        var safe = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if escapes(scalar) {
                safe.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                safe.append(scalar)
            }
        }
        return String(safe)
    }
}

extension TerminalText {
    /// Whether UTF-8 `bytes` hold a control character other than the line feed: C0, DEL, C1
    /// (C2 80–C2 9F) or a bidirectional control (E2 80 AA–AE, E2 81 A6–A9). A table's lines are
    /// escaped cell by cell already, so they are passed on without a String made of them.
    static func needsEscaping(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            // Most output holds no control character: chunks are searched for a byte that may begin one (a C0 byte
            // but the line feed, DEL, or the lead bytes C2 and E2) in a loop without branches
            // that the compiler vectorises, and only a chunk holding such a byte is read closely.
            let chunkBytes = 64
            var chunkStart = 0
            while chunkStart < buffer.count {
                let chunkEnd = min(chunkStart + chunkBytes, buffer.count)
                var suspect: UInt8 = 0
                for index in chunkStart..<chunkEnd {
                    // Each test a 0 or 1 joined by bitwise operators, which leave no branch.
                    let byte = buffer[index]
                    let control: UInt8 = (byte < 0x20 ? 1 : 0) & (byte != 0x0A ? 1 : 0)
                    suspect |= control | (byte == 0x7F ? 1 : 0) | (byte == 0xC2 ? 1 : 0) | (byte == 0xE2 ? 1 : 0)
                }
                if suspect != 0 && controlStarts(in: buffer, from: chunkStart, to: chunkEnd) { return true }
                chunkStart = chunkEnd
            }
            return false
        }
    }

    /// Whether the control character of more than one byte, a C1 control (C2 80–C2 9F) or a
    /// bidirectional control (E2 80 AA–AE, E2 81 A6–A9), starts at `buffer[index]`: the UTF-8
    /// patterns every writer of output looks for (terminal text, CSV cells, JSON strings).
    @inline(__always)
    static func startsMultiByteControl(_ buffer: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        let count = buffer.count
        switch buffer[index] {
        case 0xC2: return index + 1 < count && (0x80...0x9F).contains(buffer[index + 1])
        case 0xE2:
            return index + 2 < count
                && ((buffer[index + 1] == 0x80 && (0xAA...0xAE).contains(buffer[index + 2]))
                    || (buffer[index + 1] == 0x81 && (0xA6...0xA9).contains(buffer[index + 2])))
        default: return false
        }
    }

    /// Whether a control character other than the line feed starts at a byte of `buffer` from
    /// `start` up to `end` (its bytes may run on past `end`).
    private static func controlStarts(in buffer: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Bool {
        var index = start
        while index < end {
            let byte = buffer[index]
            switch byte {
            case 0x0A: break
            case 0x00...0x1F, 0x7F: return true
            case 0xC2, 0xE2: if startsMultiByteControl(buffer, at: index) { return true }
            default: break
            }
            index += 1
        }
        return false
    }
}

/// Passes a command's output on with control characters escaped: always on standard error
/// (messages quote what the input held), and on standard output for table output, whose free
/// lines (an enterprise's name above its tables, report headings) are not table cells.
final class TerminalSafeIO: CommandIO {
    private let base: CommandIO
    /// Off for JSON and CSV, which escape inside their own strings and cells.
    var escapesOutput = true

    init(_ base: CommandIO) { self.base = base }

    func write(_ text: String) {
        base.write(escapesOutput ? TerminalText.escaped(text, keepingNewlines: true) : text)
    }

    func write(_ bytes: [UInt8]) {
        if escapesOutput && TerminalText.needsEscaping(bytes) {
            base.write(TerminalText.escaped(String(decoding: bytes, as: UTF8.self), keepingNewlines: true))
        } else {
            base.write(bytes)
        }
    }

    func writeError(_ text: String) { base.writeError(TerminalText.escaped(text, keepingNewlines: true)) }

    func readStandardInput() -> [UInt8] { base.readStandardInput() }
}
