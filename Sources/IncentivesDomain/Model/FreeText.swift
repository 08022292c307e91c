/// The rule every free-text member of an event follows (names, projects, sectors, reasons, cities,
/// partners, the actor and the source document): text is data, never terminal control. A control
/// character could clear a terminal, retitle its window or hide part of a line when a record is
/// printed; a bidirectional control could make a name read differently from what it holds.
public enum FreeText {
    /// C0 (U+0000–U+001F), DEL (U+007F), C1 (U+0080–U+009F), and the bidirectional embeddings,
    /// overrides and isolates (U+202A–U+202E, U+2066–U+2069).
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    /// What the refused characters are, for messages.
    public static let controlDescription =
        "control characters (U+0000–U+001F, U+007F–U+009F) or bidirectional controls (U+202A–U+202E, U+2066–U+2069)"

    /// Why `text` is not acceptable text, or nil: names the first control character and where it is.
    public static func controlProblem(_ text: String) -> String? {
        var position = 0
        for scalar in text.unicodeScalars {
            position += 1
            if isControl(scalar) {
                return "contains \(codePoint(scalar)) at character \(position); text may not hold \(controlDescription)"
            }
        }
        return nil
    }

    /// `U+001B`.
    public static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
