import NIOCore

/// One record of a RecordBatch v2, with its offset and timestamp made absolute.
///
/// Wire format (all inside the batch's possibly compressed records section):
/// ```
/// length: varint            bytes after this field
/// attributes: int8          unused, 0
/// timestampDelta: varlong   timestamp - batch baseTimestamp
/// offsetDelta: varint       offset - batch baseOffset
/// keyLength: varint         -1 = null
/// key: byte[]
/// valueLength: varint       -1 = null
/// value: byte[]
/// headersCount: varint
/// headers: [RecordHeader]
/// ```
/// Decoded keys, values and header values are slices of the (decompressed) batch buffer.
public struct Record: Hashable, Sendable {
    public var offset: Int64
    public var timestamp: Int64
    public var key: ByteBuffer?
    public var value: ByteBuffer?
    public var headers: [RecordHeader]
    /// The record's attribute byte; Kafka defines no bits and writes 0.
    public var attributes: Int8

    public init(
        offset: Int64, timestamp: Int64, key: ByteBuffer?, value: ByteBuffer?,
        headers: [RecordHeader] = [], attributes: Int8 = 0
    ) {
        self.offset = offset
        self.timestamp = timestamp
        self.key = key
        self.value = value
        self.headers = headers
        self.attributes = attributes
    }

    /// The smallest encoded record: length, attributes, deltas, null key, null value, no headers.
    public static let minimumEncodedSize = 7

    /// Size of a record's body (everything after its length varint).
    @inlinable
    public static func bodySize(
        timestampDelta: Int64, offsetDelta: Int32, keyLength: Int, valueLength: Int, headersSize: Int
    ) -> Int {
        1 + VarintSize.signed(timestampDelta) + VarintSize.signed(Int64(offsetDelta))
            + VarintSize.signed(Int64(keyLength)) + Swift.max(keyLength, 0)
            + VarintSize.signed(Int64(valueLength)) + Swift.max(valueLength, 0)
            + headersSize
    }

    /// Size of the headers section: count varint plus each header.
    @inlinable
    public static func headersSize(_ headers: [RecordHeader]) -> Int {
        var size = VarintSize.signed(Int64(headers.count))
        for header in headers { size += header.encodedSize }
        return size
    }

    /// Upper bound on the bytes one record takes in an uncompressed batch, for checking a
    /// size limit before appending (timestamp and offset deltas assumed maximal).
    @inlinable
    public static func maximumEncodedSize(keyLength: Int?, valueLength: Int?, headers: [RecordHeader] = []) -> Int {
        let body = 1 + 10 + 5
            + 5 + (keyLength ?? 0) + 5 + (valueLength ?? 0) + headersSize(headers)
        return VarintSize.signed(Int64(body)) + body
    }

    /// Reads one record. `baseOffset`/`baseTimestamp` come from the batch header;
    /// `logAppendTime`, when the batch uses LogAppendTime, replaces every record's timestamp
    /// (the batch's maxTimestamp), as Kafka does. `headersLike`: the record before's headers,
    /// whose keys this record's probably repeat (`RecordHeader.init(from:knownKey:)`).
    @inlinable
    public init(
        from buffer: inout ByteBuffer, baseOffset: Int64, baseTimestamp: Int64, logAppendTime: Int64? = nil,
        headersLike previous: [RecordHeader] = []
    ) throws {
        let length = Int(try buffer.readVarint())
        guard length >= Self.minimumEncodedSize - 1 else {
            throw ProtocolError(.corruptRecordBatch, "record length \(length)")
        }
        guard var body = buffer.readSlice(length: length) else {
            throw ProtocolError(.corruptRecordBatch, "record of \(length) bytes, \(buffer.readableBytes) left")
        }
        attributes = try body.readKafkaInteger(as: Int8.self)
        let timestampDelta = try body.readVarlong()
        let offsetDelta = try body.readVarint()
        offset = baseOffset &+ Int64(offsetDelta)
        timestamp = logAppendTime ?? (baseTimestamp &+ timestampDelta)
        key = try body.readRecordNullableBytes(what: "record key")
        value = try body.readRecordNullableBytes(what: "record value")
        let headerCount = Int(try body.readVarint())
        guard headerCount >= 0, headerCount <= body.readableBytes / 2 else {
            throw ProtocolError(.corruptRecordBatch, "\(headerCount) record headers in \(body.readableBytes) bytes")
        }
        if headerCount == 0 {
            headers = []
        } else {
            var headers: [RecordHeader] = []
            headers.reserveCapacity(headerCount)
            for index in 0..<headerCount {
                headers.append(try RecordHeader(from: &body, knownKey: index < previous.count ? previous[index].key : nil))
            }
            self.headers = headers
        }
        guard body.readableBytes == 0 else {
            throw ProtocolError(.corruptRecordBatch, "record declares \(length) bytes but \(body.readableBytes) are left over")
        }
    }
}
