import KafkaWire
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle

/// Where a new deployment's deliveries start in a partition the ledger has never seen.
public enum StartPosition: String, Sendable, CaseIterable {
    /// Every event in the log notifies.
    case beginning
    /// Only events appended after the deployment first saw the partition notify (the history
    /// before is still folded, silently: the versions need it).
    case end
}

/// The notifier as a member of the `notifier` group: takes partitions (from the ledger's
/// folded offsets, resuming their pending deliveries), folds them, and delivers. Runs until
/// the consumer stops; then the delivery workers finish what they hold and stop.
public final class NotifierConsumer: Service, Sendable {
    let runner: FoldRunner
    let deliveries: DeliveryService
    let consumer: KafkaConsumer
    let admin: KafkaAdmin
    let topic: String
    let startPosition: StartPosition
    let logger: Logger
    private let membership = NIOLockedValueBox(Membership())

    struct Membership {
        var joined = false
        /// Partitions whose ledger rows could not be read (the database was down): unserved.
        var failed: Set<Int32> = []
    }

    init(runner: FoldRunner, deliveries: DeliveryService, consumer: KafkaConsumer, admin: KafkaAdmin, topic: String,
         startPosition: StartPosition, logger: Logger) {
        self.runner = runner
        self.deliveries = deliveries
        self.consumer = consumer
        self.admin = admin
        self.topic = topic
        self.startPosition = startPosition
        self.logger = logger
    }

    public func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await self.deliveries.run() }
            group.addTask {
                do {
                    try await self.runner.run()
                } catch {
                    await self.deliveries.stop()
                    throw error
                }
                await self.deliveries.stop()
            }
            try await group.waitForAll()
        }
        try? await gracefulShutdown()
    }

    func handle(_ event: RebalanceEvent) async {
        let partitions = event.partitions.filter { $0.topic == topic }.map(\.partition)
        switch event.kind {
        case .assigned:
            do {
                // Only a partition the ledger has never seen needs a start from Kafka (the
                // group's committed offset, or the log end): the others resume where they were.
                let known = try await runner.ledger.foldedOffsets()
                let starts = try await deliveryStarts(partitions.filter { known[$0] == nil })
                let folded = try await runner.ledger.claim(partitions) { starts[$0] ?? 0 }
                try runner.assign(folded)
                try await deliveries.take(partitions)
                membership.withLockedValue { $0.joined = true; $0.failed.subtract(partitions) }
                logger.info("Notifier took partitions", metadata: [
                    "kafka.partitions": "\(partitions.sorted().map { "\($0)@\(folded[$0] ?? 0)" })",
                ])
            } catch {
                logger.error("Could not read the ledger; the partitions stay unserved", metadata: [
                    "kafka.partitions": "\(partitions)", "error": "\(error)",
                ])
                membership.withLockedValue { $0.joined = true; $0.failed.formUnion(partitions) }
                consumer.pause(partitions.map { TopicPartition(topic, $0) })
            }
        case .revoked, .lost:
            runner.revoke(partitions)
            await deliveries.release(partitions)
            membership.withLockedValue { $0.failed.subtract(partitions) }
        default:
            break
        }
    }

    /// For partitions the ledger may not know: the group's committed offset (a ledger lost
    /// or moved does not send everything again), else the configured start.
    private func deliveryStarts(_ partitions: [Int32]) async throws -> [Int32: Int64] {
        guard !partitions.isEmpty else { return [:] }
        var starts: [Int32: Int64] = [:]
        let committed = try await consumer.committed(partitions.map { TopicPartition(topic, $0) })
        for (partition, offset) in committed where offset >= 0 { starts[partition.partition] = offset }
        let missing = partitions.filter { starts[$0] == nil }
        if startPosition == .end, !missing.isEmpty {
            for offset in try await admin.listOffsets(.latest, topic: topic, partitions: missing) {
                starts[offset.partition] = offset.offset
            }
        }
        return starts
    }

    /// Nil when ready; otherwise why not.
    public var notReadyReason: String? {
        let membership = membership.withLockedValue { $0 }
        guard membership.joined else { return "not in the consumer group yet" }
        if !membership.failed.isEmpty { return "ledger unreadable for partitions \(membership.failed.sorted())" }
        if let failing = runner.failing { return "batches cannot be stored in the ledger: \(failing)" }
        return nil
    }
}
