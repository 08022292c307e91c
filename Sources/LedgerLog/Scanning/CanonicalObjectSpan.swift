/// A canonical object read through a span: `CanonicalObjectView`'s member search for code that
/// holds no pointers (the domain's payload decoding, compiled under strict memory-safety
/// checking). A member is found as the range of its value in the object's bytes, and read
/// through them: the compiler holds the span to the lifetime of the bytes it was made from.
public struct CanonicalObjectSpan: ~Escapable {
    public let bytes: Span<UInt8>

    @_lifetime(copy bytes)
    public init(_ bytes: Span<UInt8>) {
        self.bytes = bytes
    }

    /// Where the value of the member whose key is `name` lies (quotes and brackets included),
    /// searching from byte `position` as `CanonicalObjectView.member(_:from:)` does; nil when
    /// there is none. `position` moves past the member found.
    @inline(__always)
    public func memberRange(_ name: StaticString, from position: inout Int) -> Range<Int>? {
        bytes.withUnsafeBytes { raw in
            guard let member = CanonicalObjectView(raw).member(name, from: &position), let start = member.value.baseAddress,
                  let base = raw.baseAddress else { return nil }
            let offset = start - base
            return offset..<(offset + member.value.count)
        }
    }

    /// Where the value of the member whose key is `name` lies, searched from the start.
    @inline(__always)
    public func memberRange(_ name: StaticString) -> Range<Int>? {
        var position = 1
        return memberRange(name, from: &position)
    }

    /// The kind of the value at `range` (a member's, from `memberRange`).
    @inline(__always)
    public func kind(of range: Range<Int>) -> CanonicalObjectView.Kind {
        withMember(range) { $0.kind }
    }

    /// The content of the string at `range`, or nil when the value there is not a string.
    public func string(of range: Range<Int>) -> String? {
        withMember(range) { $0.string }
    }

    /// The integer at `range`, or nil when the value there is not an integer.
    @inline(__always)
    public func integer(of range: Range<Int>) -> Int64? {
        withMember(range) { $0.integer }
    }

    /// Where the unquoted content of the string at `range` lies when it has no escapes (an
    /// identifier), else nil: the view's `plainStringBytes` rule, read on the span itself (on the
    /// workers, for every identifier; `CanonicalObjectViewTests` holds the two to each other).
    @inline(__always)
    public func plainStringRange(of range: Range<Int>) -> Range<Int>? {
        guard range.count >= 2, bytes[range.lowerBound] == UInt8(ascii: "\"") else { return nil }
        let content = (range.lowerBound + 1)..<(range.upperBound - 1)
        return bytes.extracting(content).contains(UInt8(ascii: "\\")) ? nil : content
    }

    @inline(__always)
    private func withMember<Result>(_ range: Range<Int>, _ body: (CanonicalObjectView.Member) -> Result) -> Result {
        bytes.extracting(range).withUnsafeBytes { value in
            body(CanonicalObjectView.Member(key: UnsafeRawBufferPointer(start: nil, count: 0), value: value))
        }
    }
}
