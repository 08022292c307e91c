#if canImport(Glibc)
import Glibc
#endif

/// libFuzzer entry point: one input is any JSON text for the RFC 8785 canonicaliser.
@_cdecl("LLVMFuzzerTestOneInput")
public func canonicaliserFuzzTarget(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    if let inconsistency = FuzzOracle.canonicalise(bytes) {
        fputs("canonicaliser oracle: \(inconsistency)\n", stderr)
        abort()
    }
    return 0
}
