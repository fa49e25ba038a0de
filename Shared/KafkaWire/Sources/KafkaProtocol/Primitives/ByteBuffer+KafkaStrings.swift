import NIOCore

// Strings and byte arrays in their four shapes: classic (int16/int32 length) or compact
// (unsigned varint of length + 1), each nullable or not. Null is length -1 classic, 0 compact.
extension ByteBuffer {
    @inlinable
    mutating func readKafkaLength(compact: Bool, wide: Bool) throws -> Int {
        if compact { return Int(try readUnsignedVarint()) - 1 }
        return wide ? Int(try readKafkaInteger(as: Int32.self)) : Int(try readKafkaInteger(as: Int16.self))
    }

    @inlinable
    mutating func writeKafkaLength(_ length: Int, compact: Bool, wide: Bool) {
        if compact {
            writeUnsignedVarint(UInt32(length + 1))
        } else if wide {
            writeKafkaInteger(Int32(length))
        } else {
            writeKafkaInteger(Int16(length))
        }
    }

    @inlinable
    public mutating func readKafkaNullableString(compact: Bool) throws -> String? {
        let length = try readKafkaLength(compact: compact, wide: false)
        if length < 0 { return nil }
        guard let slice = readSlice(length: length) else {
            throw ProtocolError(.truncated, "string of \(length) bytes, \(readableBytes) left")
        }
        guard let string = slice.readableBytesAsValidUTF8() else {
            throw ProtocolError(.invalidUTF8, "string of \(length) bytes is not UTF-8")
        }
        return string
    }

    @inlinable
    public mutating func readKafkaString(compact: Bool) throws -> String {
        guard let string = try readKafkaNullableString(compact: compact) else {
            throw ProtocolError(.invalidLength, "null where a non-nullable string is required")
        }
        return string
    }

    @inlinable
    public mutating func writeKafkaString(_ value: String?, compact: Bool) {
        guard let value else {
            writeKafkaLength(-1, compact: compact, wide: false)
            return
        }
        writeKafkaLength(value.utf8.count, compact: compact, wide: false)
        writeString(value)
    }

    @inlinable
    public mutating func readKafkaNullableBytes(compact: Bool) throws -> ByteBuffer? {
        let length = try readKafkaLength(compact: compact, wide: true)
        if length < 0 { return nil }
        guard let slice = readSlice(length: length) else {
            throw ProtocolError(.truncated, "bytes of length \(length), \(readableBytes) left")
        }
        return slice
    }

    @inlinable
    public mutating func readKafkaBytes(compact: Bool) throws -> ByteBuffer {
        guard let bytes = try readKafkaNullableBytes(compact: compact) else {
            throw ProtocolError(.invalidLength, "null where non-nullable bytes are required")
        }
        return bytes
    }

    @inlinable
    public mutating func writeKafkaBytes(_ value: ByteBuffer?, compact: Bool) {
        guard var value else {
            writeKafkaLength(-1, compact: compact, wide: true)
            return
        }
        writeKafkaLength(value.readableBytes, compact: compact, wide: true)
        writeBuffer(&value)
    }

    /// Reads an array length; nil means a null array. Rejects lengths that cannot fit in the
    /// remaining bytes (each element takes at least one byte) so a hostile count cannot
    /// make us reserve gigabytes.
    @inlinable
    public mutating func readKafkaArrayCount(compact: Bool) throws -> Int? {
        let count = try readKafkaLength(compact: compact, wide: true)
        if count < 0 { return nil }
        guard count <= readableBytes else {
            throw ProtocolError(.invalidLength, "array of \(count) elements in \(readableBytes) bytes")
        }
        return count
    }

    @inlinable
    public mutating func writeKafkaArrayCount(_ count: Int?, compact: Bool) {
        writeKafkaLength(count ?? -1, compact: compact, wide: true)
    }

    @inlinable
    public mutating func readKafkaArray<T>(
        compact: Bool, _ element: (inout ByteBuffer) throws -> T
    ) throws -> [T]? {
        guard let count = try readKafkaArrayCount(compact: compact) else { return nil }
        var result: [T] = []
        result.reserveCapacity(count)
        for _ in 0..<count { result.append(try element(&self)) }
        return result
    }

    @inlinable
    public mutating func writeKafkaArray<T>(
        _ array: [T]?, compact: Bool, _ element: (T, inout ByteBuffer) -> Void
    ) {
        writeKafkaArrayCount(array?.count, compact: compact)
        guard let array else { return }
        for item in array { element(item, &self) }
    }
}
