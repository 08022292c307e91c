#if canImport(Glibc)
import Glibc
#endif
import LedgerLog

/// Lays out and writes a column file (see `ColumnFile`): header, metadata, directory, then each
/// column's bytes straight from its memory, hashed into its digest as they are written; then the
/// directory again with the digests, and the header's MAC over it.
public struct ColumnFileWriter {
    private struct Pending {
        var id: UInt32
        var width: Int
        var count: Int
        var bytes: Bytes
    }

    private enum Bytes {
        /// Given to a body whole, from memory (or made when written), and what lets go the pages
        /// of a range of them once written (a mapped column's: `Column.releasePages(ofBytes:)`).
        case inMemory(((UnsafeRawBufferPointer) -> Void) -> Void, release: ((Range<Int>) -> Void)? = nil)
        /// Set aside in `spill` (where they start), with their digest.
        case spilled(offset: Int, digest: SHA256Digest)
    }

    /// How much of a column is hashed and written at once (whole chunks of the digest, so that
    /// each group's chunk digests are the column's): large enough that the two cores' hand-over
    /// costs little, small enough that its pages, let go after, never add up.
    static let groupBytes = 8 * ColumnFileMAC.chunkBytes

    /// Bytes read on two threads at once while the caller waits for both (`fill`).
    private struct SharedBytes: @unchecked Sendable {
        let bytes: UnsafeRawBufferPointer
    }

    private let schemaVersion: UInt32
    private let metadata: [UInt8]
    private var columns: [Pending] = []
    /// Where every column goes as soon as it is added, when set (see `init(schemaVersion:metadata:spill:)`).
    private let spill: SpillFile?

    public init(schemaVersion: UInt32, metadata: [UInt8]) {
        precondition(metadata.count <= ColumnFile.maximumMetadataBytes, "metadata is small")
        self.schemaVersion = schemaVersion
        self.metadata = metadata
        spill = nil
    }

    /// A writer that holds no column in memory: each is written to `spill` with its digest as it
    /// is added (one made when written is made then), so that the caller may let it go at once,
    /// and the file is then copied out of `spill` in the kernel. The same file as without it.
    public init(schemaVersion: UInt32, metadata: [UInt8], spill: SpillFile) {
        precondition(metadata.count <= ColumnFile.maximumMetadataBytes, "metadata is small")
        self.schemaVersion = schemaVersion
        self.metadata = metadata
        self.spill = spill
    }

    private func checkNew(_ id: UInt32) {
        precondition(!columns.contains { $0.id == id }, "one column per id")
        precondition(columns.count < ColumnFile.maximumColumns, "at most \(ColumnFile.maximumColumns) columns")
    }

    public mutating func add<Element: FixedWidthInteger & Sendable>(_ id: UInt32, _ column: Column<Element>) {
        if let spill { return add(id, spill.store(column)) }
        checkNew(id)
        // A mapped column's pages are let go as they are written (a snapshot saved again from the
        // one it opened: at ten million events, most of a 1.3 GB file that would stay resident).
        columns.append(Pending(id: id, width: MemoryLayout<Element>.size, count: column.count,
                               bytes: .inMemory({ body in column.withBytes { body($0) } },
                                                release: column.isMapped ? { column.releasePages(ofBytes: $0) } : nil)))
    }

    /// A column already set aside in this writer's spill file (`SpillFile.store`).
    public mutating func add<Element: FixedWidthInteger & Sendable>(_ id: UInt32, _ run: SpilledRun<Element>) {
        precondition(spill != nil, "a spilled column goes to a writer that spills")
        checkNew(id)
        columns.append(Pending(id: id, width: MemoryLayout<Element>.size, count: run.count,
                               bytes: .spilled(offset: run.offset, digest: run.digest)))
    }

    /// A column appended block by block to a spill file (copied into one run of this writer's).
    public mutating func add<Element: FixedWidthInteger & Sendable>(_ id: UInt32, _ column: SpilledColumn<Element>) {
        guard let spill else { preconditionFailure("a spilled column goes to a writer that spills") }
        add(id, spill.store(column))
    }

    public mutating func add<Element: FixedWidthInteger & Sendable>(_ id: UInt32, _ elements: [Element]) {
        add(id, Column(elements))
    }

    /// A column made only when the file is written and let go once its bytes are: a file of
    /// many columns derived from one model then holds one of them at a time, not all of them
    /// (a snapshot's read models and id fingerprints, hundreds of MB at ten million events,
    /// beside a ledger that is already in memory). `make` gives exactly `count` elements, the
    /// same each time it is called (the file in memory calls it twice).
    public mutating func add<Element: FixedWidthInteger & Sendable>(_ id: UInt32, count: Int,
                                                                   madeBy make: @escaping () -> [Element]) {
        precondition(count >= 0, "a column has a length")
        if let spill {
            let made = make()
            precondition(made.count == count, "a column made when written has the length it was laid out with")
            return add(id, spill.store(made))
        }
        checkNew(id)
        columns.append(Pending(id: id, width: MemoryLayout<Element>.size, count: count, bytes: .inMemory({ body in
            let made = make()
            precondition(made.count == count, "a column made when written has the length it was laid out with")
            made.withUnsafeBytes { body($0) }
        })))
    }

    /// The header, metadata and directory, with the MAC field zero, and where each column starts.
    /// `digests`, one per column, fill the directory's digest fields (zeros until they are known).
    private func layout(digests: [SHA256Digest]? = nil) -> (head: [UInt8], offsets: [Int], length: Int) {
        var directoryStart = ColumnFile.fixedHeaderBytes + metadata.count
        directoryStart = ColumnFile.padded(directoryStart, to: 8)
        var offset = directoryStart + columns.count * ColumnFile.directoryEntryBytes
        var offsets: [Int] = []
        for column in columns {
            offset = ColumnFile.padded(offset, to: ColumnFile.alignment)
            offsets.append(offset)
            offset += column.count * column.width
        }
        let length = offset
        var head = ByteEncoder()
        head.put(bytes: ColumnFile.magic)
        head.put(ColumnFile.storageFormatVersion)
        head.put(schemaVersion)
        head.put(bytes: [UInt8](repeating: 0, count: ColumnFile.macBytes))
        head.put(UInt64(length))
        head.put(UInt64(metadata.count))
        head.put(UInt64(columns.count))
        head.put(bytes: metadata)
        var bytes = head.bytes
        while bytes.count < directoryStart { bytes.append(0) }
        var directory = ByteEncoder()
        for (position, (column, start)) in zip(columns, offsets).enumerated() {
            directory.put(column.id)
            directory.put(UInt32(column.width))
            directory.put(UInt64(column.count))
            directory.put(UInt64(start))
            directory.put(bytes: digests?[position].bytes ?? [UInt8](repeating: 0, count: 32))
        }
        bytes.append(contentsOf: directory.bytes)
        return (bytes, offsets, length)
    }

    /// The whole file in memory (tests and the fuzzer's seeds).
    public func bytes(key: [UInt8]) -> [UInt8] {
        var digests: [SHA256Digest] = []
        for column in columns {
            switch column.bytes {
            case .inMemory(let withBytes, _): withBytes { digests.append(ColumnFileMAC.columnDigest(of: $0)) }
            case .spilled(_, let digest): digests.append(digest)
            }
        }
        var (file, offsets, length) = layout(digests: digests)
        let headLength = file.count
        file.reserveCapacity(length)
        for (column, start) in zip(columns, offsets) {
            file.append(contentsOf: [UInt8](repeating: 0, count: start - file.count))
            switch column.bytes {
            case .inMemory(let withBytes, _):
                withBytes { file.append(contentsOf: $0) }
            case .spilled(let offset, _):
                var bytes = [UInt8](repeating: 0, count: column.count * column.width)
                bytes.withUnsafeMutableBytes { spill!.read(into: $0, at: offset) }
                file.append(contentsOf: bytes)
            }
        }
        precondition(file.count == length, "the file is as long as its layout")
        let mac = file.withUnsafeBytes { ColumnFileMAC.mac(key: key, header: UnsafeRawBufferPointer(rebasing: $0[..<headLength])) }
        file.replaceSubrange(ColumnFile.macOffset..<(ColumnFile.macOffset + ColumnFile.macBytes), with: mac.bytes)
        return file
    }

    /// Replaces `path` with this file in one step: written to an unnamed file in the same
    /// directory (Linux `O_TMPFILE`), so that a crash or an interrupt while writing leaves
    /// nothing behind, then named beside it and renamed over it, so that a reader sees the old
    /// file or the new one, never part of one. Where unnamed files are not available, a named
    /// temporary created new (O_EXCL) is written instead. Not synced: a crash can leave a torn
    /// file under the name, which its length and MAC refuse. Returns the reason on failure.
    public func write(to path: String, key: [UInt8]) -> String? {
        let directory = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let temporary = path + ".tmp-\(getpid())-\(monotonicNanoseconds())"
        let unnamed = (directory.isEmpty ? "." : directory).withCString { open($0, __O_TMPFILE | O_RDWR | O_CLOEXEC, 0o600) }
        var filled: Int32? = nil
        if unnamed >= 0 {
            if let failure = fill(unnamed, name: temporary, key: key) {
                _ = close(unnamed)
                return failure
            }
            let linked = "/proc/self/fd/\(unnamed)".withCString { source in
                temporary.withCString { linkat(AT_FDCWD, source, AT_FDCWD, $0, AT_SYMLINK_FOLLOW) }
            }
            if linked == 0 {
                _ = close(unnamed)
                return rename(temporary, path)
            }
            // No /proc, or a file system that cannot link an unnamed file: the named way below,
            // with the bytes already written (a spilling writer's columns are gone by now).
            filled = unnamed
        }
        defer { if let filled { _ = close(filled) } }
        let descriptor = temporary.withCString { open($0, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600) }
        guard descriptor >= 0 else { return "cannot create \(temporary): \(String(cString: strerror(errno)))" }
        var failure = filled.map { copyAll(from: $0, to: descriptor, name: temporary) } ?? fill(descriptor, name: temporary, key: key)
        if close(descriptor) != 0, failure == nil { failure = "cannot write \(temporary): \(String(cString: strerror(errno)))" }
        if let failure {
            // Only the temporary this call created (O_EXCL) is removed.
            _ = unlink(temporary)
            return failure
        }
        return rename(temporary, path)
    }

    /// This file written to an unnamed file in `directory` (Linux `O_TMPFILE`) that nothing else
    /// can open, and opened from it, mapped: a scratch copy for this process alone, gone with its
    /// last mapping (a crash leaves nothing behind). Fails where unnamed files are not available.
    public func writeUnnamed(in directory: String, key: [UInt8]) -> Result<ColumnFile, ColumnFileError> {
        let descriptor = directory.withCString { open($0, __O_TMPFILE | O_RDWR | O_CLOEXEC, 0o600) }
        guard descriptor >= 0 else { return .failure(.unreadable("no unnamed file in \(directory): \(String(cString: strerror(errno)))")) }
        defer { _ = close(descriptor) }
        if let failure = fill(descriptor, name: directory + "/(unnamed)", key: key) { return .failure(.unreadable(failure)) }
        let length = layout().length
        guard length > 0, let region = MappedRegion(mapping: descriptor, count: length) else {
            return .failure(.unreadable("the unnamed file in \(directory) could not be mapped"))
        }
        do throws(ColumnFileError) { return .success(try ColumnFile(region: region)) } catch { return .failure(error) }
    }

    private func fill(_ descriptor: Int32, name: String, key: [UInt8]) -> String? {
        if let failure = spill?.failure { return failure }
        let (head, offsets, length) = layout()
        if let failure = head.withUnsafeBytes({ writeAll(descriptor, $0, at: 0, name: name) }) { return failure }
        var position = head.count
        var failure: String? = nil
        var digests = [SHA256Digest](repeating: .zero, count: columns.count)
        var copies: [(from: Int, count: Int, to: Int)] = []
        let zeros = [UInt8](repeating: 0, count: ColumnFile.alignment)
        for (ordinal, (column, start)) in zip(columns, offsets).enumerated() where failure == nil {
            let padding = start - position
            zeros.withUnsafeBytes { zeroBytes in
                failure = writeAll(descriptor, UnsafeRawBufferPointer(rebasing: zeroBytes[0..<padding]), at: position, name: name)
            }
            if failure != nil { break }
            switch column.bytes {
            case .inMemory(let withBytes, let release):
                // A group of chunks at a time: hashed on one core while written on the other, then
                // (when mapped) its pages let go.
                withBytes { bytes in
                    var chunkDigests: [SHA256Digest] = []
                    var done = 0
                    while done < bytes.count, failure == nil {
                        let end = min(bytes.count, done + ColumnFileWriter.groupBytes)
                        let group = SharedBytes(bytes: UnsafeRawBufferPointer(rebasing: bytes[done..<end]))
                        let (groupDigests, errorNumber) = ColumnFileMAC.chunkDigests(of: group.bytes) { [at = start + done] in
                            PositionedWrite.all(descriptor, group.bytes, at: at)
                        }
                        if let errorNumber { failure = "cannot write \(name): \(String(cString: strerror(errorNumber)))" }
                        chunkDigests += groupDigests
                        release?(done..<end)
                        done = end
                    }
                    digests[ordinal] = ColumnFileMAC.columnDigest(chunkDigests: chunkDigests)
                }
            case .spilled(let offset, let digest):
                digests[ordinal] = digest
                copies.append((offset, column.count * column.width, start))
            }
            position = start + column.count * column.width
        }
        // Copied from the spill file's end back to its start, each run let go once copied: its
        // pages, never read again, are dropped instead of written back to disk beside the file's.
        // A spilling writer therefore writes one file.
        for copy in copies.sorted(by: { $0.from > $1.from }) where failure == nil && copy.count > 0 {
            failure = spill!.copy(copy.count, at: copy.from, to: descriptor, at: copy.to).map { "\(name): \($0)" }
            spill!.letGo(from: copy.from)
        }
        if let failure { return failure }
        precondition(position == length, "the file is as long as its layout")
        // The header again, now with the digests and the MAC over them.
        var (final, _, _) = layout(digests: digests)
        precondition(final.count == head.count, "the digests fill fields the layout already has")
        let mac = final.withUnsafeBytes { ColumnFileMAC.mac(key: key, header: $0) }
        final.replaceSubrange(ColumnFile.macOffset..<(ColumnFile.macOffset + ColumnFile.macBytes), with: mac.bytes)
        return final.withUnsafeBytes { writeAll(descriptor, $0, at: 0, name: name) }
    }

    /// Copies every byte of the file open as `source` to `target`, through a buffer of our own.
    private func copyAll(from source: Int32, to target: Int32, name: String) -> String? {
        let bufferBytes = 1 << 20
        var buffer = [UInt8](repeating: 0, count: bufferBytes)
        var offset = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { pread(source, $0.baseAddress!, bufferBytes, off_t(offset)) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { return "cannot read back \(name): \(String(cString: strerror(errno)))" }
            if count == 0 { return nil }
            if let failure = buffer.withUnsafeBytes({ writeAll(target, UnsafeRawBufferPointer(rebasing: $0[0..<count]), at: offset, name: name) }) {
                return failure
            }
            offset += count
        }
    }

    private func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int, name: String) -> String? {
        PositionedWrite.all(descriptor, bytes, at: offset).map { "cannot write \(name): \(String(cString: strerror($0)))" }
    }

    /// Renames `temporary` over `path`, removing `temporary` (created by this writer) if that fails.
    private func rename(_ temporary: String, _ path: String) -> String? {
        guard Glibc.rename(temporary, path) != 0 else { return nil }
        let failure = "cannot rename \(temporary) to \(path): \(String(cString: strerror(errno)))"
        _ = unlink(temporary)
        return failure
    }
}
