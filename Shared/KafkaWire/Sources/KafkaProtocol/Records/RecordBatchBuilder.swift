import NIOCore

/// Builds one RecordBatch v2.
///
/// Records are encoded as they are appended, straight into one buffer: each record's size
/// is computed first, then its bytes are written once. Without compression that buffer
/// already holds space for the 61-byte header, so `build()` only fills the header in and
/// computes the CRC, copying nothing. With compression, `build()` compresses the records
/// into a buffer sized for the codec's worst case, behind the header.
///
/// ```swift
/// var builder = RecordBatchBuilder(compression: .lz4)
/// builder.append(key: nil, value: payload, timestamp: now)
/// let batch = try builder.build()
/// ```
/// baseTimestamp is the first record's timestamp (as Kafka's builder does); timestamps may
/// go backwards. Offsets deltas are 0, 1, 2, ... unless given.
public struct RecordBatchBuilder: Sendable {
    public var baseOffset: Int64
    public var partitionLeaderEpoch: Int32
    public var producerID: Int64
    public var producerEpoch: Int16
    public var baseSequence: Int32
    public var compression: CompressionCodec
    /// Codec level; nil for the codec's default.
    public var compressionLevel: Int32?
    public var timestampType: TimestampType
    public var isTransactional: Bool
    public var isControl: Bool

    public var recordCount: Int { _recordCount }
    /// The first record's timestamp; -1 while empty.
    public var baseTimestamp: Int64 { _baseTimestamp }
    public var maxTimestamp: Int64 { _maxTimestamp }
    public var lastOffsetDelta: Int32 { _lastOffsetDelta }

    @usableFromInline var _recordCount: Int = 0
    @usableFromInline var _baseTimestamp: Int64 = RecordBatchHeader.noTimestamp
    @usableFromInline var _maxTimestamp: Int64 = RecordBatchHeader.noTimestamp
    @usableFromInline var _lastOffsetDelta: Int32 = -1
    @usableFromInline let allocator: ByteBufferAllocator
    @usableFromInline let initialCapacity: Int
    /// Uncompressed: [61 header bytes to fill][records]. Compressed: [records].
    /// Nil until the first append (and after build()).
    @usableFromInline var buffer: ByteBuffer?
    @usableFromInline var bufferIsCompressedLayout = false

    public init(
        baseOffset: Int64 = 0,
        partitionLeaderEpoch: Int32 = RecordBatchHeader.noPartitionLeaderEpoch,
        producerID: Int64 = RecordBatchHeader.noProducerID,
        producerEpoch: Int16 = RecordBatchHeader.noProducerEpoch,
        baseSequence: Int32 = RecordBatchHeader.noSequence,
        compression: CompressionCodec = .none,
        compressionLevel: Int32? = nil,
        timestampType: TimestampType = .createTime,
        isTransactional: Bool = false,
        isControl: Bool = false,
        initialCapacity: Int = 16 * 1024,
        allocator: ByteBufferAllocator = ByteBufferAllocator()
    ) {
        self.baseOffset = baseOffset
        self.partitionLeaderEpoch = partitionLeaderEpoch
        self.producerID = producerID
        self.producerEpoch = producerEpoch
        self.baseSequence = baseSequence
        self.compression = compression
        self.compressionLevel = compressionLevel
        self.timestampType = timestampType
        self.isTransactional = isTransactional
        self.isControl = isControl
        self.initialCapacity = Swift.max(initialCapacity, RecordBatchHeader.size)
        self.allocator = allocator
    }

    public var isEmpty: Bool { recordCount == 0 }

    /// Bytes of the batch if built uncompressed now: header plus records. An upper bound
    /// (roughly) on the compressed size, for batch.size limits.
    public var uncompressedSize: Int {
        guard let buffer else { return RecordBatchHeader.size }
        return buffer.readableBytes + (bufferIsCompressedLayout ? RecordBatchHeader.size : 0)
    }

    // MARK: Appending

    /// Appends a record. `key`, `value` and header values are copied in (their readable
    /// bytes); nil encodes null. `offsetDelta` defaults to the next one (the record count);
    /// pass it only to rebuild batches with gaps, such as compacted ones.
    @inlinable
    public mutating func append(
        key: ByteBuffer?, value: ByteBuffer?, headers: [RecordHeader] = [], timestamp: Int64,
        offsetDelta: Int32? = nil
    ) {
        appendRecord(
            keyLength: key?.readableBytes ?? -1, valueLength: value?.readableBytes ?? -1,
            headers: headers, timestamp: timestamp, offsetDelta: offsetDelta
        ) { pointer in
            var p = pointer
            if let key { p = RawBytes.copy(key, to: p) }
            if let value {
                p = RawBytes.writeVarint(Int64(value.readableBytes), to: p)
                p = RawBytes.copy(value, to: p)
            } else {
                p = RawBytes.writeVarint(-1, to: p)
            }
            return p
        }
    }

    /// Appends a record from raw memory (no ByteBuffer needed for keys and values).
    @inlinable
    public mutating func append(
        keyBytes: UnsafeRawBufferPointer?, valueBytes: UnsafeRawBufferPointer?, headers: [RecordHeader] = [],
        timestamp: Int64, offsetDelta: Int32? = nil
    ) {
        appendRecord(
            keyLength: keyBytes?.count ?? -1, valueLength: valueBytes?.count ?? -1,
            headers: headers, timestamp: timestamp, offsetDelta: offsetDelta
        ) { pointer in
            var p = pointer
            if let keyBytes { p = RawBytes.copy(keyBytes, to: p) }
            if let valueBytes {
                p = RawBytes.writeVarint(Int64(valueBytes.count), to: p)
                p = RawBytes.copy(valueBytes, to: p)
            } else {
                p = RawBytes.writeVarint(-1, to: p)
            }
            return p
        }
    }

    /// Appends a decoded record, keeping its timestamp; its offset is ignored unless
    /// `keepOffset`, in which case offsetDelta = record.offset - baseOffset.
    public mutating func append(_ record: Record, keepOffset: Bool = false) {
        append(
            key: record.key, value: record.value, headers: record.headers, timestamp: record.timestamp,
            offsetDelta: keepOffset ? Int32(truncatingIfNeeded: record.offset &- baseOffset) : nil)
    }

    /// Writes: length varint, attributes, timestampDelta, offsetDelta, keyLength, then lets
    /// `writeKeyAndValue` write the key bytes, value length and value bytes (returning the
    /// end), then headers. Everything but the headers goes through one raw-pointer write:
    /// per-byte ByteBuffer writes cost an exclusivity check each, which dominated producing.
    @inlinable
    mutating func appendRecord(
        keyLength: Int, valueLength: Int, headers: [RecordHeader], timestamp: Int64, offsetDelta: Int32?,
        writeKeyAndValue: (UnsafeMutableRawPointer) -> UnsafeMutableRawPointer
    ) {
        let delta = offsetDelta ?? Int32(truncatingIfNeeded: _recordCount)
        if _recordCount == 0 {
            _baseTimestamp = timestamp
            _maxTimestamp = timestamp
        } else if timestamp > _maxTimestamp {
            _maxTimestamp = timestamp
        }
        let timestampDelta = timestamp &- _baseTimestamp
        let headersSize = headers.isEmpty ? 1 : Record.headersSize(headers)
        let bodySize = Record.bodySize(
            timestampDelta: timestampDelta, offsetDelta: delta, keyLength: keyLength, valueLength: valueLength,
            headersSize: headersSize)
        let totalSize = VarintSize.signed(Int64(bodySize)) + bodySize

        var buffer = takeBuffer(reserving: totalSize)
        let fixedSize = totalSize - headersSize + (headers.isEmpty ? 1 : 0)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: fixedSize) { raw in
            let start = raw.baseAddress!
            var p = RawBytes.writeVarint(Int64(bodySize), to: start)
            p.storeBytes(of: 0, as: UInt8.self)  // attributes
            p += 1
            p = RawBytes.writeVarint(timestampDelta, to: p)
            p = RawBytes.writeVarint(Int64(delta), to: p)
            p = RawBytes.writeVarint(Int64(keyLength), to: p)
            p = writeKeyAndValue(p)
            if headers.isEmpty {
                p.storeBytes(of: 0, as: UInt8.self)  // varint 0
                p += 1
            }
            return p - start
        }
        if !headers.isEmpty {
            buffer.writeVarint(Int32(headers.count))
            for header in headers { header.encode(to: &buffer) }
        }
        self.buffer = buffer

        _recordCount += 1
        _lastOffsetDelta = delta
    }

    /// Moves the buffer out of `self` (so writes do not copy it), creating it on first use
    /// and growing it to fit `bytes` more.
    @usableFromInline
    mutating func takeBuffer(reserving bytes: Int) -> ByteBuffer {
        guard var buffer = self.buffer else {
            let compressed = compression != .none
            var buffer = allocator.buffer(capacity: Swift.max(initialCapacity, bytes + RecordBatchHeader.size))
            if !compressed { buffer.moveWriterIndex(forwardBy: RecordBatchHeader.size) }
            bufferIsCompressedLayout = compressed
            return buffer
        }
        self.buffer = nil
        if buffer.writableBytes < bytes {
            buffer.reserveCapacity(Swift.max(buffer.writerIndex + bytes, buffer.capacity * 2))
        }
        return buffer
    }

    // MARK: Building

    /// Finishes the batch: fills the header, compresses if asked, computes the CRC.
    /// The builder is then empty again, with the same settings, ready for another batch.
    /// An empty builder gives a batch with no records (lastOffsetDelta -1, timestamps -1).
    public mutating func build() throws -> ByteBuffer {
        var records = takeBuffer(reserving: 0)
        defer { reset() }
        var batch: ByteBuffer
        if bufferIsCompressedLayout && compression != .none {
            let recordsSize = records.readableBytes
            batch = allocator.buffer(capacity: RecordBatchHeader.size + compression.maxCompressedSize(recordsSize))
            batch.moveWriterIndex(forwardBy: RecordBatchHeader.size)
            try compression.compress(records, level: compressionLevel, appendingTo: &batch)
        } else if bufferIsCompressedLayout {
            // Compression was switched off after appending: prepend the header space.
            batch = allocator.buffer(capacity: RecordBatchHeader.size + records.readableBytes)
            batch.moveWriterIndex(forwardBy: RecordBatchHeader.size)
            batch.writeBuffer(&records)
        } else if compression != .none {
            // Compression was switched on after appending: compress the records part.
            let recordsPart = records.getSlice(
                at: records.readerIndex + RecordBatchHeader.size,
                length: records.readableBytes - RecordBatchHeader.size)!
            batch = allocator.buffer(capacity: RecordBatchHeader.size + compression.maxCompressedSize(recordsPart.readableBytes))
            batch.moveWriterIndex(forwardBy: RecordBatchHeader.size)
            try compression.compress(recordsPart, level: compressionLevel, appendingTo: &batch)
        } else {
            batch = records
        }
        let start = batch.readerIndex
        let header = RecordBatchHeader(
            baseOffset: baseOffset,
            batchLength: Int32(batch.readableBytes - RecordBatchHeader.logOverhead),
            partitionLeaderEpoch: partitionLeaderEpoch,
            magic: RecordBatchHeader.magic,
            crc: 0,
            attributes: RecordBatchAttributes(
                compression: compression, timestampType: timestampType,
                isTransactional: isTransactional, isControl: isControl),
            lastOffsetDelta: lastOffsetDelta,
            baseTimestamp: baseTimestamp,
            maxTimestamp: maxTimestamp,
            producerID: producerID,
            producerEpoch: producerEpoch,
            baseSequence: baseSequence,
            recordCount: Int32(recordCount))
        header.set(in: &batch, at: start)
        RecordBatchHeader.updateCRC(in: &batch, at: start)
        return batch
    }

    /// Drops the appended records, keeping the settings.
    public mutating func reset() {
        buffer = nil
        _recordCount = 0
        _baseTimestamp = RecordBatchHeader.noTimestamp
        _maxTimestamp = RecordBatchHeader.noTimestamp
        _lastOffsetDelta = -1
    }

    // MARK: Control batches

    /// A control batch holding one commit or abort marker, as a transaction coordinator
    /// writes it: transactional, control, the producer's id and epoch, no sequence.
    public static func endTransactionMarker(
        commit: Bool,
        producerID: Int64,
        producerEpoch: Int16,
        coordinatorEpoch: Int32,
        timestamp: Int64,
        baseOffset: Int64 = 0,
        partitionLeaderEpoch: Int32 = RecordBatchHeader.noPartitionLeaderEpoch,
        allocator: ByteBufferAllocator = ByteBufferAllocator()
    ) -> ByteBuffer {
        controlBatch(
            ControlRecord(type: commit ? .commit : .abort),
            value: EndTransactionMarker(coordinatorEpoch: coordinatorEpoch).valueBuffer(allocator: allocator),
            producerID: producerID, producerEpoch: producerEpoch, isTransactional: true, timestamp: timestamp,
            baseOffset: baseOffset, partitionLeaderEpoch: partitionLeaderEpoch, allocator: allocator)
    }

    /// A control batch holding one control record with the given key and value.
    public static func controlBatch(
        _ control: ControlRecord,
        value: ByteBuffer?,
        producerID: Int64 = RecordBatchHeader.noProducerID,
        producerEpoch: Int16 = RecordBatchHeader.noProducerEpoch,
        isTransactional: Bool = true,
        timestamp: Int64,
        baseOffset: Int64 = 0,
        partitionLeaderEpoch: Int32 = RecordBatchHeader.noPartitionLeaderEpoch,
        allocator: ByteBufferAllocator = ByteBufferAllocator()
    ) -> ByteBuffer {
        var builder = RecordBatchBuilder(
            baseOffset: baseOffset, partitionLeaderEpoch: partitionLeaderEpoch,
            producerID: producerID, producerEpoch: producerEpoch,
            isTransactional: isTransactional, isControl: true,
            initialCapacity: 128, allocator: allocator)
        builder.append(key: control.keyBuffer(allocator: allocator), value: value, timestamp: timestamp)
        // Uncompressed building cannot fail.
        return try! builder.build()
    }
}

/// Raw-memory writers for the record encoding hot path; callers reserve the room.
@usableFromInline
enum RawBytes {
    /// Zigzag varint (the record format's varint and varlong alike).
    @inlinable
    static func writeVarint(_ value: Int64, to pointer: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer {
        var v = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        var p = pointer
        while v >= 0x80 {
            p.storeBytes(of: UInt8(truncatingIfNeeded: v) | 0x80, as: UInt8.self)
            p += 1
            v >>= 7
        }
        p.storeBytes(of: UInt8(v), as: UInt8.self)
        return p + 1
    }

    @inlinable
    static func copy(_ bytes: UnsafeRawBufferPointer, to pointer: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return pointer }
        pointer.copyMemory(from: base, byteCount: bytes.count)
        return pointer + bytes.count
    }

    @inlinable
    static func copy(_ buffer: ByteBuffer, to pointer: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer {
        buffer.withUnsafeReadableBytes { copy($0, to: pointer) }
    }
}
