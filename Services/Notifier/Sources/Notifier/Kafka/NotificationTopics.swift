import Events
import Foundation
import KafkaProtocol
import KafkaWire
import Logging
import NIOCore
import KafkaEvents

/// The notifier's own topics: what it delivered (`orders.notifications`) and what it gave up
/// on (`orders.notifications.dlq`). Both are created at start when missing, with the event
/// topic's partition count and the cluster's default replication.
struct NotificationTopics: Sendable {
    var notifications: String
    var deadLetters: String
    var eventTopic: String

    func ensure(admin: KafkaAdmin, partitions: Int32, logger: Logger) async throws {
        for name in [notifications, deadLetters] {
            if let metadata = try await admin.describeTopics([name]).first, metadata.error == .none, !metadata.partitions.isEmpty {
                continue
            }
            logger.info("Creating the notifier's topic", metadata: ["kafka.topic": "\(name)", "kafka.partitions": "\(partitions)"])
            do {
                try await admin.createTopic(NewTopic(name: name, partitions: partitions, replicationFactor: -1))
            } catch let error as KafkaError where error.code == .broker(.topicAlreadyExists) {
                // Another instance created it first.
            }
        }
    }
}

/// Produces to the notifier's topics, waiting for each record's acknowledgement (acks=all,
/// idempotent): a delivery is recorded in the ledger only after its record is in the log.
struct NotificationPublisher: Sendable {
    let producer: KafkaProducer
    let topics: NotificationTopics

    /// Header names on `orders.notifications.dlq`, beside the event's own envelope headers.
    enum DeadLetterHeader {
        static let error = "dlq-error"
        static let attempts = "dlq-attempts"
        static let sink = "dlq-sink"
        static let sourceTopic = "dlq-source-topic"
        static let sourcePartition = "dlq-source-partition"
        static let sourceOffset = "dlq-source-offset"
        static let deadLetteredAt = "dlq-dead-lettered-at"
    }

    func published(_ notification: Notification, sink: String, body: [UInt8]) async throws {
        let record = ProducerRecord(
            topic: topics.notifications, key: ByteBuffer(string: notification.orderId), value: ByteBuffer(bytes: body),
            headers: [
                RecordHeader(key: "event-id", value: ByteBuffer(string: notification.eventId)),
                RecordHeader(key: "notification-kind", value: ByteBuffer(string: notification.kind)),
                RecordHeader(key: "sink", value: ByteBuffer(string: sink)),
                RecordHeader(key: EventHeader.contentType, value: ByteBuffer(string: EventHeader.jsonContentType)),
            ])
        _ = try await producer.send(record)
    }

    /// The event exactly as read, with why it was given up in headers. `sink` is `none` for
    /// an event that could not be read at all.
    func deadLetter(
        _ record: EventRecord, partition: Int32, offset: Int64, error: String, attempts: Int64, sink: String
    ) async throws {
        var headers = record.headers.map { RecordHeader(key: $0.name, value: $0.value.map { ByteBuffer(bytes: $0) }) }
        headers.append(contentsOf: [
            RecordHeader(key: DeadLetterHeader.error, value: ByteBuffer(string: String(error.prefix(4_000)))),
            RecordHeader(key: DeadLetterHeader.attempts, value: ByteBuffer(string: String(attempts))),
            RecordHeader(key: DeadLetterHeader.sink, value: ByteBuffer(string: sink)),
            RecordHeader(key: DeadLetterHeader.sourceTopic, value: ByteBuffer(string: topics.eventTopic)),
            RecordHeader(key: DeadLetterHeader.sourcePartition, value: ByteBuffer(string: String(partition))),
            RecordHeader(key: DeadLetterHeader.sourceOffset, value: ByteBuffer(string: String(offset))),
            RecordHeader(key: DeadLetterHeader.deadLetteredAt, value: ByteBuffer(string: Timestamp.now.rfc3339)),
        ])
        let dead = ProducerRecord(
            topic: topics.deadLetters, key: record.key.map { ByteBuffer(bytes: $0) }, value: record.value.map { ByteBuffer(bytes: $0) },
            headers: headers)
        _ = try await producer.send(dead)
    }
}
