import Events
import KafkaEvents
import KafkaWire
import Logging
import NIOConcurrencyHelpers
import OrderLog
import TestSupport
import Testing

@testable import Console

/// The console's log source against the dev broker over TCP: records folded with the fold
/// rule (a repeated version is void), the backlog then new records, and the reading ended by
/// cancellation (a browser gone).
@Suite struct KafkaLogSourceTests {
    static let topic = "console.events"

    static func client(_ port: Int) -> KafkaClientConfiguration {
        KafkaClientConfiguration(bootstrapServers: [BrokerAddress(host: "127.0.0.1", port: port)])
    }

    static func event(_ order: String, _ event: OrderEvent, version: Int64, actor: String? = nil) -> EventRecord {
        EventCodec.encode(RecordedEvent(
            event: event, orderId: order, version: version, commandId: "c-\(order)-\(version)",
            occurredAt: Timestamp(millisecondsSinceEpoch: 1_796_515_200_000), actor: actor))
    }

    /// Appends records, each to its key's partition, with a producer of its own.
    static func append(_ records: [EventRecord], port: Int) async throws {
        let partitionOf = KafkaPartitioner.partitioner(partitionCount: 3)
        var configuration = KafkaProducerConfiguration(client: client(port))
        configuration.acks = .all
        let producer = try KafkaProducer(configuration: configuration, logger: InProcessBroker.logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await producer.run() }
            for record in records {
                _ = try await producer.send(ProducerRecord(record, topic: topic, partition: partitionOf(record.keyString ?? "")))
            }
            await producer.close()
            try await group.waitForAll()
        }
    }

    @Test func followsTheLogWithVerdictsThenNewRecordsUntilCancelled() async throws {
        try await InProcessBroker.run { port in
            let admin = KafkaAdmin(configuration: Self.client(port), logger: InProcessBroker.logger)
            try await admin.createTopic(NewTopic(name: Self.topic, partitions: 3, replicationFactor: 1))
            await admin.shutdown()
            let placed = OrderEvent.placed(OrderPlaced(customerId: "alice", currency: "EUR", items: [LineItem(sku: "TEA", quantity: 1, unitPrice: 450)]))
            try await Self.append([
                Self.event("o-1", placed, version: 1, actor: "alice"),
                Self.event("o-1", .confirmed(OrderConfirmed(total: 450)), version: 2),
                Self.event("o-1", .confirmed(OrderConfirmed(total: 450)), version: 2),  // a foreign writer's repeat: void
                Self.event("o-2", placed, version: 1),
            ], port: port)

            let source = KafkaLogSource(client: Self.client(port), topic: Self.topic, logger: InProcessBroker.logger)
            let topic = try await source.topic()
            #expect(topic.partitionCount == 3)
            let seen = NIOLockedValueBox<[LoggedEvent]>([])
            let caughtUp = NIOLockedValueBox(false)
            let reading = Task {
                try await source.follow([0, 1, 2], from: [:], caughtUp: { caughtUp.withLockedValue { $0 = true } }) { event in
                    seen.withLockedValue { $0.append(event) }
                }
            }
            try await waitUntil("the backlog read") { caughtUp.withLockedValue { $0 } }
            let backlog = seen.withLockedValue { $0 }
            #expect(backlog.count == 4)
            let o1 = backlog.filter { $0.orderId == "o-1" }
            #expect(o1.map(\.inEffect) == [true, true, false])
            #expect(o1.map(\.offset) == [0, 1, 2])
            #expect(o1[2].void == "version 2, expected 3")
            #expect(o1[0].actor == "alice" && o1[0].eventType == "OrderPlaced" && o1[0].version == 1)
            let home1 = topic.partitionOf("o-1")
            #expect(o1.allSatisfy({ $0.partition == home1 }))

            try await Self.append([Self.event("o-2", .cancelled(OrderCancelled(reason: "changed my mind")), version: 2)], port: port)
            try await waitUntil("the new record") { seen.withLockedValue { $0.count } == 5 }
            let last = try #require(seen.withLockedValue { $0.last })
            #expect(last.orderId == "o-2" && last.eventType == "OrderCancelled" && last.inEffect)

            // A browser gone: its reading ends, the consumer with it.
            reading.cancel()
            _ = try? await reading.value

            // From offsets: a partition's records before its start are folded, not handed out.
            let home = topic.partitionOf("o-1")
            let fromTwo = NIOLockedValueBox<[LoggedEvent]>([])
            let again = Task {
                try await source.follow([home], from: [home: 2], caughtUp: { throw CancellationError() }) { event in
                    fromTwo.withLockedValue { $0.append(event) }
                }
            }
            _ = try? await again.value
            let handed = fromTwo.withLockedValue { $0 }
            #expect(handed.allSatisfy({ $0.offset >= 2 }))
            #expect(handed.filter({ $0.orderId == "o-1" }).map(\.offset) == [2])
            #expect(handed.first(where: { $0.orderId == "o-1" })?.inEffect == false, "the verdict needs the records before the start")
        }
    }
}
