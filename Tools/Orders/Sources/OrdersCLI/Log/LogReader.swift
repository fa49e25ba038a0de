import Events
import KafkaWire
import Logging
import ServiceLifecycle

/// Reads partitions of the event topic straight from Kafka, each from its beginning (the
/// fold rule needs every earlier event), up to the end offsets it found when it started, or
/// on and on with `follow`. Hands each record to `handle` in offset order per partition.
struct LogReader {
    let client: KafkaClientConfiguration
    var bootstrap: [BrokerAddress] { client.bootstrapServers }
    let topic: String
    let logger = Logger(label: "orders.log")

    struct Topic {
        var partitionCount: Int32
        var partitionOf: @Sendable (String) -> Int32
    }

    /// The topic's partitions, and the partitioner producers use for it.
    func describe() async throws -> Topic {
        let metadata: TopicMetadata?
        do {
            metadata = try await withAdmin { try await $0.describeTopics([topic]).first }
        } catch let error as KafkaError where error.code == .authenticationFailed || error.code == .tlsFailed {
            // Reached, but refused who we are: the settings to look at are the security ones.
            throw CLIError.failed(
                "Kafka at \(bootstrap.map(\.description).joined(separator: ",")) refused the connection: \(error) "
                    + "(check KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_* and KAFKA_SSL_*)")
        } catch {
            throw CLIError.unreachable(
                service: "Kafka", url: bootstrap.map(\.description).joined(separator: ","), reason: ServiceClient.reason(error),
                hint: "start it (orders up runs everything) or set --kafka-bootstrap-servers / KAFKA_BOOTSTRAP_SERVERS")
        }
        guard let metadata, metadata.error == .none, !metadata.partitions.isEmpty else {
            throw CLIError.failed("topic \(topic) does not exist yet: no order was ever placed on this cluster (orders up creates it)")
        }
        let count = Int32(metadata.partitions.count)
        return Topic(partitionCount: count, partitionOf: KafkaPartitioner.partitioner(partitionCount: Int(count)))
    }

    /// Per partition, the first offset at or after a timestamp (the end when there is none),
    /// or with no timestamp the end.
    func offsets(at timestamp: Int64?, partitions: [Int32]) async throws -> [Int32: Int64] {
        try await withAdmin { admin in
            var result: [Int32: Int64] = [:]
            for end in try await admin.listOffsets(.latest, topic: topic, partitions: partitions) { result[end.partition] = end.offset }
            guard let timestamp else { return result }
            for found in try await admin.listOffsets(.timestamp(timestamp), topic: topic, partitions: partitions) where found.offset >= 0 {
                result[found.partition] = found.offset
            }
            return result
        }
    }

    /// An admin client for `body`, shut down when it returns or throws.
    private func withAdmin<T>(_ body: (KafkaAdmin) async throws -> T) async throws -> T {
        let admin = KafkaAdmin(configuration: client, logger: logger)
        do {
            let result = try await body(admin)
            await admin.shutdown()
            return result
        } catch {
            await admin.shutdown()
            throw error
        }
    }

    /// Reads `partitions` from the beginning; `stopAt` bounds each (exclusive), else the end
    /// offsets at the start (or never, with `follow`). `atEnd` runs once every partition has
    /// reached its starting end (when following, before the records that come after).
    func read(
        _ partitions: [Int32], stopAt: [Int32: Int64]? = nil, follow: Bool = false,
        atEnd: () -> Void = {}, handle: (ConsumerRecord) throws -> Void
    ) async throws {
        let topicPartitions = partitions.map { TopicPartition(topic, $0) }
        var configuration = KafkaConsumerConfiguration(
            client: client, consumption: .partitions(topicPartitions))
        configuration.autoOffsetReset = .earliest
        let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        for partition in topicPartitions { try consumer.seek(partition, to: .beginning) }
        let ends: [Int32: Int64]
        if let stopAt {
            ends = stopAt
        } else {
            ends = Dictionary(uniqueKeysWithValues: try await consumer.endOffsets(topicPartitions).map { ($0.key.partition, $0.value) })
        }
        var remaining = Set(partitions.filter { (ends[$0] ?? 0) > 0 })
        let services = ServiceGroup(configuration: .init(services: [consumer], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await services.run() }
            if remaining.isEmpty { atEnd() }
            if !remaining.isEmpty || follow {
                for try await record in consumer.messages {
                    let end = ends[record.partition] ?? 0
                    if !follow, record.offset >= end { continue }
                    try handle(record)
                    if remaining.contains(record.partition), record.offset + 1 >= end {
                        remaining.remove(record.partition)
                        if remaining.isEmpty {
                            atEnd()
                            if !follow { break }
                        }
                    }
                }
            }
            await services.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}
