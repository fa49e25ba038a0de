#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Random (version 4) UUIDs for event ids, cut from 4 KiB of kernel randomness at a time.
/// Foundation's `UUID()` opens, reads and closes /dev/urandom for every id here: three system
/// calls per command (strace of the service under load), now one read per 256 ids.
struct RandomUUIDs {
    private var buffer = [UInt8](repeating: 0, count: 4_096)
    private var used = 4_096

    mutating func next() -> UUID {
        if used + 16 > buffer.count { refill() }
        var value: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &value) { target in
            buffer.withUnsafeBytes { source in
                target.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[used..<used + 16]))
            }
        }
        used += 16
        value.6 = value.6 & 0x0F | 0x40  // version 4
        value.8 = value.8 & 0x3F | 0x80  // RFC 9562 variant
        return UUID(uuid: value)
    }

    private mutating func refill() {
        let count = buffer.count
        let filled = buffer.withUnsafeMutableBytes { Self.readURandom(into: $0) }
        if filled < count {
            // No /dev/urandom to read: the standard library's generator, 8 bytes at a time.
            var generator = SystemRandomNumberGenerator()
            buffer.withUnsafeMutableBytes { raw in
                for offset in stride(from: 0, to: count, by: 8) {
                    raw.storeBytes(of: generator.next(), toByteOffset: offset, as: UInt64.self)
                }
            }
        }
        used = 0
    }

    /// Bytes read from /dev/urandom (kept open for the process's life), or 0.
    private static func readURandom(into target: UnsafeMutableRawBufferPointer) -> Int {
        #if canImport(Glibc)
        guard urandom >= 0 else { return 0 }
        var filled = 0
        while filled < target.count {
            let n = read(urandom, target.baseAddress! + filled, target.count - filled)
            if n > 0 { filled += n } else if n < 0, errno == EINTR { continue } else { return 0 }
        }
        return filled
        #else
        return 0
        #endif
    }

    #if canImport(Glibc)
    /// The descriptor of /dev/urandom, opened once (-1 if it cannot be).
    private static let urandom = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
    #endif
}
