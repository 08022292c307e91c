#if canImport(Glibc)
import Glibc
#endif

/// libFuzzer entry point: one input is decoded into batches of drafts of every type, appended
/// through the real append path into a scratch directory, and every query is run on the result.
@_cdecl("LLVMFuzzerTestOneInput")
public func ledgerFuzzTarget(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    if let inconsistency = LedgerFuzzOracle.check(bytes) {
        fputs("ledger oracle: \(inconsistency)\n", stderr)
        abort()
    }
    return 0
}
