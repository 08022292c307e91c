/// The members of one canonical event line, as offsets into the line's bytes and parsed scalars.
/// Produced by `ScannedEventLine.scan`, which checks everything about a line that does not
/// depend on its neighbours: syntax, canonical form, member shapes.
public struct ScannedEventLine: Sendable {
    /// Offsets of the content between the quotes (ids and types never contain escapes).
    public var id: Range<Int>
    public var type: Range<Int>
    /// Offsets of the quoted canonical strings, quotes included (they may hold escapes).
    public var actor: Range<Int>
    public var source: Range<Int>
    /// Offsets of the canonical `data` object, braces included.
    public var data: Range<Int>
    public var effective: CalendarDate
    public var recorded: Timestamp
    public var seq: Int
    public var version: Int
    /// Offset of the 64 hex digits of `prev` and `hash`.
    public var previousHashOffset: Int
    public var hashOffset: Int
    /// Offset of the `"hash"` key: the hashed bytes are the line without `"hash":"…",`.
    public var hashMemberStart: Int

    /// `"hash":"` + 64 hex + `",`
    public static let hashMemberLength = 74
    public static let maximumActorScalars = 128
    public static let maximumSourceScalars = 256
    public static let maximumTypeLength = 64
    /// No event needs more; a longer line is refused before it costs memory.
    public static let maximumLineBytes = 1 << 20

    /// Checks one line (without its newline). Fails with the offset and reason of the first problem.
    static func scan(_ line: UnsafeRawBufferPointer) -> Result<ScannedEventLine, ScanFailure> {
        guard line.count > 0 else { return .failure(ScanFailure(offset: 0, reason: .unexpectedEnd)) }
        var scanner = CanonicalScanner(line)
        func failure(_ scanner: CanonicalScanner) -> Result<ScannedEventLine, ScanFailure> {
            .failure(scanner.failure ?? ScanFailure(offset: scanner.position, reason: .unexpectedStructure))
        }
        // Canonical order of the eleven members: actor data effective hash id prev recorded seq source type v.
        guard scanner.expect("{\"actor\":"), scanner.position < line.count,
              scanner.byte(at: scanner.position) == UInt8(ascii: "\"") else { return failure(scanner) }
        let actorStart = scanner.position
        guard let actorScalars = scanner.scanString(scalarLimit: maximumActorScalars) else { return failure(scanner) }
        guard actorScalars > 0 else { return .failure(ScanFailure(offset: actorStart, reason: .invalidField)) }
        let actor = actorStart..<scanner.position

        guard scanner.expect(",\"data\":"), scanner.position < line.count,
              scanner.byte(at: scanner.position) == UInt8(ascii: "{") else { return failure(scanner) }
        let dataStart = scanner.position
        guard scanner.scanObject(depth: 1) else { return failure(scanner) }
        let data = dataStart..<scanner.position

        guard scanner.expect(",\"effective\":\"") else { return failure(scanner) }
        guard scanner.position + 10 <= line.count,
              let effective = CalendarDate(ascii: UnsafeRawBufferPointer(rebasing: line[scanner.position..<(scanner.position + 10)]))
        else { return .failure(ScanFailure(offset: scanner.position, reason: .invalidField)) }
        scanner.position += 10

        let hashMemberStart = scanner.position + 2
        guard scanner.expect("\",\"hash\":\"") else { return failure(scanner) }
        let hashOffset = scanner.position
        guard scanHex64(&scanner) else { return failure(scanner) }

        guard scanner.expect("\",\"id\":\"") else { return failure(scanner) }
        let idStart = scanner.position
        while scanner.position < line.count, EventID.isIdentifierByte(scanner.byte(at: scanner.position)) {
            scanner.position += 1
        }
        let id = idStart..<scanner.position
        guard id.count >= 1, id.count <= EventID.maximumLength else {
            return .failure(ScanFailure(offset: idStart, reason: .invalidField))
        }

        guard scanner.expect("\",\"prev\":\"") else { return failure(scanner) }
        let previousHashOffset = scanner.position
        guard scanHex64(&scanner) else { return failure(scanner) }

        guard scanner.expect("\",\"recorded\":\"") else { return failure(scanner) }
        guard scanner.position + 20 <= line.count,
              let recorded = Timestamp(ascii: UnsafeRawBufferPointer(rebasing: line[scanner.position..<(scanner.position + 20)]))
        else { return .failure(ScanFailure(offset: scanner.position, reason: .invalidField)) }
        scanner.position += 20

        guard scanner.expect("\",\"seq\":") else { return failure(scanner) }
        let seqStart = scanner.position
        guard let seq = scanner.scanInteger() else { return failure(scanner) }
        guard seq >= 1 else { return .failure(ScanFailure(offset: seqStart, reason: .invalidField)) }

        guard scanner.expect(",\"source\":"), scanner.position < line.count,
              scanner.byte(at: scanner.position) == UInt8(ascii: "\"") else { return failure(scanner) }
        let sourceStart = scanner.position
        guard let sourceScalars = scanner.scanString(scalarLimit: maximumSourceScalars) else { return failure(scanner) }
        guard sourceScalars > 0 else { return .failure(ScanFailure(offset: sourceStart, reason: .invalidField)) }
        let source = sourceStart..<scanner.position

        guard scanner.expect(",\"type\":\"") else { return failure(scanner) }
        let typeStart = scanner.position
        while scanner.position < line.count, EventID.isIdentifierByte(scanner.byte(at: scanner.position)) {
            scanner.position += 1
        }
        let type = typeStart..<scanner.position
        guard type.count >= 1, type.count <= maximumTypeLength else {
            return .failure(ScanFailure(offset: typeStart, reason: .invalidField))
        }

        guard scanner.expect("\",\"v\":") else { return failure(scanner) }
        let versionStart = scanner.position
        guard let version = scanner.scanInteger() else { return failure(scanner) }
        guard version >= 1 else { return .failure(ScanFailure(offset: versionStart, reason: .invalidField)) }
        guard scanner.expect("}") else { return failure(scanner) }
        guard scanner.position == line.count else {
            return .failure(ScanFailure(offset: scanner.position, reason: .unexpectedStructure))
        }
        return .success(ScannedEventLine(
            id: id, type: type, actor: actor, source: source, data: data, effective: effective,
            recorded: recorded, seq: Int(seq), version: Int(version), previousHashOffset: previousHashOffset,
            hashOffset: hashOffset, hashMemberStart: hashMemberStart))
    }

    private static func scanHex64(_ scanner: inout CanonicalScanner) -> Bool {
        guard scanner.position + 64 <= scanner.end else { return scanner.fail(.unexpectedEnd) }
        // No branch per byte: OR together each byte's class, then look closer only on failure.
        var invalid: UInt8 = 0
        let start = scanner.position
        lowercaseHexClass.withUnsafeBufferPointer { table in
            for offset in start..<(start + 64) { invalid |= table[Int(scanner.base[offset])] }
        }
        if invalid != 0 {
            for offset in start..<(start + 64) where lowercaseHexValue(scanner.byte(at: offset)) == nil {
                return scanner.fail(.invalidField, at: offset)
            }
        }
        scanner.position += 64
        return true
    }

    /// SHA-256 of the line without its `hash` member: the two runs either side of it.
    public func computeHash(of line: UnsafeRawBufferPointer, implementation: SHA256.Implementation) -> SHA256Digest {
        var hasher = SHA256(implementation: implementation)
        hasher.update(UnsafeRawBufferPointer(rebasing: line[0..<hashMemberStart]))
        hasher.update(UnsafeRawBufferPointer(rebasing: line[(hashMemberStart + ScannedEventLine.hashMemberLength)...]))
        return hasher.finalize()
    }
}

/// 0 for the bytes of lowercase hex digits, 1 for every other byte.
private let lowercaseHexClass: [UInt8] = (0..<256).map { byte in
    (48...57).contains(byte) || (97...102).contains(byte) ? 0 : 1
}
