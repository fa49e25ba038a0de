import KafkaProtocol
import NIOCore

/// The fixed 61-byte head of a RecordBatch v2, as far as storage needs it: enough to assign
/// offsets, index, check sequences and CRCs without decompressing records.
struct StoredBatchHeader: Hashable, Sendable {
    static let size = 61
    static let magicOffset = 16
    static let crcOffset = 17
    static let attributesOffset = 21

    var baseOffset: Int64
    var batchLength: Int32
    var magic: Int8
    var attributes: Int16
    var lastOffsetDelta: Int32
    var baseTimestamp: Int64
    var maxTimestamp: Int64
    var producerID: Int64
    var producerEpoch: Int16
    var baseSequence: Int32
    var recordCount: Int32

    var totalSize: Int64 { Int64(batchLength) + 12 }
    var lastOffset: Int64 { baseOffset + Int64(lastOffsetDelta) }
    var isTransactional: Bool { attributes & 0x10 != 0 }
    var isControl: Bool { attributes & 0x20 != 0 }
    var lastSequence: Int32 {
        baseSequence < 0 ? -1 : Int32(truncatingIfNeeded: (Int64(baseSequence) + Int64(lastOffsetDelta)) % (Int64(Int32.max) + 1))
    }

    init(peeking buffer: ByteBuffer) throws {
        var copy = buffer
        try self.init(reading: &copy)
    }

    init(reading buffer: inout ByteBuffer) throws {
        guard buffer.readableBytes >= Self.size else {
            throw ProtocolError(.truncated, "record batch header needs \(Self.size) bytes, \(buffer.readableBytes) left")
        }
        baseOffset = try buffer.readKafkaInteger()
        batchLength = try buffer.readKafkaInteger()
        buffer.moveReaderIndex(forwardBy: 4)  // partition leader epoch
        magic = try buffer.readKafkaInteger()
        buffer.moveReaderIndex(forwardBy: 4)  // crc
        attributes = try buffer.readKafkaInteger()
        lastOffsetDelta = try buffer.readKafkaInteger()
        baseTimestamp = try buffer.readKafkaInteger()
        maxTimestamp = try buffer.readKafkaInteger()
        producerID = try buffer.readKafkaInteger()
        producerEpoch = try buffer.readKafkaInteger()
        baseSequence = try buffer.readKafkaInteger()
        recordCount = try buffer.readKafkaInteger()
    }

    /// Framing checks that need no CRC: the right magic, a length that covers the header, and
    /// offsets that continue the log. Used by recovery to find a torn tail.
    func isPlausible(afterOffset expected: Int64) -> Bool {
        magic == 2 && batchLength >= Int32(Self.size - 12) && lastOffsetDelta >= 0 && baseOffset >= expected
    }

    /// CRC32C over attributes..end, compared with the stored CRC (the producer's checksum).
    static func crcMatches(_ batch: ByteBuffer) -> Bool {
        guard let stored = batch.getInteger(at: batch.readerIndex + crcOffset, as: UInt32.self) else { return false }
        let computed = CRC32C.checksum(batch, at: batch.readerIndex + attributesOffset, length: batch.readableBytes - attributesOffset)
        return stored == computed
    }

    /// Writes the broker-assigned base offset into a batch (the CRC does not cover it).
    static func setBaseOffset(_ offset: Int64, in batch: inout ByteBuffer) {
        batch.setInteger(offset, at: batch.readerIndex)
    }
}
