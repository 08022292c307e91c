/// The canonical bytes of the members the last event sealed with it had: the next event with the
/// same values copies them instead of formatting them again.
public struct SealingMemory: Sendable {
    var recorded: Timestamp? = nil
    var recordedBytes: [UInt8] = []
    var effective: CalendarDate? = nil
    var effectiveBytes: [UInt8] = []
    var actor = RememberedString()
    var source = RememberedString()

    public init() {}
}

/// A string and its RFC 8785 form (quoted and escaped).
struct RememberedString: Sendable {
    private var text: String? = nil
    private var canonical: [UInt8] = []

    /// Appends `string`'s canonical form, made again only when its bytes differ from the last.
    /// Compared byte for byte: `==` on strings would take two spellings of "é" for the same text.
    mutating func append(_ string: String, to line: inout [UInt8]) {
        if !RememberedString.sameBytes(text, string) {
            text = string
            canonical.removeAll(keepingCapacity: true)
            JSONCanonical.appendString(string, to: &canonical)
        }
        canonical.withUnsafeBufferPointer { line.append(contentsOf: $0) }
    }

    /// Whether `known` holds exactly the bytes of `string`: compared as contiguous UTF-8 (a
    /// native string's own storage), not through the generic view the profile showed per event.
    private static func sameBytes(_ known: String?, _ string: String) -> Bool {
        guard var known else { return false }
        guard known.utf8.count == string.utf8.count else { return false }
        var string = string
        return known.withUTF8 { knownBytes in string.withUTF8 { knownBytes.elementsEqual($0) } }
    }
}
