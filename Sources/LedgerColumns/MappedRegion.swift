#if canImport(Glibc)
import Glibc
#endif

/// Bytes of a column file: mapped read-only from the page cache (no fresh memory to fault in
/// and zero, which is most of what loading a cache would otherwise cost), or, where a file cannot
/// be mapped, read into memory of our own. Released with the last reference; never written once
/// filled, so threads may share it.
@usableFromInline package final class MappedRegion: @unchecked Sendable {
    package let bytes: UnsafeRawBufferPointer
    private let isMapped: Bool

    /// The first `count` bytes of an open file, mapped read-only, or nil when it cannot be mapped.
    /// Not populated: a reader touches (and faults in) only the columns it uses.
    init?(mapping descriptor: Int32, count: Int) {
        precondition(count > 0, "only a non-empty file is mapped")
        guard let address = mmap(nil, count, PROT_READ, MAP_PRIVATE, descriptor, 0),
              address != MAP_FAILED else { return nil }
        bytes = UnsafeRawBufferPointer(start: address, count: count)
        isMapped = true
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

    /// `madvise` over the pages of each range: every page it touches, or (`wholePagesOnly`) only
    /// those wholly inside it, so that no neighbouring column's page is let go. A hint, never an error.
    private func advise(_ advice: Int32, _ ranges: [Range<Int>], wholePagesOnly: Bool) {
        guard isMapped, let base = bytes.baseAddress else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        for range in ranges {
            let start = (range.lowerBound + (wholePagesOnly ? page - 1 : 0)) / page * page
            let end = wholePagesOnly ? range.upperBound / page * page : range.upperBound
            guard end > start else { continue }
            _ = madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, advice)
        }
    }

    deinit {
        if isMapped {
            munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count)
        } else {
            UnsafeMutableRawPointer(mutating: bytes.baseAddress)?.deallocate()
        }
    }
}
