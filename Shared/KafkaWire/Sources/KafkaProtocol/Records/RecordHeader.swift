import NIOCore

/// A record-level header (KIP-82): a string key and a nullable byte value.
///
/// Wire format inside a record: `headerKeyLength: varint, headerKey: UTF-8 bytes,
/// headerValueLength: varint (-1 = null), value: bytes`.
public struct RecordHeader: Hashable, Sendable {
    public var key: String
    public var value: ByteBuffer?

    public init(key: String, value: ByteBuffer?) {
        self.key = key
        self.value = value
    }

    /// Bytes this header takes inside a record.
    @inlinable
    public var encodedSize: Int {
        let keyLength = key.utf8.count
        let valueLength = value?.readableBytes ?? -1
        return VarintSize.signed(Int64(keyLength)) + keyLength
            + VarintSize.signed(Int64(valueLength)) + Swift.max(valueLength, 0)
    }

    @inlinable
    public func encode(to buffer: inout ByteBuffer) {
        buffer.writeVarint(Int32(key.utf8.count))
        buffer.writeString(key)
        if let value {
            buffer.writeVarint(Int32(value.readableBytes))
            buffer.writeImmutableBuffer(value)
        } else {
            buffer.writeVarint(-1)
        }
    }

    /// Reads one header; the value is a slice of `buffer`, not a copy. `knownKey`: the key
    /// this header probably has (the same header of the record before: a batch's records
    /// mostly carry the same headers). When the bytes are that key's, the header shares its
    /// string instead of making and checking one (for a key of over 15 bytes, an allocation).
    @inlinable
    public init(from buffer: inout ByteBuffer, knownKey: String? = nil) throws {
        let keyLength = Int(try buffer.readVarint())
        guard keyLength >= 0 else {
            throw ProtocolError(.corruptRecordBatch, "record header key length \(keyLength)")
        }
        guard let keyBytes = buffer.readSlice(length: keyLength) else {
            throw ProtocolError(.corruptRecordBatch, "record header key of \(keyLength) bytes, \(buffer.readableBytes) left")
        }
        if let knownKey, keyBytes.readableBytesEqual(knownKey) {
            self.key = knownKey
        } else if let key = keyBytes.readableBytesAsValidUTF8() {
            self.key = key
        } else {
            throw ProtocolError(.invalidUTF8, "record header key is not UTF-8")
        }
        self.value = try buffer.readRecordNullableBytes(what: "record header value")
    }
}

extension ByteBuffer {
    /// Reads varint-length-prefixed nullable bytes as records use them (-1 = null) as a slice.
    @inlinable
    mutating func readRecordNullableBytes(what: @autoclosure () -> String) throws -> ByteBuffer? {
        let length = Int(try readVarint())
        if length == -1 { return nil }
        guard length >= 0 else {
            throw ProtocolError(.corruptRecordBatch, "\(what()) length \(length)")
        }
        guard let slice = readSlice(length: length) else {
            throw ProtocolError(.corruptRecordBatch, "\(what()) of \(length) bytes, \(readableBytes) left")
        }
        return slice
    }
}
