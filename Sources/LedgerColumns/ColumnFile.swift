#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Synchronization
import LedgerLog

/// A file of fixed-width integer columns, read in place. It knows nothing of what the columns
/// mean: its client names each by a number, lays out a small metadata block of its own, and
/// states a schema version. Layout (integers little-endian):
///
///     0   magic "ILCOLUMN"                 8   storage format version (u32)
///     12  schema version (u32)             16  MAC of the header (32, `ColumnFileMAC`)
///     48  file length (u64)                56  metadata length (u64)     64  column count (u64)
///     72  metadata, zeros to a multiple of 8
///         then per column: id (u32), element width (u32), element count (u64), offset (u64),
///         digest of its bytes (32, `ColumnFileMAC`)
///         then the columns, each at a multiple of 64 bytes, zeros between them
///
/// Every offset, count and width is checked against the file before a column is used. The
/// header's MAC is checked against the reader's key before its metadata is trusted
/// (`authenticateHeader`), and each column's digest when the column is first read (`verifying`),
/// so a reader hashes the columns it uses and no others.
public struct ColumnFile: Sendable {
    public static let storageFormatVersion: UInt32 = 3
    static let magic: [UInt8] = Array("ILCOLUMN".utf8)
    /// Columns start at multiples of this (a cache line), so every element is aligned.
    public static let alignment = 64
    package static let macOffset = 16
    package static let macBytes = 32
    package static let lengthOffset = 48
    static let fixedHeaderBytes = 72
    static let directoryEntryBytes = 56
    static let directoryDigestOffset = 24
    /// Limits on what a header may claim, checked before anything is allocated.
    public static let maximumColumns = 1024
    public static let maximumMetadataBytes = 1 << 20
    public static let maximumBytes = 1 << 40

    struct Entry: Sendable {
        var id: UInt32
        var width: Int
        var count: Int
        var offset: Int
        var digest: SHA256Digest
        /// Where the zeros before it start: the end of the column or directory before it.
        var gapStart: Int

        var byteCount: Int { count * width }
    }

    let region: MappedRegion
    public let schemaVersion: UInt32
    public let metadata: [UInt8]
    let entries: [Entry]
    /// Where the directory starts and ends: the header the MAC covers ends there.
    let directoryStart: Int
    let directoryEnd: Int

    /// The whole file at `path`, only a regular file of this user's (not followed through a
    /// symbolic link, never blocking on a FIFO), mapped; its header and directory checked.
    /// Its MAC is not: see `authenticated`.
    public static func open(path: String) throws(ColumnFileError) -> ColumnFile {
        try ColumnFile(region: try read(path))
    }

    /// A column file from bytes in memory (tests and the fuzzer).
    public init(bytes: [UInt8]) throws(ColumnFileError) {
        let region = bytes.withUnsafeBytes { MappedRegion(copying: $0) }
        try self.init(region: region)
    }

    init(region: MappedRegion) throws(ColumnFileError) {
        let bytes = region.bytes
        func u32(_ offset: Int) -> UInt32 { UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
        func u64(_ offset: Int) -> UInt64 { UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }
        guard bytes.count >= ColumnFile.fixedHeaderBytes, bytes[0..<8].elementsEqual(ColumnFile.magic) else { throw .notAColumnFile }
        let storage = u32(8)
        guard storage == ColumnFile.storageFormatVersion else { throw .otherStorageFormat(version: storage) }
        guard u64(48) == UInt64(bytes.count) else { throw .malformed("its length is not the one it states (truncated?)") }
        let metadataBytes = u64(56), columns = u64(64)
        guard metadataBytes <= UInt64(ColumnFile.maximumMetadataBytes), columns <= UInt64(ColumnFile.maximumColumns) else {
            throw .malformed("its header claims too much")
        }
        let metadataEnd = ColumnFile.fixedHeaderBytes + Int(metadataBytes)
        let directoryStart = ColumnFile.padded(metadataEnd, to: 8)
        let directoryEnd = directoryStart + Int(columns) * ColumnFile.directoryEntryBytes
        guard directoryEnd <= bytes.count else { throw .malformed("its directory runs past its end") }
        var entries: [Entry] = []
        var dataStart = directoryEnd
        for column in 0..<Int(columns) {
            let at = directoryStart + column * ColumnFile.directoryEntryBytes
            let id = u32(at), width = u32(at + 4), count = u64(at + 8), offset = u64(at + 16)
            guard [1, 2, 4, 8, 16].contains(width) else { throw .malformed("column \(id) has elements of \(width) bytes") }
            guard offset % UInt64(ColumnFile.alignment) == 0, offset >= UInt64(dataStart), offset <= UInt64(bytes.count),
                  count <= (UInt64(bytes.count) - offset) / UInt64(width) else {
                throw .malformed("column \(id) does not lie inside the file after the one before it")
            }
            guard !entries.contains(where: { $0.id == id }) else { throw .malformed("column \(id) is listed twice") }
            let digest = SHA256Digest(bytes: bytes[(at + ColumnFile.directoryDigestOffset)..<(at + ColumnFile.directoryEntryBytes)])
            entries.append(Entry(id: id, width: Int(width), count: Int(count), offset: Int(offset), digest: digest, gapStart: dataStart))
            dataStart = Int(offset) + Int(count) * Int(width)
        }
        self.region = region
        schemaVersion = u32(12)
        metadata = Array(bytes[ColumnFile.fixedHeaderBytes..<metadataEnd])
        self.entries = entries
        self.directoryStart = directoryStart
        self.directoryEnd = directoryEnd
    }

    static func padded(_ value: Int, to multiple: Int) -> Int { (value + multiple - 1) / multiple * multiple }

    /// Where column `id`'s elements start in the file, and their width (tests that change one).
    package func placement(of id: UInt32) -> (offset: Int, width: Int)? {
        entries.first { $0.id == id }.map { ($0.offset, $0.width) }
    }

    /// Lets the pages of the columns `ids` go from this process's memory once they are checked
    /// (`MappedRegion.releasePages`): the few values read later are faulted in again from the
    /// page cache. The file is this user's own, replaced only by renaming, so they are the
    /// bytes that were checked.
    public func releasePages(ofColumns ids: [UInt32]) {
        region.releasePages(entries.filter { ids.contains($0.id) }.map { $0.offset ..< $0.offset + $0.byteCount })
    }

    /// How many elements column `id` has, as the directory says (authenticated with the header).
    public func elementCount(of id: UInt32) -> Int? { entries.first { $0.id == id }?.count }

    /// Whether the file has a column `id`.
    public func hasColumn(_ id: UInt32) -> Bool { entries.contains { $0.id == id } }

    /// Column `id`, read in place; refused when it is missing or its elements are of another width.
    public func column<Element: FixedWidthInteger & Sendable>(_ id: UInt32, as type: Element.Type = Element.self) throws(ColumnFileError) -> Column<Element> {
        guard let entry = entries.first(where: { $0.id == id }) else { throw .malformed("it has no column \(id)") }
        guard entry.width == MemoryLayout<Element>.size else { throw .malformed("column \(id) has elements of another width") }
        return Column(region: region, offset: entry.offset, count: entry.count)
    }

    /// The MAC stored in the header.
    var storedMAC: SHA256Digest {
        SHA256Digest(bytes: region.bytes[ColumnFile.macOffset..<(ColumnFile.macOffset + ColumnFile.macBytes)])
    }

    /// Whether the header's MAC is the one `key` gives (metadata and directory, digests included).
    public func headerMatches(key: [UInt8]) -> Bool {
        ColumnFileMAC.mac(key: key, header: UnsafeRawBufferPointer(rebasing: region.bytes[..<directoryEnd]))
            .equalsInConstantTime(storedMAC)
    }

    /// Refuses the file (`.damaged`) unless the header's MAC is the one `key` gives: done before
    /// its metadata or any column is trusted.
    public func authenticateHeader(key: [UInt8]) throws(ColumnFileError) {
        guard headerMatches(key: key) else { throw .damaged }
    }

    /// Whether the header's MAC and every column's digest are the ones `key` and the bytes give.
    public func macMatches(key: [UInt8]) -> Bool { headerMatches(key: key) && columnsMatch() }

    /// What `body` makes of the whole file, only if its header's MAC and every column's digest
    /// match (see `verifying`, which a reader of some columns uses instead).
    public func authenticated<Result>(key: [UInt8], _ body: (ColumnFile) throws(ColumnFileError) -> Result) throws(ColumnFileError) -> Result {
        try authenticateHeader(key: key)
        return try verifying(columns: entries.map(\.id)) { () throws(ColumnFileError) in try body(self) }
    }

    /// Whether every column's bytes, and the zeros before each, are as the directory's digests
    /// say (on this thread; the reader's path is `verifying`).
    public func columnsMatch() -> Bool {
        do throws(ColumnFileError) {
            return try verifying(columns: entries.map(\.id), hashingAlongside: false) { () throws(ColumnFileError) in true }
        } catch {
            return false
        }
    }

    /// What `body` makes of columns `ids`, only if each column's bytes are the ones its digest in
    /// the (authenticated) directory names and the padding before it is zeros. Their chunks are
    /// hashed on another core while `body` runs and on this one once `body` is done (`body` checks
    /// what it reads, so reading bytes the digests will refuse is safe); a mismatch discards the
    /// result and throws `.damaged`. A column not in the file is refused as malformed. With
    /// `releasingPages`, each chunk's pages go from the process's memory once hashed (see
    /// `releasePages`): for a reader of every column that reads most of them again only in part.
    public func verifying<Result>(columns ids: [UInt32], hashingAlongside: Bool = true, releasingPages: Bool = false,
                                  _ body: () throws(ColumnFileError) -> Result) throws(ColumnFileError) -> Result {
        var chosen: [Entry] = []
        for id in ids where !chosen.contains(where: { $0.id == id }) {
            guard let entry = entries.first(where: { $0.id == id }) else { throw .malformed("it has no column \(id)") }
            chosen.append(entry)
        }
        let check = DigestCheck(region, chosen, releasingPages: releasingPages)
        let pending = DispatchGroup()
        if hashingAlongside, check.count > 1 {
            pending.enter()
            DispatchQueue.global().async {
                check.hashChunks()
                pending.leave()
            }
        }
        let result: Swift.Result<Result, ColumnFileError>
        do throws(ColumnFileError) { result = .success(try body()) } catch { result = .failure(error) }
        check.hashChunks()
        pending.wait()
        guard check.matches() else { throw .damaged }
        return try result.get()
    }

    /// The chunks of some columns, hashed by whichever threads call `hashChunks`: each takes the
    /// next chunk not yet taken, so each chunk is hashed once, by one thread, into its own slot.
    private final class DigestCheck: @unchecked Sendable {
        let region: MappedRegion
        let entries: [Entry]
        /// Chunk by chunk: the column (index into `entries`) and its bytes in the file.
        let chunks: [(column: Int, range: Range<Int>)]
        let releasingPages: Bool
        var count: Int { chunks.count }
        private let next = Atomic<Int>(0)
        private let slots: UnsafeMutableBufferPointer<SHA256Digest>

        init(_ region: MappedRegion, _ entries: [Entry], releasingPages: Bool) {
            self.region = region
            self.entries = entries
            self.releasingPages = releasingPages
            var chunks: [(column: Int, range: Range<Int>)] = []
            for (position, entry) in entries.enumerated() {
                for index in 0..<ColumnFileMAC.chunkCount(bytes: entry.byteCount) {
                    let range = ColumnFileMAC.chunk(index, bytes: entry.byteCount)
                    chunks.append((position, (entry.offset + range.lowerBound)..<(entry.offset + range.upperBound)))
                }
            }
            self.chunks = chunks
            slots = .allocate(capacity: max(chunks.count, 1))
            slots.initialize(repeating: .zero)
            region.adviseWillNeed(entries.map { $0.offset..<($0.offset + $0.byteCount) })
        }

        deinit { slots.deallocate() }

        func hashChunks() {
            while true {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < chunks.count else { return }
                slots[index] = SHA256.hash(UnsafeRawBufferPointer(rebasing: region.bytes[chunks[index].range]))
                if releasingPages { region.releasePages([chunks[index].range]) }
            }
        }

        /// Read only after every thread that called `hashChunks` returned.
        func matches() -> Bool {
            var start = 0
            var same = true
            for (position, entry) in entries.enumerated() {
                var end = start
                while end < chunks.count, chunks[end].column == position { end += 1 }
                let digest = ColumnFileMAC.columnDigest(chunkDigests: slots[start..<end])
                same = same && digest.equalsInConstantTime(entry.digest)
                same = same && region.bytes[entry.gapStart..<entry.offset].allSatisfy { $0 == 0 }
                start = end
            }
            return same
        }
    }

    /// Maps (or, failing that, reads) the file at `path`.
    static func read(_ path: String) throws(ColumnFileError) -> MappedRegion {
        guard let (descriptor, status) = PrivateFiles.openRegularNoFollow(path, mustBeOwnedByUser: true) else {
            if errno == ENOENT { throw .missing }
            throw .unreadable(errno == EPERM ? "not a regular file of this user's" : String(cString: strerror(errno)))
        }
        defer { _ = close(descriptor) }
        let size = Int(status.st_size)
        guard size >= 0, size <= maximumBytes else { throw .malformed("it is larger than any column file") }
        guard size >= fixedHeaderBytes else { throw .notAColumnFile }
        // Column files are replaced by renaming, never rewritten in place, so the mapped file stays
        // as it was; only someone truncating it by hand during the read could fault the mapping.
        if let mapped = MappedRegion(mapping: descriptor, count: size) { return mapped }
        return try MappedRegion(count: size) { memory in
            var done = 0
            while done < size {
                let result = pread(descriptor, memory.baseAddress! + done, size - done, off_t(done))
                if result < 0, errno == EINTR { continue }
                guard result > 0 else { return false }
                done += result
            }
            return true
        }
    }
}
