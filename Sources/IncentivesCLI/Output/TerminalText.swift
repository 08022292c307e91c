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
        if escapesOutput {
            base.write(TerminalText.escaped(String(decoding: bytes, as: UTF8.self), keepingNewlines: true))
        } else {
            base.write(bytes)
        }
    }

    func writeError(_ text: String) { base.writeError(TerminalText.escaped(text, keepingNewlines: true)) }

    func readStandardInput() -> [UInt8] { base.readStandardInput() }
}
