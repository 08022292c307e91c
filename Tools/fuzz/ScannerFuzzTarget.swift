#if canImport(Glibc)
import Glibc
#endif

/// libFuzzer entry point: one input is one event line (without its newline) for the scanner.
@_cdecl("LLVMFuzzerTestOneInput")
public func scannerFuzzTarget(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    if let inconsistency = FuzzOracle.scanLine(bytes) {
        fputs("scanner oracle: \(inconsistency)\n", stderr)
        abort()
    }
    return 0
}
