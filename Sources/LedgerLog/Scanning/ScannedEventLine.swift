/// The members of one canonical event line, as offsets into the line's bytes and parsed scalars.
/// Produced by `ScannedEventLine.scan`, which checks everything about a line that does not
/// depend on its neighbours: syntax, canonical form, member shapes.
public struct ScannedEventLine: Sendable {
    // Offsets are stored in 32 bits (`scan` refuses a longer line): this is copied for
    // every line on its way from the scanning threads to the sequential step, and at 80 bytes
    // rather than 136 those copies are a few register moves instead of calls to copy memory.
    private let idStart: UInt32, idEnd: UInt32
    private let typeStart: UInt32, typeEnd: UInt32
    private let actorStart: UInt32, actorEnd: UInt32
    private let sourceStart: UInt32, sourceEnd: UInt32
    private let dataStart: UInt32, dataEnd: UInt32
    private let previousHashStart: UInt32, hashStart: UInt32, hashMemberOffset: UInt32
    public let effective: CalendarDate
    public let recorded: Timestamp
    public let seq: Int
    public let version: Int

    /// Offsets of the content between the quotes (ids and types never contain escapes).
    public var id: Range<Int> { Int(idStart)..<Int(idEnd) }
    public var type: Range<Int> { Int(typeStart)..<Int(typeEnd) }
    /// Offsets of the quoted canonical strings, quotes included (they may hold escapes).
    public var actor: Range<Int> { Int(actorStart)..<Int(actorEnd) }
    public var source: Range<Int> { Int(sourceStart)..<Int(sourceEnd) }
    /// Offsets of the canonical `data` object, braces included.
    public var data: Range<Int> { Int(dataStart)..<Int(dataEnd) }
    /// Offset of the 64 hex digits of `prev` and `hash`.
    public var previousHashOffset: Int { Int(previousHashStart) }
    public var hashOffset: Int { Int(hashStart) }
    /// Offset of the `"hash"` key: the hashed bytes are the line without `"hash":"…",`.
    public var hashMemberStart: Int { Int(hashMemberOffset) }

    init(id: Range<Int>, type: Range<Int>, actor: Range<Int>, source: Range<Int>, data: Range<Int>,
         effective: CalendarDate, recorded: Timestamp, seq: Int, version: Int,
         previousHashOffset: Int, hashOffset: Int, hashMemberStart: Int) {
        precondition(type.upperBound <= Int(UInt32.max), "offsets inside a line `scan` accepts")
        idStart = UInt32(id.lowerBound); idEnd = UInt32(id.upperBound)
        typeStart = UInt32(type.lowerBound); typeEnd = UInt32(type.upperBound)
        actorStart = UInt32(actor.lowerBound); actorEnd = UInt32(actor.upperBound)
        sourceStart = UInt32(source.lowerBound); sourceEnd = UInt32(source.upperBound)
        dataStart = UInt32(data.lowerBound); dataEnd = UInt32(data.upperBound)
        previousHashStart = UInt32(previousHashOffset); hashStart = UInt32(hashOffset)
        hashMemberOffset = UInt32(hashMemberStart)
        self.effective = effective
        self.recorded = recorded
        self.seq = seq
        self.version = version
    }

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
        // Far beyond any line a reader hands over (a chunk is megabytes), and what the offsets hold.
        guard line.count < Int(UInt32.max) else { return .failure(ScanFailure(offset: 0, reason: .unexpectedStructure)) }
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
        // Eight bytes at a time, with no branch per byte; look closer only on failure.
        var valid = true
        let start = scanner.position
        let words = UnsafeRawPointer(scanner.base + start)
        for word in 0..<8 where !isLowercaseHex(UInt64(littleEndian: words.loadUnaligned(fromByteOffset: 8 * word, as: UInt64.self))) {
            valid = false
        }
        if !valid {
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

/// Whether the eight bytes of `word` (first byte lowest) are all lowercase hex digits, in a few
/// operations on the whole word (`SHA256Digest.lowercaseHexLanes`, which parsing a digest uses too).
@inline(__always)
func isLowercaseHex(_ word: UInt64) -> Bool {
    SHA256Digest.lowercaseHexLanes(word).isHex == 0x8080_8080_8080_8080
}
