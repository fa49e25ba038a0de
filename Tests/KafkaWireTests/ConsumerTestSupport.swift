import KafkaProtocol
import KafkaWire
import Logging
import NIOCore
import Testing

/// Test data and running consumers against the in-process dev broker (ConnectionTestBroker).
enum ConsumerTestSupport {
    static func client(_ port: Int) -> KafkaClientConfiguration {
        var client = KafkaClientConfiguration(bootstrapServers: [BrokerAddress(host: "127.0.0.1", port: port)])
        client.requestTimeout = .seconds(10)
        client.retryBackoff = .milliseconds(20)
        return client
    }

    static func createTopic(_ cluster: KafkaCluster, _ name: String, partitions: Int32) async throws {
        let response = try await cluster.sendToAnyBroker(
            CreateTopicsRequest(topics: [.init(name: name, numPartitions: partitions, replicationFactor: 1)]))
        #expect(response.topics.first?.errorCode == 0)
    }

    /// Appends one batch of `values` (keys "k<value>", one header) to a partition.
    static func produce(
        _ cluster: KafkaCluster, topic: String, partition: Int32, values: [String],
        compression: CompressionCodec = .none, timestamp: Int64 = 1_700_000_000_000
    ) async throws {
        var builder = RecordBatchBuilder(compression: compression)
        for (index, value) in values.enumerated() {
            builder.append(
                key: ByteBuffer(string: "k" + value), value: ByteBuffer(string: value),
                headers: [RecordHeader(key: "h", value: ByteBuffer(string: value))], timestamp: timestamp + Int64(index))
        }
        let request = ProduceRequest(acks: -1, timeoutMs: 5000, topicData: [
            .init(name: topic, partitionData: [.init(index: partition, records: try builder.build())]),
        ])
        let response = try await cluster.send(request, to: 1)
        #expect(response.responses.first?.partitionResponses.first?.errorCode == 0)
    }

    /// Runs `consumer` while `body` works with it, then shuts it down gracefully.
    static func withRunning<T: Sendable>(_ consumer: KafkaConsumer, _ body: @Sendable (KafkaConsumer) async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await consumer.run()
                return nil
            }
            let result = try await body(consumer)
            consumer.triggerGracefulShutdown()
            try await group.waitForAll()
            return result
        }
    }

    /// The next `count` records, failing after `timeout` (generous: it only bounds a failure).
    static func take(_ count: Int, from iterator: inout KafkaConsumerMessages.AsyncIterator, timeout: Duration = .seconds(60)) async throws -> [ConsumerRecord] {
        var records: [ConsumerRecord] = []
        let deadline = ContinuousClock.now + timeout
        while records.count < count {
            guard ContinuousClock.now < deadline else { throw KafkaError(.timedOut, "got \(records.count) of \(count) records") }
            guard let record = try await iterator.next() else { break }
            records.append(record)
        }
        return records
    }
}

/// Collects rebalance events for assertions.
actor RebalanceLog {
    private(set) var events: [RebalanceEvent] = []
    func append(_ event: RebalanceEvent) { events.append(event) }
}
