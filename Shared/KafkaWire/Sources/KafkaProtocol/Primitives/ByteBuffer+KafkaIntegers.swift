import NIOCore

// Fixed-width big-endian integers, booleans and float64, as the protocol guide defines them.
// Reads throw `ProtocolError.truncated` instead of returning nil: a message is either whole or wrong.
extension ByteBuffer {
    @inlinable
    public mutating func readKafkaInteger<T: FixedWidthInteger>(as: T.Type = T.self) throws -> T {
        guard let value = self.readInteger(endianness: .big, as: T.self) else {
            throw ProtocolError(.truncated, "\(T.self) needs \(MemoryLayout<T>.size) bytes, \(readableBytes) left")
        }
        return value
    }

    @inlinable
    public mutating func writeKafkaInteger<T: FixedWidthInteger>(_ value: T) {
        self.writeInteger(value, endianness: .big)
    }

    @inlinable
    public mutating func readKafkaBool() throws -> Bool {
        try readKafkaInteger(as: Int8.self) != 0
    }

    @inlinable
    public mutating func writeKafkaBool(_ value: Bool) {
        writeKafkaInteger(Int8(value ? 1 : 0))
    }

    @inlinable
    public mutating func readKafkaFloat64() throws -> Double {
        Double(bitPattern: try readKafkaInteger(as: UInt64.self))
    }

    @inlinable
    public mutating func writeKafkaFloat64(_ value: Double) {
        writeKafkaInteger(value.bitPattern)
    }
}
