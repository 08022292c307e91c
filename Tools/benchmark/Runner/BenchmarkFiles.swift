#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The few file operations of the benchmark. Reads to end of file rather than to `st_size`,
/// which is 0 for the files of /proc.
enum BenchmarkFiles {
    /// Up to `limitBytes` of a file, or nil when it cannot be opened or read.
    static func read(_ path: String, limitBytes: Int) -> [UInt8]? {
        precondition(limitBytes > 0, "a read has a positive limit")
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var result: [UInt8] = []
        var block = [UInt8](repeating: 0, count: 1 << 16)
        while result.count < limitBytes {
            let wanted = min(block.count, limitBytes - result.count)
            let count = block.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, wanted) }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if count == 0 { break }
            result.append(contentsOf: block[0..<count])
        }
        return result
    }

    static func readText(_ path: String, limitBytes: Int = 1 << 20) -> String? {
        read(path, limitBytes: limitBytes).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The size of a regular file, or nil when it does not exist.
    static func size(_ path: String) -> Int? {
        var status = stat()
        guard stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(status.st_size)
    }

    static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
    }

    /// Reads a file to its end and keeps nothing, so that its pages are in the page cache;
    /// false when it cannot be read.
    static func readThrough(_ path: String) -> Bool {
        readBlocks(path) { _ in }
    }

    /// Lines (newline bytes) in a file, read in large blocks; nil when it cannot be read.
    static func countLines(_ path: String) -> Int? {
        var lines = 0
        let read = readBlocks(path) { block in
            for byte in block where byte == UInt8(ascii: "\n") { lines += 1 }
        }
        return read ? lines : nil
    }

    /// Hands `body` the file's bytes a block of 1 MiB at a time, to its end; false when it
    /// cannot be opened or read.
    private static func readBlocks(_ path: String, _ body: (UnsafeRawBufferPointer) -> Void) -> Bool {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var block = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = block.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return false
            }
            if count == 0 { return true }
            block.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        }
    }

    /// The last component of a path.
    static func name(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    /// Writes `bytes` to a new file at `path` (replacing one there); false when it cannot.
    static func write(_ bytes: [UInt8], to path: String) -> Bool {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        return bytes.withUnsafeBytes { writeAll(descriptor, $0) }
    }

    /// Copies the file at `source` to a new file at `target`, a block at a time; false when it cannot.
    static func copy(_ source: String, to target: String) -> Bool {
        let descriptor = open(target, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var written = true
        let read = readBlocks(source) { block in
            if written { written = writeAll(descriptor, block) }
        }
        return read && written
    }

    private static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let count = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return false }
            offset += count
        }
        return true
    }

    static func makeDirectory(_ path: String) -> Bool {
        mkdir(path, 0o755) == 0 || errno == EEXIST
    }

    /// Sets a variable of this process's environment, which the commands it runs inherit.
    static func setEnvironment(_ name: String, to value: String) {
        _ = setenv(name, value, 1)
    }

    /// `path` from the root: as it is when it starts with "/", else under the working directory.
    static func absolute(_ path: String) -> String {
        guard !path.hasPrefix("/") else { return path }
        guard let working = getcwd(nil, 0) else { return path }
        defer { free(working) }
        return String(cString: working) + "/" + path
    }

    /// The regular files of `directory` whose names start with `prefix`, in name order; none
    /// when it cannot be listed.
    static func files(in directory: String, prefix: String) -> [String] {
        guard let stream = opendir(directory) else { return [] }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name.hasPrefix(prefix) { names.append(name) }
        }
        return names.sorted().map { directory + "/" + $0 }.filter { size($0) != nil }
    }

    /// A new empty directory under `parent` (mkdtemp), or nil.
    static func makeScratchDirectory(in parent: String, prefix: String) -> String? {
        var template = Array("\(parent)/\(prefix)-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard made != nil else { return nil }
        return String(decoding: template.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Removes the regular files of a directory and the directory; quietly does what it can.
    static func removeDirectoryAndItsFiles(_ path: String) {
        removeDirectory(path, files: files(in: path, prefix: "").map(name))
    }

    /// Removes the named files of a directory and the directory; quietly does what it can.
    static func removeDirectory(_ path: String, files: [String]) {
        for file in files { _ = unlink("\(path)/\(file)") }
        _ = rmdir(path)
    }
}

/// One line on standard error (progress and failures; the report goes to standard output).
func printToStandardError(_ message: String) {
    var bytes = Array((message + "\n").utf8)
    var written = 0
    while written < bytes.count {
        let count = bytes.withUnsafeMutableBytes { Glibc.write(2, $0.baseAddress! + written, $0.count - written) }
        if count < 0 && errno == EINTR { continue }
        guard count > 0 else { return }
        written += count
    }
}
