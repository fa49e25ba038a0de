import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A JSON-lines file: one notification per line, appended (the file and its directory are
/// created when missing). Each line is one `write`, so a reader never sees half of one.
final class FileSink: NotificationSink {
    let name: String
    private let path: String
    private let lock = FileLock()

    init(path: String) throws {
        self.name = "file:\(path)"
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        try lock.openFile(path)
    }

    func deliver(_ notification: Notification, body: [UInt8], idempotencyKey: String) async throws(DeliveryFailure) {
        do {
            try lock.append(body + [0x0A])
        } catch {
            throw DeliveryFailure("cannot append to \(path): \(error)", retryable: true)
        }
    }

    func shutdown() async { lock.closeFile() }
}

/// The file descriptor, shared by the delivery workers.
private final class FileLock: @unchecked Sendable {
    private let mutex = NSLock()
    private var descriptor: Int32 = -1

    struct WriteError: Error, CustomStringConvertible {
        var errno: Int32
        var description: String { String(cString: strerror(errno)) }
    }

    func openFile(_ path: String) throws {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw WriteError(errno: errno) }
        descriptor = fd
    }

    func append(_ bytes: [UInt8]) throws {
        try mutex.withLock {
            var written = 0
            while written < bytes.count {
                let result = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, bytes.count - written) }
                if result < 0 {
                    if errno == EINTR { continue }
                    throw WriteError(errno: errno)
                }
                written += result
            }
        }
    }

    func closeFile() {
        mutex.withLock {
            if descriptor >= 0 { _ = close(descriptor) }
            descriptor = -1
        }
    }
}
