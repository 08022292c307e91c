/// Why a column file was not used. A column file is a cache: each of these sends its reader
/// back to the data it was made from.
public enum ColumnFileError: Error, Sendable, Equatable, CustomStringConvertible {
    case missing
    case unreadable(String)
    case notAColumnFile
    /// Written in another layout of the storage layer.
    case otherStorageFormat(version: UInt32)
    /// Written for another schema of its client.
    case otherSchema(version: UInt32)
    /// Its MAC is not the one the reader's key gives: damaged, or not written with that key.
    case damaged
    case malformed(String)

    public var description: String {
        switch self {
        case .missing: return "there is none"
        case .unreadable(let why): return "it cannot be read (\(why))"
        case .notAColumnFile: return "it is not a column file"
        case .otherStorageFormat(let version):
            return "it has storage format \(version); this build reads \(ColumnFile.storageFormatVersion)"
        case .otherSchema(let version): return "it has schema version \(version), which this build does not read"
        case .damaged: return "its MAC does not match this user's key (damaged, or not written by this user)"
        case .malformed(let why): return "it is malformed: \(why)"
        }
    }
}
