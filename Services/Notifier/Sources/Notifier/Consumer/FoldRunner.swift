import Events
import KafkaWire
import Logging
import NIOConcurrencyHelpers
import KafkaEvents

/// Folds the records the `notifier` group hands this instance into the ledger: each batch
/// (what one `next()` gave plus everything already fetched behind it) in one transaction
/// with the partitions' folded offsets as a compare-and-set; then commits the group's
/// offsets and hands the new deliveries to the delivery service.
final class FoldRunner: Sendable {
    let consumer: KafkaConsumer
    let ledger: DeliveryLedger
    let deliveries: DeliveryService
    let publisher: NotificationPublisher
    let templates: NotificationTemplates
    let topic: String
    let partitionOf: @Sendable (String) -> Int32
    let metrics: NotifierMetrics
    let logger: Logger
    let maxBatch: Int
    private let state = NIOLockedValueBox(State())

    struct State {
        var cursors = PartitionCursors()
        var failing: (any Error)?
    }

    init(
        consumer: KafkaConsumer, ledger: DeliveryLedger, deliveries: DeliveryService, publisher: NotificationPublisher,
        templates: NotificationTemplates, topic: String, partitionOf: @escaping @Sendable (String) -> Int32,
        metrics: NotifierMetrics, logger: Logger, maxBatch: Int
    ) {
        self.consumer = consumer
        self.ledger = ledger
        self.deliveries = deliveries
        self.publisher = publisher
        self.templates = templates
        self.topic = topic
        self.partitionOf = partitionOf
        self.metrics = metrics
        self.logger = logger
        self.maxBatch = maxBatch
    }

    var cursors: PartitionCursors { state.withLockedValue { $0.cursors } }
    var failing: (any Error)? { state.withLockedValue { $0.failing } }

    // MARK: Ownership

    /// Takes partitions from their folded offsets (stored in the ledger with the deliveries).
    func assign(_ folded: [Int32: Int64]) throws {
        try state.withLockedValue { state in
            for (partition, next) in folded {
                state.cursors.assign(partition, next: next)
                try consumer.seek(TopicPartition(topic, partition), to: .offset(next))
            }
        }
    }

    func revoke(_ partitions: [Int32]) {
        state.withLockedValue { state in
            for partition in partitions { state.cursors.revoke(partition) }
        }
    }

    // MARK: Folding

    func run() async throws {
        var iterator = consumer.messages.makeAsyncIterator()
        while true {
            var askedAt = state.withLockedValue { $0.cursors.epoch }
            guard let first = try await iterator.next() else { return }
            var batch = [(first, askedAt)]
            askedAt = state.withLockedValue { $0.cursors.epoch }
            while batch.count < maxBatch, let record = iterator.nextIfBuffered() {
                batch.append((record, askedAt))
            }
            try await fold(batch)
        }
    }

    private func fold(_ batch: [(ConsumerRecord, UInt64)]) async throws {
        var admitted: [LoggedRecord] = []
        var startOffsets: [Int32: Int64] = [:]
        var epochs: [Int32: UInt64] = [:]
        var reseeks: [Int32: Int64] = [:]
        state.withLockedValue { state in
            var next: [Int32: Int64] = [:]
            for (record, askedAt) in batch where reseeks[record.partition] == nil {
                guard let cursor = state.cursors.cursors[record.partition] else { continue }
                switch state.cursors.admit(record.partition, offset: record.offset, next: next[record.partition] ?? cursor.next, askedAt: askedAt) {
                case .apply:
                    if startOffsets[record.partition] == nil {
                        startOffsets[record.partition] = cursor.next
                        epochs[record.partition] = cursor.epoch
                    }
                    next[record.partition] = record.offset + 1
                    admitted.append(LoggedRecord(
                        partition: record.partition, offset: record.offset, timestamp: record.timestamp, record: EventRecord(record)))
                case .skip:
                    continue
                case .reseek(let offset):
                    reseeks[record.partition] = offset
                }
            }
        }
        if !admitted.isEmpty { try await store(admitted, startOffsets: startOffsets, epochs: epochs) }
        for (partition, offset) in reseeks {
            seek(partition, to: state.withLockedValue { $0.cursors.cursors[partition]?.next } ?? offset)
        }
    }

    private func store(_ records: [LoggedRecord], startOffsets: [Int32: Int64], epochs: [Int32: UInt64]) async throws {
        let publisher = self.publisher
        let logger = self.logger
        do {
            let result = try await ledger.fold(
                records, startOffsets: startOffsets, sinks: deliveries.sinkNames, partitionOf: partitionOf, templates: templates
            ) { unreadable in
                for item in unreadable {
                    logger.error("An event cannot be read; dead-lettering it", metadata: [
                        "kafka.partition": "\(item.record.partition)", "kafka.offset": "\(item.record.offset)", "error": "\(item.error)",
                    ])
                    try await publisher.deadLetter(
                        item.record.record, partition: item.record.partition, offset: item.record.offset,
                        error: "\(item.error)", attempts: 0, sink: "none")
                }
            }
            metrics.folded(records: records.count, inEffect: result.inEffectCount, voidEvents: result.voidEvents,
                           undecodable: records.count - result.inEffectCount - result.voidEvents.values.reduce(0, +))
            state.withLockedValue { state in
                state.failing = nil
                for (partition, next) in result.nextOffsets {
                    state.cursors.advance(partition, to: next, ifEpoch: epochs[partition] ?? 0)
                }
            }
            await deliveries.add(result.deliveries)
            // The group's offsets follow the ledger's (informative: the ledger decides where a
            // partition resumes, but tools read the group's lag).
            let commits = Dictionary(uniqueKeysWithValues: result.nextOffsets.map { (TopicPartition(topic, $0.key), $0.value) })
            do { try await consumer.commit(commits) } catch {
                logger.debug("Committing the group's offsets failed (the ledger has them)", metadata: ["error": "\(error)"])
            }
        } catch let refusal as FoldRefusal {
            switch refusal {
            case .offsetMoved(let partition, let stored, let expected):
                logger.notice("The ledger's folded offset moved under this instance; seeking to it", metadata: [
                    "kafka.partition": "\(partition)", "expected": "\(expected)", "stored": "\(stored ?? -1)",
                ])
                if let stored { seek(partition, to: stored) }
                for (other, start) in startOffsets where other != partition { seek(other, to: start) }
                // Whoever folded past this instance's start put deliveries in the ledger that
                // this instance did not queue when it took the partition.
                do { try await deliveries.take([partition]) } catch {
                    logger.warning("Could not reload the partition's pending deliveries", metadata: ["kafka.partition": "\(partition)", "error": "\(error)"])
                }
            }
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            metrics.foldFailed()
            state.withLockedValue { $0.failing = error }
            logger.error("Folding a batch into the ledger failed; retrying from the folded offsets", metadata: ["error": "\(error)"])
            try await Task.sleep(for: .seconds(1))
            for (partition, offset) in startOffsets { seek(partition, to: offset) }
        }
    }

    private func seek(_ partition: Int32, to offset: Int64) {
        state.withLockedValue { state in
            state.cursors.reseek(partition, to: offset)
            try? consumer.seek(TopicPartition(topic, partition), to: .offset(offset))
        }
    }
}
