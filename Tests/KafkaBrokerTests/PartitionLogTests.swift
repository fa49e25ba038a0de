@testable import KafkaBroker
import KafkaProtocol
import NIOCore
import Testing

@Suite("Partition log")
struct PartitionLogTests {
    func openLog(_ dir: TemporaryDirectory, segmentBytes: Int64 = 1 << 30, interval: Int64 = 4096) throws -> PartitionLog {
        var configuration = LogConfiguration()
        configuration.segmentBytes = segmentBytes
        configuration.indexIntervalBytes = interval
        return try PartitionLog(topic: "t", partition: 0, directory: dir.path + "/p0", configuration: configuration, logger: .test)
    }

    @Test func appendsAssignOffsetsAndReadBack() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let log = try openLog(dir)
        #expect(log.append(try makeBatch(count: 3), maxBatchBytes: 1 << 20).baseOffset == 0)
        #expect(log.append(try makeBatch(count: 2, first: 3), maxBatchBytes: 1 << 20).baseOffset == 3)
        #expect(log.endOffset == 5)
        #expect(try values(log.read(from: 0, maxBytes: 1 << 20).records) == ["v0", "v1", "v2", "v3", "v4"])
        // Reading from the middle of a batch returns the whole batch (clients skip earlier records).
        #expect(try values(log.read(from: 4, maxBytes: 1 << 20).records) == ["v3", "v4"])
        #expect(log.read(from: 5, maxBytes: 1 << 20).records == nil)
        #expect(log.read(from: 6, maxBytes: 1 << 20).error == .offsetOutOfRange)
    }

    @Test func rollsSegmentsAndFindsOffsetsAcrossThem() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let log = try openLog(dir, segmentBytes: 2048, interval: 256)
        for i in 0..<200 {
            #expect(log.append(try makeBatch(count: 5, first: i * 5), maxBatchBytes: 1 << 20).error == .none)
        }
        let segments = try Directory.entries(dir.path + "/p0").filter { $0.hasSuffix(".log") }
        #expect(segments.count > 10)
        for offset in stride(from: Int64(0), to: 1000, by: 37) {
            let first = try RecordBatch.decodeAll(log.read(from: offset, maxBytes: 100).records!)[0]
            #expect(first.baseOffset <= offset && offset <= first.lastOffset)
        }
        log.close()
        // Reopening loads closed segments from their files and recovers the active one.
        let reopened = try openLog(dir, segmentBytes: 2048, interval: 256)
        #expect(reopened.endOffset == 1000)
        #expect(try values(reopened.read(from: 995, maxBytes: 1 << 20).records) == (995..<1000).map { "v\($0)" })
    }

    @Test func recoveryTruncatesATornTail() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let log = try openLog(dir)
        _ = log.append(try makeBatch(count: 4), maxBatchBytes: 1 << 20)
        _ = log.append(try makeBatch(count: 4, first: 4), maxBatchBytes: 1 << 20)
        log.close()
        let path = dir.path + "/p0/" + LogSegment.fileName(0, ".log")
        let file = try File(path: path, create: false)
        let size = try file.size()
        // A crash in the middle of the second batch's write.
        try file.truncate(to: size - 7)
        file.close()
        let reopened = try openLog(dir)
        #expect(reopened.endOffset == 4)
        #expect(reopened.append(try makeBatch(count: 1, first: 8), maxBatchBytes: 1 << 20).baseOffset == 4)
    }

    @Test func recoveryTruncatesACorruptBatch() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let log = try openLog(dir)
        _ = log.append(try makeBatch(count: 4), maxBatchBytes: 1 << 20)
        let second = try makeBatch(count: 4, first: 4)
        _ = log.append(second, maxBatchBytes: 1 << 20)
        log.close()
        let file = try File(path: dir.path + "/p0/" + LogSegment.fileName(0, ".log"), create: false)
        let size = try file.size()
        try file.write(ByteBuffer(bytes: [0xFF, 0xFF]), at: size - 3)  // flip bytes inside the last record
        file.close()
        let reopened = try openLog(dir)
        #expect(reopened.endOffset == 4)
    }

    @Test func rejectsBadBatchesWithoutWriting() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let log = try openLog(dir)
        var corrupt = try makeBatch(count: 2)
        corrupt.setInteger(UInt8(0x55), at: corrupt.writerIndex - 1)
        #expect(log.append(corrupt, maxBatchBytes: 1 << 20).error == .corruptMessage)
        let big = try makeBatch(count: 100)
        #expect(log.append(big, maxBatchBytes: 100).error == .messageTooLarge)
        var truncated = try makeBatch(count: 2)
        truncated.moveWriterIndex(to: truncated.writerIndex - 5)
        #expect(log.append(truncated, maxBatchBytes: 1 << 20).error == .corruptMessage)
        var legacy = try makeBatch(count: 1)
        legacy.setInteger(Int8(1), at: legacy.readerIndex + RecordBatchHeader.Field.magic)
        #expect(log.append(legacy, maxBatchBytes: 1 << 20).error == .unsupportedForMessageFormat)
        #expect(log.endOffset == 0)
    }

    @Test func idempotentRetriesAreNotAppendedTwice() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let log = try openLog(dir)
        let first = try makeBatch(count: 3, producerID: 7, epoch: 0, sequence: 0)
        let second = try makeBatch(count: 3, first: 3, producerID: 7, epoch: 0, sequence: 3)
        #expect(log.append(first, maxBatchBytes: 1 << 20).baseOffset == 0)
        #expect(log.append(second, maxBatchBytes: 1 << 20).baseOffset == 3)
        // The retry of the first batch gets its original offset and adds nothing.
        let retry = log.append(first, maxBatchBytes: 1 << 20)
        #expect(retry.error == .none && retry.baseOffset == 0)
        #expect(log.endOffset == 6)
        // A gap in sequences is refused.
        let gap = try makeBatch(count: 1, first: 9, producerID: 7, epoch: 0, sequence: 9)
        #expect(log.append(gap, maxBatchBytes: 1 << 20).error == .outOfOrderSequenceNumber)
        // An older epoch is fenced; a newer one starts again at 0.
        #expect(log.append(try makeBatch(count: 1, first: 6, producerID: 7, epoch: 0, sequence: 6), maxBatchBytes: 1 << 20).baseOffset == 6)
        let bumped = try makeBatch(count: 1, first: 7, producerID: 7, epoch: 1, sequence: 0)
        #expect(log.append(bumped, maxBatchBytes: 1 << 20).error == .none)
        let stale = try makeBatch(count: 1, first: 8, producerID: 7, epoch: 0, sequence: 7)
        #expect(log.append(stale, maxBatchBytes: 1 << 20).error == .invalidProducerEpoch)
        log.close()
        // Producer state is rebuilt from the log on restart: the retry is still recognised.
        let reopened = try openLog(dir)
        #expect(reopened.append(bumped, maxBatchBytes: 1 << 20).baseOffset == 7)
        #expect(reopened.endOffset == 8)
    }

    @Test func retentionDeletesOldSegmentsButNeverTheActiveOne() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var configuration = LogConfiguration()
        configuration.segmentBytes = 1024
        configuration.retentionBytes = 4096
        configuration.retentionMilliseconds = nil
        let log = try PartitionLog(topic: "t", partition: 0, directory: dir.path + "/p0", configuration: configuration, logger: .test)
        for i in 0..<100 { _ = log.append(try makeBatch(count: 10, first: i * 10), maxBatchBytes: 1 << 20) }
        #expect(log.applyRetention(nowMilliseconds: 0) > 0)
        #expect(log.startOffset > 0)
        #expect(log.endOffset == 1000)
        #expect(log.read(from: 0, maxBytes: 100).error == .offsetOutOfRange)
        #expect(try values(log.read(from: log.startOffset, maxBytes: 1 << 20).records).first == "v\(log.startOffset)")
        // Time retention: everything is older than a day after "now" moves far ahead, except the active segment.
        configuration.retentionBytes = nil
        configuration.retentionMilliseconds = 1000
        log.updateConfiguration(configuration)
        log.applyRetention(nowMilliseconds: 1_800_000_000_000)
        #expect(try Directory.entries(dir.path + "/p0").filter { $0.hasSuffix(".log") }.count == 1)
        #expect(log.endOffset == 1000)
    }

    @Test func timestampLookupFindsTheFirstBatchAtOrAfter() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let log = try openLog(dir, segmentBytes: 4096, interval: 128)
        for i in 0..<50 { _ = log.append(try makeBatch(count: 10, first: i * 10, timestamp: 1_000), maxBatchBytes: 1 << 20) }
        // Record i has timestamp 1000 + i.
        let batch = try #require(log.batch(atOrAfter: 1_250))
        let records = try RecordBatch.decodeAll(batch)[0].records
        #expect(records.contains { $0.offset == 250 && $0.timestamp == 1_250 })
        #expect(log.batch(atOrAfter: 5_000) == nil)
    }
}
