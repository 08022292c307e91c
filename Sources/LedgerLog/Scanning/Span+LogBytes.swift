/// The log layer's byte functions for spans: what the domain, which holds no pointers, calls
/// on the bytes of a line or a draft. Each reads the span in place, as its pointer form does.
extension FastHash {
    @inline(__always)
    public static func hash(_ bytes: Span<UInt8>) -> UInt64 {
        bytes.withUnsafeBytes { hash($0) }
    }
}

extension EventID {
    @inline(__always)
    public static func isValid(_ bytes: Span<UInt8>) -> Bool {
        bytes.withUnsafeBytes { isValid($0) }
    }
}

extension CanonicalString {
    /// Decodes a quoted canonical string (quotes included).
    public static func decode(_ quoted: Span<UInt8>) -> String {
        quoted.withUnsafeBytes { decode($0) }
    }
}

extension Array where Element == UInt8 {
    /// Appends the bytes of `span`.
    @inline(__always)
    public mutating func append(contentsOf span: Span<UInt8>) {
        span.withUnsafeBytes { append(contentsOf: $0) }
    }
}
