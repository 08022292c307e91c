@testable import LedgerLog

/// What the fuzz targets check for each input, shared with the regression tests that replay
/// their corpora and crash inputs (Tools/fuzz compiles this file into the fuzzers).
///
/// Each oracle returns nil when the code under test answered consistently, else what was
/// inconsistent. Not crashing is only the first requirement: every answer is cross-checked
/// against a second, independent way of reaching it.
enum FuzzOracle {
    /// The event-line scanner (`ScannedEventLine.scan`, the inner loop of verify).
    ///
    /// - An accepted line parses with the general parser, is byte-for-byte its own RFC 8785
    ///   form, and every member the scanner located holds what the parser read; the hash the
    ///   scanner computes is SHA-256 of the canonical object without `hash`.
    /// - A refused line is refused at an offset inside it, and the diagnosis explains it in words;
    ///   the diagnosis may fall back to the scanner's bare reason only for nesting too deep.
    static func scanLine(_ bytes: [UInt8]) -> String? {
        guard !bytes.isEmpty else { return nil }
        let outcome = bytes.withUnsafeBytes { ScannedEventLine.scan($0) }
        switch outcome {
        case .success(let scanned):
            return checkAccepted(bytes, scanned)
        case .failure(let failure):
            guard failure.offset >= 0, failure.offset <= bytes.count else {
                return "refused at offset \(failure.offset), outside the \(bytes.count)-byte line"
            }
            let explanation = bytes.withUnsafeBytes { EventLineDiagnosis.explain($0, failure: failure) }
            guard !explanation.isEmpty else { return "a refused line got an empty explanation" }
            if explanation == "\(failure.reason.rawValue) at byte \(failure.offset + 1)" || explanation == "invalid event line" {
                // The friendly diagnosis found nothing wrong; only depth is the scanner's alone to see.
                guard failure.reason == .tooDeep else {
                    return "the scanner refused (\(failure.reason.rawValue) at \(failure.offset)) a line the diagnosis finds nothing wrong with: \(explanation)"
                }
            }
            return nil
        }
    }

    private static func checkAccepted(_ bytes: [UInt8], _ scanned: ScannedEventLine) -> String? {
        var options = JSONParser.Options()
        options.maximumBytes = ScannedEventLine.maximumLineBytes
        guard let value = try? JSONParser.parse(bytes, options: options) else {
            return "the scanner accepted a line the parser refuses"
        }
        guard let canonical = try? JSONCanonical.serialize(value), canonical == bytes else {
            return "the scanner accepted a line that is not its own canonical form"
        }
        guard case .object(let object) = value, object.count == 11 else {
            return "the scanner accepted something other than an eleven-member object"
        }
        func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
        func quoted(_ range: Range<Int>) -> String {
            bytes[range].withUnsafeBytes { CanonicalString.decode($0) }
        }
        guard object["seq"]?.numberValue?.integerValue == Int64(scanned.seq),
              object["v"]?.numberValue?.integerValue == Int64(scanned.version) else {
            return "seq or v located by the scanner differ from the parsed ones"
        }
        guard object["id"]?.stringValue == text(scanned.id), object["type"]?.stringValue == text(scanned.type),
              object["actor"]?.stringValue == quoted(scanned.actor),
              object["source"]?.stringValue == quoted(scanned.source) else {
            return "id, type, actor or source located by the scanner differ from the parsed ones"
        }
        guard object["effective"]?.stringValue == scanned.effective.description,
              object["recorded"]?.stringValue == scanned.recorded.description else {
            return "effective or recorded read by the scanner differ from the parsed ones"
        }
        guard object["prev"]?.stringValue == text(scanned.previousHashOffset..<(scanned.previousHashOffset + 64)),
              object["hash"]?.stringValue == text(scanned.hashOffset..<(scanned.hashOffset + 64)) else {
            return "prev or hash located by the scanner differ from the parsed ones"
        }
        guard let data = object["data"], let dataBytes = try? JSONCanonical.serialize(data),
              Array(bytes[scanned.data]) == dataBytes else {
            return "the data located by the scanner differs from the parsed data"
        }
        var body = object
        body.members.removeAll { $0.key == "hash" }
        guard let bodyBytes = try? JSONCanonical.serialize(.object(body)) else { return "the body has no canonical form" }
        let computed = bytes.withUnsafeBytes { scanned.computeHash(of: $0, implementation: .portable) }
        guard computed == SHA256.hash(bodyBytes) else {
            return "the scanner hashes other bytes than the canonical object without hash"
        }
        return nil
    }

    /// The RFC 8785 canonicaliser and the allocation-free canonical scanner, against each other.
    ///
    /// - A canonical form is stable (canonicalising it again changes nothing) and valid UTF-8.
    /// - The scanner accepts exactly the canonical texts within its limits: if it accepts the
    ///   input whole, the input is its own canonical form; if a canonical form holds only
    ///   integers within ±(2^53−1) and nests at most 32 deep, the scanner accepts it.
    static func canonicalise(_ bytes: [UInt8]) -> String? {
        let scannerAccepts = scannerAcceptsWhole(bytes)
        let canonical: [UInt8]
        do {
            canonical = try JSONCanonical.canonicalize(bytes)
        } catch {
            if scannerAccepts { return "the scanner accepted input the canonicaliser refuses: \(error)" }
            return error.description.isEmpty ? "a refusal without a reason" : nil
        }
        guard let again = try? JSONCanonical.canonicalize(canonical), again == canonical else {
            return "canonicalising the canonical form changed it"
        }
        guard String(validating: canonical, as: UTF8.self) != nil else { return "the canonical form is not valid UTF-8" }
        if scannerAccepts && canonical != bytes {
            return "the scanner accepted input that is not its own canonical form"
        }
        if let value = try? JSONParser.parse(canonical), fitsScanner(value, depth: 0), !scannerAcceptsWhole(canonical) {
            return "the scanner refused a canonical text within its limits"
        }
        return nil
    }

    static func scannerAcceptsWhole(_ bytes: [UInt8]) -> Bool {
        guard !bytes.isEmpty else { return false }
        return bytes.withUnsafeBytes { pointer in
            var scanner = CanonicalScanner(pointer)
            return scanner.scanValue(depth: 0) && scanner.position == pointer.count
        }
    }

    /// Integers within ±(2^53−1) only (no -0), containers nested at most 32 deep.
    static func fitsScanner(_ value: JSONValue, depth: Int) -> Bool {
        switch value {
        case .number(let number):
            guard number.isInteger, let integer = number.integerValue else { return false }
            return integer.magnitude <= CanonicalScanner.maximumSafeInteger
        case .array(let elements):
            return depth < CanonicalScanner.maximumDepth && elements.allSatisfy { fitsScanner($0, depth: depth + 1) }
        case .object(let object):
            return depth < CanonicalScanner.maximumDepth && object.members.allSatisfy { fitsScanner($0.value, depth: depth + 1) }
        default:
            return true
        }
    }
}
