import KafkaProtocol
import NIOCore

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
        // The chunk being delivered: the current batch, whose records are moved out in turn
        // (no reference counting per record; reversing it to pop them copied each record
        // twice), and the batches after it, reversed (popLast moves a whole batch out).
        @usableFromInline var current: [Record] = []
        @usableFromInline var currentIndex = 0
        @usableFromInline var pending: [[Record]] = []
        @usableFromInline var topic = ""
        @usableFromInline var partition: Int32 = 0
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

        /// The next record if one is already fetched, without waiting: a caller that applies
        /// records in batches (one database transaction each) takes what `next()` gave and
        /// then everything fetched behind it, of every partition, as librdkafka's
        /// `consume_batch` does. Like `next()`, it marks the previous record processed.
        public mutating func nextIfBuffered() -> ConsumerRecord? {
            if let record = nextBuffered() { return record }
            while true {
                current = []
                currentIndex = 0
                pending = []
                guard var chunk = core.nextChunkIfBuffered() else { return nil }
                swap(&pending, &chunk.batches)
                pending.reverse()
                topic = chunk.partition.topic
                partition = chunk.partition.partition
                snapshot = .max
                if let record = nextBuffered() { return record }
            }
        }

        @inlinable
        mutating func nextBuffered() -> ConsumerRecord? {
            while true {
                if currentIndex < current.count {
                    let index = currentIndex
                    let offset = current[index].offset
                    guard core.handOut(offset: offset, snapshot: &snapshot) else {
                        // Seeked, paused or revoked since it was fetched: drop the rest.
                        current = []
                        currentIndex = 0
                        pending = []
                        return nil
                    }
                    currentIndex += 1
                    // Moved out of the record, not copied: a copy retained every buffer and
                    // the headers, and freeing the record released them again.
                    var record = ConsumerRecord(
                        topic: topic, partition: partition, offset: offset, timestamp: current[index].timestamp,
                        key: nil, value: nil, headers: [])
                    swap(&record.key, &current[index].key)
                    swap(&record.value, &current[index].value)
                    swap(&record.headers, &current[index].headers)
                    return record
                }
                guard let batch = pending.popLast() else { return nil }
                // Moved, not shared: a second reference would make the first swap above copy
                // the whole batch.
                current = consume batch
                currentIndex = 0
            }
        }

        @usableFromInline
        mutating func nextChunk(isolation actor: isolated (any Actor)? = #isolation) async throws -> ConsumerRecord? {
            while true {
                current = []
                currentIndex = 0
                pending = []
                guard var chunk = try await core.nextChunk() else { return nil }
                // Take the batches without sharing them, so reversing copies nothing.
                swap(&pending, &chunk.batches)
                pending.reverse()
                topic = chunk.partition.topic
                partition = chunk.partition.partition
                // Check the new chunk once, then only after positions change.
                snapshot = .max
                if let record = nextBuffered() { return record }
            }
        }
    }
}
