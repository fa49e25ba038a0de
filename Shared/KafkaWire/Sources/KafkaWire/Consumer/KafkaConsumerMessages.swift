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
        @usableFromInline let core: ConsumerCore
        // The chunk being delivered, unpacked so the per-record path copies nothing.
        @usableFromInline var records: [Record] = []
        @usableFromInline var topic = ""
        @usableFromInline var partition: Int32 = 0
        @usableFromInline var index = 0
        @usableFromInline var snapshot: UInt64 = .max

        init(core: ConsumerCore) {
            self.core = core
        }

        // Inlinable, with a synchronous fast path: most calls return a buffered record
        // without suspending, and the caller's loop pays no async call per record.
        @inlinable
        public mutating func next() async throws -> ConsumerRecord? {
            if let record = nextBuffered() { return record }
            return try await nextChunk()
        }

        /// Swift 6's `for try await` calls this; implemented so it does not go through the
        /// generic default that wraps `next()`.
        @available(macOS 15.0, *)
        @inlinable
        public mutating func next(isolation actor: isolated (any Actor)?) async throws -> ConsumerRecord? {
            if let record = nextBuffered() { return record }
            return try await nextChunk(isolation: actor)
        }

        @inlinable
        mutating func nextBuffered() -> ConsumerRecord? {
            while index < records.count {
                let record = records[index]
                index += 1
                guard core.handOut(offset: record.offset, snapshot: &snapshot) else {
                    // Seeked, paused or revoked since it was fetched: drop the rest.
                    records = []
                    return nil
                }
                return ConsumerRecord(
                    topic: topic, partition: partition, offset: record.offset, timestamp: record.timestamp,
                    key: record.key, value: record.value, headers: record.headers)
            }
            return nil
        }

        @usableFromInline
        mutating func nextChunk(isolation actor: isolated (any Actor)? = #isolation) async throws -> ConsumerRecord? {
            while true {
                records = []
                guard let next = try await core.nextChunk() else { return nil }
                records = next.records
                topic = next.partition.topic
                partition = next.partition.partition
                index = 0
                // Check the new chunk once, then only after positions change.
                snapshot = .max
                if let record = nextBuffered() { return record }
            }
        }
    }
}
