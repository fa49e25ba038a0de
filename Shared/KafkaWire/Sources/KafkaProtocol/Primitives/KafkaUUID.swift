import NIOCore

/// A 128-bit UUID as Kafka sends it (topic ids, directory ids): 16 bytes, big-endian.
/// Defined here rather than taken from Foundation to keep the protocol module on NIOCore only.
public struct KafkaUUID: Hashable, Sendable, CustomStringConvertible {
    public var high: UInt64
    public var low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    public static let zero = KafkaUUID(high: 0, low: 0)

    /// A random version-4 UUID.
    public static func random() -> KafkaUUID {
        var g = SystemRandomNumberGenerator()
        let high = (g.next() & ~0xF000) | 0x4000
        let low = (g.next() & ~(0xC000_0000_0000_0000)) | 0x8000_0000_0000_0000
        return KafkaUUID(high: high, low: low)
    }

    public var description: String {
        func hex(_ v: UInt64, _ digits: Int) -> String {
            let s = String(v, radix: 16)
            return String(repeating: "0", count: digits - s.count) + s
        }
        return "\(hex(high >> 32, 8))-\(hex((high >> 16) & 0xffff, 4))-\(hex(high & 0xffff, 4))-"
            + "\(hex(low >> 48, 4))-\(hex(low & 0xffff_ffff_ffff, 12))"
    }
}

extension ByteBuffer {
    @inlinable
    public mutating func readKafkaUUID() throws -> KafkaUUID {
        KafkaUUID(high: try readKafkaInteger(), low: try readKafkaInteger())
    }

    @inlinable
    public mutating func writeKafkaUUID(_ value: KafkaUUID) {
        writeKafkaInteger(value.high)
        writeKafkaInteger(value.low)
    }
}
