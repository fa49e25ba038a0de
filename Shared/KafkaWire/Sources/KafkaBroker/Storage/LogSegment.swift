import KafkaProtocol
import NIOCore

/// One segment of a partition log: `<base>.log` holds record batches exactly as produced
/// (with offsets assigned), `<base>.index` maps offsets to file positions every
/// `indexIntervalBytes`, `<base>.timeindex` maps rising timestamps to offsets.
///
/// Index files are read with positioned reads and binary search, so a closed segment costs a
/// few file descriptors and no memory however large it is.
final class LogSegment {
    let baseOffset: Int64
    let directory: String
    private let log: File
    private let index: File
    private let timeIndex: File
    private let indexIntervalBytes: Int64

    private(set) var size: Int64 = 0
    /// One past the last offset stored here (the next offset to assign when active).
    private(set) var nextOffset: Int64
    /// Largest batch max-timestamp seen, -1 when empty.
    private(set) var maxTimestamp: Int64 = -1
    private var bytesSinceIndexEntry: Int64 = 0
    private var indexEntries: Int64 = 0
    private var timeIndexEntries: Int64 = 0
    private var lastIndexedTimestamp: Int64 = -1

    static func fileName(_ baseOffset: Int64, _ suffix: String) -> String {
        let digits = String(baseOffset)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + suffix
    }

    init(directory: String, baseOffset: Int64, indexIntervalBytes: Int64) throws {
        self.directory = directory
        self.baseOffset = baseOffset
        self.nextOffset = baseOffset
        self.indexIntervalBytes = indexIntervalBytes
        log = try File(path: directory + "/" + Self.fileName(baseOffset, ".log"), create: true)
        index = try File(path: directory + "/" + Self.fileName(baseOffset, ".index"), create: true)
        timeIndex = try File(path: directory + "/" + Self.fileName(baseOffset, ".timeindex"), create: true)
    }

    // MARK: Appending

    /// Appends one batch whose base offset is already set to `nextOffset`.
    func append(_ batch: ByteBuffer, header: RecordBatchHeader) throws {
        let position = size
        try log.write(batch, at: position)
        if bytesSinceIndexEntry >= indexIntervalBytes || indexEntries == 0 {
            try appendIndexEntry(offset: header.baseOffset, position: position)
            bytesSinceIndexEntry = 0
        }
        bytesSinceIndexEntry += Int64(batch.readableBytes)
        size += Int64(batch.readableBytes)
        nextOffset = header.lastOffset + 1
        if header.maxTimestamp > maxTimestamp {
            maxTimestamp = header.maxTimestamp
            try appendTimeIndexEntry(timestamp: header.maxTimestamp, offset: header.lastOffset)
        }
    }

    private func appendIndexEntry(offset: Int64, position: Int64) throws {
        var entry = ByteBuffer()
        entry.writeInteger(UInt32(truncatingIfNeeded: offset - baseOffset))
        entry.writeInteger(UInt32(truncatingIfNeeded: position))
        try index.write(entry, at: indexEntries * 8)
        indexEntries += 1
    }

    private func appendTimeIndexEntry(timestamp: Int64, offset: Int64) throws {
        guard timestamp > lastIndexedTimestamp else { return }
        var entry = ByteBuffer()
        entry.writeInteger(timestamp)
        entry.writeInteger(UInt32(truncatingIfNeeded: offset - baseOffset))
        try timeIndex.write(entry, at: timeIndexEntries * 12)
        timeIndexEntries += 1
        lastIndexedTimestamp = timestamp
    }

    // MARK: Reading

    /// File position of the batch that holds `offset`, or of an earlier one (index lookup).
    private func indexedPosition(for offset: Int64) throws -> Int64 {
        var low: Int64 = 0
        var high = indexEntries - 1
        var best: Int64 = 0
        while low <= high {
            let middle = (low + high) / 2
            var entry = try index.read(at: middle * 8, length: 8)
            guard let relative = entry.readInteger(as: UInt32.self), let position = entry.readInteger(as: UInt32.self)
            else { break }
            if baseOffset + Int64(relative) <= offset {
                best = Int64(position)
                low = middle + 1
            } else {
                high = middle - 1
            }
        }
        return best
    }

    private func readHeader(at position: Int64) throws -> RecordBatchHeader {
        let head = try log.read(at: position, length: RecordBatchHeader.size)
        return try RecordBatchHeader(parsing: head, at: head.readerIndex)
    }

    /// Finds the position of the first batch whose last offset is >= `offset`.
    func position(of offset: Int64) throws -> Int64? {
        var position = try indexedPosition(for: offset)
        while position < size {
            let header = try readHeader(at: position)
            if header.lastOffset >= offset { return position }
            position += Int64(header.totalSize)
        }
        return nil
    }

    /// Whole batches starting at the batch holding `offset`, at most `maxBytes` unless the first
    /// batch alone is larger (then that batch is returned whole, as Kafka does since KIP-74).
    func read(from offset: Int64, maxBytes: Int, wholeFirstBatch: Bool) throws -> ByteBuffer? {
        guard let start = try position(of: offset) else { return nil }
        let available = Int(size - start)
        var chunk = try log.read(at: start, length: min(available, max(maxBytes, RecordBatchHeader.size)))
        // Trim to whole batches; extend to cover a first batch larger than maxBytes.
        var end = 0
        var cursor = chunk
        while cursor.readableBytes >= RecordBatchHeader.size {
            let header = try RecordBatchHeader(parsing: cursor, at: cursor.readerIndex)
            let total = header.totalSize
            if total > cursor.readableBytes {
                if end == 0 && wholeFirstBatch {
                    return try log.read(at: start, length: total)
                }
                break
            }
            end += total
            cursor.moveReaderIndex(forwardBy: total)
        }
        if end == 0 { return nil }
        chunk.moveWriterIndex(to: chunk.readerIndex + end)
        return chunk
    }

    /// The first offset whose batch max-timestamp is >= `timestamp`, and the batch there, by
    /// the time index then a scan. Nil when every batch here is older.
    func firstBatch(atOrAfter timestamp: Int64) throws -> (position: Int64, header: RecordBatchHeader)? {
        guard maxTimestamp >= timestamp else { return nil }
        // Time index entries rise; take the last entry strictly before the timestamp as a floor.
        var low: Int64 = 0
        var high = timeIndexEntries - 1
        var floorOffset = baseOffset
        while low <= high {
            let middle = (low + high) / 2
            var entry = try timeIndex.read(at: middle * 12, length: 12)
            guard let ts = entry.readInteger(as: Int64.self), let rel = entry.readInteger(as: UInt32.self) else { break }
            if ts < timestamp {
                floorOffset = baseOffset + Int64(rel)
                low = middle + 1
            } else {
                high = middle - 1
            }
        }
        var position = try indexedPosition(for: floorOffset)
        while position < size {
            let header = try readHeader(at: position)
            if header.maxTimestamp >= timestamp { return (position, header) }
            position += Int64(header.totalSize)
        }
        return nil
    }

    func readBatch(at position: Int64, size: Int64) throws -> ByteBuffer {
        try log.read(at: position, length: Int(size))
    }

    // MARK: Recovery and lifecycle

    /// Loads a closed segment's figures from its files without scanning the log: it was
    /// complete and flushed when the next segment was rolled.
    func loadClosed(nextOffset: Int64) throws {
        size = try log.size()
        self.nextOffset = nextOffset
        indexEntries = try index.size() / 8
        timeIndexEntries = try timeIndex.size() / 12
        if timeIndexEntries > 0 {
            var last = try timeIndex.read(at: (timeIndexEntries - 1) * 12, length: 12)
            maxTimestamp = last.readInteger(as: Int64.self) ?? -1
            lastIndexedTimestamp = maxTimestamp
        }
    }

    /// Scans the log from the start, checking every batch (framing and CRC), truncating at the
    /// first torn or corrupt one, and rebuilding both indexes. Calls `visit` for each valid batch
    /// so the caller can rebuild producer state. Returns the number of bytes truncated.
    @discardableResult
    func recover(visit: (RecordBatchHeader) -> Void) throws -> Int64 {
        let fileSize = try log.size()
        try index.truncate(to: 0)
        try timeIndex.truncate(to: 0)
        indexEntries = 0
        timeIndexEntries = 0
        lastIndexedTimestamp = -1
        bytesSinceIndexEntry = 0
        size = 0
        nextOffset = baseOffset
        maxTimestamp = -1
        var position: Int64 = 0
        let chunkSize = 8 * 1024 * 1024
        while position < fileSize {
            var chunk = try log.read(at: position, length: Int(min(Int64(chunkSize), fileSize - position)))
            var consumed = false
            while chunk.readableBytes >= RecordBatchHeader.size {
                guard let header = try? RecordBatchHeader(parsing: chunk, at: chunk.readerIndex),
                    header.lastOffsetDelta >= 0, header.baseOffset >= nextOffset
                else {
                    return try truncateTail(at: position, fileSize: fileSize)
                }
                let total = header.totalSize
                if total > chunk.readableBytes {
                    if total > chunkSize {
                        // A batch bigger than our chunk: read it alone.
                        let whole = try log.read(at: position, length: total)
                        guard whole.readableBytes == total else { return try truncateTail(at: position, fileSize: fileSize) }
                        chunk = whole
                        continue
                    }
                    break
                }
                guard (try? header.verifyCRC(in: chunk, at: chunk.readerIndex)) != nil else {
                    return try truncateTail(at: position, fileSize: fileSize)
                }
                chunk.moveReaderIndex(forwardBy: total)
                try indexRecovered(header, at: position)
                visit(header)
                position += Int64(total)
                consumed = true
            }
            if !consumed || position + Int64(RecordBatchHeader.size) > fileSize {
                if position < fileSize { return try truncateTail(at: position, fileSize: fileSize) }
            }
        }
        return 0
    }

    private func indexRecovered(_ header: RecordBatchHeader, at position: Int64) throws {
        if bytesSinceIndexEntry >= indexIntervalBytes || indexEntries == 0 {
            try appendIndexEntry(offset: header.baseOffset, position: position)
            bytesSinceIndexEntry = 0
        }
        bytesSinceIndexEntry += Int64(header.totalSize)
        size = position + Int64(header.totalSize)
        nextOffset = header.lastOffset + 1
        if header.maxTimestamp > maxTimestamp {
            maxTimestamp = header.maxTimestamp
            try appendTimeIndexEntry(timestamp: header.maxTimestamp, offset: header.lastOffset)
        }
    }

    private func truncateTail(at position: Int64, fileSize: Int64) throws -> Int64 {
        try log.truncate(to: position)
        size = position
        return fileSize - position
    }

    func flush() throws {
        try log.sync()
        try index.sync()
        try timeIndex.sync()
    }

    func close() {
        log.close()
        index.close()
        timeIndex.close()
    }

    func delete() throws {
        close()
        try Directory.removeFile(log.path)
        try Directory.removeFile(index.path)
        try Directory.removeFile(timeIndex.path)
    }
}
