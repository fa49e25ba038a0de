import KafkaProtocol
import NIOCore
import Testing

/// Bytes from hex text; whitespace ignored, `//` comments to the end of a line.
private func batchBytes(_ text: String) -> ByteBuffer {
    let code = text.split(separator: "\n").map { line in
        String(line.firstRange(of: "//").map { line[..<$0.lowerBound] } ?? line[...])
    }.joined()
    let digits = code.unicodeScalars.filter { !$0.properties.isWhitespace }.map { UInt8(String($0), radix: 16)! }
    var buffer = ByteBuffer()
    for i in stride(from: 0, to: digits.count, by: 2) { buffer.writeInteger(digits[i] << 4 | digits[i + 1]) }
    return buffer
}

private func buffer(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

@Suite struct RecordBatchTests {
    /// A transactional, uncompressed batch of two records, written out from the format in
    /// implementation.html §5.3. The CRC was computed separately (bitwise CRC-32C, Python)
    /// over the bytes from attributes to the end.
    static let golden = """
        0000000000000005  // baseOffset = 5
        00000048          // batchLength = 72 (84 total - 12)
        00000007          // partitionLeaderEpoch = 7
        02                // magic = 2
        a23fda7d          // crc (CRC-32C of everything below)
        0010              // attributes: no compression, CreateTime, isTransactional (bit 4)
        00000001          // lastOffsetDelta = 1
        0000018bcfe56800  // baseTimestamp = 1700000000000
        0000018bcfe56805  // maxTimestamp = 1700000000005
        00000000000003e8  // producerId = 1000
        0002              // producerEpoch = 2
        0000000a          // baseSequence = 10
        00000002          // recordsCount = 2
        // record 0
        12                //   length: varint 9 (zigzag 18)
        00                //   attributes
        00                //   timestampDelta: varlong 0
        00                //   offsetDelta: varint 0
        02 6b             //   keyLength 1, key "k"
        04 7631           //   valueLength 2, value "v1"
        00                //   headersCount 0
        // record 1
        18                //   length: varint 12 (zigzag 24)
        00                //   attributes
        0a                //   timestampDelta: varlong 5 (zigzag 10)
        02                //   offsetDelta: varint 1 (zigzag 2)
        01                //   keyLength -1: null key
        04 7632           //   valueLength 2, value "v2"
        02                //   headersCount 1
        02 68             //     headerKeyLength 1, key "h"
        02 78             //     headerValueLength 1, value "x"
        """

    static func goldenBuilder() -> RecordBatchBuilder {
        var builder = RecordBatchBuilder(
            baseOffset: 5, partitionLeaderEpoch: 7, producerID: 1000, producerEpoch: 2, baseSequence: 10,
            isTransactional: true)
        builder.append(key: buffer("k"), value: buffer("v1"), timestamp: 1_700_000_000_000)
        builder.append(
            key: nil, value: buffer("v2"), headers: [RecordHeader(key: "h", value: buffer("x"))],
            timestamp: 1_700_000_000_005)
        return builder
    }

    // MARK: Golden bytes

    @Test func builderWritesGoldenBytes() throws {
        var builder = Self.goldenBuilder()
        let built = try builder.build()
        #expect(built == batchBytes(Self.golden))
    }

    @Test func decodeGoldenBytes() throws {
        var bytes = batchBytes(Self.golden)
        let batch = try RecordBatch.decode(from: &bytes)
        #expect(bytes.readableBytes == 0)
        let h = batch.header
        #expect(h.baseOffset == 5)
        #expect(h.batchLength == 72)
        #expect(h.partitionLeaderEpoch == 7)
        #expect(h.magic == 2)
        #expect(h.crc == 0xA23F_DA7D)
        #expect(try h.compression() == CompressionCodec.none)
        #expect(h.timestampType == .createTime)
        #expect(h.isTransactional)
        #expect(!h.isControl)
        #expect(!h.hasDeleteHorizon)
        #expect(h.lastOffsetDelta == 1)
        #expect(h.lastOffset == 6)
        #expect(h.baseTimestamp == 1_700_000_000_000)
        #expect(h.maxTimestamp == 1_700_000_000_005)
        #expect(h.producerID == 1000)
        #expect(h.producerEpoch == 2)
        #expect(h.baseSequence == 10)
        #expect(h.lastSequence == 11)
        #expect(h.recordCount == 2)
        #expect(batch.records == [
            Record(offset: 5, timestamp: 1_700_000_000_000, key: buffer("k"), value: buffer("v1")),
            Record(
                offset: 6, timestamp: 1_700_000_000_005, key: nil, value: buffer("v2"),
                headers: [RecordHeader(key: "h", value: buffer("x"))]),
        ])
    }

    @Test func headerOnlyParse() throws {
        var bytes = batchBytes(Self.golden)
        bytes.moveReaderIndex(forwardBy: 0)
        let header = try RecordBatchHeader(parsing: bytes, at: bytes.readerIndex)
        #expect(header.totalSize == 84)
        #expect(header.nextOffset == 7)
        try header.verifyCRC(in: bytes, at: bytes.readerIndex)
        try RecordBatchHeader.verifyCRC(in: bytes, at: bytes.readerIndex)
        // Consuming variant moves past exactly the header.
        let consumed = try RecordBatchHeader(from: &bytes)
        #expect(consumed == header)
        #expect(bytes.readableBytes == 84 - 61)
        // encode gives back the same 61 bytes.
        var encoded = ByteBuffer()
        header.encode(to: &encoded)
        #expect(encoded == batchBytes(Self.golden).getSlice(at: 0, length: 61))
    }

    @Test func headerParseAtNonZeroIndex() throws {
        var bytes = ByteBuffer(string: "junk")
        var golden = batchBytes(Self.golden)
        bytes.writeBuffer(&golden)
        bytes.moveReaderIndex(forwardBy: 2)
        let header = try RecordBatchHeader(parsing: bytes, at: 4)
        #expect(header.baseOffset == 5)
        try header.verifyCRC(in: bytes, at: 4)
    }

    // MARK: In-place rewrites

    @Test func overwriteBaseOffsetAndLeaderEpochKeepsCRC() throws {
        var bytes = batchBytes(Self.golden)
        RecordBatchHeader.setBaseOffset(1_000_000, in: &bytes, at: 0)
        RecordBatchHeader.setPartitionLeaderEpoch(42, in: &bytes, at: 0)
        try RecordBatchHeader.verifyCRC(in: bytes, at: 0)
        let batch = try RecordBatch.decode(from: &bytes)
        #expect(batch.header.baseOffset == 1_000_000)
        #expect(batch.header.partitionLeaderEpoch == 42)
        #expect(batch.records.map(\.offset) == [1_000_000, 1_000_001])
    }

    @Test func rawBatchRewrites() throws {
        var raw = try RawRecordBatch(bytes: batchBytes(Self.golden))
        raw.setBaseOffset(100)
        raw.setPartitionLeaderEpoch(3)
        try raw.verifyCRC()
        raw.setLogAppendTime(1_800_000_000_000)
        try raw.verifyCRC()
        #expect(raw.header == (try RecordBatchHeader(parsing: raw.bytes, at: raw.bytes.readerIndex)))
        let batch = try raw.decode()
        #expect(batch.header.timestampType == .logAppendTime)
        #expect(batch.records.map(\.offset) == [100, 101])
        // LogAppendTime: every record reads the batch's maxTimestamp.
        #expect(batch.records.map(\.timestamp) == [1_800_000_000_000, 1_800_000_000_000])
    }

    // MARK: Round trips

    static func manyRecordsBuilder(_ codec: CompressionCodec, count: Int = 1000) -> RecordBatchBuilder {
        var builder = RecordBatchBuilder(
            baseOffset: 1234, producerID: 77, producerEpoch: 1, baseSequence: 500, compression: codec)
        for i in 0..<count {
            let key: ByteBuffer? = i % 3 == 0 ? nil : buffer("key-\(i)")
            let value: ByteBuffer? = i % 10 == 9 ? nil : buffer(String(repeating: "value \(i) ", count: i % 7 + 1))
            let headers = i % 4 == 0
                ? [RecordHeader(key: "trace", value: buffer("t\(i)")), RecordHeader(key: "null", value: nil)] : []
            // Timestamps go up and down around the first one: deltas can be negative.
            builder.append(key: key, value: value, headers: headers, timestamp: 1_000_000 + Int64((i * 37) % 101) - 50)
        }
        return builder
    }

    @Test(arguments: CompressionCodec.allCases)
    func roundTrip(codec: CompressionCodec) throws {
        var builder = Self.manyRecordsBuilder(codec)
        let bytes = try builder.build()
        #expect(builder.isEmpty)  // build() resets
        var reading = bytes
        let batch = try RecordBatch.decode(from: &reading)
        #expect(reading.readableBytes == 0)
        #expect(try batch.header.compression() == codec)
        #expect(batch.header.recordCount == 1000)
        #expect(batch.header.lastOffsetDelta == 999)
        #expect(batch.header.baseTimestamp == 1_000_000 - 50)
        #expect(batch.header.maxTimestamp == 1_000_000 + 50)
        #expect(batch.header.producerID == 77)
        #expect(batch.header.baseSequence == 500)
        #expect(batch.header.lastSequence == 1499)
        #expect(batch.records.count == 1000)
        for (i, record) in batch.records.enumerated() {
            #expect(record.offset == 1234 + Int64(i))
            #expect(record.timestamp == 1_000_000 + Int64((i * 37) % 101) - 50)
            #expect(record.key == (i % 3 == 0 ? nil : buffer("key-\(i)")))
            #expect(record.value == (i % 10 == 9 ? nil : buffer(String(repeating: "value \(i) ", count: i % 7 + 1))))
            #expect(record.headers.count == (i % 4 == 0 ? 2 : 0))
        }
        #expect(batch.records[0].headers == [RecordHeader(key: "trace", value: buffer("t0")), RecordHeader(key: "null", value: nil)])
        if codec != .none {
            var plain = Self.manyRecordsBuilder(.none)
            #expect(bytes.readableBytes < (try plain.build()).readableBytes)
        }
    }

    /// Each record's header keys are read as its own, whether they repeat the record before's
    /// (shared strings), differ from them in length, bytes or order, or are more or fewer.
    @Test func headerKeysAreEachRecordsOwnWhetherOrNotTheyRepeat() throws {
        let keySets: [[String]] = [
            ["aggregate-version", "event-id"], ["aggregate-version", "event-id"], ["event-id", "aggregate-version"],
            ["aggregate-versioN", "event-id", "extra-header-with-a-long-name"], ["a"], [], ["aggregate-version", "ü-key"],
            ["aggregate-version", "ü-key"],
        ]
        var builder = RecordBatchBuilder(compression: .none)
        for keys in keySets {
            builder.append(key: nil, value: buffer("v"), headers: keys.map { RecordHeader(key: $0, value: buffer($0)) }, timestamp: 1_000)
        }
        var bytes = try builder.build()
        let batch = try RecordBatch.decode(from: &bytes)
        #expect(batch.records.map { $0.headers.map(\.key) } == keySets)
        #expect(batch.records.map { $0.headers.map(\.value) } == keySets.map { $0.map { buffer($0) } })
        // A repeated key of over 15 bytes (stored out of line) is the record before's string, not a copy.
        let storage = batch.records[0...1].map { $0.headers[0].key.utf8.withContiguousStorageIfAvailable { UInt(bitPattern: $0.baseAddress) } }
        #expect(storage[0] != nil && storage[0] == storage[1])
    }

    /// A key of the same length as the one before but not UTF-8 is refused, not taken for it.
    @Test func aHeaderKeyThatIsNotUTF8IsRefusedAfterAValidOne() throws {
        var builder = RecordBatchBuilder(compression: .none)
        builder.append(key: nil, value: nil, headers: [RecordHeader(key: "ab", value: nil)], timestamp: 1_000)
        builder.append(key: nil, value: nil, headers: [RecordHeader(key: "ab", value: nil)], timestamp: 1_000)
        var bytes = try builder.build()
        // The second record's key "ab" becomes 0xFF 0xFE: same length, not UTF-8.
        let view = Array(bytes.readableBytesView)
        let last = view.lastIndex(of: UInt8(ascii: "a"))!
        bytes.setBytes([0xFF, 0xFE], at: bytes.readerIndex + last)
        let error = #expect(throws: ProtocolError.self) { try RecordBatch.decode(from: &bytes, verifyCRC: false) }
        #expect(error?.code == .invalidUTF8)
    }

    @Test func rawBytesAppend() throws {
        var builder = RecordBatchBuilder()
        let key: [UInt8] = [1, 2, 3]
        let value: [UInt8] = Array(repeating: 9, count: 100)
        key.withUnsafeBytes { k in
            value.withUnsafeBytes { v in
                builder.append(keyBytes: k, valueBytes: v, timestamp: 5)
                builder.append(keyBytes: nil, valueBytes: nil, timestamp: 6)
            }
        }
        var bytes = try builder.build()
        let batch = try RecordBatch.decode(from: &bytes)
        #expect(batch.records[0].key == ByteBuffer(bytes: key))
        #expect(batch.records[0].value == ByteBuffer(bytes: value))
        #expect(batch.records[1].key == nil && batch.records[1].value == nil)
    }

    @Test func sameBytesFromBufferAndRawAppend() throws {
        var a = RecordBatchBuilder(compression: .none)
        var b = RecordBatchBuilder(compression: .none)
        a.append(key: buffer("key"), value: buffer("value"), timestamp: 9)
        Array("key".utf8).withUnsafeBytes { k in
            Array("value".utf8).withUnsafeBytes { v in b.append(keyBytes: k, valueBytes: v, timestamp: 9) }
        }
        #expect(try a.build() == b.build())
    }

    @Test func rebuildingDecodedRecordsGivesSameBytes() throws {
        var bytes = batchBytes(Self.golden)
        let batch = try RecordBatch.decode(from: &bytes)
        var builder = RecordBatchBuilder(
            baseOffset: 5, partitionLeaderEpoch: 7, producerID: 1000, producerEpoch: 2, baseSequence: 10,
            isTransactional: true)
        for record in batch.records { builder.append(record, keepOffset: true) }
        #expect(try builder.build() == batchBytes(Self.golden))
    }

    @Test func offsetGapsAreKept() throws {
        var builder = RecordBatchBuilder(baseOffset: 10)
        builder.append(key: nil, value: buffer("a"), timestamp: 1, offsetDelta: 0)
        builder.append(key: nil, value: buffer("b"), timestamp: 1, offsetDelta: 4)
        var bytes = try builder.build()
        let batch = try RecordBatch.decode(from: &bytes)
        #expect(batch.header.lastOffsetDelta == 4)
        #expect(batch.records.map(\.offset) == [10, 14])
    }

    @Test func emptyBatch() throws {
        var builder = RecordBatchBuilder(baseOffset: 3)
        var bytes = try builder.build()
        #expect(bytes.readableBytes == 61)
        let batch = try RecordBatch.decode(from: &bytes)
        #expect(batch.records.isEmpty)
        #expect(batch.header.recordCount == 0)
        #expect(batch.header.lastOffsetDelta == -1)
        #expect(batch.header.maxTimestamp == -1)
    }

    @Test(arguments: CompressionCodec.allCases)
    func emptyBatchWithCodec(codec: CompressionCodec) throws {
        var builder = RecordBatchBuilder(compression: codec)
        var bytes = try builder.build()
        let batch = try RecordBatch.decode(from: &bytes)
        #expect(batch.records.isEmpty)
        #expect(try batch.header.compression() == codec)
    }

    @Test func compressionChangedAfterAppending() throws {
        var builder = Self.manyRecordsBuilder(.none, count: 10)
        builder.compression = .zstd
        var compressed = try builder.build()
        var builder2 = Self.manyRecordsBuilder(.gzip, count: 10)
        builder2.compression = .none
        var plain = try builder2.build()
        let a = try RecordBatch.decode(from: &compressed)
        let b = try RecordBatch.decode(from: &plain)
        #expect(try a.header.compression() == .zstd)
        #expect(try b.header.compression() == CompressionCodec.none)
        #expect(a.records == b.records)
    }

    @Test func uncompressedSizeTracksBytes() throws {
        var builder = Self.manyRecordsBuilder(.lz4, count: 50)
        let estimate = builder.uncompressedSize
        builder.compression = .none
        #expect(try builder.build().readableBytes == estimate)
    }

    // MARK: Control batches

    @Test func endTransactionMarker() throws {
        var bytes = RecordBatchBuilder.endTransactionMarker(
            commit: true, producerID: 9, producerEpoch: 4, coordinatorEpoch: 17, timestamp: 123, baseOffset: 50)
        let batch = try RecordBatch.decode(from: &bytes)
        #expect(batch.isControl)
        #expect(batch.isTransactional)
        #expect(batch.producerID == 9)
        #expect(batch.producerEpoch == 4)
        #expect(batch.header.baseSequence == -1)
        #expect(try batch.controlRecord() == ControlRecord(version: 0, type: .commit))
        #expect(batch.records[0].key == batchBytes("0000 0001"))  // version 0, type 1 (commit)
        let marker = try EndTransactionMarker(value: batch.records[0].value!)
        #expect(marker == EndTransactionMarker(version: 0, coordinatorEpoch: 17))
        #expect(batch.records[0].value == batchBytes("0000 00000011"))

        var abort = RecordBatchBuilder.endTransactionMarker(
            commit: false, producerID: 9, producerEpoch: 4, coordinatorEpoch: 17, timestamp: 123)
        #expect(try RecordBatch.decode(from: &abort).controlRecord()?.type == .abort)
    }

    @Test func dataBatchHasNoControlRecord() throws {
        var bytes = batchBytes(Self.golden)
        #expect(try RecordBatch.decode(from: &bytes).controlRecord() == nil)
    }

    @Test func shortControlKeyThrows() {
        #expect(throws: ProtocolError.self) { try ControlRecord(key: batchBytes("0000")) }
    }

    // MARK: Corruption and truncation

    @Test func corruptCRCDetected() throws {
        var bytes = batchBytes(Self.golden)
        bytes.setInteger(UInt8(0x77), at: 77)  // record 1's value: "v2" -> "w2"
        let error = #expect(throws: ProtocolError.self) {
            var copy = bytes
            _ = try RecordBatch.decode(from: &copy)
        }
        #expect(error?.code == .crcMismatch)
        #expect(throws: ProtocolError.self) { try RecordBatchHeader.verifyCRC(in: bytes, at: 0) }
        // Skipping the check decodes the (changed) bytes.
        var copy = bytes
        #expect(try RecordBatch.decode(from: &copy, verifyCRC: false).records[1].value == buffer("w2"))
    }

    @Test func corruptCRCFieldDetected() throws {
        var bytes = batchBytes(Self.golden)
        bytes.setInteger(UInt32(0xA23F_DA7E), at: 17)
        #expect(throws: ProtocolError.self) { _ = try RecordBatch.decode(from: &bytes) }
        #expect(bytes.readableBytes == 84)  // reader index unchanged on error
    }

    @Test func compressedCorruptionDetectedByCRC() throws {
        var builder = Self.manyRecordsBuilder(.snappy, count: 20)
        var bytes = try builder.build()
        bytes.setInteger(bytes.getInteger(at: 90, as: UInt8.self)! ^ 0xFF, at: 90)  // inside the snappy data
        let error = #expect(throws: ProtocolError.self) { _ = try RecordBatch.decode(from: &bytes) }
        #expect(error?.code == .crcMismatch)
    }

    @Test func truncatedBatchesThrow() throws {
        let whole = batchBytes(Self.golden)
        for length in 0..<whole.readableBytes {
            var prefix = whole.getSlice(at: 0, length: length)!
            let error = #expect(throws: ProtocolError.self, "prefix \(length)") {
                _ = try RecordBatch.decode(from: &prefix)
            }
            #expect(error?.code == .truncated, "prefix \(length)")
        }
    }

    @Test func recordCountMismatchIsCorrupt() throws {
        for count: Int32 in [1, 3, 1000] {
            var bytes = batchBytes(Self.golden)
            bytes.setInteger(count, at: RecordBatchHeader.Field.recordCount)
            RecordBatchHeader.updateCRC(in: &bytes, at: 0)
            let error = #expect(throws: ProtocolError.self, "count \(count)") { _ = try RecordBatch.decode(from: &bytes) }
            #expect(error?.code == .corruptRecordBatch)
        }
    }

    @Test func recordLengthBeyondBatchIsCorrupt() throws {
        var bytes = batchBytes(Self.golden)
        bytes.setInteger(UInt8(0x7e), at: 61)  // record 0 length 63, past the batch end
        RecordBatchHeader.updateCRC(in: &bytes, at: 0)
        let error = #expect(throws: ProtocolError.self) { _ = try RecordBatch.decode(from: &bytes) }
        #expect(error?.code == .corruptRecordBatch)
    }

    @Test func negativeKeyLengthIsCorrupt() throws {
        var bytes = batchBytes(Self.golden)
        bytes.setInteger(UInt8(0x03), at: 65)  // record 0 keyLength -2
        RecordBatchHeader.updateCRC(in: &bytes, at: 0)
        let error = #expect(throws: ProtocolError.self) { _ = try RecordBatch.decode(from: &bytes) }
        #expect(error?.code == .corruptRecordBatch)
    }

    @Test func batchLengthBelowMinimumIsCorrupt() throws {
        var bytes = batchBytes(Self.golden)
        bytes.setInteger(Int32(40), at: RecordBatchHeader.Field.batchLength)
        let error = #expect(throws: ProtocolError.self) { _ = try RecordBatch.decode(from: &bytes) }
        #expect(error?.code == .corruptRecordBatch)
    }

    @Test func unknownCodecThrows() throws {
        var bytes = batchBytes(Self.golden)
        bytes.setInteger(Int16(0x0015), at: RecordBatchHeader.Field.attributes)  // codec id 5
        RecordBatchHeader.updateCRC(in: &bytes, at: 0)
        let header = try RecordBatchHeader(parsing: bytes, at: 0)  // header-only parsing does not care
        #expect(header.compressionID == 5)
        let error = #expect(throws: ProtocolError.self) { _ = try RecordBatch.decode(from: &bytes) }
        #expect(error?.code == .compression)
    }

    @Test func decompressedSizeIsBounded() throws {
        var builder = RecordBatchBuilder(compression: .zstd)
        builder.append(key: nil, value: ByteBuffer(repeating: 0, count: 2 * 1024 * 1024), timestamp: 0)
        var bytes = try builder.build()
        #expect(bytes.readableBytes < 10_000)
        let error = #expect(throws: ProtocolError.self) {
            _ = try RecordBatch.decode(from: &bytes, maxDecompressedSize: 1024 * 1024)
        }
        #expect(error?.code == .compression)
        #expect(try RecordBatch.decode(from: &bytes).records[0].value?.readableBytes == 2 * 1024 * 1024)
    }

    /// A magic 1 message (Kafka 0.10): offset, size, crc, magic 1, attributes, timestamp,
    /// key, value.
    static let legacyV1Message = """
        0000000000000000  // offset
        00000016          // message_size = 22
        12345678          // crc (CRC32, not checked here)
        01                // magic = 1
        00                // attributes
        0000000000000000  // timestamp
        ffffffff          // key: null
        00000001 61       // value "a"
        """

    @Test func legacyMessageSetRejected() throws {
        var bytes = batchBytes(Self.legacyV1Message)
        let error = #expect(throws: ProtocolError.self) { _ = try RecordBatch.decode(from: &bytes) }
        #expect(error?.code == .corruptRecordBatch)
        #expect(error?.context.contains("legacy") == true)
        #expect(RecordBatchHeader.magic(in: bytes, at: 0) == 1)
        var iterator = RecordBatchIterator(bytes)
        #expect(throws: ProtocolError.self) { _ = try iterator.nextRaw() }
    }

    // MARK: Iterating concatenated batches

    @Test func iteratesBatchesAndStopsAtPartialTail() throws {
        var records = ByteBuffer()
        for base in [0, 5, 10] as [Int64] {
            var builder = Self.manyRecordsBuilder(.lz4, count: 5)
            builder.baseOffset = base
            var batch = try builder.build()
            records.writeBuffer(&batch)
        }
        let complete = records.readableBytes
        var golden = batchBytes(Self.golden)
        records.writeBuffer(&golden)
        records.moveWriterIndex(to: records.writerIndex - 30)  // cut the fourth batch short

        var iterator = RecordBatchIterator(records)
        var offsets: [Int64] = []
        while let batch = try iterator.next() {
            offsets.append(contentsOf: batch.records.map(\.offset))
        }
        #expect(offsets == Array(0..<15))
        #expect(iterator.truncatedTrailingBytes == 84 - 30)
        #expect(try RecordBatch.decodeAll(records).count == 3)

        // Header-only walk over the same bytes.
        var raw = RecordBatchIterator(records)
        var sizes = 0
        while let batch = try raw.nextRaw() {
            try batch.verifyCRC()
            sizes += batch.bytes.readableBytes
        }
        #expect(sizes == complete)
    }

    @Test func iteratorStopsInsideLogOverhead() throws {
        var records = batchBytes(Self.golden)
        records.writeBytes([0, 0, 0, 0, 0])  // 5 bytes of the next batch's baseOffset
        var iterator = RecordBatchIterator(records)
        #expect(try iterator.next() != nil)
        #expect(try iterator.next() == nil)
        #expect(iterator.truncatedTrailingBytes == 5)
        var empty = RecordBatchIterator(ByteBuffer())
        #expect(try empty.next() == nil)
        #expect(empty.truncatedTrailingBytes == 0)
    }

    @Test func iteratorRejectsImpossibleLength() throws {
        var records = batchBytes(Self.golden)
        records.setInteger(Int32(3), at: RecordBatchHeader.Field.batchLength)
        var iterator = RecordBatchIterator(records)
        #expect(throws: ProtocolError.self) { _ = try iterator.nextRaw() }
    }

    @Test func rawBatchRequiresExactBytes() throws {
        var bytes = batchBytes(Self.golden)
        bytes.writeInteger(UInt8(0))
        #expect(throws: ProtocolError.self) { _ = try RawRecordBatch(bytes: bytes) }
    }

    // MARK: Attributes and sequences

    @Test func attributesBits() throws {
        var attributes = RecordBatchAttributes(
            compression: .zstd, timestampType: .logAppendTime, isTransactional: true, isControl: true,
            hasDeleteHorizon: true)
        #expect(attributes.rawValue == 0b111_1100)
        attributes.isControl = false
        attributes.setCompression(.gzip)
        #expect(attributes.rawValue == 0b101_1001)
        #expect(try attributes.compression() == .gzip)
    }

    @Test func lastSequenceWraps() {
        var header = RecordBatchHeader(
            baseOffset: 0, batchLength: 49, attributes: RecordBatchAttributes(), lastOffsetDelta: 4,
            baseTimestamp: 0, maxTimestamp: 0, baseSequence: Int32.max - 1, recordCount: 5)
        #expect(header.lastSequence == 2)  // max-1, max, 0, 1, 2
        header.baseSequence = -1
        #expect(header.lastSequence == -1)
    }
}
