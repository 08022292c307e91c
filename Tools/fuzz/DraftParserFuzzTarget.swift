#if canImport(Glibc)
import Glibc
#endif

/// libFuzzer entry point: one input is the content of an `incentives append` file.
@_cdecl("LLVMFuzzerTestOneInput")
public func draftParserFuzzTarget(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    if let inconsistency = DraftParserFuzzOracle.check(bytes) {
        fputs("draft parser oracle: \(inconsistency)\n", stderr)
        abort()
    }
    return 0
}
