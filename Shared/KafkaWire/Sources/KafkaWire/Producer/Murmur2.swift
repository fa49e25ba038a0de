/// MurmurHash2, 32-bit, exactly as Kafka's Java client (`Utils.murmur2`) and librdkafka's
/// `rd_murmur2` compute it: seed 0x9747b28c, little-endian 4-byte blocks, the tail mixed
/// in from its highest byte down. Keyed records are placed with it, so it must not drift.
public enum Murmur2 {
    public static let seed: UInt32 = 0x9747_b28c

    /// The hash of `bytes`, as the signed 32-bit value Java returns.
    @inlinable
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        let m: UInt32 = 0x5bd1_e995
        let r: UInt32 = 24
        let length = bytes.count
        var h = seed ^ UInt32(truncatingIfNeeded: length)
        let blocks = length / 4
        var i = 0
        while i < blocks {
            var k = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))
            k &*= m
            k ^= k >> r
            k &*= m
            h &*= m
            h ^= k
            i += 1
        }
        let tail = blocks * 4
        switch length & 3 {
        case 3:
            h ^= UInt32(bytes[tail + 2]) << 16
            h ^= UInt32(bytes[tail + 1]) << 8
            h ^= UInt32(bytes[tail])
            h &*= m
        case 2:
            h ^= UInt32(bytes[tail + 1]) << 8
            h ^= UInt32(bytes[tail])
            h &*= m
        case 1:
            h ^= UInt32(bytes[tail])
            h &*= m
        default:
            break
        }
        h ^= h >> 13
        h &*= m
        h ^= h >> 15
        return Int32(bitPattern: h)
    }

    /// Convenience for byte arrays (tests, tools).
    public static func hash(_ bytes: [UInt8]) -> Int32 {
        bytes.withUnsafeBytes { hash($0) }
    }
}
