import NIOCore

/// How a batch's timestamps were assigned: attributes bit 3.
public enum TimestampType: Int8, Sendable, Hashable {
    /// The producer's timestamps (CreateTime).
    case createTime = 0
    /// The broker's append time; every record's timestamp is the batch's maxTimestamp.
    case logAppendTime = 1
}

/// The int16 attributes of a RecordBatch v2.
///
/// bits 0-2 compression codec, bit 3 timestamp type, bit 4 isTransactional,
/// bit 5 isControlBatch, bit 6 hasDeleteHorizonMs, bits 7-15 unused.
public struct RecordBatchAttributes: RawRepresentable, Hashable, Sendable {
    public var rawValue: Int16

    public init(rawValue: Int16) { self.rawValue = rawValue }

    public init(
        compression: CompressionCodec = .none, timestampType: TimestampType = .createTime,
        isTransactional: Bool = false, isControl: Bool = false, hasDeleteHorizon: Bool = false
    ) {
        rawValue = Int16(compression.rawValue)
        self.timestampType = timestampType
        self.isTransactional = isTransactional
        self.isControl = isControl
        self.hasDeleteHorizon = hasDeleteHorizon
    }

    public static let timestampTypeBit: Int16 = 1 << 3
    public static let transactionalBit: Int16 = 1 << 4
    public static let controlBit: Int16 = 1 << 5
    public static let deleteHorizonBit: Int16 = 1 << 6

    /// The raw codec id (bits 0-2); may name no known codec (5-7).
    @inlinable
    public var compressionID: Int8 { Int8(truncatingIfNeeded: rawValue & CompressionCodec.attributeMask) }

    /// The codec; throws `ProtocolError(.compression)` for ids 5-7.
    @inlinable
    public func compression() throws -> CompressionCodec {
        try CompressionCodec(attributes: rawValue)
    }

    @inlinable
    public mutating func setCompression(_ codec: CompressionCodec) {
        rawValue = (rawValue & ~CompressionCodec.attributeMask) | Int16(codec.rawValue)
    }

    @inlinable
    public var timestampType: TimestampType {
        get { rawValue & Self.timestampTypeBit != 0 ? .logAppendTime : .createTime }
        set { set(Self.timestampTypeBit, newValue == .logAppendTime) }
    }

    @inlinable
    public var isTransactional: Bool {
        get { rawValue & Self.transactionalBit != 0 }
        set { set(Self.transactionalBit, newValue) }
    }

    @inlinable
    public var isControl: Bool {
        get { rawValue & Self.controlBit != 0 }
        set { set(Self.controlBit, newValue) }
    }

    /// baseTimestamp holds the delete horizon set by log compaction.
    @inlinable
    public var hasDeleteHorizon: Bool {
        get { rawValue & Self.deleteHorizonBit != 0 }
        set { set(Self.deleteHorizonBit, newValue) }
    }

    @inlinable
    mutating func set(_ bit: Int16, _ on: Bool) {
        rawValue = on ? rawValue | bit : rawValue & ~bit
    }
}

/// The fixed 61-byte header of a RecordBatch v2 (magic 2):
/// ```
/// offset  field
///  0      baseOffset: int64
///  8      batchLength: int32           bytes after this field (total size - 12)
/// 12      partitionLeaderEpoch: int32  not covered by the CRC
/// 16      magic: int8                  2
/// 17      crc: uint32                  CRC-32C of bytes 21..<end
/// 21      attributes: int16
/// 23      lastOffsetDelta: int32
/// 27      baseTimestamp: int64
/// 35      maxTimestamp: int64
/// 43      producerId: int64
/// 51      producerEpoch: int16
/// 53      baseSequence: int32
/// 57      recordsCount: int32
/// 61      records (compressed as one stream when the codec is not none)
/// ```
/// Parsing touches only these 61 bytes: a broker can validate, assign offsets and index
/// batches without decompressing them. The static functions work on batches in place.
public struct RecordBatchHeader: Hashable, Sendable {
    /// Byte positions of the fields, relative to the start of the batch.
    public enum Field {
        public static let baseOffset = 0
        public static let batchLength = 8
        public static let partitionLeaderEpoch = 12
        public static let magic = 16
        public static let crc = 17
        public static let attributes = 21
        public static let lastOffsetDelta = 23
        public static let baseTimestamp = 27
        public static let maxTimestamp = 35
        public static let producerID = 43
        public static let producerEpoch = 51
        public static let baseSequence = 53
        public static let recordCount = 57
    }

    /// Size of the header; records start here.
    public static let size = 61
    /// baseOffset and batchLength: the bytes not counted by batchLength.
    public static let logOverhead = 12
    /// The smallest valid batchLength (a batch with no records).
    public static let minimumBatchLength: Int32 = Int32(size - logOverhead)
    public static let magic: Int8 = 2
    /// "No producer id / epoch / sequence / timestamp", as Kafka writes them.
    public static let noProducerID: Int64 = -1
    public static let noProducerEpoch: Int16 = -1
    public static let noSequence: Int32 = -1
    public static let noTimestamp: Int64 = -1
    public static let noPartitionLeaderEpoch: Int32 = -1

    public var baseOffset: Int64
    public var batchLength: Int32
    public var partitionLeaderEpoch: Int32
    public var magic: Int8
    public var crc: UInt32
    public var attributes: RecordBatchAttributes
    public var lastOffsetDelta: Int32
    public var baseTimestamp: Int64
    public var maxTimestamp: Int64
    public var producerID: Int64
    public var producerEpoch: Int16
    public var baseSequence: Int32
    public var recordCount: Int32

    public init(
        baseOffset: Int64, batchLength: Int32, partitionLeaderEpoch: Int32 = -1, magic: Int8 = 2, crc: UInt32 = 0,
        attributes: RecordBatchAttributes, lastOffsetDelta: Int32, baseTimestamp: Int64, maxTimestamp: Int64,
        producerID: Int64 = -1, producerEpoch: Int16 = -1, baseSequence: Int32 = -1, recordCount: Int32
    ) {
        self.baseOffset = baseOffset
        self.batchLength = batchLength
        self.partitionLeaderEpoch = partitionLeaderEpoch
        self.magic = magic
        self.crc = crc
        self.attributes = attributes
        self.lastOffsetDelta = lastOffsetDelta
        self.baseTimestamp = baseTimestamp
        self.maxTimestamp = maxTimestamp
        self.producerID = producerID
        self.producerEpoch = producerEpoch
        self.baseSequence = baseSequence
        self.recordCount = recordCount
    }

    // MARK: Derived values

    /// Whole batch size in bytes: 12 + batchLength.
    @inlinable public var totalSize: Int { Self.logOverhead + Int(batchLength) }
    /// Offset of the last record (or of the last record the batch once held, after compaction).
    @inlinable public var lastOffset: Int64 { baseOffset &+ Int64(lastOffsetDelta) }
    /// The offset after this batch.
    @inlinable public var nextOffset: Int64 { lastOffset &+ 1 }
    @inlinable public var compressionID: Int8 { attributes.compressionID }
    @inlinable public func compression() throws -> CompressionCodec { try attributes.compression() }
    @inlinable public var timestampType: TimestampType { attributes.timestampType }
    @inlinable public var isTransactional: Bool { attributes.isTransactional }
    @inlinable public var isControl: Bool { attributes.isControl }
    @inlinable public var hasDeleteHorizon: Bool { attributes.hasDeleteHorizon }
    @inlinable public var hasProducerID: Bool { producerID >= 0 }
    /// Sequence of the last record: baseSequence + lastOffsetDelta, wrapping past Int32.max
    /// to 0 as Kafka's sequences do; -1 when the batch has no sequence.
    @inlinable public var lastSequence: Int32 {
        if baseSequence == Self.noSequence { return Self.noSequence }
        let (sum, overflow) = baseSequence.addingReportingOverflow(lastOffsetDelta)
        return overflow ? sum &- Int32.min : sum
    }

    // MARK: Parsing

    /// Parses the header of the batch starting at absolute index `index` of `buffer`
    /// without moving its reader index and without looking at the records. Checks magic 2
    /// and the minimum batchLength; does not check that the whole batch is present
    /// (compare `totalSize` with the bytes available) nor the CRC (`verifyCRC`).
    ///
    /// Throws `.truncated` when fewer than 61 bytes are readable from `index` (17 for a
    /// legacy message, recognised by its magic 0 or 1 and rejected with
    /// `.corruptRecordBatch`).
    @inlinable
    public init(parsing buffer: ByteBuffer, at index: Int) throws {
        let start = index - buffer.readerIndex
        let available = buffer.readableBytes - start
        guard start >= 0 else {
            throw ProtocolError(.invalidValue, "batch index \(index) is before the reader index \(buffer.readerIndex)")
        }
        if available > Field.magic {
            let magic = buffer.getInteger(at: index + Field.magic, as: Int8.self)!
            if magic != Self.magic { throw Self.badMagic(magic) }
        }
        guard available >= Self.size else {
            throw ProtocolError(.truncated, "record batch header needs \(Self.size) bytes, \(Swift.max(available, 0)) left")
        }
        self = buffer.withUnsafeReadableBytes { bytes in
            @inline(__always) func load<T: FixedWidthInteger>(_ offset: Int, _: T.Type) -> T {
                T(bigEndian: bytes.loadUnaligned(fromByteOffset: start + offset, as: T.self))
            }
            return RecordBatchHeader(
                baseOffset: load(Field.baseOffset, Int64.self),
                batchLength: load(Field.batchLength, Int32.self),
                partitionLeaderEpoch: load(Field.partitionLeaderEpoch, Int32.self),
                magic: load(Field.magic, Int8.self),
                crc: load(Field.crc, UInt32.self),
                attributes: RecordBatchAttributes(rawValue: load(Field.attributes, Int16.self)),
                lastOffsetDelta: load(Field.lastOffsetDelta, Int32.self),
                baseTimestamp: load(Field.baseTimestamp, Int64.self),
                maxTimestamp: load(Field.maxTimestamp, Int64.self),
                producerID: load(Field.producerID, Int64.self),
                producerEpoch: load(Field.producerEpoch, Int16.self),
                baseSequence: load(Field.baseSequence, Int32.self),
                recordCount: load(Field.recordCount, Int32.self))
        }
        guard batchLength >= Self.minimumBatchLength else {
            throw ProtocolError(.corruptRecordBatch, "batchLength \(batchLength) is below the minimum of \(Self.minimumBatchLength)")
        }
        guard recordCount >= 0 else {
            throw ProtocolError(.corruptRecordBatch, "negative record count \(recordCount)")
        }
    }

    /// Parses the header at the reader index and moves the reader index past the 61 bytes.
    @inlinable
    public init(from buffer: inout ByteBuffer) throws {
        try self.init(parsing: buffer, at: buffer.readerIndex)
        buffer.moveReaderIndex(forwardBy: Self.size)
    }

    @usableFromInline
    static func badMagic(_ magic: Int8) -> ProtocolError {
        if magic == 0 || magic == 1 {
            return ProtocolError(
                .corruptRecordBatch,
                "legacy message set (magic \(magic), Kafka < 0.11) where a RecordBatch v2 was expected; "
                    + "LegacyMessageSet.decode reads it")
        }
        return ProtocolError(.corruptRecordBatch, "unknown record batch magic \(magic)")
    }

    /// The magic byte of the batch or legacy message at `index`, nil when fewer than 17 bytes
    /// are there. Magic sits at byte 16 in every format, so this tells them apart.
    @inlinable
    public static func magic(in buffer: ByteBuffer, at index: Int) -> Int8? {
        guard index >= buffer.readerIndex, index + Field.magic < buffer.writerIndex else { return nil }
        return buffer.getInteger(at: index + Field.magic, as: Int8.self)
    }

    // MARK: Encoding

    /// Writes the 61 header bytes as they are (the caller keeps batchLength and crc right).
    @inlinable
    public func encode(to buffer: inout ByteBuffer) {
        buffer.reserveCapacity(buffer.writerIndex + Self.size)
        buffer.writeInteger(baseOffset, endianness: .big)
        buffer.writeInteger(batchLength, endianness: .big)
        buffer.writeInteger(partitionLeaderEpoch, endianness: .big)
        buffer.writeInteger(magic, endianness: .big)
        buffer.writeInteger(crc, endianness: .big)
        buffer.writeInteger(attributes.rawValue, endianness: .big)
        buffer.writeInteger(lastOffsetDelta, endianness: .big)
        buffer.writeInteger(baseTimestamp, endianness: .big)
        buffer.writeInteger(maxTimestamp, endianness: .big)
        buffer.writeInteger(producerID, endianness: .big)
        buffer.writeInteger(producerEpoch, endianness: .big)
        buffer.writeInteger(baseSequence, endianness: .big)
        buffer.writeInteger(recordCount, endianness: .big)
    }

    /// Overwrites the 61 header bytes of the batch at `index`.
    @inlinable
    public func set(in buffer: inout ByteBuffer, at index: Int) {
        buffer.setInteger(baseOffset, at: index + Field.baseOffset, endianness: .big)
        buffer.setInteger(batchLength, at: index + Field.batchLength, endianness: .big)
        buffer.setInteger(partitionLeaderEpoch, at: index + Field.partitionLeaderEpoch, endianness: .big)
        buffer.setInteger(magic, at: index + Field.magic, endianness: .big)
        buffer.setInteger(crc, at: index + Field.crc, endianness: .big)
        buffer.setInteger(attributes.rawValue, at: index + Field.attributes, endianness: .big)
        buffer.setInteger(lastOffsetDelta, at: index + Field.lastOffsetDelta, endianness: .big)
        buffer.setInteger(baseTimestamp, at: index + Field.baseTimestamp, endianness: .big)
        buffer.setInteger(maxTimestamp, at: index + Field.maxTimestamp, endianness: .big)
        buffer.setInteger(producerID, at: index + Field.producerID, endianness: .big)
        buffer.setInteger(producerEpoch, at: index + Field.producerEpoch, endianness: .big)
        buffer.setInteger(baseSequence, at: index + Field.baseSequence, endianness: .big)
        buffer.setInteger(recordCount, at: index + Field.recordCount, endianness: .big)
    }

    // MARK: CRC

    /// CRC-32C of the batch at `index` (bytes 21..<totalSize, attributes to the end), read
    /// from its batchLength. Nil when the batch is not wholly within the readable bytes.
    @inlinable
    public static func computeCRC(in buffer: ByteBuffer, at index: Int) -> UInt32? {
        guard index >= buffer.readerIndex, index + logOverhead <= buffer.writerIndex,
              let batchLength = buffer.getInteger(at: index + Field.batchLength, endianness: .big, as: Int32.self),
              batchLength >= minimumBatchLength
        else { return nil }
        let total = logOverhead + Int(batchLength)
        return CRC32C.checksum(buffer, at: index + Field.attributes, length: total - Field.attributes)
    }

    /// Checks the CRC of the batch at `index` against its stored crc field. Throws
    /// `.crcMismatch` when they differ, `.truncated` when the batch is not wholly present.
    @inlinable
    public static func verifyCRC(in buffer: ByteBuffer, at index: Int) throws {
        guard let computed = computeCRC(in: buffer, at: index),
              let stored = buffer.getInteger(at: index + Field.crc, endianness: .big, as: UInt32.self)
        else {
            throw ProtocolError(.truncated, "record batch at \(index) is not wholly in the buffer")
        }
        guard computed == stored else {
            throw ProtocolError(.crcMismatch, "record batch CRC is \(hex(stored)), computed \(hex(computed))")
        }
    }

    /// Checks this header's crc against the batch bytes at `index` (the bytes this header
    /// was parsed from).
    @inlinable
    public func verifyCRC(in buffer: ByteBuffer, at index: Int) throws {
        guard let computed = Self.computeCRC(in: buffer, at: index) else {
            throw ProtocolError(.truncated, "record batch at \(index) is not wholly in the buffer")
        }
        guard computed == crc else {
            throw ProtocolError(.crcMismatch, "record batch CRC is \(Self.hex(crc)), computed \(Self.hex(computed))")
        }
    }

    /// Recomputes and stores the CRC of the batch at `index`, after changing fields it covers.
    /// Returns the new CRC, nil when the batch is not wholly present.
    @inlinable
    @discardableResult
    public static func updateCRC(in buffer: inout ByteBuffer, at index: Int) -> UInt32? {
        guard let crc = computeCRC(in: buffer, at: index) else { return nil }
        buffer.setInteger(crc, at: index + Field.crc, endianness: .big)
        return crc
    }

    @usableFromInline
    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }

    // MARK: In-place rewrites (fields outside the CRC: no recomputation)

    /// Sets baseOffset of the batch at `index`. The CRC does not cover it.
    @inlinable
    public static func setBaseOffset(_ baseOffset: Int64, in buffer: inout ByteBuffer, at index: Int) {
        buffer.setInteger(baseOffset, at: index + Field.baseOffset, endianness: .big)
    }

    /// Sets partitionLeaderEpoch of the batch at `index`. The CRC does not cover it.
    @inlinable
    public static func setPartitionLeaderEpoch(_ epoch: Int32, in buffer: inout ByteBuffer, at index: Int) {
        buffer.setInteger(epoch, at: index + Field.partitionLeaderEpoch, endianness: .big)
    }

    /// Marks the batch at `index` LogAppendTime with `timestamp` as its maxTimestamp (what a
    /// broker does for topics with message.timestamp.type=LogAppendTime), then rewrites the
    /// CRC, which covers both fields. Records are untouched: readers use maxTimestamp.
    @inlinable
    public static func setLogAppendTime(_ timestamp: Int64, in buffer: inout ByteBuffer, at index: Int) {
        guard let raw = buffer.getInteger(at: index + Field.attributes, endianness: .big, as: Int16.self) else { return }
        var attributes = RecordBatchAttributes(rawValue: raw)
        attributes.timestampType = .logAppendTime
        buffer.setInteger(attributes.rawValue, at: index + Field.attributes, endianness: .big)
        buffer.setInteger(timestamp, at: index + Field.maxTimestamp, endianness: .big)
        updateCRC(in: &buffer, at: index)
    }
}
