import Foundation
import KafkaProtocol
import KafkaWire
import Logging

/// The event store's topic: created when missing, checked when present. The partition count
/// never changes after the first event (it would move orders between partitions), and the
/// retention must be forever: a topic that breaks either is refused.
public struct EventTopic: Sendable {
    public var name: String
    public var partitions: Int32
    /// -1: the cluster's default (Kafka ≥ 2.4, KIP-464).
    public var replicationFactor: Int16

    public init(name: String = "orders.events", partitions: Int32 = 6, replicationFactor: Int16 = -1) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
    }

    public enum Problem: Error, CustomStringConvertible, Equatable {
        case partitionCount(topic: String, found: Int, expected: Int32)
        case retention(topic: String, setting: String, value: String)

        public var description: String {
            switch self {
            case .partitionCount(let topic, let found, let expected):
                "topic \(topic) has \(found) partitions but ORDERS_PARTITIONS is \(expected); the partition count of an event store never changes (it would move orders between partitions): set ORDERS_PARTITIONS=\(found) or use another topic"
            case .retention(let topic, let setting, let value):
                "topic \(topic) has \(setting)=\(value); the event store must keep every event forever (retention.ms=-1, retention.bytes=-1, cleanup.policy=delete): fix the topic's configuration (kafka-configs --alter) before starting"
            }
        }
    }

    /// The topic's configuration when this service creates it.
    public var configs: [String: String] {
        ["retention.ms": "-1", "retention.bytes": "-1", "cleanup.policy": "delete"]
    }

    /// Creates the topic when missing (before any producer could auto-create it), then checks it.
    public func ensure(admin: KafkaAdmin, logger: Logger) async throws {
        var metadata = try await describe(admin)
        if metadata.error == .unknownTopicOrPartition {
            logger.info("Creating the event store topic", metadata: [
                "kafka.topic": "\(name)", "kafka.partitions": "\(partitions)", "kafka.replication_factor": "\(replicationFactor)",
            ])
            do {
                try await admin.createTopic(NewTopic(name: name, partitions: partitions, replicationFactor: replicationFactor, configs: configs))
            } catch let error as KafkaError where error.code == .broker(.topicAlreadyExists) {
                // Another instance created it first: check theirs like any other.
            }
        }
        if metadata.error != .none {
            // A topic just created (or a leader being elected) takes a moment to show up in
            // the metadata: the cluster's retry waits, with backoff, while the error is retriable.
            metadata = try await admin.cluster.retrying("describe \(name)", attempts: 20) {
                let metadata = try await describe(admin)
                if let error = KafkaError(brokerCode: metadata.error.rawValue, "topic \(name)") { throw error }
                return metadata
            }
        }
        try await verify(metadata, admin: admin)
    }

    private func describe(_ admin: KafkaAdmin) async throws -> TopicMetadata {
        try await admin.describeTopics([name]).first ?? TopicMetadata(name: name, error: .unknownTopicOrPartition)
    }

    /// Refuses a topic whose partition count or retention would break the event store.
    private func verify(_ metadata: TopicMetadata, admin: KafkaAdmin) async throws {
        guard metadata.error == .none else {
            throw KafkaError(.unknownTopic, "topic \(name) cannot be described: \(metadata.error)", retriable: false)
        }
        if metadata.partitions.count != Int(partitions) {
            throw Problem.partitionCount(topic: name, found: metadata.partitions.count, expected: partitions)
        }
        let configs = try await admin.describeTopicConfig(name, keys: ["retention.ms", "retention.bytes", "cleanup.policy"])
        if let value = configs["retention.ms"] ?? nil, value != "-1" {
            throw Problem.retention(topic: name, setting: "retention.ms", value: value)
        }
        if let value = configs["retention.bytes"] ?? nil, value != "-1" {
            throw Problem.retention(topic: name, setting: "retention.bytes", value: value)
        }
        if let value = configs["cleanup.policy"] ?? nil, value.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) != ["delete"] {
            throw Problem.retention(topic: name, setting: "cleanup.policy", value: value)
        }
    }
}
