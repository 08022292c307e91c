#if canImport(Glibc)
import Glibc
#endif
import LedgerLog

/// A scratch file for columns set aside while a column file is prepared: what is written here
/// lives in the page cache (and on disk), not in the process, so a file larger than memory
/// allows can be assembled column by column and then copied out in the kernel. Unnamed
/// (Linux `O_TMPFILE`, else created new and unlinked at once): it disappears with the last
/// reference, whatever happens. A failed write or read is remembered (`failure`) and makes the
/// file that was being prepared fail to write; it never stops the program.
public final class SpillFile: @unchecked Sendable {
    let descriptor: Int32
    /// Bytes written so far; the next append starts here.
    private(set) var end = 0
    /// The first write or read that failed, if any.
    public private(set) var failure: String? = nil
    /// Bytes the file may hold: a write past them fails as on a full disk (`ENOSPC`), so that what
    /// a full disk does to a read that sets columns aside is a unit test.
    let capacityBytes: Int

    /// A scratch file in `directory` (the cache the prepared file goes to, so that the copy out
    /// stays on one file system), or nil when none can be made. `capacityBytes` stands in for the
    /// disk's free space, in tests.
    public init?(directory: String, capacityBytes: Int = Int.max) {
        precondition(capacityBytes >= 0, "a capacity in bytes")
        self.capacityBytes = capacityBytes
        var opened = directory.withCString { open($0, __O_TMPFILE | O_RDWR | O_CLOEXEC, 0o600) }
        if opened < 0 {
            let path = directory + "/.spill-\(getpid())-\(monotonicNanoseconds())"
            opened = path.withCString { open($0, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600) }
            guard opened >= 0 else { return nil }
            // Removes only the name this call just created (O_EXCL, not followed through a link),
            // before a byte is written: nothing of the ledger's, nothing anyone else made.
            _ = unlink(path)
        }
        descriptor = opened
    }

    deinit { _ = close(descriptor) }

    /// Writes `bytes` at the end; returns where they start.
    @discardableResult
    func append(_ bytes: UnsafeRawBufferPointer) -> Int {
        let start = end
        write(bytes, at: start)
        end += bytes.count
        return start
    }

    private func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) {
        guard failure == nil else { return }
        let code = bytes.count > capacityBytes - offset ? ENOSPC : PositionedWrite.all(descriptor, bytes, at: offset)
        guard let code else { return }
        failure = "cannot write a scratch file: \(String(cString: strerror(code)))"
    }

    /// Fills `buffer` with the bytes at `offset`; zeros, and `failure` set, when they cannot be read.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) {
        guard let base = buffer.baseAddress else { return }
        if offset + buffer.count > released, failure == nil { failure = "the scratch file was already copied out" }
        var done = 0
        while done < buffer.count, failure == nil {
            let result = pread(descriptor, base + done, buffer.count - done, off_t(offset + done))
            if result < 0 && errno == EINTR { continue }
            if result <= 0 {
                failure = "cannot read a scratch file back: \(result < 0 ? String(cString: strerror(errno)) : "it ended early")"
                break
            }
            done += result
        }
        if done < buffer.count { (base + done).initializeMemory(as: UInt8.self, repeating: 0, count: buffer.count - done) }
    }

    /// Copies `count` bytes at `offset` to `target` at `targetOffset`, in the kernel where it can
    /// (`sendfile`, which moves the target's file position).
    /// Returns the reason on failure.
    func copy(_ count: Int, at offset: Int, to target: Int32, at targetOffset: Int) -> String? {
        if offset + count > released, failure == nil { failure = "the scratch file was already copied out" }
        if let failure { return failure }
        var source = off_t(offset), destination = off_t(targetOffset)
        var left = count
        // `sendfile` writes at the target's position: set it first.
        if lseek(target, destination, SEEK_SET) == destination {
            while left > 0 {
                let copied = sendfile(target, descriptor, &source, left)
                if copied < 0 && errno == EINTR { continue }
                guard copied > 0 else { break }
                left -= copied
                destination += off_t(copied)
            }
        }
        guard left > 0 else { return nil }
        // Not in the kernel (another file system, an old one): through a buffer of our own.
        let bufferBytes = 1 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferBytes, alignment: 16)
        defer { buffer.deallocate() }
        while left > 0 {
            let piece = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<min(bufferBytes, left)])
            read(into: piece, at: Int(source))
            if let failure { return failure }
            if let code = PositionedWrite.all(target, UnsafeRawBufferPointer(piece), at: Int(destination)) {
                return "cannot write: \(String(cString: strerror(code)))"
            }
            source += off_t(piece.count)
            destination += off_t(piece.count)
            left -= piece.count
        }
        return nil
    }

    /// Lets go of everything from `offset` on (the file is cut there): nothing after it is read
    /// again, and its pages are dropped, not written back. Later reads there fail (`failure`).
    /// Nothing is lost: a scratch file holds copies, made by this process for the file it is
    /// preparing, of what the logs hold; the bytes cut have already been copied out to it.
    func letGo(from offset: Int) {
        guard offset >= 0, offset < end else { return }
        if ftruncate(descriptor, off_t(offset)) == 0 {
            end = offset
            released = min(released, offset)
        }
    }

    /// Where the bytes let go of start (reads from there on fail).
    private var released = Int.max

    /// Writes `column` here whole, with its digest (as a column file states it).
    public func store<Element: FixedWidthInteger & Sendable>(_ column: Column<Element>) -> SpilledRun<Element> {
        column.withBytes { bytes in
            SpilledRun(offset: append(bytes), count: column.count, digest: ColumnFileMAC.columnDigestOnEveryCore(of: bytes))
        }
    }

    public func store<Element: FixedWidthInteger & Sendable>(_ elements: [Element]) -> SpilledRun<Element> {
        store(Column(elements))
    }

    /// Copies a column written here block by block into one run, with its digest.
    public func store<Element: FixedWidthInteger & Sendable>(_ column: SpilledColumn<Element>) -> SpilledRun<Element> {
        let start = end
        var digest = ColumnFileMAC.Streaming()
        column.forEachPiece { piece in
            digest.update(piece)
            append(piece)
        }
        precondition(end - start == column.count * MemoryLayout<Element>.size, "a run holds its column's bytes")
        return SpilledRun(offset: start, count: column.count, digest: digest.finalize())
    }

    /// The elements of `run`, read back into memory of our own.
    public func load<Element: FixedWidthInteger & Sendable>(_ run: SpilledRun<Element>) -> [Element] {
        [Element](unsafeUninitializedCapacity: run.count) { buffer, initialized in
            read(into: UnsafeMutableRawBufferPointer(buffer), at: run.offset)
            initialized = run.count
        }
    }
}

/// A column written whole to a `SpillFile`: where it starts, how many elements, its digest.
public struct SpilledRun<Element: FixedWidthInteger & Sendable>: Sendable {
    let offset: Int
    public let count: Int
    let digest: SHA256Digest
}
