/// Why a JSON text was refused, and where.
///
/// `code` is stable and meant for programs (tests, exit codes); `message` is a sentence
/// meant for the person who wrote the draft, and names the byte offset so a text editor
/// can jump to it.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable reasons for refusal. Raw values never change once published.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// A byte sequence that is not well-formed UTF-8 (overlong, surrogate, above U+10FFFF, truncated).
        case invalidUTF8
        /// The text starts with a UTF-8 (or UTF-16) byte-order mark.
        case byteOrderMark
        /// A byte that the grammar does not allow at that point.
        case unexpectedCharacter
        /// The text ended before the value was complete.
        case unexpectedEnd
        /// A backslash escape other than the nine that RFC 8259 defines.
        case invalidEscape
        /// A `\u` escape of one half of a surrogate pair without the other half.
        case loneSurrogate
        /// A raw byte U+0000 to U+001F inside a string; it must be escaped.
        case controlCharacterInString
        /// A number that breaks the RFC 8259 grammar (leading zero, missing digits).
        case invalidNumber
        /// A number whose magnitude is too large for an IEEE 754 double.
        case numberOutOfRange
        /// The same key twice in one object.
        case duplicateKey
        /// Something other than whitespace after the top-level value.
        case trailingContent
        /// Arrays and objects nested deeper than `Options.maximumDepth`.
        case depthLimitExceeded
        /// A text longer than `Options.maximumBytes`.
        case sizeLimitExceeded
    }

    public var code: Code
    /// Byte offset from the start of the text (0-based), where the problem was found.
    public var offset: Int
    /// A sentence naming what went wrong and where.
    public var message: String

    public init(code: Code, offset: Int, message: String) {
        self.code = code
        self.offset = offset
        self.message = message
    }

    public var description: String { message }
}
