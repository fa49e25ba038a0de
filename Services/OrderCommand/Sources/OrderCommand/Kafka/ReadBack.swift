import KafkaWire
import Logging
import ServiceLifecycle

/// Reads the owned partitions back and folds every record into the processor: this is what
/// answers commands (an event counts only once read back) and what folds a newly assigned
/// partition from its beginning. It ends when the consumer stops (the consumer is shut down
/// before it: see the service order in `buildApplication`).
struct ReadBack: Service {
    let consumer: KafkaConsumer
    let processor: CommandProcessor

    func run() async throws {
        try await processor.readBack(consumer.messages)
        // The consumer stopped (a graceful shutdown under way): end with the group, not before
        // it, which a service group reports as a failure.
        try? await gracefulShutdown()
    }
}

/// What the group tells this instance at each rebalance step, carried out on the processor.
struct OwnershipHandler: Sendable {
    let topic: String
    let processor: CommandProcessor
    let admin: KafkaAdmin
    let logger: Logger

    func handle(_ event: RebalanceEvent, consumer: KafkaConsumer) async {
        let partitions = event.partitions.filter { $0.topic == topic }.map(\.partition)
        switch event.kind {
        case .assigned:
            if let data = event.assignment?.userData, var map = OwnerMap(decoding: data) {
                map.generation = event.assignment?.generation ?? map.generation
                await processor.updateOwnerMap(map)
            }
            // The partitions exist (not serving) before the member counts as joined, so
            // readiness never sees an empty set while the high watermarks are being read.
            await processor.assigned(partitions)
            await processor.joined()
            guard !partitions.isEmpty else { return }
            // Fold from the beginning (committed offsets are never used), up to the high
            // watermark as of now, before serving.
            let highWatermarks: [Int32: Int64]
            do {
                highWatermarks = try await self.highWatermarks(of: partitions)
            } catch {
                // Not serving is visible (ready answers 503 naming the partitions); serving
                // without knowing where the partition ends would not be.
                logger.error("Reading the high watermarks failed; the partitions stay unserved", metadata: [
                    "kafka.partitions": "\(partitions)", "error": "\(error)",
                ])
                return
            }
            let topic = self.topic
            await processor.startFolding(partitions, highWatermarks: highWatermarks) { partition in
                try consumer.seek(TopicPartition(topic, partition), to: .beginning)
            }
        case .revoked, .lost:
            await processor.revoked(partitions)
        default:
            break
        }
    }

    /// The partitions' high watermarks now, retried (with the cluster's backoff) as long as
    /// the errors are retriable; a partition answered with an error counts as a failure.
    private func highWatermarks(of partitions: [Int32]) async throws -> [Int32: Int64] {
        try await admin.cluster.retrying("high watermarks of \(topic)", attempts: .max) {
            var marks: [Int32: Int64] = [:]
            for offset in try await admin.listOffsets(.latest, topic: topic, partitions: partitions) {
                if let error = KafkaError(brokerCode: offset.error.rawValue, "high watermark of \(topic)-\(offset.partition)") {
                    throw error
                }
                marks[offset.partition] = offset.offset
            }
            return marks
        }
    }
}
