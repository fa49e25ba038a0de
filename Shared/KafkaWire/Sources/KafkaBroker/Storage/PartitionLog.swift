import KafkaProtocol
import Logging
import NIOConcurrencyHelpers
import NIOCore

/// One partition's log: an ordered list of segments, the last one active. All access goes
/// through one lock; appends and reads are short positioned file operations.
final class PartitionLog: @unchecked Sendable {
    struct AppendResult: Sendable {
        var error: KafkaErrorCode = .none
        var baseOffset: Int64 = -1
        var logStartOffset: Int64 = -1
        var message: String?
    }

    struct ReadResult: Sendable {
        var records: ByteBuffer?
        var highWatermark: Int64
        var logStartOffset: Int64
        var error: KafkaErrorCode = .none
    }

    let topic: String
    let partition: Int32
    let directory: String
    private let logger: Logger
    private let lock = NIOLock()
    private var configuration: LogConfiguration
    private var segments: [LogSegment] = []
    private var producers = ProducerStateTable()
    private var waiters: [ObjectIdentifier: FetchWaiter] = [:]
    private var unflushedMessages: Int64 = 0
    private var dirty = false

    init(topic: String, partition: Int32, directory: String, configuration: LogConfiguration, logger: Logger) throws {
        self.topic = topic
        self.partition = partition
        self.directory = directory
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "kafka.topic"] = "\(topic)"
        logger[metadataKey: "kafka.partition"] = "\(partition)"
        self.logger = logger
        try Directory.create(directory)
        try load()
    }

    /// Opens existing segments: closed ones from their files, the last one by a full scan
    /// that checks every CRC and truncates a torn tail left by a crash.
    private func load() throws {
        let bases = try Directory.entries(directory)
            .filter { $0.hasSuffix(".log") }
            .compactMap { Int64($0.dropLast(4)) }
            .sorted()
        for (i, base) in bases.enumerated() {
            let segment = try LogSegment(directory: directory, baseOffset: base, indexIntervalBytes: configuration.indexIntervalBytes)
            if i + 1 < bases.count {
                try segment.loadClosed(nextOffset: bases[i + 1])
            } else {
                let truncated = try segment.recover { header in producers.record(header) }
                if truncated > 0 {
                    logger.warning(
                        "Truncated a torn or corrupt log tail during recovery",
                        metadata: ["kafka.truncated.bytes": "\(truncated)", "kafka.offset": "\(segment.nextOffset)"])
                }
            }
            segments.append(segment)
        }
        if segments.isEmpty {
            segments.append(try LogSegment(directory: directory, baseOffset: 0, indexIntervalBytes: configuration.indexIntervalBytes))
        }
    }

    var endOffset: Int64 { lock.withLock { segments.last!.nextOffset } }
    var startOffset: Int64 { lock.withLock { segments.first!.baseOffset } }

    func updateConfiguration(_ configuration: LogConfiguration) {
        lock.withLock { self.configuration = configuration }
    }

    // MARK: Append

    /// Validates and appends the batches of one produce request for this partition.
    /// Either all batches are appended or none (validation happens before the first write).
    func append(_ records: ByteBuffer, maxBatchBytes: Int) -> AppendResult {
        var batches: [(ByteBuffer, RecordBatchHeader)] = []
        var cursor = records
        while cursor.readableBytes > 0 {
            let header: RecordBatchHeader
            do {
                header = try RecordBatchHeader(parsing: cursor, at: cursor.readerIndex)
            } catch let error as ProtocolError {
                let legacy = RecordBatchHeader.magic(in: cursor, at: cursor.readerIndex).map { $0 < 2 } ?? false
                return AppendResult(error: legacy ? .unsupportedForMessageFormat : .corruptMessage, message: error.context)
            } catch {
                return AppendResult(error: .corruptMessage, message: "\(error)")
            }
            guard header.totalSize <= cursor.readableBytes else {
                return AppendResult(error: .corruptMessage, message: "record batch length \(header.batchLength) exceeds the data")
            }
            guard header.totalSize <= maxBatchBytes else {
                return AppendResult(error: .messageTooLarge, message: "record batch of \(header.totalSize) bytes exceeds \(maxBatchBytes)")
            }
            guard header.lastOffsetDelta >= 0, header.recordCount == header.lastOffsetDelta + 1 else {
                return AppendResult(error: .corruptMessage, message: "record count \(header.recordCount) and last offset delta \(header.lastOffsetDelta) disagree")
            }
            guard !header.isTransactional, !header.isControl else {
                return AppendResult(error: .invalidRecord, message: "transactions are not supported by the dev broker")
            }
            do {
                try header.verifyCRC(in: cursor, at: cursor.readerIndex)
            } catch {
                return AppendResult(error: .corruptMessage, message: "record batch CRC mismatch")
            }
            batches.append((cursor.readSlice(length: header.totalSize)!, header))
        }
        guard !batches.isEmpty else { return AppendResult(error: .corruptMessage, message: "no record batch") }

        let (result, toWake): (AppendResult, [FetchWaiter]) = lock.withLock {
            var firstOffset: Int64 = -1
            for (var batch, var header) in batches {
                switch producers.check(header) {
                case .reject(let code):
                    return (AppendResult(error: code, message: "sequence \(header.baseSequence) epoch \(header.producerEpoch) rejected"), [])
                case .duplicate(let baseOffset):
                    if firstOffset < 0 { firstOffset = baseOffset }
                    continue
                case .append:
                    break
                }
                do {
                    try rollIfNeeded(adding: Int64(header.totalSize))
                    let active = segments.last!
                    header.baseOffset = active.nextOffset
                    RecordBatchHeader.setBaseOffset(header.baseOffset, in: &batch, at: batch.readerIndex)
                    RecordBatchHeader.setPartitionLeaderEpoch(0, in: &batch, at: batch.readerIndex)
                    try active.append(batch, header: header)
                    producers.record(header)
                    if firstOffset < 0 { firstOffset = header.baseOffset }
                    unflushedMessages += Int64(header.recordCount)
                    dirty = true
                } catch {
                    logger.error("Append failed", metadata: ["error": "\(error)"])
                    return (AppendResult(error: .kafkaStorageError, message: "\(error)"), [])
                }
            }
            if let every = configuration.flushIntervalMessages, unflushedMessages >= every {
                flushLocked()
            }
            let wake = Array(waiters.values)
            return (AppendResult(baseOffset: firstOffset, logStartOffset: segments.first!.baseOffset), wake)
        }
        for waiter in toWake { waiter.fire() }
        return result
    }

    private func rollIfNeeded(adding bytes: Int64) throws {
        let active = segments.last!
        guard active.size > 0, active.size + bytes > configuration.segmentBytes else { return }
        try active.flush()
        segments.append(try LogSegment(directory: directory, baseOffset: active.nextOffset, indexIntervalBytes: configuration.indexIntervalBytes))
        Directory.sync(directory)
    }

    // MARK: Read

    /// Reads whole batches from `offset`, up to `maxBytes`; with `wholeFirstBatch` a first batch
    /// larger than `maxBytes` is returned whole (KIP-74). `maxBytes` 0 reports positions only.
    func read(from offset: Int64, maxBytes: Int, wholeFirstBatch: Bool = true) -> ReadResult {
        lock.withLock {
            let end = segments.last!.nextOffset
            let start = segments.first!.baseOffset
            guard offset >= start, offset <= end else {
                return ReadResult(records: nil, highWatermark: end, logStartOffset: start, error: .offsetOutOfRange)
            }
            guard offset < end, maxBytes > 0 else { return ReadResult(records: nil, highWatermark: end, logStartOffset: start) }
            do {
                var index = segmentIndex(containing: offset)
                while index < segments.count {
                    if let records = try segments[index].read(from: offset, maxBytes: maxBytes, wholeFirstBatch: wholeFirstBatch) {
                        return ReadResult(records: records, highWatermark: end, logStartOffset: start)
                    }
                    index += 1
                }
                return ReadResult(records: nil, highWatermark: end, logStartOffset: start)
            } catch {
                logger.error("Read failed", metadata: ["error": "\(error)", "kafka.offset": "\(offset)"])
                return ReadResult(records: nil, highWatermark: end, logStartOffset: start, error: .kafkaStorageError)
            }
        }
    }

    private func segmentIndex(containing offset: Int64) -> Int {
        var low = 0
        var high = segments.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if segments[middle].baseOffset <= offset { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// ListOffsets by timestamp: the first batch with a record at or after `timestamp`,
    /// returned whole so the caller can find the exact record. Nil when none is that new.
    func batch(atOrAfter timestamp: Int64) -> ByteBuffer? {
        lock.withLock {
            for segment in segments where segment.maxTimestamp >= timestamp {
                guard let found = try? segment.firstBatch(atOrAfter: timestamp),
                    let batch = try? segment.readBatch(at: found.position, size: Int64(found.header.totalSize))
                else { continue }
                return batch
            }
            return nil
        }
    }

    /// The offset and timestamp of the record with the largest timestamp (ListOffsets -3).
    func maxTimestampBatch() -> ByteBuffer? {
        lock.withLock {
            guard let segment = segments.max(by: { $0.maxTimestamp < $1.maxTimestamp }), segment.maxTimestamp >= 0,
                let found = try? segment.firstBatch(atOrAfter: segment.maxTimestamp)
            else { return nil }
            return try? segment.readBatch(at: found.position, size: Int64(found.header.totalSize))
        }
    }

    // MARK: Waiters, flush, retention

    func addWaiter(_ waiter: FetchWaiter) {
        lock.withLock { waiters[ObjectIdentifier(waiter)] = waiter }
    }

    func removeWaiter(_ waiter: FetchWaiter) {
        _ = lock.withLock { waiters.removeValue(forKey: ObjectIdentifier(waiter)) }
    }

    /// Periodic flush: the fsync runs outside the lock so appends are not held up by it.
    func flush() {
        let segment: LogSegment? = lock.withLock {
            guard dirty else { return nil }
            dirty = false
            unflushedMessages = 0
            return segments.last
        }
        guard let segment else { return }
        do {
            try segment.flush()
        } catch {
            logger.error("Flush failed", metadata: ["error": "\(error)"])
        }
    }

    private func flushLocked() {
        guard dirty else { return }
        do {
            try segments.last!.flush()
            unflushedMessages = 0
            dirty = false
        } catch {
            logger.error("Flush failed", metadata: ["error": "\(error)"])
        }
    }

    /// Deletes whole closed segments that are past retention by time or push the partition
    /// over its size limit. The active segment is never deleted. Returns segments deleted.
    @discardableResult
    func applyRetention(nowMilliseconds: Int64) -> Int {
        lock.withLock {
            var deleted = 0
            var total = segments.reduce(Int64(0)) { $0 + $1.size }
            while segments.count > 1 {
                let oldest = segments[0]
                let tooOld = configuration.retentionMilliseconds.map { oldest.maxTimestamp >= 0 && nowMilliseconds - oldest.maxTimestamp > $0 } ?? false
                let tooBig = configuration.retentionBytes.map { total - oldest.size >= $0 } ?? false
                guard tooOld || tooBig else { break }
                do {
                    try oldest.delete()
                } catch {
                    logger.error("Deleting a segment failed", metadata: ["error": "\(error)"])
                    break
                }
                total -= oldest.size
                segments.removeFirst()
                deleted += 1
            }
            if deleted > 0 {
                logger.info("Retention deleted segments", metadata: ["kafka.segments": "\(deleted)", "kafka.log_start_offset": "\(segments[0].baseOffset)"])
            }
            return deleted
        }
    }

    func close() {
        lock.withLock {
            flushLocked()
            for segment in segments { segment.close() }
            for waiter in waiters.values { waiter.fire() }
            waiters.removeAll()
        }
    }
}
