#if canImport(Glibc)
import Glibc
#endif

/// Bytes of a column file: mapped read-only from the page cache (no fresh memory to fault in
/// and zero, which is most of what loading a cache would otherwise cost), or, where a file cannot
/// be mapped, read into memory of our own. Released with the last reference; never written once
/// filled, so threads may share it. The one exception is a column's writable copy
/// (`writableCopy`), written only through the column that holds its only reference.
@usableFromInline package final class MappedRegion: @unchecked Sendable {
    package let bytes: UnsafeRawBufferPointer
    private let isMapped: Bool
    /// Whether this is a column's writable copy, whose pages must never be let go (`advise`):
    /// those written would be lost.
    private let isWritable: Bool
    /// A duplicate of the mapped file's descriptor, kept so that a column can be mapped again
    /// privately and writable (`writableCopy`); -1 when there is none.
    private let descriptor: Int32

    /// The first `count` bytes of an open file, mapped read-only, or nil when it cannot be mapped.
    /// Not populated: a reader touches (and faults in) only the columns it uses.
    init?(mapping descriptor: Int32, count: Int) {
        precondition(count > 0, "only a non-empty file is mapped")
        guard let address = mmap(nil, count, PROT_READ, MAP_PRIVATE, descriptor, 0),
              address != MAP_FAILED else { return nil }
        bytes = UnsafeRawBufferPointer(start: address, count: count)
        isMapped = true
        // Without a duplicate, a column changed later is copied into an array instead.
        self.descriptor = fcntl(descriptor, F_DUPFD_CLOEXEC, 0)
        isWritable = false
    }

    private init(writable address: UnsafeMutableRawPointer, count: Int) {
        bytes = UnsafeRawBufferPointer(start: address, count: count)
        isMapped = true
        isWritable = true
        descriptor = -1
    }

    /// The `byteCount` bytes at `offset` of the mapped file, mapped again privately and writable
    /// (copy on write: pages are copied only where written), with room after them for
    /// `capacityBytes` in all, and where those bytes start in the new region. So a column changed
    /// at its end (an append) keeps its file's pages shared with the page cache instead of being
    /// copied whole. The same bytes this region maps (the same open file: column files are
    /// replaced by renaming, never rewritten). This region's pages of the range are let go, the
    /// column being read from the copy now. Nil where the file cannot be mapped again.
    package func writableCopy(offset: Int, byteCount: Int, capacityBytes: Int) -> (region: MappedRegion, start: Int)? {
        precondition(offset >= 0 && byteCount > 0 && offset + byteCount <= bytes.count && capacityBytes >= byteCount,
                     "a writable copy of bytes inside the file")
        guard descriptor >= 0 else { return nil }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let fileStart = offset / page * page
        let lead = offset - fileStart
        let total = (lead + capacityBytes + page - 1) / page * page
        let filePart = (lead + byteCount + page - 1) / page * page
        // Room first (anonymous, committed only where touched), then the file's pages over its start.
        guard let room = mmap(nil, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0),
              room != MAP_FAILED else { return nil }
        guard let placed = mmap(room, filePart, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, descriptor, off_t(fileStart)),
              placed == room else {
            munmap(room, total)
            return nil
        }
        releasePages([offset..<(offset + byteCount)])
        return (MappedRegion(writable: room, count: total), lead)
    }

    /// A copy of `source` in memory of its own, aligned for any column (tests, the fuzzer, and
    /// files that cannot be mapped).
    package init(copying source: UnsafeRawBufferPointer) {
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: max(source.count, 1), alignment: ColumnFile.alignment)
        if let base = source.baseAddress, source.count > 0 {
            memory.baseAddress!.copyMemory(from: base, byteCount: source.count)
        }
        bytes = UnsafeRawBufferPointer(start: memory.baseAddress, count: source.count)
        isMapped = false
        isWritable = false
        descriptor = -1
    }

    /// Memory of `count` bytes filled by `fill` (a `pread` loop), or nil when `fill` fails.
    init(count: Int, fill: (UnsafeMutableRawBufferPointer) -> Bool) throws(ColumnFileError) {
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 1), alignment: ColumnFile.alignment)
        guard fill(UnsafeMutableRawBufferPointer(rebasing: memory[0..<count])) else {
            memory.deallocate()
            throw .unreadable("it could not be read whole")
        }
        bytes = UnsafeRawBufferPointer(start: memory.baseAddress, count: count)
        isMapped = false
        isWritable = false
        descriptor = -1
    }

    package var count: Int { bytes.count }

    /// Asks the kernel to read `ranges` ahead (they are about to be hashed); a hint, never an error.
    func adviseWillNeed(_ ranges: [Range<Int>]) {
        advise(MADV_WILLNEED, ranges, wholePagesOnly: false)
    }

    /// Lets the kernel take back the pages of `ranges` this process has touched (their bytes stay
    /// in the page cache, and are faulted in again from there when read): for columns checked
    /// whole but read again only here and there. Only the pages wholly inside a range; a hint.
    func releasePages(_ ranges: [Range<Int>]) {
        advise(MADV_DONTNEED, ranges, wholePagesOnly: true)
    }

    /// `releasePages` for bytes the caller knows were never written (a writable copy's bytes
    /// before the first it changed, which are still the file's own): their pages are let go on a
    /// writable copy too, as on a read-only mapping.
    func releaseUnwrittenPages(_ range: Range<Int>) {
        advise(MADV_DONTNEED, [range], wholePagesOnly: true, unwritten: true)
    }

    /// `madvise` over the pages of each range: every page it touches, or (`wholePagesOnly`) only
    /// those wholly inside it, so that no neighbouring column's page is let go. Never on a
    /// writable copy unless every byte of the ranges is `unwritten`. A hint, never an error.
    private func advise(_ advice: Int32, _ ranges: [Range<Int>], wholePagesOnly: Bool, unwritten: Bool = false) {
        guard isMapped, !isWritable || unwritten, let base = bytes.baseAddress else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        for range in ranges {
            let start = (range.lowerBound + (wholePagesOnly ? page - 1 : 0)) / page * page
            let end = wholePagesOnly ? range.upperBound / page * page : range.upperBound
            guard end > start else { continue }
            _ = madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, advice)
        }
    }

    deinit {
        if descriptor >= 0 { _ = close(descriptor) }
        if isMapped {
            munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count)
        } else {
            UnsafeMutableRawPointer(mutating: bytes.baseAddress)?.deallocate()
        }
    }
}
