import NIOCore

// Variable-length integers: unsigned varints (compact lengths, tags) and the zigzag
// varint/varlong used inside records. Protobuf's encoding, 7 bits per byte, low group first.
extension ByteBuffer {
    @inlinable
    public mutating func readUnsignedVarint() throws -> UInt32 {
        UInt32(truncatingIfNeeded: try readUnsignedVarlong(maxBytes: 5))
    }

    @inlinable
    public mutating func readUnsignedVarlong(maxBytes: Int = 10) throws -> UInt64 {
        // Reads the raw bytes in place and moves the reader index once: record decoding
        // reads several varints per record, and byte-by-byte readInteger dominated it.
        let (result, length) = withUnsafeReadableBytes { bytes -> (UInt64, Int) in
            var result: UInt64 = 0
            var shift: UInt64 = 0
            var index = 0
            while index < bytes.count && index < maxBytes {
                let byte = bytes[index]
                result |= UInt64(byte & 0x7f) << shift
                index += 1
                if byte & 0x80 == 0 { return (result, index) }
                shift += 7
            }
            return (0, index < maxBytes ? -1 : -2)
        }
        guard length > 0 else {
            if length == -1 { throw ProtocolError(.truncated, "varint ended early") }
            throw ProtocolError(.malformedVarint, "varint longer than \(maxBytes) bytes")
        }
        moveReaderIndex(forwardBy: length)
        return result
    }

    @inlinable
    public mutating func readVarint() throws -> Int32 {
        let raw = UInt32(truncatingIfNeeded: try readUnsignedVarlong(maxBytes: 5))
        return Int32(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    @inlinable
    public mutating func readVarlong() throws -> Int64 {
        let raw = try readUnsignedVarlong(maxBytes: 10)
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    @inlinable
    @discardableResult
    public mutating func writeUnsignedVarint(_ value: UInt32) -> Int {
        writeUnsignedVarlong(UInt64(value))
    }

    @inlinable
    @discardableResult
    public mutating func writeUnsignedVarlong(_ value: UInt64) -> Int {
        var v = value
        var written = 0
        while v >= 0x80 {
            writeInteger(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
            written += 1
        }
        writeInteger(UInt8(v))
        return written + 1
    }

    @inlinable
    @discardableResult
    public mutating func writeVarint(_ value: Int32) -> Int {
        writeUnsignedVarlong(UInt64(UInt32(bitPattern: (value << 1) ^ (value >> 31))))
    }

    @inlinable
    @discardableResult
    public mutating func writeVarlong(_ value: Int64) -> Int {
        writeUnsignedVarlong(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }
}

/// Sizes of varint encodings, for computing lengths before writing.
public enum VarintSize {
    @inlinable
    public static func unsigned(_ value: UInt64) -> Int {
        var v = value
        var n = 1
        while v >= 0x80 { v >>= 7; n += 1 }
        return n
    }

    @inlinable
    public static func signed(_ value: Int64) -> Int {
        unsigned(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }
}
