import KafkaProtocol

/// Per-partition idempotent-producer state: for each producer id, its epoch and its last five
/// batches (Kafka keeps five because a producer has at most five requests in flight), so a
/// retried batch is recognised and answered with its first offsets instead of appended twice.
///
/// Rules follow Kafka's `ProducerStateManager.checkSequence`:
/// - an older epoch is fenced (INVALID_PRODUCER_EPOCH);
/// - a newer epoch must start at sequence 0 (OUT_OF_ORDER_SEQUENCE_NUMBER otherwise);
/// - in the same epoch the batch must continue the last sequence;
/// - a producer the partition has never seen (or forgot) may start at any sequence.
struct ProducerStateTable: Sendable {
    struct BatchMetadata: Hashable, Sendable {
        var firstSequence: Int32
        var lastSequence: Int32
        var firstOffset: Int64
        var lastOffset: Int64
    }

    struct Entry: Hashable, Sendable {
        var epoch: Int16
        var batches: [BatchMetadata] = []
    }

    enum Verdict: Hashable, Sendable {
        /// Append the batch.
        case append
        /// Already appended: answer with this base offset and append nothing.
        case duplicate(baseOffset: Int64)
        /// Reject with this error.
        case reject(KafkaErrorCode)
    }

    static let retainedBatches = 5
    private(set) var entries: [Int64: Entry] = [:]

    func check(_ header: RecordBatchHeader) -> Verdict {
        guard header.producerID >= 0 else { return .append }
        guard let entry = entries[header.producerID] else { return .append }
        if header.producerEpoch < entry.epoch { return .reject(.invalidProducerEpoch) }
        if header.producerEpoch > entry.epoch {
            return header.baseSequence == 0 ? .append : .reject(.outOfOrderSequenceNumber)
        }
        if let previous = entry.batches.first(where: {
            $0.firstSequence == header.baseSequence && $0.lastSequence == header.lastSequence
        }) {
            return .duplicate(baseOffset: previous.firstOffset)
        }
        guard let last = entry.batches.last else { return .append }
        let expected = last.lastSequence == Int32.max ? 0 : last.lastSequence + 1
        return header.baseSequence == expected ? .append : .reject(.outOfOrderSequenceNumber)
    }

    /// Records an appended batch (with its final offsets).
    mutating func record(_ header: RecordBatchHeader) {
        guard header.producerID >= 0 else { return }
        var entry = entries[header.producerID] ?? Entry(epoch: header.producerEpoch)
        if header.producerEpoch != entry.epoch {
            entry = Entry(epoch: header.producerEpoch)
        }
        entry.batches.append(
            BatchMetadata(
                firstSequence: header.baseSequence, lastSequence: header.lastSequence,
                firstOffset: header.baseOffset, lastOffset: header.lastOffset))
        if entry.batches.count > Self.retainedBatches { entry.batches.removeFirst() }
        entries[header.producerID] = entry
    }
}
