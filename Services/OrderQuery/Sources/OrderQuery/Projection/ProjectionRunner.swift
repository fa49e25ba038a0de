import SQLStore
import Events
import KafkaWire
import Logging
import NIOConcurrencyHelpers
import ServiceKit

/// Folds the records a consumer hands out into one generation of the read model: each batch
/// (what one `next()` gave plus everything already fetched behind it) in one transaction with
/// the partitions' next offsets, as a compare-and-set. The live projection (partitions from
/// the consumer group) and a rebuild (every partition, by hand) both run one.
public final class ProjectionRunner: Sendable {
    public let name: String
    let consumer: KafkaConsumer
    let store: ReadModelStore
    let topic: String
    let partitionOf: @Sendable (String) -> Int32
    let metrics: QueryMetrics
    let logger: Logger
    let maxBatch: Int
    /// The live projection tells waiting reads how far it has stored; a rebuild has none.
    let board: ProgressBoard?
    private let state: NIOLockedValueBox<State>

    struct State {
        var cursors = PartitionCursors()
        var generation: Int64
        var eventsApplied: Int64 = 0
        /// Why the last batch could not be stored, until one is (readiness shows it).
        var failing: String?
        /// The rows of recently touched orders, as this projection wrote them.
        var orderRows: OrderRowCache
    }

    public init(
        name: String, consumer: KafkaConsumer, store: ReadModelStore, topic: String, generation: Int64,
        partitionOf: @escaping @Sendable (String) -> Int32, metrics: QueryMetrics, logger: Logger, maxBatch: Int = OrderQueryConfiguration.defaultMaxBatch,
        board: ProgressBoard? = nil, cachedOrders: Int = 50_000
    ) {
        self.board = board
        self.name = name
        self.consumer = consumer
        self.store = store
        self.topic = topic
        self.partitionOf = partitionOf
        self.metrics = metrics
        self.logger = logger
        self.maxBatch = maxBatch
        self.state = NIOLockedValueBox(State(generation: generation, orderRows: OrderRowCache(capacity: cachedOrders)))
    }

    public var generation: Int64 { state.withLockedValue { $0.generation } }
    public var cursors: PartitionCursors { state.withLockedValue { $0.cursors } }
    public var eventsApplied: Int64 { state.withLockedValue { $0.eventsApplied } }
    /// Why batches are failing now (the database unreachable), or nil.
    public var failing: String? { state.withLockedValue { $0.failing } }

    /// An order's row as this projection last stored it (committed), if it still holds it,
    /// with the generation it was stored in.
    public func storedRow(_ orderId: String) -> (generation: Int64, row: OrderRow)? {
        state.withLockedValue { state in state.orderRows.row(orderId).map { (state.generation, $0) } }
    }

    // MARK: Ownership

    /// Takes partitions: reads the generation's stored offsets and seeks there (the group's
    /// committed offsets are never used). `stops` bounds a read model as of a position.
    public func assign(_ partitions: [Int32], stops: [Int32: Int64]? = nil) async throws {
        guard !partitions.isEmpty else { return }
        let generation = self.generation
        let stored = try await store.storedOffsets(generation)
        try state.withLockedValue { state in
            state.orderRows.removeAll()
            for partition in partitions {
                let next = stored[partition] ?? 0
                state.cursors.assign(partition, next: next, stopBefore: stops.map { $0[partition] ?? 0 })
                try consumer.seek(TopicPartition(topic, partition), to: .offset(next))
            }
        }
        board?.publish(Dictionary(uniqueKeysWithValues: partitions.map { ($0, stored[$0] ?? 0) }))
        logger.info("Projection took partitions", metadata: [
            "projection": "\(name)", "generation": "\(generation)",
            "kafka.partitions": "\(partitions.sorted().map { "\($0)@\(stored[$0] ?? 0)" })",
        ])
    }

    public func revoke(_ partitions: [Int32]) {
        state.withLockedValue { state in
            state.orderRows.removeAll()
            for partition in partitions { state.cursors.revoke(partition) }
        }
        board?.forget(partitions)
    }

    // MARK: Folding

    /// Folds until the consumer stops, or until `done` says so after a batch.
    public func run(done: (@Sendable (ProjectionRunner) async throws -> Bool)? = nil) async throws {
        var iterator = consumer.messages.makeAsyncIterator()
        while true {
            var askedAt = state.withLockedValue { $0.cursors.epoch }
            guard let first = try await iterator.next() else { return }
            var batch = [(first, askedAt)]
            askedAt = state.withLockedValue { $0.cursors.epoch }
            while batch.count < maxBatch, let record = iterator.nextIfBuffered() {
                batch.append((record, askedAt))
            }
            try await applyBatch(batch)
            if let done, try await done(self) { return }
        }
    }

    /// Admits the records, stores them in one transaction, and handles a refusal.
    func applyBatch(_ batch: [(ConsumerRecord, UInt64)]) async throws {
        // Admission, per partition in the order the records came.
        var admitted: [LogRecord] = []
        var startOffsets: [Int32: Int64] = [:]
        var epochs: [Int32: UInt64] = [:]
        var reseeks: [Int32: Int64] = [:]
        state.withLockedValue { state in
            var next: [Int32: Int64] = [:]
            for (record, askedAt) in batch where reseeks[record.partition] == nil {
                guard let cursor = state.cursors.cursors[record.partition] else { continue }
                let partitionNext = next[record.partition] ?? cursor.next
                switch state.cursors.admit(record.partition, offset: record.offset, next: partitionNext, askedAt: askedAt) {
                case .apply:
                    if startOffsets[record.partition] == nil {
                        startOffsets[record.partition] = cursor.next
                        epochs[record.partition] = cursor.epoch
                    }
                    next[record.partition] = record.offset + 1
                    admitted.append(LogRecord(partition: record.partition, offset: record.offset, record: EventRecord(record)))
                case .skip:
                    continue
                case .reseek(let offset):
                    reseeks[record.partition] = offset
                }
            }
        }
        if !admitted.isEmpty {
            try await store(admitted, startOffsets: startOffsets, epochs: epochs)
        }
        for (partition, offset) in reseeks {
            let current = state.withLockedValue { $0.cursors.cursors[partition]?.next } ?? offset
            seek(partition, to: current)
        }
    }

    private func store(_ records: [LogRecord], startOffsets: [Int32: Int64], epochs: [Int32: UInt64]) async throws {
        let orderIds = Set(records.compactMap { $0.record.keyString })
        let (generation, known, cacheEpoch) = state.withLockedValue { state in
            (state.generation, state.orderRows.rows(for: orderIds), state.orderRows.epoch)
        }
        let started = ContinuousClock.now
        do {
            let projection = try await store.apply(
                records, to: generation, startOffsets: startOffsets, partitionOf: partitionOf, known: known)
            metrics.batchApplied(records: records.count, inEffect: projection.inEffectCount,
                                 voidEvents: projection.voidEvents, latency: ContinuousClock.now - started)
            state.withLockedValue { state in
                state.failing = nil
                state.orderRows.store(projection.orders, ifEpoch: cacheEpoch)
                state.eventsApplied += Int64(projection.inEffectCount)
                for (partition, next) in projection.nextOffsets {
                    state.cursors.advance(partition, to: next, ifEpoch: epochs[partition] ?? 0)
                }
                for (partition, stop) in projection.stopped {
                    state.cursors.stop(partition, at: stop.offset, reason: "\(stop.error)")
                }
            }
            board?.publish(projection.nextOffsets)
            for (partition, stop) in projection.stopped {
                // Not folding past an event it cannot read: the partition waits for a fixed
                // reader (or a fixed event), visibly.
                metrics.partitionStopped(partition)
                logger.error("Projection stopped a partition at an event it cannot read", metadata: [
                    "projection": "\(name)", "kafka.partition": "\(partition)", "kafka.offset": "\(stop.offset)",
                    "error": "\(stop.error)",
                ])
                consumer.pause([TopicPartition(topic, partition)])
            }
        } catch let refusal as ApplyRefusal {
            state.withLockedValue { $0.orderRows.removeAll() }
            switch refusal {
            case .offsetMoved(let partition, let stored, let expected):
                // Another instance applied past the batch's start (this one lost the
                // partition, or a rebuild swapped in): continue from what is stored.
                logger.notice("Stored offset moved under the projection; seeking to it", metadata: [
                    "projection": "\(name)", "kafka.partition": "\(partition)", "expected": "\(expected)", "stored": "\(stored ?? -1)",
                ])
                if let stored {
                    seek(partition, to: stored)
                    board?.publish([partition: stored])
                }
                // The batch's other partitions were not stored either: read them again from
                // where they were (a seek, so nothing handed out before counts as a gap).
                for (other, start) in startOffsets where other != partition { seek(other, to: start) }
            case .generationClosed:
                try await generationClosed()
            }
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            // The database is unreachable or failed the transaction: nothing was stored. The
            // batch is read again from the stored offsets after a pause; the projection does
            // not stop (readiness and lag show it falling behind).
            metrics.applyFailed()
            state.withLockedValue { state in
                state.failing = "\(error)"
                // The outcome may be unknown (the connection lost with the statement sent).
                state.orderRows.removeAll()
            }
            logger.error("Applying a batch failed; retrying from the stored offsets", metadata: [
                "projection": "\(name)", "generation": "\(generation)", "error": "\(error)",
            ])
            try await Task.sleep(for: .seconds(1))
            for (partition, offset) in startOffsets { seek(partition, to: offset) }
        }
    }

    /// The generation this projection wrote to is no longer writable: a live projection
    /// follows the new live generation from its stored offsets; others end.
    func generationClosed() async throws {
        guard name == "live", let live = try await store.liveGeneration() else {
            throw ApplyRefusal.generationClosed(generation)
        }
        board?.forgetAll()
        let owned = state.withLockedValue { state in
            state.orderRows.removeAll()
            state.generation = live
            return Array(state.cursors.cursors.keys)
        }
        logger.info("Live projection follows a new generation", metadata: ["generation": "\(live)"])
        try await assign(owned)
    }

    private func seek(_ partition: Int32, to offset: Int64) {
        state.withLockedValue { state in
            state.cursors.reseek(partition, to: offset)
            try? consumer.seek(TopicPartition(topic, partition), to: .offset(offset))
        }
    }
}
