#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

/// A file descriptor with positioned reads and writes. Not thread-safe by itself: the owner
/// (a segment, under its partition's lock) serialises access.
final class File {
    let path: String
    private(set) var descriptor: Int32

    init(path: String, create: Bool) throws {
        self.path = path
        let flags = O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0)
        let fd = open(path, flags, 0o644)
        guard fd >= 0 else { throw StorageError(operation: "open", path: path, errno: errno) }
        descriptor = fd
    }

    deinit { close() }

    func close() {
        if descriptor >= 0 {
            _ = Glibc.close(descriptor)
            descriptor = -1
        }
    }

    func size() throws -> Int64 {
        var st = stat()
        guard fstat(descriptor, &st) == 0 else { throw StorageError(operation: "fstat", path: path, errno: errno) }
        return Int64(st.st_size)
    }

    func write(_ buffer: ByteBuffer, at offset: Int64) throws {
        try buffer.withUnsafeReadableBytes { bytes in
            var done = 0
            while done < bytes.count {
                let n = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw StorageError(operation: "pwrite", path: path, errno: errno)
                }
                done += n
            }
        }
    }

    /// Reads up to `length` bytes at `offset`; fewer at end of file.
    func read(at offset: Int64, length: Int, allocator: ByteBufferAllocator = ByteBufferAllocator()) throws -> ByteBuffer {
        var buffer = allocator.buffer(capacity: length)
        try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: length) { bytes in
            var done = 0
            while done < length {
                let n = pread(descriptor, bytes.baseAddress! + done, length - done, off_t(offset) + off_t(done))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw StorageError(operation: "pread", path: path, errno: errno)
                }
                if n == 0 { break }
                done += n
            }
            return done
        }
        return buffer
    }

    func truncate(to size: Int64) throws {
        guard ftruncate(descriptor, off_t(size)) == 0 else {
            throw StorageError(operation: "ftruncate", path: path, errno: errno)
        }
    }

    func sync() throws {
        guard fdatasync(descriptor) == 0 else { throw StorageError(operation: "fdatasync", path: path, errno: errno) }
    }
}

/// Directory helpers on plain POSIX calls.
enum Directory {
    static func create(_ path: String) throws {
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw StorageError(operation: "mkdir", path: path, errno: errno)
        }
    }

    static func entries(_ path: String) throws -> [String] {
        guard let dir = opendir(path) else { throw StorageError(operation: "opendir", path: path, errno: errno) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    static func removeFile(_ path: String) throws {
        if unlink(path) != 0 && errno != ENOENT {
            throw StorageError(operation: "unlink", path: path, errno: errno)
        }
    }

    /// Removes a directory and everything in it (topic deletion).
    static func removeTree(_ path: String) throws {
        for name in (try? entries(path)) ?? [] {
            let child = path + "/" + name
            var st = stat()
            if lstat(child, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR {
                try removeTree(child)
            } else {
                try removeFile(child)
            }
        }
        if rmdir(path) != 0 && errno != ENOENT {
            throw StorageError(operation: "rmdir", path: path, errno: errno)
        }
    }

    static func rename(_ from: String, _ to: String) throws {
        if Glibc.rename(from, to) != 0 { throw StorageError(operation: "rename", path: from, errno: errno) }
    }

    /// fsync on a directory makes creations and renames in it durable.
    static func sync(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY)
        if fd >= 0 {
            fsync(fd)
            Glibc.close(fd)
        }
    }

    /// Writes a small file atomically: temp file, fsync, rename, fsync the directory.
    static func writeAtomically(_ path: String, contents: String) throws {
        let temporary = path + ".tmp"
        let file = try File(path: temporary, create: true)
        try file.truncate(to: 0)
        try file.write(ByteBuffer(string: contents), at: 0)
        try file.sync()
        file.close()
        try rename(temporary, path)
        if let slash = path.lastIndex(of: "/") { sync(String(path[..<slash])) }
    }

    static func readSmallFile(_ path: String) throws -> String {
        let file = try File(path: path, create: false)
        let buffer = try file.read(at: 0, length: Int(try file.size()))
        return String(buffer: buffer)
    }
}
