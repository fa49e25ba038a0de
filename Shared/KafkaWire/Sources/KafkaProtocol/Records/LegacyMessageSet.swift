import CZlib
import NIOCore

/// Message sets in the formats before RecordBatch v2: magic 0 (Kafka 0.8-0.9) and
/// magic 1 (0.10, adds a timestamp). Read-only: this library writes only v2.
///
/// ```
/// MessageSet => [offset: int64, message_size: int32, message]
/// message    => crc: int32 (CRC-32, IEEE, of magic..end), magic: int8, attributes: int8,
///               timestamp: int64 (magic 1 only), key: bytes, value: bytes
/// ```
/// A message whose attributes name a codec is a wrapper: its value is a compressed message
/// set of inner messages. In magic 1 the inner offsets are relative and the wrapper carries
/// the absolute offset of the last inner message; in magic 0 inner offsets are absolute.
/// With LogAppendTime (attributes bit 3) on a magic 1 wrapper, inner messages take the
/// wrapper's timestamp. Magic 0 messages have no timestamp (-1).
///
/// Not supported: magic 0 lz4 wrappers written by Kafka < 0.10, whose LZ4 frame header
/// checksum was computed wrongly (KIP-57); they fail with `.compression`.
public enum LegacyMessageSet {
    /// Smallest message_size: crc, magic, attributes, and two null lengths (magic 0).
    public static let minimumMessageSize = 14

    /// True when the entry at `index` is a legacy message (magic 0 or 1).
    public static func isLegacy(_ buffer: ByteBuffer, at index: Int) -> Bool {
        guard let magic = RecordBatchHeader.magic(in: buffer, at: index) else { return false }
        return magic == 0 || magic == 1
    }

    /// Decodes the complete messages of a legacy message set into records, flattening
    /// compressed wrappers. Stops without error at a partial message at the end (fetch
    /// responses may end with one). Throws `.crcMismatch`, `.corruptRecordBatch` or
    /// `.compression`.
    public static func decode(
        _ buffer: ByteBuffer,
        verifyCRC: Bool = true,
        maxDecompressedSize: Int = CompressionCodec.defaultMaxDecompressedSize
    ) throws -> [Record] {
        var remaining = buffer
        var records: [Record] = []
        try decodeMessages(&remaining, into: &records, verifyCRC: verifyCRC, limit: maxDecompressedSize, nested: false)
        return records
    }

    private static func decodeMessages(
        _ buffer: inout ByteBuffer, into records: inout [Record], verifyCRC: Bool, limit: Int, nested: Bool
    ) throws {
        while buffer.readableBytes > 0 {
            let start = buffer.readerIndex
            guard buffer.readableBytes >= RecordBatchHeader.logOverhead,
                  let offset = buffer.getInteger(at: start, endianness: .big, as: Int64.self),
                  let size32 = buffer.getInteger(at: start + 8, endianness: .big, as: Int32.self)
            else {
                if nested { throw ProtocolError(.corruptRecordBatch, "partial message inside a compressed wrapper") }
                return
            }
            let size = Int(size32)
            guard size >= minimumMessageSize else {
                throw ProtocolError(.corruptRecordBatch, "legacy message size \(size)")
            }
            guard buffer.readableBytes >= RecordBatchHeader.logOverhead + size else {
                if nested { throw ProtocolError(.corruptRecordBatch, "partial message inside a compressed wrapper") }
                return
            }
            var message = buffer.getSlice(at: start + RecordBatchHeader.logOverhead, length: size)!
            buffer.moveReaderIndex(forwardBy: RecordBatchHeader.logOverhead + size)
            do {
                try decodeMessage(
                    &message, offset: offset, into: &records, verifyCRC: verifyCRC, limit: limit, nested: nested)
            } catch let error as ProtocolError where error.code == .truncated || error.code == .invalidLength {
                throw ProtocolError(.corruptRecordBatch, "legacy message at offset \(offset): \(error)")
            }
        }
    }

    private static func decodeMessage(
        _ message: inout ByteBuffer, offset: Int64, into records: inout [Record], verifyCRC: Bool, limit: Int,
        nested: Bool
    ) throws {
        let crc = try message.readKafkaInteger(as: UInt32.self)
        if verifyCRC {
            let computed = message.withUnsafeReadableBytes { bytes in
                UInt32(truncatingIfNeeded: crc32(0, bytes.baseAddress?.assumingMemoryBound(to: Bytef.self), uInt(bytes.count)))
            }
            guard computed == crc else {
                throw ProtocolError(.crcMismatch, "legacy message at offset \(offset): CRC \(crc), computed \(computed)")
            }
        }
        let magic = try message.readKafkaInteger(as: Int8.self)
        guard magic == 0 || magic == 1 else {
            throw ProtocolError(.corruptRecordBatch, "magic \(magic) inside a legacy message set")
        }
        let attributes = try message.readKafkaInteger(as: Int8.self)
        let timestamp = magic == 1 ? try message.readKafkaInteger(as: Int64.self) : RecordBatchHeader.noTimestamp
        let key = try message.readKafkaNullableBytes(compact: false)
        let value = try message.readKafkaNullableBytes(compact: false)
        guard message.readableBytes == 0 else {
            throw ProtocolError(.corruptRecordBatch, "\(message.readableBytes) bytes after a legacy message")
        }
        let codec = try CompressionCodec(attributes: Int16(attributes))
        if codec == .none {
            records.append(Record(offset: offset, timestamp: timestamp, key: key, value: value))
            return
        }
        guard !nested else { throw ProtocolError(.corruptRecordBatch, "compressed message inside a compressed message") }
        guard let value else { throw ProtocolError(.corruptRecordBatch, "compressed wrapper message with a null value") }
        var inner = try codec.decompress(value, maxDecompressedSize: limit)
        var innerRecords: [Record] = []
        try decodeMessages(&inner, into: &innerRecords, verifyCRC: verifyCRC, limit: limit, nested: true)
        if magic == 1, let last = innerRecords.last {
            let shift = offset &- last.offset
            let logAppendTime = attributes & 0x08 != 0
            for i in innerRecords.indices {
                innerRecords[i].offset &+= shift
                if logAppendTime { innerRecords[i].timestamp = timestamp }
            }
        }
        records.append(contentsOf: innerRecords)
    }
}
