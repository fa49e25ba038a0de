import KafkaProtocol

/// The records a `KafkaConsumer` consumes, in fetch order (per partition in offset order).
/// Ends when the consumer stops; throws the error that stopped it, if any. Iterate it from
/// one task.
///
/// Asking for the next record marks the previous one processed: auto commit and commit on
/// revoke stop before a record the application still holds, and a revocation waits for it.
public struct KafkaConsumerMessages: AsyncSequence, Sendable {
    public typealias Element = ConsumerRecord

    let core: ConsumerCore

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(core: core)
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let core: ConsumerCore
        private var chunk: FetchedChunk?
        private var index = 0

        init(core: ConsumerCore) {
            self.core = core
        }

        public mutating func next() async throws -> ConsumerRecord? {
            while true {
                if let current = chunk, index < current.records.count {
                    let record = current.records[index]
                    index += 1
                    guard core.handOut(current.partition, epoch: current.epoch, offset: record.offset) else {
                        // Seeked, paused or revoked since it was fetched: drop the rest.
                        chunk = nil
                        continue
                    }
                    return ConsumerRecord(
                        topic: current.partition.topic, partition: current.partition.partition, offset: record.offset,
                        timestamp: record.timestamp, key: record.key, value: record.value, headers: record.headers)
                }
                chunk = nil
                guard let next = try await core.nextChunk() else { return nil }
                chunk = next
                index = 0
            }
        }
    }
}
