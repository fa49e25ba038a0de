import KafkaProtocol
import NIOCore

/// Turns one partition's `records` bytes from a fetch answer into the records to deliver,
/// and the offset the next fetch starts from. Pure (FetchedRecordsDecoderTests).
///
/// - Batches of every codec are decompressed (RecordBatch v2).
/// - A compressed batch is returned whole even when the fetch offset lies inside it, so
///   records below the fetch offset are skipped.
/// - Control batches (transaction markers) are skipped, but the position moves past them.
/// - A partial batch at the end (the broker cuts at the size limit) is left for the next fetch.
/// - Message sets of the formats before v2 (magic 0 and 1, in topics written by old clients)
///   are read through `LegacyMessageSet`.
enum FetchedRecordsDecoder {
    struct Decoded {
        /// Records per batch, not concatenated: joining them would copy every record.
        var batches: [[Record]]
        /// Every record, in order.
        var records: [Record] { batches.flatMap { $0 } }
        var count: Int { batches.reduce(0) { $0 + $1.count } }
        /// Where the next fetch starts; nil when no complete batch came (fetch the same offset).
        var nextOffset: Int64?
        var bytes: Int
    }

    /// Where the next fetch starts, from the batch headers alone (no decompression), so the
    /// next fetch can go out while this answer is decoded. Nil when no complete batch came.
    static func nextOffset(_ records: ByteBuffer, fetchOffset: Int64) throws -> Int64? {
        if LegacyMessageSet.isLegacy(records, at: records.readerIndex) {
            return try decode(records, fetchOffset: fetchOffset, verifyCRC: false).nextOffset
        }
        var iterator = RecordBatchIterator(records)
        var next: Int64?
        while let raw = try iterator.nextRaw() {
            if raw.header.lastOffset >= fetchOffset { next = raw.header.lastOffset + 1 }
        }
        return next
    }

    static func decode(_ records: ByteBuffer, fetchOffset: Int64, verifyCRC: Bool) throws -> Decoded {
        if LegacyMessageSet.isLegacy(records, at: records.readerIndex) {
            let all = try LegacyMessageSet.decode(records, verifyCRC: verifyCRC)
            let kept = all.filter { $0.offset >= fetchOffset }
            return Decoded(
                batches: kept.isEmpty ? [] : [kept], nextOffset: all.last.map { $0.offset + 1 }, bytes: records.readableBytes)
        }
        var iterator = RecordBatchIterator(records)
        var result: [[Record]] = []
        var next: Int64?
        var bytes = 0
        while let raw = try iterator.nextRaw() {
            bytes += raw.bytes.readableBytes
            let header = raw.header
            guard header.lastOffset >= fetchOffset else { continue }
            next = header.lastOffset + 1
            if header.isControl || header.recordCount == 0 { continue }
            let batch = try raw.decode(verifyCRC: verifyCRC)
            if header.baseOffset >= fetchOffset {
                result.append(batch.records)
            } else {
                let kept = batch.records.filter { $0.offset >= fetchOffset }
                if !kept.isEmpty { result.append(kept) }
            }
        }
        return Decoded(batches: result, nextOffset: next, bytes: bytes)
    }
}
