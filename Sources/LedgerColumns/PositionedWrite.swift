#if canImport(Glibc)
import Glibc
#endif

/// Writes all of a buffer at a file offset, again after a short write or an interruption: the
/// one loop the column file writer and its scratch file share.
enum PositionedWrite {
    /// Nil once every byte is written; else the `errno` of the write that failed.
    static func all(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int) -> Int32? {
        guard let base = bytes.baseAddress else { return nil }
        var done = 0
        while done < bytes.count {
            let result = pwrite(descriptor, base + done, bytes.count - done, off_t(offset + done))
            if result < 0 {
                if errno == EINTR { continue }
                return errno
            }
            done += result
        }
        return nil
    }
}
