import NIOCore

/// One complete batch's bytes with its parsed header, records not decoded.
public struct RawRecordBatch: Hashable, Sendable {
    public private(set) var header: RecordBatchHeader
    /// Exactly the batch: `header.totalSize` readable bytes.
    public private(set) var bytes: ByteBuffer

    /// Wraps a whole batch: parses its header and checks that `bytes` holds exactly it.
    public init(bytes: ByteBuffer) throws {
        let header = try RecordBatchHeader(parsing: bytes, at: bytes.readerIndex)
        guard bytes.readableBytes == header.totalSize else {
            throw ProtocolError(
                bytes.readableBytes < header.totalSize ? .truncated : .corruptRecordBatch,
                "record batch of \(header.totalSize) bytes in a buffer of \(bytes.readableBytes)")
        }
        self.header = header
        self.bytes = bytes
    }

    @usableFromInline
    init(header: RecordBatchHeader, bytes: ByteBuffer) {
        self.header = header
        self.bytes = bytes
    }

    /// Throws `.crcMismatch` when the stored CRC does not match the bytes.
    public func verifyCRC() throws {
        try header.verifyCRC(in: bytes, at: bytes.readerIndex)
    }

    /// Sets baseOffset in the header and in the bytes (no CRC change needed).
    public mutating func setBaseOffset(_ baseOffset: Int64) {
        header.baseOffset = baseOffset
        RecordBatchHeader.setBaseOffset(baseOffset, in: &bytes, at: bytes.readerIndex)
    }

    /// Sets partitionLeaderEpoch in the header and in the bytes (no CRC change needed).
    public mutating func setPartitionLeaderEpoch(_ epoch: Int32) {
        header.partitionLeaderEpoch = epoch
        RecordBatchHeader.setPartitionLeaderEpoch(epoch, in: &bytes, at: bytes.readerIndex)
    }

    /// Sets LogAppendTime with `timestamp` as maxTimestamp and rewrites the CRC.
    public mutating func setLogAppendTime(_ timestamp: Int64) {
        RecordBatchHeader.setLogAppendTime(timestamp, in: &bytes, at: bytes.readerIndex)
        header.attributes.timestampType = .logAppendTime
        header.maxTimestamp = timestamp
        header.crc = bytes.getInteger(
            at: bytes.readerIndex + RecordBatchHeader.Field.crc, endianness: .big, as: UInt32.self)!
    }

    /// Decompresses and decodes the records.
    public func decode(
        verifyCRC: Bool = true,
        maxDecompressedSize: Int = CompressionCodec.defaultMaxDecompressedSize,
        allocator: ByteBufferAllocator = ByteBufferAllocator()
    ) throws -> RecordBatch {
        if verifyCRC { try self.verifyCRC() }
        let records = try RecordBatch.decodeRecords(
            header: header,
            recordsBytes: bytes.getSlice(
                at: bytes.readerIndex + RecordBatchHeader.size, length: header.totalSize - RecordBatchHeader.size)!,
            maxDecompressedSize: maxDecompressedSize, allocator: allocator)
        return RecordBatch(header: header, records: records)
    }
}

/// Walks the batches concatenated in a `records` field.
///
/// A fetch response may end with a partial batch (the broker cuts at the byte limit): the
/// iterator stops there without error and reports its size in `truncatedTrailingBytes`.
/// Batches are sliced, not copied. Legacy message sets (magic 0/1) throw
/// `.corruptRecordBatch`.
public struct RecordBatchIterator: Sendable {
    /// The bytes not yet returned.
    public private(set) var remaining: ByteBuffer
    /// Bytes of a partial batch at the end, once the iterator has stopped at one; 0 otherwise.
    public private(set) var truncatedTrailingBytes: Int = 0

    /// Smallest length any message format can declare (a legacy v0 message with empty key
    /// and value); smaller is corruption, not truncation.
    @usableFromInline static let minimumDeclaredLength: Int32 = 14

    public init(_ records: ByteBuffer) {
        remaining = records
    }

    /// The next complete batch, header parsed, records untouched. Nil at the end of the
    /// buffer or at a partial trailing batch.
    public mutating func nextRaw() throws -> RawRecordBatch? {
        let available = remaining.readableBytes
        guard available > 0 else { return nil }
        guard available >= RecordBatchHeader.logOverhead else {
            truncatedTrailingBytes = available
            return nil
        }
        let start = remaining.readerIndex
        let length = remaining.getInteger(
            at: start + RecordBatchHeader.Field.batchLength, endianness: .big, as: Int32.self)!
        guard length >= Self.minimumDeclaredLength else {
            throw ProtocolError(.corruptRecordBatch, "record batch declares length \(length)")
        }
        let total = RecordBatchHeader.logOverhead + Int(length)
        guard available >= total else {
            truncatedTrailingBytes = available
            return nil
        }
        let header = try RecordBatchHeader(parsing: remaining, at: start)
        let bytes = remaining.readSlice(length: total)!
        return RawRecordBatch(header: header, bytes: bytes)
    }

    /// The next complete batch, decoded. Nil at the end or at a partial trailing batch.
    public mutating func next(
        verifyCRC: Bool = true,
        maxDecompressedSize: Int = CompressionCodec.defaultMaxDecompressedSize,
        allocator: ByteBufferAllocator = ByteBufferAllocator()
    ) throws -> RecordBatch? {
        guard let raw = try nextRaw() else { return nil }
        return try raw.decode(verifyCRC: verifyCRC, maxDecompressedSize: maxDecompressedSize, allocator: allocator)
    }
}
