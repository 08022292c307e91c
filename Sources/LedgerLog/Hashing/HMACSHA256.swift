/// HMAC-SHA256 (RFC 2104, FIPS 198-1) over the project's own SHA-256: a keyed digest that only
/// a holder of the key can compute, so a file that carries one cannot be forged by someone who
/// may write the file but not read the key. Streaming, like `SHA256`: `update` as often as
/// needed, then `finalize` once.
public struct HMACSHA256: Sendable {
    /// Keys longer than a block are hashed first (RFC 2104); this many bytes are used as is.
    static let blockBytes = 64

    private var inner: SHA256
    private var outer: SHA256

    public init(key: [UInt8]) {
        var block = key.count > HMACSHA256.blockBytes ? SHA256.hash(key).bytes : key
        block += [UInt8](repeating: 0, count: HMACSHA256.blockBytes - block.count)
        inner = SHA256()
        outer = SHA256()
        inner.update(block.map { $0 ^ 0x36 })
        outer.update(block.map { $0 ^ 0x5c })
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) { inner.update(bytes) }

    public mutating func update(_ bytes: [UInt8]) { inner.update(bytes) }

    public mutating func finalize() -> SHA256Digest {
        let innerDigest = inner.finalize()
        outer.update(innerDigest.bytes)
        return outer.finalize()
    }

    public static func authenticate(_ bytes: [UInt8], key: [UInt8]) -> SHA256Digest {
        var mac = HMACSHA256(key: key)
        mac.update(bytes)
        return mac.finalize()
    }
}

extension SHA256Digest {
    /// Compares in time independent of where the digests differ, as a MAC check should.
    public func equalsInConstantTime(_ other: SHA256Digest) -> Bool {
        zip(bytes, other.bytes).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
