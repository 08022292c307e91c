import LedgerLog

/// The MAC of a column file, made so that two cores can compute it: the bytes after the MAC field
/// are cut into chunks of `chunkBytes` (by file offset), each chunk is hashed with SHA-256 on
/// whichever core is free, and the MAC is HMAC-SHA256 under the key of the bytes before the MAC
/// field followed by every chunk's digest in order. SHA-256 being collision resistant, it covers
/// every byte as a MAC of the whole file would; a file of n bytes costs n bytes of hashing either way.
package struct ColumnFileMAC {
    static let chunkBytes = 4 << 20
    /// Where the chunked bytes start: right after the MAC field.
    static let chunkedFrom = ColumnFile.macOffset + ColumnFile.macBytes

    static func chunkCount(fileBytes count: Int) -> Int {
        precondition(count >= chunkedFrom, "a column file has a whole header")
        return (count - chunkedFrom + chunkBytes - 1) / chunkBytes
    }

    /// The byte range of chunk `index` in a file of `count` bytes.
    static func chunk(_ index: Int, fileBytes count: Int) -> Range<Int> {
        let start = chunkedFrom + index * chunkBytes
        return start..<min(start + chunkBytes, count)
    }

    /// The MAC from the bytes before the MAC field and the chunks' digests.
    static func mac(key: [UInt8], prefix: UnsafeRawBufferPointer, chunkDigests: [SHA256Digest]) -> SHA256Digest {
        precondition(prefix.count == ColumnFile.macOffset, "the prefix is the bytes before the MAC field")
        var mac = HMACSHA256(key: key)
        mac.update(prefix)
        for digest in chunkDigests { mac.update(digest.bytes) }
        return mac.finalize()
    }

    /// The MAC of a whole file in memory (the MAC field's bytes are ignored), on this thread.
    static func mac(of bytes: UnsafeRawBufferPointer, key: [UInt8]) -> SHA256Digest {
        let digests = (0..<chunkCount(fileBytes: bytes.count)).map { index in
            SHA256.hash(UnsafeRawBufferPointer(rebasing: bytes[chunk(index, fileBytes: bytes.count)]))
        }
        return mac(key: key, prefix: UnsafeRawBufferPointer(rebasing: bytes[..<ColumnFile.macOffset]), chunkDigests: digests)
    }

    /// Puts the MAC `key` gives into the bytes of a whole file (tests that change a file and sign it
    /// again, as the key's holder could).
    package static func sign(_ bytes: inout [UInt8], key: [UInt8]) {
        let mac = bytes.withUnsafeBytes { Self.mac(of: $0, key: key) }
        bytes.replaceSubrange(ColumnFile.macOffset..<chunkedFrom, with: mac.bytes)
    }

    /// The MAC of a file written front to back, as its bytes are given (`update` in file order).
    struct Streaming {
        private let key: [UInt8]
        private var prefix: [UInt8] = []
        private var position = 0
        private var current = SHA256()
        private var currentBytes = 0
        private var digests: [SHA256Digest] = []

        init(key: [UInt8]) { self.key = key }

        mutating func update(_ bytes: UnsafeRawBufferPointer) {
            var offset = 0
            while offset < bytes.count {
                if position < ColumnFile.macOffset {
                    let taken = min(ColumnFile.macOffset - position, bytes.count - offset)
                    prefix.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + taken)]))
                    (position, offset) = (position + taken, offset + taken)
                } else if position < ColumnFileMAC.chunkedFrom {
                    let skipped = min(ColumnFileMAC.chunkedFrom - position, bytes.count - offset)
                    (position, offset) = (position + skipped, offset + skipped)
                } else {
                    let taken = min(ColumnFileMAC.chunkBytes - currentBytes, bytes.count - offset)
                    current.update(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + taken)]))
                    (position, offset, currentBytes) = (position + taken, offset + taken, currentBytes + taken)
                    if currentBytes == ColumnFileMAC.chunkBytes {
                        digests.append(current.finalize())
                        (current, currentBytes) = (SHA256(), 0)
                    }
                }
            }
        }

        mutating func update(_ bytes: [UInt8]) { bytes.withUnsafeBytes { update($0) } }

        mutating func finalize() -> SHA256Digest {
            precondition(position >= ColumnFileMAC.chunkedFrom, "a column file has a whole header")
            if currentBytes > 0 { digests.append(current.finalize()) }
            return prefix.withUnsafeBytes { ColumnFileMAC.mac(key: key, prefix: $0, chunkDigests: digests) }
        }
    }
}
