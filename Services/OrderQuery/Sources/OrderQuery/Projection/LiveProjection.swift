import SQLStore
import KafkaWire
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle

/// The live projection: the `order-query` group hands this instance partitions; each is
/// folded from the live generation's stored offset on. Runs until the consumer stops.
public final class LiveProjection: Service, Sendable {
    let runner: ProjectionRunner
    let consumer: KafkaConsumer
    let logger: Logger
    private let membership = NIOLockedValueBox(Membership())

    struct Membership {
        var joined = false
        /// Partitions whose stored offsets could not be read (the database was down): unserved.
        var failed: Set<Int32> = []
    }

    init(runner: ProjectionRunner, consumer: KafkaConsumer, logger: Logger) {
        self.runner = runner
        self.consumer = consumer
        self.logger = logger
    }

    public func run() async throws {
        try await runner.run()
        // The consumer stopped (a graceful shutdown): end with the group, not before it.
        try? await gracefulShutdown()
    }

    /// What the group tells this instance at each rebalance.
    func handle(_ event: RebalanceEvent) async {
        let partitions = event.partitions.filter { $0.topic == runner.topic }.map(\.partition)
        switch event.kind {
        case .assigned:
            do {
                try await runner.assign(partitions)
                membership.withLockedValue { $0.joined = true; $0.failed.subtract(partitions) }
            } catch {
                logger.error("Could not read the stored offsets; the partitions stay unserved", metadata: [
                    "kafka.partitions": "\(partitions)", "error": "\(error)",
                ])
                membership.withLockedValue { $0.joined = true; $0.failed.formUnion(partitions) }
                consumer.pause(partitions.map { TopicPartition(runner.topic, $0) })
            }
        case .revoked, .lost:
            runner.revoke(partitions)
            membership.withLockedValue { $0.failed.subtract(partitions) }
        default:
            break
        }
    }

    /// Nil when ready; otherwise why not.
    public var notReadyReason: String? {
        let membership = membership.withLockedValue { $0 }
        guard membership.joined else { return "not in the consumer group yet" }
        if !membership.failed.isEmpty { return "stored offsets unreadable for partitions \(membership.failed.sorted())" }
        if let failing = runner.failing { return "batches cannot be stored: \(failing)" }
        let stopped = runner.cursors.cursors.compactMap { partition, cursor in
            cursor.stopped.map { "partition \(partition) stopped at offset \($0.offset): \($0.reason)" }
        }
        return stopped.isEmpty ? nil : stopped.sorted().joined(separator: "; ")
    }
}
