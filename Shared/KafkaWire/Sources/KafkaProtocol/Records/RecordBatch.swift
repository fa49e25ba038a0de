import NIOCore

/// A decoded RecordBatch v2: its header and its records, with offsets and timestamps made
/// absolute. Keys, values and header values are slices of the batch's (decompressed) bytes.
///
/// For work that needs no records (validating, assigning offsets, indexing) use
/// `RecordBatchHeader` / `RawRecordBatch`, which never decompress. To encode, use
/// `RecordBatchBuilder`.
public struct RecordBatch: Hashable, Sendable {
    public var header: RecordBatchHeader
    public var records: [Record]

    public init(header: RecordBatchHeader, records: [Record]) {
        self.header = header
        self.records = records
    }

    @inlinable public var baseOffset: Int64 { header.baseOffset }
    @inlinable public var lastOffset: Int64 { header.lastOffset }
    @inlinable public var isControl: Bool { header.isControl }
    @inlinable public var isTransactional: Bool { header.isTransactional }
    @inlinable public var producerID: Int64 { header.producerID }
    @inlinable public var producerEpoch: Int16 { header.producerEpoch }

    /// Decodes the batch at the reader index and moves the reader index past it; on error
    /// the reader index is unchanged.
    ///
    /// Throws `.truncated` when the buffer holds less than the whole batch,
    /// `.corruptRecordBatch` for bad magic (including legacy magic 0/1), lengths or records,
    /// `.crcMismatch` when `verifyCRC` and the CRC is wrong, `.compression` when
    /// decompression fails or exceeds `maxDecompressedSize`.
    public static func decode(
        from buffer: inout ByteBuffer,
        verifyCRC: Bool = true,
        maxDecompressedSize: Int = CompressionCodec.defaultMaxDecompressedSize,
        allocator: ByteBufferAllocator = ByteBufferAllocator()
    ) throws -> RecordBatch {
        let start = buffer.readerIndex
        let header = try RecordBatchHeader(parsing: buffer, at: start)
        guard buffer.readableBytes >= header.totalSize else {
            throw ProtocolError(.truncated, "record batch of \(header.totalSize) bytes, \(buffer.readableBytes) available")
        }
        if verifyCRC { try header.verifyCRC(in: buffer, at: start) }
        let recordsBytes = buffer.getSlice(
            at: start + RecordBatchHeader.size, length: header.totalSize - RecordBatchHeader.size)!
        let records = try decodeRecords(
            header: header, recordsBytes: recordsBytes, maxDecompressedSize: maxDecompressedSize, allocator: allocator)
        buffer.moveReaderIndex(forwardBy: header.totalSize)
        return RecordBatch(header: header, records: records)
    }

    /// Decodes the records section of a batch (`recordsBytes`: everything after the 61-byte
    /// header, still compressed), checking that it holds exactly `header.recordCount` records.
    public static func decodeRecords(
        header: RecordBatchHeader,
        recordsBytes: ByteBuffer,
        maxDecompressedSize: Int = CompressionCodec.defaultMaxDecompressedSize,
        allocator: ByteBufferAllocator = ByteBufferAllocator()
    ) throws -> [Record] {
        let codec = try header.compression()
        var bytes = try codec.decompress(recordsBytes, maxDecompressedSize: maxDecompressedSize, allocator: allocator)
        let count = Int(header.recordCount)
        guard count >= 0, count <= bytes.readableBytes / Record.minimumEncodedSize else {
            throw ProtocolError(
                .corruptRecordBatch, "\(header.recordCount) records cannot fit in \(bytes.readableBytes) bytes")
        }
        let logAppendTime: Int64? = header.timestampType == .logAppendTime ? header.maxTimestamp : nil
        var records: [Record] = []
        records.reserveCapacity(count)
        do {
            for index in 0..<count {
                records.append(try Record(
                    from: &bytes, baseOffset: header.baseOffset, baseTimestamp: header.baseTimestamp,
                    logAppendTime: logAppendTime, headersLike: index > 0 ? records[index - 1].headers : []))
            }
        } catch let error as ProtocolError where error.code == .truncated || error.code == .malformedVarint {
            throw ProtocolError(.corruptRecordBatch, "record \(records.count) of \(count): \(error)")
        }
        guard bytes.readableBytes == 0 else {
            throw ProtocolError(
                .corruptRecordBatch, "\(bytes.readableBytes) bytes left after the batch's \(count) records")
        }
        return records
    }

    /// All complete batches of a `records` field (a fetch response's, a produce request's).
    /// A partial batch at the end, which fetch responses may carry, is skipped; check
    /// `RecordBatchIterator.truncatedTrailingBytes` when that matters.
    public static func decodeAll(
        _ records: ByteBuffer,
        verifyCRC: Bool = true,
        maxDecompressedSize: Int = CompressionCodec.defaultMaxDecompressedSize,
        allocator: ByteBufferAllocator = ByteBufferAllocator()
    ) throws -> [RecordBatch] {
        var iterator = RecordBatchIterator(records)
        var batches: [RecordBatch] = []
        while let batch = try iterator.next(
            verifyCRC: verifyCRC, maxDecompressedSize: maxDecompressedSize, allocator: allocator)
        {
            batches.append(batch)
        }
        return batches
    }

    /// The control record of a control batch (its first record's key), nil for data batches.
    public func controlRecord() throws -> ControlRecord? {
        guard header.isControl else { return nil }
        guard let record = records.first, let key = record.key else {
            throw ProtocolError(.corruptRecordBatch, "control batch without a keyed record")
        }
        return try ControlRecord(key: key)
    }
}
