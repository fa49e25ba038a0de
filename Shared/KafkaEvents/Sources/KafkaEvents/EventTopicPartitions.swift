import KafkaWire
import Logging

/// The event topic's partition count, waiting (with the cluster's backoff) while it does
/// not exist yet: OrderCommand creates it, and the services may start in any order.
public enum EventTopicPartitions {
    public static func wait(for topic: String, admin: KafkaAdmin, logger: Logger) async throws -> Int32 {
        if (try? await admin.describeTopics([topic]).first?.partitions.isEmpty) != false {
            logger.notice("Waiting for the event topic to exist (OrderCommand creates it)", metadata: ["kafka.topic": "\(topic)"])
        }
        return try await admin.cluster.retrying("partitions of \(topic)", attempts: .max) {
            let metadata = try await admin.describeTopics([topic]).first
            guard let metadata, metadata.error == .none, !metadata.partitions.isEmpty else {
                throw KafkaError(.unknownTopic, "topic \(topic) does not exist yet", retriable: true)
            }
            return Int32(metadata.partitions.count)
        }
    }
}
