import Events
import KafkaWire
import Logging
import ServiceLifecycle

/// Reads partitions of the event topic straight from Kafka, each from its beginning (the
/// fold rule needs every earlier event), up to the end offsets it found when it started, or
/// on and on with `follow`. Hands each record to `handle` in offset order per partition.
/// `orders events`, `orders history` and the console's live log read through it.
public struct LogReader: Sendable {
    public let client: KafkaClientConfiguration
    public var bootstrap: [BrokerAddress] { client.bootstrapServers }
    public let topic: String
    let logger: Logger

    public init(client: KafkaClientConfiguration, topic: String, logger: Logger = Logger(label: "orders.log")) {
        self.client = client
        self.topic = topic
        self.logger = logger
    }

    public struct Topic: Sendable {
        public var partitionCount: Int32
        public var partitionOf: @Sendable (String) -> Int32

        public init(partitionCount: Int32, partitionOf: @escaping @Sendable (String) -> Int32) {
            self.partitionCount = partitionCount
            self.partitionOf = partitionOf
        }
    }

    /// Why the topic could not be described.
    public enum DescribeError: Error, CustomStringConvertible {
        /// Kafka was reached but refused who we are (TLS or SASL).
        case refused(bootstrap: String, KafkaError)
        /// Kafka could not be reached, or did not answer.
        case unreachable(bootstrap: String, any Error)
        /// The topic does not exist (yet).
        case noTopic(String)

        public var description: String {
            switch self {
            case .refused(let bootstrap, let error):
                "Kafka at \(bootstrap) refused the connection: \(error) (check KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_* and KAFKA_SSL_*)"
            case .unreachable(let bootstrap, let error): "Kafka at \(bootstrap) cannot be reached: \(error)"
            case .noTopic(let topic): "topic \(topic) does not exist yet: no order was ever placed on this cluster"
            }
        }
    }

    /// The topic's partitions, and the partitioner producers use for it.
    public func describe() async throws(DescribeError) -> Topic {
        let addresses = bootstrap.map(\.description).joined(separator: ",")
        let metadata: TopicMetadata?
        do {
            metadata = try await withAdmin { try await $0.describeTopics([topic]).first }
        } catch let error as KafkaError where error.code == .authenticationFailed || error.code == .tlsFailed {
            throw .refused(bootstrap: addresses, error)
        } catch {
            throw .unreachable(bootstrap: addresses, error)
        }
        guard let metadata, metadata.error == .none, !metadata.partitions.isEmpty else { throw .noTopic(topic) }
        let count = Int32(metadata.partitions.count)
        return Topic(partitionCount: count, partitionOf: KafkaPartitioner.partitioner(partitionCount: Int(count)))
    }

    /// Per partition, the first offset at or after a timestamp (the end when there is none),
    /// or with no timestamp the end.
    public func offsets(at timestamp: Int64?, partitions: [Int32]) async throws -> [Int32: Int64] {
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

    /// Where each partition starts for a `LogPosition` (absent: its beginning).
    public func startOffsets(_ position: LogPosition, partitions: [Int32]) async throws -> [Int32: Int64] {
        switch position {
        case .beginning: return [:]
        case .offset(let value): return Dictionary(uniqueKeysWithValues: partitions.map { ($0, value) })
        case .timestamp(let ms): return try await offsets(at: ms, partitions: partitions)
        case .end: return try await offsets(at: nil, partitions: partitions)
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

    /// Reads `partitions` from the beginning (or from `start`'s offset, for a reader that needs
    /// no verdicts: the dead-letter topic); `stopAt` bounds each (exclusive), else the end
    /// offsets at the start (or never, with `follow`). `atEnd` runs once every partition has
    /// reached its starting end (when following, before the records that come after).
    /// A slow `handle` slows the reading: records are fetched only as fast as it takes them.
    /// `stopsOnSignals`: SIGTERM and SIGINT end the reading (a command line's Ctrl-C); a
    /// service leaves its signals to its own lifecycle.
    public func read(
        _ partitions: [Int32], from start: [Int32: Int64] = [:], stopAt: [Int32: Int64]? = nil, follow: Bool = false,
        stopsOnSignals: Bool = false, atEnd: () async throws -> Void = {}, handle: (ConsumerRecord) async throws -> Void
    ) async throws {
        let topicPartitions = partitions.map { TopicPartition(topic, $0) }
        var configuration = KafkaConsumerConfiguration(
            client: client, consumption: .partitions(topicPartitions))
        configuration.autoOffsetReset = .earliest
        let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        for partition in topicPartitions { try consumer.seek(partition, to: start[partition.partition].map { .offset($0) } ?? .beginning) }
        let ends: [Int32: Int64]
        if let stopAt {
            ends = stopAt
        } else {
            ends = Dictionary(uniqueKeysWithValues: try await consumer.endOffsets(topicPartitions).map { ($0.key.partition, $0.value) })
        }
        var remaining = Set(partitions.filter { (ends[$0] ?? 0) > (start[$0] ?? 0) })
        let services = ServiceGroup(configuration: .init(services: [consumer], gracefulShutdownSignals: stopsOnSignals ? [.sigterm, .sigint] : [], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await services.run() }
            do {
                if remaining.isEmpty { try await atEnd() }
                if !remaining.isEmpty || follow {
                    for try await record in consumer.messages {
                        let end = ends[record.partition] ?? 0
                        if !follow, record.offset >= end { continue }
                        try await handle(record)
                        if remaining.contains(record.partition), record.offset + 1 >= end {
                            remaining.remove(record.partition)
                            if remaining.isEmpty {
                                try await atEnd()
                                if !follow { break }
                            }
                        }
                    }
                }
            } catch {
                // The consumer stops with the reading, however it ends.
                await services.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
            await services.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}
