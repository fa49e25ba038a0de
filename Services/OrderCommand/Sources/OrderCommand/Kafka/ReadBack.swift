import KafkaWire
import Logging
import ServiceLifecycle

/// Reads the owned partitions back and folds every record into the processor: this is what
/// answers commands (an event counts only once read back) and what folds a newly assigned
/// partition from its beginning.
struct ReadBack: Service {
    let consumer: KafkaConsumer
    let processor: CommandProcessor

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            try await processor.readBack(consumer.messages)
        }
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
            await processor.joined()
            guard !partitions.isEmpty else { return }
            // Fold from the beginning (committed offsets are never used), up to the high
            // watermark as of now, before serving.
            var highWatermarks: [Int32: Int64] = [:]
            while true {
                do {
                    for offset in try await admin.listOffsets(.latest, topic: topic, partitions: partitions) {
                        highWatermarks[offset.partition] = offset.offset
                    }
                    break
                } catch {
                    logger.warning("Reading the high watermarks failed; retrying", metadata: ["error": "\(error)"])
                    try? await Task.sleep(for: .milliseconds(200))
                    if Task.isCancelled { return }
                }
            }
            await processor.assigned(partitions, highWatermarks: highWatermarks)
            let topic = self.topic
            await processor.startFolding(partitions) { partition in
                try consumer.seek(TopicPartition(topic, partition), to: .beginning)
            }
        case .revoked, .lost:
            await processor.revoked(partitions)
        default:
            break
        }
    }
}
