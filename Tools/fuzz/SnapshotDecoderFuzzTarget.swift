#if canImport(Glibc)
import Glibc
#endif

/// libFuzzer entry point: one input is the bytes of a snapshot file, decoded without its MAC.
@_cdecl("LLVMFuzzerTestOneInput")
public func snapshotDecoderFuzzTarget(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    if let inconsistency = SnapshotDecoderFuzzOracle.check(bytes) {
        fputs("snapshot decoder oracle: \(inconsistency)\n", stderr)
        abort()
    }
    return 0
}
